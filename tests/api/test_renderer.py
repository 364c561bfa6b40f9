"""The API's JSON renderer (portal/api/renderers.py) writes exactly the bytes DRF's own
JSONRenderer writes, whatever the values: it only writes them faster. The one difference is the
spelling of a float's exponent (1e-7, not 1e-07): the same number to every JSON reader."""

import datetime
import json
import uuid
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy
from rest_framework import renderers
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from portal.api.renderers import JSONRenderer

VALUES = {
    "text": "Apprentice – Año 2026 ✓",
    "line separators": "one\u2028two\u2029three",
    "integers": [0, -1, 2**53, 2**63 - 1],
    "floats": [0.5, 12.25, 1 / 3, 100.0, 33.3],
    "booleans and null": [True, False, None],
    "utc instant": datetime.datetime(2026, 3, 10, 17, 30, 5, 123456, tzinfo=datetime.UTC),
    "offset instant": datetime.datetime(2026, 3, 10, 9, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=-8))),
    "naive instant": datetime.datetime(2026, 3, 10, 9, 30),
    "day": datetime.date(2026, 2, 28),
    "time": datetime.time(8, 15, 30),
    "decimal": Decimal("1234.50"),
    "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "lazy translation": gettext_lazy("Not found."),
    "tuple": (1, "two"),
    "nested": ReturnDict({"rows": ReturnList([{"id": 1}, {"id": 2}], serializer=None)}, serializer=None),
    "empty": [{}, [], ""],
}


@pytest.mark.parametrize("name", list(VALUES))
def test_each_kind_of_value_is_written_as_drf_writes_it(name):
    data = {"value": VALUES[name]}

    assert JSONRenderer().render(data) == renderers.JSONRenderer().render(data)


def test_a_float_with_an_exponent_is_the_same_number():
    written = JSONRenderer().render({"tiny": 1e-7, "huge": 1e22})

    assert json.loads(written) == json.loads(renderers.JSONRenderer().render({"tiny": 1e-7, "huge": 1e22}))


def test_a_whole_answer_is_written_as_drf_writes_it():
    assert JSONRenderer().render(VALUES) == renderers.JSONRenderer().render(VALUES)


def test_an_integer_beyond_64_bits_is_written_by_drf_instead_of_refused():
    data = {"big": 2**70}

    assert JSONRenderer().render(data) == b'{"big":1180591620717411303424}'


def test_an_indented_answer_asked_for_is_drf_own():
    media_type = "application/json; indent=2"

    assert JSONRenderer().render({"a": [1]}, media_type) == renderers.JSONRenderer().render({"a": [1]}, media_type)
    assert b"\n" in JSONRenderer().render({"a": [1]}, media_type)


def test_nothing_to_write_is_an_empty_body():
    assert JSONRenderer().render(None) == b""


def test_the_api_answers_through_it(client_for, raps_admin):
    response = client_for(raps_admin).get("/api/v1/me/")

    assert response.status_code == 200
    assert isinstance(response.accepted_renderer, JSONRenderer)
