from django.test import override_settings


def test_healthz_answers_without_sign_in_or_database(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_reports_database_and_embedded_broker(client, db):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json()["checks"] == {
        "database": "ok",
        "cache": "ok",
        "broker": "not configured (tasks run in-process)",
        "outbox": {"due": 0, "count_is_capped": False, "oldest_seconds": 0},
    }


def test_readyz_checks_a_configured_broker(client, db):
    with override_settings(CELERY_BROKER_URL="redis://127.0.0.1:6379/0"):
        from portal.celery import app

        app.conf.broker_url = "redis://127.0.0.1:6379/0"
        response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json()["checks"]["broker"] == "ok"


def test_readyz_reports_an_unreachable_broker_without_failing(client, db):
    from portal.celery import app

    unreachable = "redis://127.0.0.1:1/0"
    previous = app.conf.broker_url
    app.conf.broker_url = unreachable
    try:
        with override_settings(CELERY_BROKER_URL=unreachable):
            response = client.get("/readyz")
    finally:
        app.conf.broker_url = previous

    # The outbox carries the work while the broker is down: the process is still ready.
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["checks"]["broker"].startswith("unavailable")
