"""The Django admin never goes around the services: platform staff read apprenticeships there,
but register them and move their status only through the API, with its rules."""

from django.test import Client


def staff_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_admin_registers_no_apprenticeship(platform_staff):
    response = staff_client(platform_staff).get("/admin/apprenticeships/apprenticeship/add/")

    assert response.status_code == 403


def test_the_admin_shows_program_employer_and_status_read_only(platform_staff, apprenticeship):
    response = staff_client(platform_staff).get(f"/admin/apprenticeships/apprenticeship/{apprenticeship.pk}/change/")

    assert response.status_code == 200
    form_fields = response.context["adminform"].form.fields
    assert not {"program", "employer", "status"} & set(form_fields)
    assert "expected_end_date" in form_fields
