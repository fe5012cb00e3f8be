"""Two cadres press 认领 on the same request at the same moment: exactly one wins, the other is told
who was first. Real concurrent requests, each in its own thread with its own database connection,
on whichever database the suite runs on (CI runs it on SQLite and again on PostgreSQL)."""
import re
import threading

import pytest
from django.db import connection
from django.test import Client

from youthlink.accounts.models import Role
from youthlink.appeals.models import Appeal, Status
from youthlink.audit.models import AuditAction, AuditEvent
from youthlink.core.testing import build_world, make_staff

from .builders import published

CLAIMERS = 6
MESSAGE = re.compile(r'<p class="msg msg-\w+" role="status">([^<]*)</p>')


@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_exactly_one_wins():
    world = build_world()
    appeal = published(world)
    cadres = [world.home.cadre] + [make_staff(f"干部{i}", world.home.township, Role.CADRE) for i in range(CLAIMERS - 1)]
    clients = []
    for cadre in cadres:
        client = Client()
        client.force_login(cadre)
        clients.append(client)
    barrier = threading.Barrier(CLAIMERS)
    results: list = [None] * CLAIMERS

    def claim(i):
        try:
            barrier.wait(timeout=10)
            response = clients[i].post(f"/appeals/{appeal.pk}/claim/")
            results[i] = (response.status_code, None)
        except Exception as exc:  # surfaced in the assertion below, with the thread's error
            results[i] = ("error", repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(i,)) for i in range(CLAIMERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    # What each cadre is told, read afterwards from the page the redirect leads to (the test client's
    # captured template context is process-wide, so it cannot be read per thread).
    for i, client in enumerate(clients):
        if results[i] and results[i][0] == 302:
            page = client.get(f"/appeals/{appeal.pk}/").content.decode()
            results[i] = (200, MESSAGE.findall(page))
    appeal.refresh_from_db()
    winner = appeal.handler
    assert appeal.status == Status.IN_PROGRESS and winner in cadres
    assert all(r is not None and r[0] == 200 for r in results), results
    won = [i for i, r in enumerate(results) if r[1] == ["已认领，请尽快联系当事人"]]
    lost = [i for i, r in enumerate(results) if i not in won]
    assert won == [cadres.index(winner)], results
    for i in lost:
        assert results[i][1] in ([f"该诉求刚刚已被{winner.name}认领"], ["该诉求已被认领或不在待认领状态"]), results[i]
    assert AuditEvent.objects.filter(action=AuditAction.APPEAL_CLAIM, target_id=appeal.pk).count() == 1
