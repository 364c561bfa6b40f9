"""The HRTP's records are in the audit trail as their own record types, each tied to its sponsor
and employer: agreement versions and signatures, priority populations, progress reviews and
their ratings, interim credentials. A signature's address and browser are shown to the readers
of personal data only."""

import pytest

from portal.audit import AUDITED, backfill
from portal.history import HIDDEN
from portal.models import AuditEntry
from tests.admin.conftest import one_of_each  # noqa: F401 - the fixture: one record of every model
from tests.agreements.helpers import sign_as
from tests.history.test_audit import audit

HRTP_RECORDS = [
    "agreement_version",
    "agreement_signature",
    "priority_population",
    "progress_review",
    "review_rating",
    "interim_credential",
]


@pytest.mark.parametrize("record_type", HRTP_RECORDS)
def test_each_hrtp_record_is_in_the_trail_of_its_sponsor_and_employer(one_of_each, sponsor, employer_a, record_type):  # noqa: F811
    records = AUDITED[record_type].model_class._default_manager.all()
    assert records.exists()

    for record in records:
        entries = AuditEntry.objects.filter(record_type=record_type, record_id=record.pk)
        assert entries.filter(action="created").count() == 1
        # A sponsor's own list of populations belongs to no employer.
        employer_id = None if record_type == "priority_population" else employer_a.pk
        assert set(entries.values_list("sponsor_id", "employer_id")) == {(sponsor.pk, employer_id)}


def test_history_written_before_they_were_audited_is_indexed_once(one_of_each):  # noqa: F811
    AuditEntry.objects.filter(record_type__in=HRTP_RECORDS).delete()  # as before the trail took them in

    indexed = backfill()

    assert indexed == sum(AUDITED[kind].history_model.objects.count() for kind in HRTP_RECORDS)
    assert backfill() == 0


def test_a_signatures_address_is_shown_to_raps_admins_and_hidden_from_employer_admins(
    client_for, raps_admin, employer_a_admin, apprenticeship
):
    sign_as(apprenticeship, apprenticeship.apprentice, "apprentice")

    def signature_fields(client) -> dict:
        (entry,) = audit(client, record_type="agreement_signature")["results"]
        return {change["field"]: change["new"] for change in entry["changes"]}

    as_raps_admin, as_employer_admin = (
        signature_fields(client_for(raps_admin)),
        signature_fields(client_for(employer_a_admin)),
    )
    assert (as_raps_admin["ip_address"], as_raps_admin["user_agent"]) == ("192.0.2.10", "pytest")
    assert (as_employer_admin["ip_address"], as_employer_admin["user_agent"]) == (HIDDEN, HIDDEN)
    assert as_employer_admin["typed_name"] == as_raps_admin["typed_name"] != HIDDEN
