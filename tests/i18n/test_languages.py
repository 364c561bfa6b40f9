"""Each user has a language (`me/`), set at sign-up from Accept-Language; the API answers a
signed-in user in it, and anyone else in the language of their Accept-Language."""

from rest_framework.test import APIClient

from portal.models import User
from tests.auth.helpers import APP
from tests.invitations.helpers import ACCEPT, NEW_PASSWORD

ME = "/api/v1/me/"


def test_me_shows_the_language_english_by_default(client_for, raps_admin):
    response = client_for(raps_admin).get(ME)

    assert response.status_code == 200
    assert response.json()["language"] == "en"


def test_me_sets_the_language_with_history(client_for, apprentice):
    response = client_for(apprentice).patch(ME, {"language": "es"}, format="json")

    assert response.status_code == 200
    assert response.json()["language"] == "es"
    apprentice.refresh_from_db()
    assert apprentice.language == "es"
    latest = apprentice.history.first()
    assert (latest.language, latest.history_change_reason) == ("es", "language changed")


def test_me_refuses_a_language_the_portal_does_not_speak(client_for, apprentice):
    response = client_for(apprentice).patch(ME, {"language": "fr"}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["language"]
    apprentice.refresh_from_db()
    assert apprentice.language == "en"


def test_a_spanish_users_400_is_in_spanish(client_for, apprentice):
    apprentice.language = "es"
    apprentice.save()

    response = client_for(apprentice).patch(ME, {"language": "fr"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"language": ['"fr" no es una elección válida.']}


def test_a_spanish_users_own_portal_refusal_is_in_spanish(client_for, apprentice, apprenticeship):
    apprentice.language = "es"
    apprentice.save()

    response = client_for(apprentice).post(
        "/api/v1/hour-logs/",
        {"apprenticeship": str(apprenticeship.id), "kind": "rti", "date": "2025-03-03", "hours": "30"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["hours"] == ["Las horas deben ser más de 0 y como máximo 24."]


def test_a_spanish_users_404_is_in_spanish(client_for, apprentice):
    apprentice.language = "es"
    apprentice.save()

    response = client_for(apprentice).get("/api/v1/apprenticeships/00000000-0000-0000-0000-000000000000/")

    assert response.status_code == 404
    assert response.json() == {"detail": "No encontrado."}


def test_an_english_user_is_answered_in_english_whatever_the_accept_language(client_for, apprentice):
    response = client_for(apprentice).patch(ME, {"language": "fr"}, format="json", HTTP_ACCEPT_LANGUAGE="es")

    assert response.json() == {"language": ['"fr" is not a valid choice.']}


def test_an_anonymous_request_follows_its_accept_language(db):
    spanish = APIClient().get(ME, HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9")
    english = APIClient().get(ME)

    assert spanish.status_code == english.status_code == 401
    assert spanish.json()["detail"] != english.json()["detail"]
    assert spanish.json()["detail"] == "No se proporcionaron credenciales de autenticación."
    assert spanish["Content-Language"] == "es"


def _sign_up(**headers):
    return APIClient().post(
        f"{APP}/auth/signup",
        {"email": "nueva@example.org", "password": NEW_PASSWORD, "name": "Nora Nueva"},
        format="json",
        **headers,
    )


def test_sign_up_with_a_spanish_accept_language_makes_a_spanish_user(db):
    _sign_up(HTTP_ACCEPT_LANGUAGE="es-US,es;q=0.9,en;q=0.5")

    assert User.objects.get(email="nueva@example.org").language == "es"


def test_sign_up_without_accept_language_makes_an_english_user(db):
    _sign_up()

    assert User.objects.get(email="nueva@example.org").language == "en"


def test_an_invitation_accepted_with_a_spanish_accept_language_makes_a_spanish_user(invite):
    _invitation, token = invite()

    response = APIClient().post(
        ACCEPT, {"token": token, "password": NEW_PASSWORD}, format="json", HTTP_ACCEPT_LANGUAGE="es"
    )

    assert response.status_code == 200
    assert User.objects.get(email="new@example.org").language == "es"
