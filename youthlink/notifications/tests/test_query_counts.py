"""Exact, constant query counts for the deliveries page and API and the channels page: measured
with a few rows, grown, and measured again."""
import itertools

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from youthlink.core.testing import make_node
from youthlink.notifications.models import ChannelKind, Delivery, DeliveryStatus
from youthlink.notifications.services import channel_create
from youthlink.orgs.models import NodeKind

pytestmark = pytest.mark.django_db
_n = itertools.count(1)

# session, user, memberships, the page count, the deliveries with their channels and nodes, the unread count
DELIVERIES_PAGE_QUERIES = 6
# session, user, memberships, the deliveries with their channels and nodes
DELIVERIES_API_QUERIES = 4
# session, user, memberships, the channels with their nodes, the failed count, the unread count
CHANNELS_PAGE_QUERIES = 6
# session, user, memberships, the channels with their nodes
CHANNELS_API_QUERIES = 4


def count_queries(client: Client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def add_channels_and_deliveries(world, n: int) -> None:
    """n townships of the home county, each with a robot that has a sent, a pending and a failed delivery."""
    for _ in range(n):
        i = next(_n)
        township = make_node(f"测试镇{i}", NodeKind.TOWNSHIP, world.home.county)
        channel = channel_create(actor=world.home.admin, node=township, kind=ChannelKind.WECOM, name=f"镇团委群{i}",
                                 url=f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k{i}")
        for status in DeliveryStatus.values:
            Delivery.objects.create(channel=channel, title=f"消息{i}", status=status, attempts=1,
                                    last_error="HTTP 500" if status != DeliveryStatus.SENT else "")


@pytest.mark.parametrize(("url", "expected"), [
    ("/notifications/deliveries/", DELIVERIES_PAGE_QUERIES),
    ("/notifications/deliveries/?status=failed", DELIVERIES_PAGE_QUERIES),
    ("/api/notifications/deliveries", DELIVERIES_API_QUERIES),
    ("/notifications/channels/", CHANNELS_PAGE_QUERIES),
    ("/api/notifications/channels", CHANNELS_API_QUERIES),
], ids=["deliveries page", "failed deliveries", "deliveries API", "channels page", "channels API"])
def test_query_counts_do_not_grow_with_channels_and_deliveries(world, url, expected):
    client = Client()
    client.force_login(world.home.admin)
    add_channels_and_deliveries(world, 1)
    small = count_queries(client, url)
    add_channels_and_deliveries(world, 8)
    assert (small, count_queries(client, url)) == (expected, expected)


def test_the_deliveries_page_lists_failed_first(world):
    add_channels_and_deliveries(world, 3)
    client = Client()
    client.force_login(world.home.admin)
    statuses = [d["status"] for d in client.get("/api/notifications/deliveries").json()]
    assert statuses == ["failed"] * 3 + ["pending"] * 3 + ["sent"] * 3
    assert [d["status"] for d in client.get("/api/notifications/deliveries?status=pending").json()] == ["pending"] * 3
