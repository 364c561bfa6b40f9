"""Numbers and dates a person would not read as the value stored are refused: hours, wages and
other decimals are ASCII decimal numbers (or JSON numbers), dates are ISO dates in ASCII digits,
in every body, query-parameter filter and CSV import. Python alone reads "1_0" as 10, "١" as 1
and "２０２５-０１-０６" as a date."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_filters import filters as django_filters
from django_filters.filterset import BaseFilterSet
from rest_framework import serializers

import apprenticeships.api.serializers
import competencies.api.serializers
import notifications.api.serializers
import portal.api.serializers
import sponsors.api.serializers
from apprenticeships.models import Apprenticeship, Program
from competencies.models import HourLog
from portal.api import fields
from portal.api.filters import FilterSet
from tests import factories
from tests.apprenticeships.helpers import APPRENTICESHIPS, registration_body
from tests.reports.conftest import RAPIDS_URL

LOGS = "/api/v1/hour-logs/"
BAD_HOURS = ["١", "٨", "1_0", "８", "1e1", "0x8", "NaN", "Infinity", "8 h", True]
BAD_DATES = ["２０２５-０３-０３", "٢٠٢٥-٠٣-٠٣", "2025-3-3", "03/03/2025", "20250303"]
APP_MODULES = (
    apprenticeships.api.serializers,
    competencies.api.serializers,
    notifications.api.serializers,
    portal.api.serializers,
    sponsors.api.serializers,
)


@pytest.fixture
def front_end(apprenticeship):
    return apprenticeship.program.work_processes.get(title="Front end")


@pytest.fixture
def ojt(apprenticeship, front_end):
    def body(**overrides):
        return {
            "apprenticeship": str(apprenticeship.id),
            "date": "2025-03-03",
            "hours": "8",
            "kind": "ojt",
            "work_process": str(front_end.id),
            **overrides,
        }

    return body


def import_file(*lines: str) -> SimpleUploadedFile:
    text = "\n".join(["apprenticeship,date,hours,kind,work_process,description", *lines, ""])
    return SimpleUploadedFile("hours.csv", text.encode(), content_type="text/csv")


# --- hours ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("hours", ["12", "7.5", "7.25", 7.5, 8, " 8 "])
def test_hours_in_ascii_digits_or_as_json_numbers_are_accepted(
    client_for, employer_a_supervisor, apprenticeship, ojt, hours
):
    response = client_for(employer_a_supervisor).post(LOGS, ojt(hours=hours), format="json")

    assert response.status_code == 201, response.json()


@pytest.mark.parametrize("hours", BAD_HOURS)
def test_hours_not_in_ascii_digits_are_refused_when_logged(
    client_for, employer_a_supervisor, apprenticeship, ojt, hours
):
    response = client_for(employer_a_supervisor).post(LOGS, ojt(hours=hours), format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["hours"]
    assert not HourLog.objects.exists()


@pytest.mark.parametrize("hours", BAD_HOURS)
def test_hours_not_in_ascii_digits_are_refused_when_changed(client_for, employer_a_supervisor, apprenticeship, hours):
    log = factories.HourLogFactory(apprenticeship=apprenticeship, logged_by=employer_a_supervisor, hours=8)

    response = client_for(employer_a_supervisor).patch(f"{LOGS}{log.id}/", {"hours": hours}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["hours"]
    log.refresh_from_db()
    assert log.hours == 8


@pytest.mark.parametrize("hours", ["١", "1_0"])
def test_hours_not_in_ascii_digits_are_refused_in_bulk(client_for, employer_a_supervisor, apprenticeship, ojt, hours):
    response = client_for(employer_a_supervisor).post(f"{LOGS}bulk/", [ojt(), ojt(hours=hours)], format="json")

    assert response.status_code == 400
    assert response.json()["items"][0] == {}
    assert list(response.json()["items"][1]) == ["hours"]
    assert not HourLog.objects.exists()


@pytest.mark.parametrize("hours", ["١", "1_0"])
def test_hours_not_in_ascii_digits_are_refused_in_an_import(
    client_for, employer_a_supervisor, apprenticeship, front_end, hours
):
    file = import_file(f"{apprenticeship.id},2025-03-03,{hours},ojt,{front_end.id},Forms")

    response = client_for(employer_a_supervisor).post(f"{LOGS}import/", {"file": file}, format="multipart")

    assert response.status_code == 400
    assert response.json()["lines"] == [{"line": 2, "errors": {"hours": ["A valid number is required."]}}]
    assert not HourLog.objects.exists()


# --- other decimals: wages, hours of a program, credit hours --------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {"ojt_hours_required": "2_000"},
        {"rti_hours_required": "١٨٠"},
        {"work_processes": [{"title": "Testing", "target_hours": "1_00"}]},
        {"wage_steps": [{"name": "Step 4", "starts_at_ojt_hours": "1900", "wage": "３０.００"}]},
    ],
)
def test_a_programs_decimals_not_in_ascii_digits_are_refused(client_for, raps_admin, program, change):
    before = Program.objects.filter(pk=program.pk).values().get()

    response = client_for(raps_admin).patch(f"/api/v1/programs/{program.id}/", change, format="json")

    assert response.status_code == 400
    assert list(response.json()) == list(change)
    assert Program.objects.filter(pk=program.pk).values().get() == before
    assert not program.work_processes.filter(title="Testing").exists()


@pytest.mark.parametrize(
    "change", [{"entry_wage": "2_2.00"}, {"ojt_credit_hours": "١٢٠"}, {"registration": {"prior_wage": "1_8.40"}}]
)
def test_an_apprenticeships_decimals_not_in_ascii_digits_are_refused(client_for, raps_admin, apprenticeship, change):
    response = client_for(raps_admin).patch(f"{APPRENTICESHIPS}{apprenticeship.id}/", change, format="json")

    assert response.status_code == 400
    assert list(response.json()) == list(change)


@pytest.mark.parametrize("entry_wage", ["2_2.00", "٢٢"])
def test_a_registration_with_a_wage_not_in_ascii_digits_is_refused(
    client_for, raps_admin, program, employer_a, entry_wage
):
    body = registration_body(program, employer_a, entry_wage=entry_wage)

    response = client_for(raps_admin).post(APPRENTICESHIPS, body, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["entry_wage"]
    assert not Apprenticeship.objects.exists()


# --- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("date", BAD_DATES)
def test_a_log_dated_in_other_than_ascii_iso_digits_is_refused(
    client_for, employer_a_supervisor, apprenticeship, ojt, date
):
    response = client_for(employer_a_supervisor).post(LOGS, ojt(date=date), format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["date"]
    assert not HourLog.objects.exists()


def test_an_imported_line_dated_in_full_width_digits_is_refused(
    client_for, employer_a_supervisor, apprenticeship, front_end
):
    file = import_file(f"{apprenticeship.id},２０２５-０３-０３,8,ojt,{front_end.id},Forms")

    response = client_for(employer_a_supervisor).post(f"{LOGS}import/", {"file": file}, format="multipart")

    assert response.status_code == 400
    assert [(line["line"], list(line["errors"])) for line in response.json()["lines"]] == [(2, ["date"])]
    assert not HourLog.objects.exists()


@pytest.mark.parametrize(
    ("registration", "fields"),
    [
        ({"date_of_birth": "２０００-０５-１７"}, {}),
        ({}, {"start_date": "２０２５-０６-０２"}),
        ({}, {"expected_end_date": "２０２７-０５-２８"}),
    ],
)
def test_a_registration_dated_in_full_width_digits_is_refused(
    client_for, raps_admin, program, employer_a, registration, fields
):
    body = registration_body(program, employer_a, registration=registration, **fields)

    response = client_for(raps_admin).post(APPRENTICESHIPS, body, format="json")

    assert response.status_code == 400
    assert list(response.json()) == (["registration"] if registration else list(fields))
    assert not Apprenticeship.objects.exists()


@pytest.mark.parametrize("parameter", ["date_after", "date_before"])
@pytest.mark.parametrize("date", BAD_DATES)
def test_a_log_filter_dated_in_other_than_ascii_iso_digits_is_refused(client_for, raps_admin, parameter, date):
    response = client_for(raps_admin).get(LOGS, {parameter: date})

    assert response.status_code == 400
    assert list(response.json()) == ["date"]


@pytest.mark.parametrize("parameter", ["registered_after", "registered_before"])
@pytest.mark.parametrize("date", BAD_DATES)
def test_a_rapids_export_filter_dated_in_other_than_ascii_iso_digits_is_refused(
    client_for, raps_admin, apprenticeship, parameter, date
):
    response = client_for(raps_admin).get(RAPIDS_URL, {parameter: date})

    assert response.status_code == 400
    assert list(response.json()) == [parameter]


def test_an_ascii_iso_date_filter_is_accepted(client_for, raps_admin):
    response = client_for(raps_admin).get(LOGS, {"date_after": "2025-03-03", "date_before": "2025-03-31"})

    assert response.status_code == 200


# --- every field that reads a decimal or a date is a strict one -----------------------------------


def _subclasses(base):
    for subclass in base.__subclasses__():
        yield subclass
        yield from _subclasses(subclass)


def _writable_fields(serializer, path=""):
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        if isinstance(field, serializers.ListSerializer):
            field = field.child
        if isinstance(field, serializers.Serializer):
            yield from _writable_fields(field, f"{path}{name}.")
        else:
            yield f"{path}{name}", field


def test_every_decimal_and_date_a_serializer_reads_is_read_strictly():
    modules = {module.__name__ for module in APP_MODULES}
    loose = [
        f"{serializer_class.__name__}.{name}"
        for serializer_class in _subclasses(serializers.Serializer)
        if serializer_class.__module__ in modules
        and not (issubclass(serializer_class, serializers.ModelSerializer) and not hasattr(serializer_class, "Meta"))
        for name, field in _writable_fields(serializer_class())
        if (isinstance(field, serializers.DecimalField) and not isinstance(field, fields.DecimalField))
        or (isinstance(field, serializers.DateField) and not isinstance(field, fields.DateField))
    ]

    assert loose == []


def test_every_date_filter_reads_strictly():
    loose = [
        f"{filterset.__name__}.{name}"
        for filterset in _subclasses(BaseFilterSet)
        if filterset.__module__.split(".")[0] in {"portal", "apprenticeships", "competencies", "sponsors"}
        for name, date_filter in filterset.base_filters.items()
        if isinstance(date_filter, django_filters.DateFilter | django_filters.DateFromToRangeFilter)
        and not isinstance(date_filter, fields.DateFilter | fields.DateFromToRangeFilter)
    ]

    assert loose == []
    assert FilterSet.FILTER_DEFAULTS[Apprenticeship._meta.get_field("start_date").__class__] == {
        "filter_class": fields.DateFilter
    }
