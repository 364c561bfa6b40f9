"""The registration rules the registration agency applies (RAPIDS) and the portal enforces on
`POST` and `PATCH apprenticeships/`, each refused with a 400 naming the field: the entry wage is at
least the program's entry wage step; one open apprenticeship per person per sponsor, the person
matched by account and by a keyed hash of the SSN; credit for prior experience or training has its
basis recorded and never reaches the hours required."""

import hashlib
import hmac
import importlib
import io
from collections import Counter
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import override_settings

from apprenticeships.demo import ADDED_EMPLOYER_EIN
from apprenticeships.models import OPEN_STATUSES, ApprenticeRegistration, Apprenticeship
from apprenticeships.models.agreements import ssn_lookup_for
from portal.models import User
from tests import factories
from tests.apprenticeships.helpers import APPRENTICESHIPS, SSN_DIGITS, registration_body, url

SSN_ALREADY_OPEN = {"ssn": ["An open apprenticeship with this sponsor already exists for this person."]}
OTHER_SSN = "987-65-4321"


def _registered(response) -> Apprenticeship:
    assert response.status_code == 201, response.json()
    return Apprenticeship.objects.get(id=response.json()["id"])


@pytest.fixture
def second_program(sponsor):
    """Another program of the same sponsor, with its own entry wage step."""
    program = factories.ProgramFactory(sponsor=sponsor, title="Data Analyst (test)")
    factories.WageStepFactory(program=program, name="Entry", starts_at_ojt_hours=0, wage="20.00")
    return program


# --- the entry wage ---------------------------------------------------------------------------


def test_an_entry_wage_below_the_programs_entry_wage_step_is_refused(register):
    response = register(entry_wage="21.99")  # the program's entry step (Step 1) pays 22.00

    assert response.status_code == 400
    assert list(response.json()) == ["entry_wage"]
    assert "Step 1: $22.00/h" in response.json()["entry_wage"][0]
    assert not Apprenticeship.objects.exists()


def test_an_entry_wage_at_the_entry_wage_step_is_accepted_though_below_the_next_step(register):
    at_the_step = register(apprentice_email="at@example.org", entry_wage="22.00")
    below_step_2 = register(apprentice_email="below@example.org", entry_wage="24.99", registration={"ssn": OTHER_SSN})

    assert (_registered(at_the_step).entry_wage, _registered(below_step_2).entry_wage) == (
        Decimal("22.00"),
        Decimal("24.99"),
    )


def test_changing_the_entry_wage_below_the_entry_wage_step_is_refused(client_for, raps_admin, apprenticeship):
    response = client_for(raps_admin).patch(url(apprenticeship), {"entry_wage": "21.00"})

    assert response.status_code == 400
    assert list(response.json()) == ["entry_wage"]
    assert Apprenticeship.objects.get(pk=apprenticeship.pk).entry_wage == Decimal("22.00")


# --- one open apprenticeship per person per sponsor ------------------------------------------


def test_the_same_ssn_under_another_email_is_refused_without_saying_whose_it_is(register):
    first = _registered(register(apprentice_email="first@example.org"))

    second = register(apprentice_email="second.address@example.org")

    assert second.status_code == 400
    assert second.json() == SSN_ALREADY_OPEN
    text = second.content.decode()
    for telling in ("first@example.org", str(first.id), "6789", "Ari"):
        assert telling not in text
    assert Apprenticeship.objects.count() == 1
    assert not User.objects.filter(email="second.address@example.org").exists()


def test_the_same_ssn_in_another_program_of_the_sponsor_is_refused(
    register, client_for, raps_admin, employer_a, second_program
):
    _registered(register(apprentice_email="first@example.org"))

    response = client_for(raps_admin).post(
        APPRENTICESHIPS, registration_body(second_program, employer_a, apprentice_email="second@example.org")
    )

    assert response.status_code == 400
    assert response.json() == SSN_ALREADY_OPEN


