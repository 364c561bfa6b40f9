"""The Django admin keeps what the services keep: an apprenticeship added there has its running
totals (which the sponsor's numbers count), and once it exists its program, employer and status
are read-only (status moves only through the API, with its rules)."""

from django.contrib import admin
from django.test import Client, RequestFactory

from apprenticeships.models import Apprenticeship, HourTotals
from tests import factories


def test_an_apprenticeship_added_in_the_admin_gets_its_running_totals(platform_staff, program, employer_a):
    unsaved = factories.ApprenticeshipFactory.build(
        program=program, employer=employer_a, apprentice=factories.UserFactory(), status="registered"
    )
    request = RequestFactory().post("/admin/apprenticeships/apprenticeship/add/")
    request.user = platform_staff

    admin.site._registry[Apprenticeship].save_model(request, unsaved, form=None, change=False)

    totals = HourTotals.objects.get(apprenticeship=unsaved)
    assert (totals.program_id, totals.employer_id, totals.status) == (program.pk, employer_a.pk, "registered")


def test_the_admin_shows_program_employer_and_status_read_only(platform_staff, apprenticeship):
    client = Client()
    client.force_login(platform_staff)

    response = client.get(f"/admin/apprenticeships/apprenticeship/{apprenticeship.pk}/change/")

    assert response.status_code == 200
    form_fields = response.context["adminform"].form.fields
    assert not {"program", "employer", "status"} & set(form_fields)
    assert "expected_end_date" in form_fields
