"""Keyset reading (portal/keyset.py), as cursor paging and the CSV exports use it: every row once,
in the order asked then the id, NULLs last, each batch a query continuing from the last row's
key, never an OFFSET."""

import datetime

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apprenticeships.models import Apprenticeship
from apprenticeships.rapids.export import exit_rows
from notifications.models import Notification
from portal import keyset
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def notifications():
    """Eleven notifications: read at three moments (ties) or unread (NULL), created at two."""
    moment = timezone.now().replace(microsecond=123456)
    rows = factories.NotificationFactory.create_batch(11)
    for i, notification in enumerate(rows):
        Notification.objects.filter(pk=notification.pk).update(
            read_at=None if i % 4 == 0 else moment + datetime.timedelta(minutes=i % 3),
            created_at=moment - datetime.timedelta(days=i % 2),
        )
    return rows


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        (["read_at", "-created_at", "pk"], [F("read_at").asc(nulls_last=True), "-created_at", "pk"]),
        (["-read_at", "pk"], [F("read_at").desc(nulls_last=True), "pk"]),
    ],
)
def test_batches_read_every_row_once_in_the_order_nulls_last(notifications, ordering, expected):
    with CaptureQueriesContext(connection) as queries:
        batches = list(keyset.batches(Notification.objects.all(), ordering, size=3))

    read = [row.pk for batch in batches for row in batch]
    assert read == list(Notification.objects.order_by(*expected).values_list("pk", flat=True))
    assert [len(batch) for batch in batches] == [3, 3, 3, 2]
    assert len(queries.captured_queries) == 4
    assert not any("OFFSET" in query["sql"] for query in queries.captured_queries)


def test_backwards_from_a_key_is_the_exact_reverse(notifications):
    terms = keyset.terms_of(["-read_at", "created_at", "pk"])
    ordered = list(Notification.objects.order_by(*keyset.order_by(terms)))
    middle = ordered[5]

    before = Notification.objects.filter(
        keyset.beyond(Notification, terms, keyset.key_of(middle, terms, Notification), backwards=True)
    ).order_by(*keyset.order_by(terms, backwards=True))

    assert list(before) == ordered[:5][::-1]


def test_an_order_that_does_not_end_with_the_id_is_refused():
    with pytest.raises(ValueError, match="primary key"):
        list(keyset.batches(Notification.objects.all(), ["-created_at"]))


def test_the_exits_csv_reads_in_batches_by_key_not_offset(db):
    for ended_on in (datetime.date(2025, 6, 30), None, datetime.date(2025, 6, 1), datetime.date(2025, 6, 30), None):
        factories.ApprenticeshipFactory(ended_on=ended_on)

    with CaptureQueriesContext(connection) as queries:
        rows = list(exit_rows(Apprenticeship.objects.all(), chunk_size=2))

    expected = Apprenticeship.objects.order_by(F("ended_on").asc(nulls_last=True), "pk")
    assert [row[3] for row in rows[1:]] == [a.apprentice.email for a in expected.select_related("apprentice")]
    selects = [q["sql"] for q in queries.captured_queries if 'FROM "apprenticeships_apprenticeship"' in q["sql"]]
    assert len(selects) == 3  # 2 + 2 + 1 rows, each batch after the last one's (ended_on, id)
    assert not any("OFFSET" in sql for sql in selects)
    assert all('"apprenticeships_apprenticeship"."id" >' in sql for sql in selects[1:])  # continued by key
