"""`Idempotency-Key` (docs/api.md, "Retries"): a POST retried with the same key and body answers
the first answer again and writes nothing; another body under the key is a 422; keys are each
caller's own; answers are forgotten after IDEMPOTENCY_KEY_TTL."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from competencies.models import HourLog
from portal import idempotency
from portal.models import IdempotentRequest
from portal.tasks import delete_expired_idempotent_requests
from tests import factories
from tests.hour_logs.records import LOGS

pytestmark = pytest.mark.django_db


def post(client, path, body=None, key=None, **extra):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(path, body, format="json", **headers, **extra)


def test_the_same_key_and_body_twice_writes_one_log_and_answers_the_first_answer_again(
    client_for, apprentice, apprenticeship, ojt
):
    client = client_for(apprentice)

    first = post(client, LOGS, ojt(), key="log-1")
    again = post(client, LOGS, ojt(), key="log-1")

    assert first.status_code == 201
    assert (again.status_code, again.content) == (201, first.content)
    assert again["Content-Type"] == first["Content-Type"]
    assert again[idempotency.REPLAYED_HEADER] == "true"
    assert idempotency.REPLAYED_HEADER not in first
    assert HourLog.objects.filter(apprenticeship=apprenticeship).count() == 1
    assert HourLog.history.filter(apprenticeship_id=apprenticeship.pk).count() == 1


def test_a_retried_approval_decides_once(client_for, log_as, apprentice, employer_a_supervisor, ojt):
    log = log_as(apprentice, ojt())
    client = client_for(employer_a_supervisor)
    url = f"{LOGS}{log['id']}/approve/"

    first = post(client, url, key="approve-1")
    again = post(client, url, key="approve-1")

    assert first.status_code == 200
    assert first.json()["status"] == "approved"
    assert (again.status_code, again.content) == (200, first.content)
    assert HourLog.history.filter(id=log["id"], status="approved").count() == 1


def test_the_same_key_with_another_body_is_a_422_naming_the_header_and_writes_nothing(
    client_for, apprentice, apprenticeship, ojt
):
    client = client_for(apprentice)
    post(client, LOGS, ojt(), key="log-1")

    response = post(client, LOGS, ojt(hours="2"), key="log-1")

    assert response.status_code == 422
    body = response.json()
    assert "Idempotency-Key" in body["detail"]
    assert list(body) == ["detail", "Idempotency-Key"]
    assert HourLog.objects.filter(apprenticeship=apprenticeship).count() == 1


def test_the_same_key_on_another_path_is_a_422(client_for, log_as, apprentice, employer_a_supervisor, ojt):
    log = log_as(apprentice, ojt())
    client = client_for(employer_a_supervisor)
    post(client, f"{LOGS}{log['id']}/approve/", key="decide")

    response = post(client, f"{LOGS}{log['id']}/reject/", {"reason": "Not mine"}, key="decide")

    assert response.status_code == 422
    assert HourLog.objects.get(id=log["id"]).status == "approved"


def test_keys_are_each_callers_own(client_for, apprentice, employer_a_supervisor, apprenticeship, ojt):
    mine = post(client_for(apprentice), LOGS, ojt(), key="same-key")
    theirs = post(client_for(employer_a_supervisor), LOGS, ojt(date="2025-03-04"), key="same-key")

    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert idempotency.REPLAYED_HEADER not in theirs
    assert HourLog.objects.filter(apprenticeship=apprenticeship).count() == 2


def test_a_client_error_is_kept_and_answered_again(client_for, apprentice, apprenticeship, ojt):
    client = client_for(apprentice)

    first = post(client, LOGS, ojt(hours="25"), key="bad")
    again = post(client, LOGS, ojt(hours="25"), key="bad")

    assert first.status_code == 400
    assert (again.status_code, again.content, again[idempotency.REPLAYED_HEADER]) == (400, first.content, "true")
    assert not HourLog.objects.exists()


def test_a_conflict_is_not_kept_so_a_retry_may_succeed(client_for, log_as, apprentice, employer_a_supervisor, ojt):
    log = log_as(apprentice, ojt())
    client = client_for(employer_a_supervisor)
    post(client, f"{LOGS}{log['id']}/approve/")  # approved without a key

    refused = post(client, f"{LOGS}{log['id']}/approve/", key="late")

    assert refused.status_code == 409
    assert not IdempotentRequest.objects.filter(key="late").exists()


@pytest.mark.parametrize("key", ["", " ", "k" * 256])
def test_a_key_of_no_or_too_many_characters_is_a_400_naming_the_header(
    client_for, apprentice, apprenticeship, ojt, key
):
    response = post(client_for(apprentice), LOGS, ojt(), key=key)

    assert response.status_code == 400
    assert list(response.json()) == ["Idempotency-Key"]
    assert not HourLog.objects.exists()


def test_without_a_key_every_post_writes(client_for, apprentice, apprenticeship, ojt):
    client = client_for(apprentice)

    responses = [post(client, LOGS, ojt(date=day)) for day in ("2025-03-03", "2025-03-04")]

    assert [response.status_code for response in responses] == [201, 201]
    assert HourLog.objects.count() == 2
    assert not IdempotentRequest.objects.exists()


def test_a_key_costs_a_fixed_few_queries(client_for, apprentice, apprenticeship, ojt):
    client = client_for(apprentice)
    post(client, LOGS, ojt(date="2025-03-02"))  # sessions and content types read once

    with CaptureQueriesContext(connection) as without_key:
        post(client, LOGS, ojt(date="2025-03-03"))
    with CaptureQueriesContext(connection) as with_key:
        post(client, LOGS, ojt(date="2025-03-04"), key="counted")
    with CaptureQueriesContext(connection) as replayed:
        post(client, LOGS, ojt(date="2025-03-04"), key="counted")

    # The lock, the look-up and the answer stored; besides, each transaction of the service
    # becomes a savepoint inside the request's (its SAVEPOINT and RELEASE).
    assert len(statements(with_key)) == len(statements(without_key)) + 3
    assert len(replayed) < len(without_key)


def statements(queries: CaptureQueriesContext) -> list[str]:
    return [query["sql"] for query in queries.captured_queries if "SAVEPOINT" not in query["sql"]]


def test_an_answer_older_than_the_ttl_is_forgotten_and_the_key_does_the_work_again(
    client_for, apprentice, apprenticeship, ojt
):
    client = client_for(apprentice)
    post(client, LOGS, ojt(), key="old")
    IdempotentRequest.objects.filter(key="old").update(created_at=timezone.now() - timedelta(hours=24, seconds=1))
    HourLog.objects.all().delete()

    response = post(client, LOGS, ojt(), key="old")

    assert response.status_code == 201
    assert idempotency.REPLAYED_HEADER not in response
    assert HourLog.objects.count() == 1


def test_the_periodic_task_deletes_the_answers_older_than_the_ttl():
    old = factories.IdempotentRequestFactory()
    IdempotentRequest.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=25))
    recent = factories.IdempotentRequestFactory()

    assert delete_expired_idempotent_requests.delay().get() == 1

    assert list(IdempotentRequest.objects.values_list("pk", flat=True)) == [recent.pk]


def test_the_task_runs_on_the_beat_schedule(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert "portal.tasks.delete_expired_idempotent_requests" in tasks


def test_an_import_retried_with_its_key_imports_once_whatever_the_forms_boundary(
    client_for, employer_a_supervisor, apprenticeship, front_end
):
    client = client_for(employer_a_supervisor)
    rows = f"apprenticeship,date,hours,kind,work_process,description\n{apprenticeship.id},2025-03-03,8,ojt,{front_end.id},Forms\n"

    def upload(boundary, name="hours.csv", key="import-1"):
        body = (
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: text/csv\r\n\r\n"
            f"{rows}\r\n"
            f"--{boundary}--\r\n"
        )
        return client.post(
            f"{LOGS}import/",
            body,
            content_type=f"multipart/form-data; boundary={boundary}",
            HTTP_IDEMPOTENCY_KEY=key,
        )

    first = upload("first-boundary")
    again = upload("another-boundary")
    other_file = upload("first-boundary", name="other.csv")

    assert first.status_code == 201, first.content
    assert (again.status_code, again.content) == (201, first.content)
    assert other_file.status_code == 422
    assert HourLog.objects.count() == 1
