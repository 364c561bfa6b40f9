"""Counts the database queries of one request per endpoint, in-process (Django's test client on
the benchmark's database). Input: the same JSON as the load generator's, one request per entry."""

import json
import sys

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

counts = {}
client = Client(SERVER_NAME="127.0.0.1")
for name, request in json.load(sys.stdin).items():
    headers = {
        f"HTTP_{key.upper().replace('-', '_')}": value
        for key, value in request["headers"].items()
        if key.lower() != "content-type"
    }
    with CaptureQueriesContext(connection) as queries:
        method = getattr(client, request["method"].lower())
        if request.get("body") is not None:
            response = method(
                request["path"], data=json.dumps(request["body"]), content_type="application/json", **headers
            )
        else:
            response = method(request["path"], **headers)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
    counts[name] = {"queries": len(queries), "status": response.status_code}
print("RESULT " + json.dumps(counts), flush=True)