def test_the_same_account_in_another_program_of_the_sponsor_is_refused(
    register, client_for, raps_admin, employer_a, second_program
):
    _registered(register(apprentice_email="twice@example.org"))

    response = client_for(raps_admin).post(
        APPRENTICESHIPS,
        registration_body(
            second_program, employer_a, apprentice_email="twice@example.org", registration={"ssn": OTHER_SSN}
        ),
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["apprentice_email"]
    assert Apprenticeship.objects.count() == 1


def test_the_same_ssn_with_another_sponsor_is_accepted(
    register, client_for, other_raps_admin, other_sponsor, employer_c
):
    _registered(register(apprentice_email="first@example.org"))
    employer_c.journeyworkers = 1
    employer_c.save()
    other_program = factories.ProgramFactory(sponsor=other_sponsor)

    response = client_for(other_raps_admin).post(
        APPRENTICESHIPS, registration_body(other_program, employer_c, apprentice_email="elsewhere@example.org")
    )

    _registered(response)


def test_an_ssn_whose_apprenticeship_was_cancelled_is_free_again(register, client_for, raps_admin):
    first = _registered(register(apprentice_email="first@example.org"))
    client_for(raps_admin).post(
        url(first, "transition"), {"to": "cancelled", "reason": "left", "exit_reason": "voluntary_quit"}
    )

    _registered(register(apprentice_email="second@example.org"))


def test_the_match_is_on_the_keyed_hash_never_on_the_decrypted_ssn(register):
    first = _registered(register(apprentice_email="first@example.org"))
    # The first one's hash made to be another SSN's: same decrypted SSN, different hash.
    ApprenticeRegistration.objects.filter(apprenticeship=first).update(ssn_lookup=ssn_lookup_for("987654321"))

    same_ssn = register(apprentice_email="same.ssn@example.org")
    same_hash = register(apprentice_email="same.hash@example.org", registration={"ssn": OTHER_SSN})

    _registered(same_ssn)
    assert same_hash.status_code == 400
    assert same_hash.json() == SSN_ALREADY_OPEN


def test_changing_the_ssn_to_one_with_an_open_apprenticeship_is_refused(register, client_for, raps_admin):
    _registered(register(apprentice_email="first@example.org"))
    second = _registered(register(apprentice_email="second@example.org", registration={"ssn": OTHER_SSN}))

    response = client_for(raps_admin).patch(url(second), {"registration": {"ssn": SSN_DIGITS}}, format="json")

    assert response.status_code == 400
    assert response.json() == SSN_ALREADY_OPEN
    stored = ApprenticeRegistration.objects.get(apprenticeship=second)
    assert (stored.ssn, stored.ssn_lookup) == (OTHER_SSN, ssn_lookup_for("987654321"))


# --- the keyed hash itself ---------------------------------------------------------------------


def test_the_ssn_lookup_is_the_hmac_of_the_nine_digits_under_the_lookup_key(register, settings):
    apprenticeship = _registered(register(registration={"ssn": SSN_DIGITS}))

    stored = ApprenticeRegistration.objects.get(apprenticeship=apprenticeship).ssn_lookup

    key = settings.SSN_LOOKUP_KEY.encode()
    assert stored == hmac.new(key, SSN_DIGITS.encode(), hashlib.sha256).hexdigest()
    assert SSN_DIGITS not in stored


def test_rotating_the_encryption_keys_leaves_the_lookup_unchanged_and_another_lookup_key_changes_it():
    kept = ssn_lookup_for(SSN_DIGITS)

    with override_settings(FIELD_ENCRYPTION_KEYS=["another-salt"], SALT_KEY=["another-salt"]):
        assert ssn_lookup_for(SSN_DIGITS) == kept
    with override_settings(SSN_LOOKUP_KEY="another-lookup-key"):
        assert ssn_lookup_for(SSN_DIGITS) != kept


def test_changing_or_clearing_the_ssn_moves_its_lookup_with_it(client_for, raps_admin, register):
    apprenticeship = _registered(register())
    client = client_for(raps_admin)

    client.patch(url(apprenticeship), {"registration": {"ssn": OTHER_SSN}}, format="json")
    changed = ApprenticeRegistration.objects.get(apprenticeship=apprenticeship).ssn_lookup
    client.patch(url(apprenticeship), {"registration": {"ssn": ""}}, format="json")
    cleared = ApprenticeRegistration.objects.get(apprenticeship=apprenticeship).ssn_lookup

    assert (changed, cleared) == (ssn_lookup_for("987654321"), "")


def test_the_lookup_is_in_no_answer_and_no_history(client_for, raps_admin, register):
    apprenticeship = _registered(register())
    stored = ApprenticeRegistration.objects.get(apprenticeship=apprenticeship).ssn_lookup

    answer = client_for(raps_admin).get(url(apprenticeship))

    assert stored
    assert stored not in answer.content.decode()
    assert "ssn_lookup" not in answer.json()["registration"]
    assert not hasattr(ApprenticeRegistration.history.model, "ssn_lookup")


def test_the_migration_fills_the_lookup_of_registrations_stored_before_it(apprenticeship):
    migration = importlib.import_module("apprenticeships.migrations.0014_registration_ssn_lookup_credit_basis")
    factories.ApprenticeshipFactory(registration=False)  # one without registration data
    without_ssn = factories.ApprenticeshipFactory()
    ApprenticeRegistration.objects.filter(apprenticeship=without_ssn).update(ssn=None, ssn_last4="")
    assert ApprenticeRegistration.objects.get(apprenticeship=apprenticeship).ssn_lookup == ""  # stored directly

    migration.fill_ssn_lookup(apps, None)

    assert ApprenticeRegistration.objects.get(apprenticeship=apprenticeship).ssn_lookup == ssn_lookup_for(SSN_DIGITS)
    assert ApprenticeRegistration.objects.get(apprenticeship=without_ssn).ssn_lookup == ""


# --- credit for prior experience and training -------------------------------------------------


@pytest.mark.parametrize("credit", [{"ojt_credit_hours": "120.00"}, {"rti_credit_hours": "24.00"}])
def test_credit_without_its_basis_is_refused(register, credit):
    response = register(**credit, credit_basis="  ")

    assert response.status_code == 400
    assert list(response.json()) == ["credit_basis"]
    assert not Apprenticeship.objects.exists()


@pytest.mark.parametrize(
    ("field", "hours"),
    [("ojt_credit_hours", "2000.00"), ("ojt_credit_hours", "2500.00"), ("rti_credit_hours", "180.00")],
)
def test_credit_that_reaches_the_hours_required_is_refused(register, field, hours):
    response = register(**{field: hours}, credit_basis="Years of prior work")

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert not Apprenticeship.objects.exists()


def test_credit_just_short_of_the_hours_required_is_accepted(register):
    apprenticeship = _registered(
        register(ojt_credit_hours="1999.75", rti_credit_hours="179.75", credit_basis="A journeyworker elsewhere")
    )

    assert (apprenticeship.ojt_credit_hours, apprenticeship.rti_credit_hours) == (Decimal("1999.75"), Decimal("179.75"))


def test_giving_credit_by_a_change_needs_its_basis(client_for, raps_admin, apprenticeship):
    client = client_for(raps_admin)

    refused = client.patch(url(apprenticeship), {"ojt_credit_hours": "500"})
    given = client.patch(url(apprenticeship), {"ojt_credit_hours": "500", "credit_basis": "Prior help desk work"})
    cleared = client.patch(url(apprenticeship), {"credit_basis": ""})

    assert (refused.status_code, list(refused.json())) == (400, ["credit_basis"])
    assert given.status_code == 200, given.json()
    assert given.json()["credit_basis"] == "Prior help desk work"
    assert (cleared.status_code, list(cleared.json())) == (400, ["credit_basis"])
    stored = Apprenticeship.objects.get(pk=apprenticeship.pk)
    assert (stored.ojt_credit_hours, stored.credit_basis) == (Decimal("500"), "Prior help desk work")


def test_a_change_of_credit_that_reaches_the_hours_required_is_refused(client_for, raps_admin, apprenticeship):
    response = client_for(raps_admin).patch(
        url(apprenticeship), {"rti_credit_hours": "180", "credit_basis": "A completed certificate"}
    )

    assert response.status_code == 400
    assert list(response.json()) == ["rti_credit_hours"]
    assert Apprenticeship.objects.get(pk=apprenticeship.pk).rti_credit_hours == 0


def test_a_change_that_leaves_the_credit_alone_does_not_ask_for_a_basis_recorded_before_the_rule(
    client_for, raps_admin, apprenticeship
):
    Apprenticeship.objects.filter(pk=apprenticeship.pk).update(ojt_credit_hours=Decimal("120"))

    response = client_for(raps_admin).patch(url(apprenticeship), {"expected_end_date": "2026-11-30"})

    assert response.status_code == 200, response.json()


# --- the demo data ---------------------------------------------------------------------------


def test_every_demo_registration_obeys_the_rules_and_an_employer_added_through_the_api_takes_one(db):
    call_command("load_demo", stdout=io.StringIO())

    apprenticeships = Apprenticeship.objects.select_related("program", "registration")
    for apprenticeship in apprenticeships:
        program = apprenticeship.program
        assert apprenticeship.entry_wage >= program.wage_steps.order_by("starts_at_ojt_hours").first().wage
        assert apprenticeship.ojt_credit_hours < program.ojt_hours_required
        assert apprenticeship.rti_credit_hours < program.rti_hours_required
        if apprenticeship.ojt_credit_hours or apprenticeship.rti_credit_hours:
            assert apprenticeship.credit_basis
        assert apprenticeship.registration.ssn_lookup == ssn_lookup_for(
            apprenticeship.registration.ssn.replace("-", "")
        )
    open_people = Counter(
        (a.program.sponsor_id, person)
        for a in apprenticeships
        if a.status in OPEN_STATUSES
        for person in (a.apprentice_id, a.registration.ssn_lookup)
    )
    assert max(open_people.values()) == 1
    assert any(a.credit_basis for a in apprenticeships)
    added = Apprenticeship.objects.get(employer__ein=ADDED_EMPLOYER_EIN)
    assert added.employer.history.earliest().history_change_reason == "added to a sponsor's programs"
    assert added.entry_wage > added.program.wage_steps.order_by("starts_at_ojt_hours").first().wage
