"""Cursor paging (`?cursor=`): a read continued from the last row's key in a total order never
repeats or skips a row while others are written; every list's order ends with the id."""

import datetime
import re
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import URLResolver, get_resolver

from competencies.models import HourLog
from tests import factories

DAYS = [datetime.date(2025, 3, 3), datetime.date(2025, 3, 4), datetime.date(2025, 3, 5)]


def read_all(client, url: str, *, limit: int = 100) -> list[dict]:
    """Follow `next` from an empty cursor to the end."""
    rows: list[dict] = []
    for _ in range(limit):
        response = client.get(url)
        assert response.status_code == 200, response.json()
        body = response.json()
        assert "count" not in body
        rows += body["results"]
        if body["next"] is None:
            return rows
        url = body["next"]
    raise AssertionError("the cursor read did not end")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_full_cursor_read_while_logs_are_inserted_returns_every_earlier_log_once(client_for, apprenticeship):
    # 90 logs on three days: thirty equal in every field the default order names (date, created_at
    # differs, but inserts land among them).
    earlier = {
        str(log.pk)
        for day in DAYS
        for log in factories.HourLogFactory.create_batch(30, apprenticeship=apprenticeship, date=day)
    }
    client = client_for(apprenticeship.apprentice)
    stop, inserted = threading.Event(), []

    def insert_while_reading():
        try:
            while not stop.is_set():
                for day in (*DAYS, datetime.date(2025, 3, 6)):  # among the rows read and ahead of them
                    inserted.append(
                        factories.HourLogFactory(apprenticeship=apprenticeship, date=day, hours=Decimal("1"))
                    )
        finally:
            connection.close()

    writer = threading.Thread(target=insert_while_reading)
    writer.start()
    try:
        rows = read_all(client, "/api/v1/hour-logs/?cursor=&page_size=7")
    finally:
        stop.set()
        writer.join()

    ids = [row["id"] for row in rows]
    assert len(inserted) > 0  # the writes did happen during the read
    assert len(ids) == len(set(ids))  # no row twice
    assert earlier <= set(ids)  # no earlier row skipped
    dates = [row["date"] for row in rows]
    assert dates == sorted(dates, reverse=True)  # in the list's order, newest day first


@pytest.fixture
def logs(apprenticeship):
    return [
        factories.HourLogFactory(apprenticeship=apprenticeship, date=DAYS[i % 3], hours=Decimal(str(1 + i % 4)))
        for i in range(23)
    ]


def test_previous_goes_back_to_exactly_the_page_before(client_for, apprenticeship, logs):
    client = client_for(apprenticeship.apprentice)
    first = client.get("/api/v1/hour-logs/?cursor=&page_size=5").json()
    second = client.get(first["next"]).json()
    third = client.get(second["next"]).json()

    back = client.get(third["previous"]).json()

    assert first["previous"] is None
    assert [row["id"] for row in back["results"]] == [row["id"] for row in second["results"]]
    assert [row["id"] for row in client.get(back["previous"]).json()["results"]] == [
        row["id"] for row in first["results"]
    ]
    assert client.get(back["next"]).json()["results"] == third["results"]


def test_a_cursor_read_in_a_chosen_order_is_that_order_then_the_id(client_for, apprenticeship, logs):
    client = client_for(apprenticeship.apprentice)

    rows = read_all(client, "/api/v1/hour-logs/?cursor=&page_size=4&ordering=-hours")

    expected = HourLog.objects.filter(apprenticeship=apprenticeship).order_by("-hours", "pk")
    assert [row["id"] for row in rows] == [str(pk) for pk in expected.values_list("pk", flat=True)]


def test_a_cursor_used_with_another_ordering_is_a_400_naming_the_cursor(client_for, apprenticeship, logs):
    client = client_for(apprenticeship.apprentice)
    next_url = client.get("/api/v1/hour-logs/?cursor=&page_size=4&ordering=-hours").json()["next"]

    response = client.get(next_url.replace("ordering=-hours", "ordering=hours"))

    assert response.status_code == 400
    assert list(response.json()) == ["cursor"]


@pytest.mark.parametrize(
    "query",
    ["cursor=not-a-cursor", "cursor=eyJvIjpbInBrIl0sImsiOlsibm90LWEtdXVpZCJdLCJiIjpmYWxzZX0", "cursor=&page=2"],
)
def test_a_bad_cursor_or_a_cursor_with_a_page_is_a_400_naming_the_cursor(client_for, apprenticeship, logs, query):
    response = client_for(apprenticeship.apprentice).get(f"/api/v1/hour-logs/?{query}")

    assert response.status_code == 400
    assert list(response.json()) == ["cursor"]


def test_page_numbers_stay_the_default_and_keep_their_count(client_for, apprenticeship, logs):
    body = client_for(apprenticeship.apprentice).get("/api/v1/hour-logs/?page_size=5").json()

    assert body["count"] == 23
    assert "page=2" in body["next"]


def _list_urls() -> list[str]:
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif pattern.name and pattern.name.endswith("-list"):
                path = "/" + (prefix + str(pattern.pattern)).replace("^", "").replace("$", "")
                # A nested list (`apprenticeships/{apprenticeship_id}/documents/`), as the schema names it.
                yield re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", path)

    return sorted(set(walk(get_resolver().url_patterns)))


def test_every_list_of_the_url_conf_is_in_a_total_order_and_takes_a_cursor(
    client_for, raps_admin, apprenticeship, logs
):
    """A cursor continues only an order that ends with the id (else 400), so a 200 here is a
    list whose default order is total."""
    urls = _list_urls()
    client = client_for(raps_admin)

    answers = {
        url: client.get(f"{url.replace('{apprenticeship_id}', str(apprenticeship.pk))}?cursor=").status_code
        for url in urls
    }

    assert len(urls) >= 11  # every router's list: sponsors/ to notifications/
    assert answers == dict.fromkeys(urls, 200)


def test_the_schema_offers_a_cursor_on_every_list_and_count_only_with_pages(client, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    for url in _list_urls():
        operation = schema["paths"][url]["get"]
        assert "cursor" in [parameter["name"] for parameter in operation.get("parameters", [])], url
    hour_logs = schema["paths"]["/api/v1/hour-logs/"]["get"]["responses"]["200"]["content"]["application/json"]
    page = schema["components"]["schemas"][hour_logs["schema"]["$ref"].rsplit("/", 1)[1]]
    assert page["required"] == ["results"]
    assert "cursor" in page["properties"]["count"]["description"]
