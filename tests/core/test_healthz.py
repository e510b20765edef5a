import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_healthz_reports_each_service(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok", "cache": "ok"}


@pytest.mark.django_db
def test_healthz_is_503_when_the_broker_is_down(client, settings):
    from portal.celery import app

    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get(reverse("healthz"))
    finally:
        app.conf.broker_url = original

    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
def test_healthz_is_503_when_the_cache_is_down(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    from django.core.cache import caches

    caches._settings = None  # noqa: SLF001 (re-read the overridden CACHES)
    try:
        response = client.get(reverse("healthz"))
    finally:
        caches._settings = None

    assert response.status_code == 503 and response.json()["cache"].startswith("error")


@pytest.mark.django_db
def test_liveness_answers_while_the_broker_is_down_and_readiness_does_not(client):
    from portal.celery import app

    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        live = client.get(reverse("healthz_live"))
        ready = client.get(reverse("healthz_ready"))
    finally:
        app.conf.broker_url = original

    assert (live.status_code, live.json()) == (200, {"status": "ok"})
    assert ready.status_code == 503 and ready.json()["broker"].startswith("error")


def test_liveness_makes_no_database_query(client):
    # no django_db mark: any query would fail the test ("Database access not allowed")
    assert client.get(reverse("healthz_live")).status_code == 200
