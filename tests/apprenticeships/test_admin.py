"""The Django admin keeps what the services keep: an apprenticeship added there has its running
totals (which the sponsor's numbers count), and once it exists its program, employer and status
are read-only (status moves only through the API, with its rules); a milestone copies its
apprenticeship's program and employer, and never moves to another apprenticeship or definition."""

from django.contrib import admin
from django.test import Client, RequestFactory

from apprenticeships.models import Apprenticeship
from competencies.models import HourTotals, Milestone
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


def test_a_milestone_added_in_the_admin_copies_its_apprenticeships_program_and_employer(platform_staff, apprenticeship):
    client = Client()
    client.force_login(platform_staff)
    definition = apprenticeship.program.milestone_definitions.first()

    form = client.get("/admin/competencies/milestone/add/").context["adminform"].form
    response = client.post(
        "/admin/competencies/milestone/add/",
        {
            "apprenticeship": apprenticeship.pk,
            "definition": definition.pk,
            "reached_at_0": "2026-01-05",
            "reached_at_1": "10:00:00",
            "status": "pending",
            "note": "",
            "basis": "",
            "reason": "reached before the portal counted it",
        },
    )

    assert not {"program", "employer"} & set(form.fields)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    milestone = Milestone.objects.get(apprenticeship=apprenticeship)
    assert (milestone.program_id, milestone.employer_id) == (apprenticeship.program_id, apprenticeship.employer_id)


def test_the_admin_shows_a_milestones_apprenticeship_definition_and_copy_read_only(platform_staff, apprenticeship):
    milestone = Milestone.objects.create(
        apprenticeship=apprenticeship,
        definition=apprenticeship.program.milestone_definitions.first(),
        reached_at="2026-01-05T10:00Z",
    )
    client = Client()
    client.force_login(platform_staff)

    response = client.get(f"/admin/competencies/milestone/{milestone.pk}/change/")

    assert response.status_code == 200
    form_fields = response.context["adminform"].form.fields
    assert not {"apprenticeship", "definition", "program", "employer"} & set(form_fields)
    assert "note" in form_fields
