"""Who is told, read in one query for many records: employer staff by employer, RAPS admins by
sponsor."""

from collections import defaultdict

from sponsors.models import Membership


def _staff_by_employer(pairs) -> dict:
    """{(employer id, sponsor id): [staff of the employer whose grant covers the sponsor]}."""
    staff = defaultdict(list)
    pairs = set(pairs)
    memberships = Membership.objects.filter(employer_id__in={employer_id for employer_id, _ in pairs})
    for membership in memberships.select_related("user"):
        for employer_id, sponsor_id in pairs:
            if membership.employer_id == employer_id and membership.limited_to_sponsor_id in (None, sponsor_id):
                staff[(employer_id, sponsor_id)].append(membership.user)
    return staff


def _employer_and_sponsor(apprenticeship) -> tuple:
    return apprenticeship.employer_id, apprenticeship.program.sponsor_id


def _admins_by_sponsor(sponsor_ids) -> dict:
    admins = defaultdict(list)
    for membership in Membership.objects.filter(sponsor_id__in=sponsor_ids).select_related("user"):
        admins[membership.sponsor_id].append(membership.user)
    return admins
