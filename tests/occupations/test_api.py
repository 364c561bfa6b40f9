"""GET/POST/PATCH /api/v1/occupations/: everyone signed in reads the catalog, platform staff keep it."""

import uuid

import pytest

from apprenticeships.models import Occupation
from tests import factories
from tests.tenancy.conftest import PERSONAS

NEW_OCCUPATION = {
    "title": "Software Developer",
    "onet_soc_code": "15-1252",
    "rapids_code": "1129CB",
    "training_approach": "competency_based",
    "description": "Designs, writes and tests software.",
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_signed_in_persona_reads_the_whole_catalog(db, request, client_for, persona):
    response = client_for(request.getfixturevalue(persona)).get("/api/v1/occupations/")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 11
    assert (body["next"], body["previous"]) == (None, None)
    assert len(body["results"]) == 11
    assert set(body["results"][0]) == {
        "id",
        "title",
        "onet_soc_code",
        "rapids_code",
        "training_approach",
        "description",
    }


def test_occupation_detail_is_readable_and_a_missing_one_is_404(client_for, outsider):
    client = client_for(outsider)
    web = Occupation.objects.get(title="Web Developer")

    found = client.get(f"/api/v1/occupations/{web.id}/")
    missing = client.get(f"/api/v1/occupations/{uuid.uuid4()}/")

    assert found.status_code == 200
    assert found.json()["onet_soc_code"] == "15-1254"
    assert missing.status_code == 404


def test_signed_out_caller_cannot_read_the_catalog(anonymous_client, db):
    assert anonymous_client.get("/api/v1/occupations/").status_code == 401
    web = Occupation.objects.get(title="Web Developer")
    assert anonymous_client.get(f"/api/v1/occupations/{web.id}/").status_code == 401


def test_list_is_50_a_page_by_default(client_for, outsider):
    factories.OccupationFactory.create_batch(60)

    body = client_for(outsider).get("/api/v1/occupations/").json()

    assert body["count"] == 71
    assert len(body["results"]) == 50
    assert body["next"] is not None


def test_page_size_is_honoured(client_for, outsider):
    client = client_for(outsider)

    first = client.get("/api/v1/occupations/?page_size=4").json()
    third = client.get("/api/v1/occupations/?page_size=4&page=3").json()

    assert len(first["results"]) == 4
    assert "page_size=4" in first["next"]
    assert len(third["results"]) == 3
    assert third["next"] is None
    titles = [row["title"] for row in first["results"]]
    assert titles == sorted(titles)


def test_page_size_is_capped_at_200(client_for, outsider):
    factories.OccupationFactory.create_batch(210)

    body = client_for(outsider).get("/api/v1/occupations/?page_size=1000").json()

    assert body["count"] == 221
    assert len(body["results"]) == 200
    assert body["next"] is not None


def test_filter_by_training_approach(client_for, outsider):
    response = client_for(outsider).get("/api/v1/occupations/?training_approach=competency_based")

    assert response.status_code == 200
    assert {row["title"] for row in response.json()["results"]} == {
        "Network/IT/Cybersecurity Support Specialist",
        "Blockchain Developer",
    }


def test_filter_by_an_unknown_training_approach_is_400(client_for, outsider):
    response = client_for(outsider).get("/api/v1/occupations/?training_approach=apprenticeship")

    assert response.status_code == 400
    assert "training_approach" in response.json()


def test_ordering_by_title_descending(client_for, outsider):
    titles = [
        row["title"] for row in client_for(outsider).get("/api/v1/occupations/?ordering=-title").json()["results"]
    ]

    assert titles[0] == "Web Developer"
    assert titles[-1] == "Blockchain Developer"
    assert titles == sorted(titles, reverse=True)


def test_platform_staff_add_an_occupation_with_history(client_for, platform_staff):
    response = client_for(platform_staff).post("/api/v1/occupations/", NEW_OCCUPATION)

    assert response.status_code == 201
    body = response.json()
    assert {key: body[key] for key in NEW_OCCUPATION} == NEW_OCCUPATION
    occupation = Occupation.objects.get(id=body["id"])
    record = occupation.history.get()
    assert (record.history_type, record.history_user, record.history_change_reason) == (
        "+",
        platform_staff,
        "added to the catalog",
    )


def test_platform_staff_change_an_occupation_with_history(client_for, platform_staff):
    web = Occupation.objects.get(title="Web Developer")

    response = client_for(platform_staff).patch(f"/api/v1/occupations/{web.id}/", {"rapids_code": "1129CB"})

    assert response.status_code == 200
    assert response.json()["rapids_code"] == "1129CB"
    web.refresh_from_db()
    assert web.rapids_code == "1129CB"
    latest = web.history.first()
    assert (latest.history_type, latest.history_user, latest.history_change_reason, latest.rapids_code) == (
        "~",
        platform_staff,
        "updated",
        "1129CB",
    )


@pytest.mark.parametrize("persona", ["raps_admin", "employer_a_admin", "apprentice", "outsider"])
def test_only_platform_staff_keep_the_catalog(db, request, client_for, persona):
    client = client_for(request.getfixturevalue(persona))
    web = Occupation.objects.get(title="Web Developer")

    history_before = Occupation.history.count()

    created = client.post("/api/v1/occupations/", NEW_OCCUPATION)
    changed = client.patch(f"/api/v1/occupations/{web.id}/", {"description": "Changed."})

    assert (created.status_code, changed.status_code) == (403, 403)
    assert not Occupation.objects.filter(title="Software Developer").exists()
    web.refresh_from_db()
    assert web.description != "Changed."
    assert Occupation.history.count() == history_before


@pytest.mark.parametrize("code", ["15-12", "151254", "15-1254.1", "AB-CDEF", ""])
def test_malformed_onet_soc_code_is_refused_and_nothing_written(client_for, platform_staff, code):
    history_before = Occupation.history.count()

    response = client_for(platform_staff).post("/api/v1/occupations/", {**NEW_OCCUPATION, "onet_soc_code": code})

    assert response.status_code == 400
    assert list(response.json()) == ["onet_soc_code"]
    assert Occupation.objects.count() == 11
    assert Occupation.history.count() == history_before


def test_onet_soc_code_with_detail_suffix_is_accepted(client_for, platform_staff):
    response = client_for(platform_staff).post(
        "/api/v1/occupations/", {**NEW_OCCUPATION, "onet_soc_code": "15-1252.00"}
    )

    assert response.status_code == 201


def test_malformed_onet_soc_code_on_change_is_refused_and_not_written(client_for, platform_staff):
    web = Occupation.objects.get(title="Web Developer")

    response = client_for(platform_staff).patch(f"/api/v1/occupations/{web.id}/", {"onet_soc_code": "web"})

    assert response.status_code == 400
    assert list(response.json()) == ["onet_soc_code"]
    web.refresh_from_db()
    assert web.onet_soc_code == "15-1254"


def test_malformed_rapids_code_is_refused(client_for, platform_staff):
    response = client_for(platform_staff).post("/api/v1/occupations/", {**NEW_OCCUPATION, "rapids_code": "1129XX"})

    assert response.status_code == 400
    assert list(response.json()) == ["rapids_code"]


def test_a_title_already_in_the_catalog_is_refused(client_for, platform_staff):
    response = client_for(platform_staff).post("/api/v1/occupations/", {**NEW_OCCUPATION, "title": "Web Developer"})

    assert response.status_code == 400
    assert list(response.json()) == ["title"]
    assert Occupation.objects.filter(title="Web Developer").count() == 1
