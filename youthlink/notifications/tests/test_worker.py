"""One delivery end to end through a real Celery worker and a real Redis broker: committed rows,
the task queued on commit through Redis (not eager), a worker thread that takes it, posts to a
local robot over HTTP and marks the row sent in the database the test reads.

Needs Redis at 127.0.0.1:6379 (REDIS_URL to point elsewhere): CI starts it (.ci/run) and there a
missing Redis fails this test; on a workstation without Redis it is skipped. The worker runs in a
thread of this process (celery.contrib.testing.worker), so it sees the test database whatever it
is: pytest-django's shared in-memory SQLite or the PostgreSQL test database. Its keys carry a
prefix of their own, so runs sharing one Redis never take each other's tasks."""
import os
import socket
import threading
import time
import urllib.parse
import uuid

import pytest
from celery import Celery
from celery import current_app as celery_current_app
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun, task_prerun
from django.db import connections, transaction

import youthlink.notifications.tasks  # noqa: F401  (the shared tasks the worker app must know)
from youthlink.notifications.models import ChannelKind, Delivery, DeliveryStatus
from youthlink.notifications.services import channel_create, channel_post

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
WAIT_SECONDS = 60


def redis_or_skip() -> None:
    parts = urllib.parse.urlsplit(REDIS_URL)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=2) as conn:
            conn.sendall(b"PING\r\n")
            if not conn.recv(16).startswith(b"+PONG"):
                raise OSError("no PONG")
    except OSError as exc:
        message = f"Redis is not reachable at {REDIS_URL} ({exc}): the real-worker test needs it"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message + " — CI must start Redis (.ci/run does)")
        pytest.skip(message)


@pytest.fixture
def worker_app():
    """A Celery app like config.celery's, but with Redis as the broker, nothing eager, and keys of its own."""
    redis_or_skip()
    previous = celery_current_app._get_current_object()
    app = Celery("youthlink-worker-test", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.update(broker_url=REDIS_URL, task_always_eager=False, result_backend=None,
                    broker_transport_options={"global_keyprefix": f"youthlink-test-{uuid.uuid4().hex}:"},
                    worker_hijack_root_logger=False, broker_connection_retry_on_startup=False)

    def close_db(**kwargs):
        # The worker thread's own connection: closed after each task, so the test database can be
        # dropped at the end (PostgreSQL refuses while a connection is open).
        connections.close_all()

    task_postrun.connect(close_db, weak=False)
    try:
        yield app
    finally:
        task_postrun.disconnect(close_db)
        previous.set_current()
        previous.set_default()
        app.close()


@pytest.mark.django_db(transaction=True)
def test_a_delivery_goes_through_a_real_worker(world, robot, worker_app):
    assert worker_app.conf.task_always_eager is False
    channel = channel_create(actor=world.home.admin, node=world.home.county, kind=ChannelKind.WECOM,
                             name="县团委干部群", url=robot.url)
    ran_in = []

    def record_thread(task=None, **kwargs):
        ran_in.append((task.name, threading.get_ident()))

    task_prerun.connect(record_thread, weak=False)
    with start_worker(worker_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        with transaction.atomic():
            assert channel_post(node=world.home.township, title="明晚是泰顺镇集中夜访日", body="请安排入户走访。",
                                kind="visits.visit_day") == 1
            delivery = Delivery.objects.get(channel=channel)
        # Queued on commit through Redis: the test process itself sends nothing.
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            if Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENT).exists():
                break
            time.sleep(0.2)
    task_prerun.disconnect(record_thread)
    delivery.refresh_from_db()
    # Run by the worker's thread, not eagerly in this one.
    assert [(name, ident != threading.get_ident()) for name, ident in ran_in] == [
        ("youthlink.notifications.tasks.send_delivery", True)]
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.SENT, 1, ""), \
        f"the worker did not send the delivery within {WAIT_SECONDS} s"
    assert [r.json for r in robot.received] == [
        {"msgtype": "markdown", "markdown": {"content": "**明晚是泰顺镇集中夜访日**\n请安排入户走访。"}}]
