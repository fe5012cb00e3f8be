"""The liveness route load balancers and the throughput benchmark call: it answers without the
database or the session, so it keeps answering while the database is slow or down."""
from django.db import connections
from django.test.utils import CaptureQueriesContext


def test_healthz_answers_ok_without_a_query_even_when_signed_in(client, world):
    client.force_login(world.home.cadre)
    with CaptureQueriesContext(connections["default"]) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    assert len(queries) == 0
    assert list(response.cookies) == []


def test_healthz_answers_head_and_refuses_writes(client, db):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def test_production_answers_healthz_over_plain_http_but_redirects_pages():
    from youthlink.core.tests.test_settings import run_manage
    script = ("from django.test import Client; c = Client(SERVER_NAME='youthlink.example.org'); "
              "print(c.get('/healthz').status_code, c.get('/privacy/').status_code)")
    result = run_manage("shell", "--no-imports", "-c", script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["200", "301"]
