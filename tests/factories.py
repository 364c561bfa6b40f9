"""factory_boy factories: one per model, with the fewest fields a valid record needs."""

import datetime
from decimal import Decimal

import factory
from allauth.account.models import EmailAddress
from django.conf import settings
from django.db.models import F
from django.utils import timezone

from apprenticeships.models import (
    ApprenticeRegistration,
    Apprenticeship,
    Competency,
    MilestoneDefinition,
    Occupation,
    Program,
    WageStep,
    WorkProcess,
)
from competencies.models import CompetencySignOff, HourImport, HourLog, HourTotals, Milestone
from notifications.models import Notification, NotificationPreference
from portal.models import IdempotentRequest, User
from sponsors.models import Employer, Invitation, Membership, Participation, Sponsor

PASSWORD = "correct-horse-battery-staple-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """Every factory user has a verified primary address unless `verified=False`."""
        obj.save()
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class SponsorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sponsor

    name = factory.Sequence(lambda n: f"Sponsor {n}")
    registration_number = factory.Sequence(lambda n: f"CA{2020000 + n}")
    registration_agency = "state"
    agency_state = "CA"
    sponsor_type = "intermediary"
    registration_date = datetime.date(2020, 1, 15)


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    name = factory.Sequence(lambda n: f"Employer {n}")
    ein = factory.Sequence(lambda n: f"95-{1000000 + n}")
    city = "Los Angeles"
    state = "CA"
    naics_code = "541511"


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    sponsor = factory.SubFactory(SponsorFactory)
    employer = factory.SubFactory(EmployerFactory)
    joined_on = datetime.date(2021, 1, 4)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = "supervisor"


class InvitationFactory(factory.django.DjangoModelFactory):
    """An invitation stored directly; tests that need the token use the service instead."""

    class Meta:
        model = Invitation

    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    role = "supervisor"
    invited_by = factory.SubFactory(UserFactory)
    token_hash = factory.Sequence(lambda n: f"{n:064x}")
    expires_at = factory.LazyFunction(lambda: timezone.now() + settings.INVITATION_TTL)


class OccupationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Occupation

    title = factory.Sequence(lambda n: f"Occupation {n}")
    onet_soc_code = "15-1254"
    training_approach = "hybrid"


# --- programs and apprenticeships --------------------------------------------------------------


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    sponsor = factory.SubFactory(SponsorFactory)
    occupation = factory.SubFactory(OccupationFactory)
    title = factory.LazyAttribute(lambda program: program.occupation.title)
    training_approach = "time_based"
    ojt_hours_required = Decimal("2000")
    rti_hours_required = Decimal("180")
    term_months = 36
    probation_hours = Decimal("500")
    ratio_apprentices = 1
    ratio_journeyworkers = 1


class WorkProcessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkProcess

    program = factory.SubFactory(ProgramFactory)
    title = factory.Sequence(lambda n: f"Work process {n}")
    target_hours = Decimal("500")


class CompetencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competency

    work_process = factory.SubFactory(WorkProcessFactory)
    code = factory.Sequence(lambda n: f"C{n:03d}")
    title = factory.Sequence(lambda n: f"Competency {n}")


class WageStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WageStep

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Step {n}")
    starts_at_ojt_hours = Decimal("0")
    wage = Decimal("22.00")


class MilestoneDefinitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MilestoneDefinition

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Milestone {n}")
    kind = "ojt_hours"
    threshold_hours = Decimal("1000")


class ApprenticeshipFactory(factory.django.DjangoModelFactory):
    """An apprenticeship stored directly (rules are the service's to test), with its running
    totals row and registration data."""

    class Meta:
        model = Apprenticeship
        skip_postgeneration_save = True

    apprentice = factory.SubFactory(UserFactory)
    program = factory.SubFactory(ProgramFactory)
    employer = factory.SubFactory(EmployerFactory)
    start_date = datetime.date(2025, 1, 6)
    expected_end_date = datetime.date(2026, 12, 31)
    status = "active"
    entry_wage = Decimal("22.00")

    @factory.post_generation
    def totals(obj, create, extracted, **kwargs):
        if create:
            HourTotals.objects.get_or_create(**HourTotals.copied_from(obj))

    @factory.post_generation
    def registration(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            ApprenticeRegistration.objects.create(
                apprenticeship=obj, **registration_data(ssn="123-45-6789", ssn_last4="6789")
            )


def put_in_status(apprenticeship, status: str, **changes) -> None:
    """Set the status in the database, bypassing the transition rules, with the running totals'
    copy of it moved as the services move it."""
    Apprenticeship.objects.filter(pk=apprenticeship.pk).update(status=status, **changes)
    HourTotals.objects.filter(apprenticeship=apprenticeship).update(status=status)


def registration_data(**overrides) -> dict:
    """Valid RAPIDS registration data, as the API takes it."""
    return {
        "first_name": "Ari",
        "last_name": "Apprentice",
        "date_of_birth": datetime.date(2000, 5, 17),
        "gender": "9",
        "employment_status": "NE",
        "street_address": "100 Main St",
        "city": "Los Angeles",
        "state": "CA",
        "zip_code": "90012",
        "ethnicity": 9,
        "race_american_indian_alaskan_native": 9,
        "race_asian": 9,
        "race_black_african_american": 9,
        "race_native_hawaiian_pacific_islander": 9,
        "race_white": 9,
        "veteran_status": 2,
        "disability_status": 2,
        "education_level": 3,
        **overrides,
    }


class HourImportFactory(factory.django.DjangoModelFactory):
    """The record of an import, stored directly (no logs): for read tests."""

    class Meta:
        model = HourImport

    sponsor = factory.SubFactory(SponsorFactory)
    imported_by = factory.SubFactory(UserFactory)
    file_name = "hours.csv"
    checksum = factory.Sequence(lambda n: f"{n:064x}")
    rows_written = 1


class HourLogFactory(factory.django.DjangoModelFactory):
    """A log stored directly, bypassing the rules and the running hour totals: for read tests.
    It does count itself in the totals' `logs`, the count of hour-logs/, as every written log
    does. Tests of writes go through competencies.services or the API."""

    class Meta:
        model = HourLog

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        log = super()._create(model_class, *args, **kwargs)
        HourTotals.objects.filter(apprenticeship_id=log.apprenticeship_id).update(logs=F("logs") + 1)
        return log

    apprenticeship = factory.SubFactory(ApprenticeshipFactory)
    employer = factory.SelfAttribute("apprenticeship.employer")
    date = datetime.date(2025, 3, 3)
    hours = Decimal("8")
    kind = "ojt"
    work_process = factory.LazyAttribute(
        lambda log: (
            WorkProcess.objects.filter(program=log.apprenticeship.program).first() if log.kind == "ojt" else None
        )
    )
    logged_by = factory.LazyAttribute(lambda log: log.apprenticeship.apprentice)
    status = "submitted"


# --- notifications -----------------------------------------------------------------------------


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    event = "hours_approved"
    title = "8.00 h of on-the-job hours recorded"
    body = "8.00 h of on-the-job hours for March 03, 2025 were logged and approved for you."
    email_state = "pending"


class NotificationPreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NotificationPreference

    user = factory.SubFactory(UserFactory)
    event = "hours_approved"
    email = False


# --- sign-offs and milestones ------------------------------------------------------------------


class CompetencySignOffFactory(factory.django.DjangoModelFactory):
    """A sign-off stored directly, bypassing the rules: for read tests."""

    class Meta:
        model = CompetencySignOff

    apprenticeship = factory.SubFactory(ApprenticeshipFactory)
    competency = factory.LazyAttribute(
        lambda signoff: Competency.objects.filter(work_process__program=signoff.apprenticeship.program).first()
    )
    signed_off_by = factory.SubFactory(UserFactory)
    signed_off_at = factory.LazyFunction(timezone.now)
    rating = "proficient"


class MilestoneFactory(factory.django.DjangoModelFactory):
    """A pending milestone stored directly, bypassing the rules that reach it: for read tests."""

    class Meta:
        model = Milestone

    apprenticeship = factory.SubFactory(ApprenticeshipFactory)
    definition = factory.LazyAttribute(
        lambda milestone: MilestoneDefinition.objects.filter(program=milestone.apprenticeship.program).first()
    )
    program = factory.SelfAttribute("apprenticeship.program")
    employer = factory.SelfAttribute("apprenticeship.employer")
    reached_at = factory.LazyFunction(timezone.now)


class IdempotentRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IdempotentRequest

    user = factory.SubFactory(UserFactory)
    key = factory.Sequence(lambda n: f"key-{n}")
    method = "POST"
    path = "/api/v1/hour-logs/"
    body_sha256 = "0" * 64
    status = 201
    headers = factory.LazyFunction(lambda: {"Content-Type": "application/json"})
    body = b"{}"
