"""A request's tasks (the e-mail of its notifications) are published once its response has been
sent, when the server closes it: the client never waits on the broker. Outside a request they
are published at the commit; after a rollback, never (portal/tasks.py)."""

import logging

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from portal.tasks import PublishAfterResponseMiddleware, enqueue_on_commit

pytestmark = pytest.mark.django_db(transaction=True)


class RecordingTask:
    name = "recording"

    def __init__(self, fails: bool = False):
        self.published, self.fails = [], fails

    def apply_async(self, args):
        if self.fails:
            raise ConnectionError("the broker did not answer")
        self.published.append(tuple(args))


def respond_after(work):
    def view(request):
        work()
        return HttpResponse("done")

    return PublishAfterResponseMiddleware(view)(RequestFactory().post("/"))


def test_a_task_enqueued_in_a_request_is_published_when_its_response_is_closed():
    task = RecordingTask()

    def commit_with_a_task():
        with transaction.atomic():
            enqueue_on_commit(task, "notification-1")

    response = respond_after(commit_with_a_task)

    assert response.content == b"done"
    assert task.published == []  # committed, and answered, but not yet published
    response.close()
    assert task.published == [("notification-1",)]


def test_a_task_enqueued_outside_a_request_is_published_at_the_commit():
    task = RecordingTask()

    with transaction.atomic():
        enqueue_on_commit(task, "notification-1")
        assert task.published == []

    assert task.published == [("notification-1",)]


def test_a_request_whose_transaction_rolls_back_publishes_nothing():
    task = RecordingTask()

    def roll_back():
        with transaction.atomic():
            enqueue_on_commit(task, "notification-1")
            transaction.set_rollback(True)

    response = respond_after(roll_back)
    response.close()

    assert task.published == []


def test_a_broker_that_is_down_when_the_response_closes_is_logged_not_raised(caplog):
    task = RecordingTask(fails=True)

    def commit_with_a_task():
        with transaction.atomic():
            enqueue_on_commit(task, "notification-1")

    response = respond_after(commit_with_a_task)
    with caplog.at_level(logging.WARNING, logger="portal.tasks"):
        response.close()

    assert "the sweep will retry" in caplog.text
