"""Permission-matrix rows of the outbound notification channels (通知渠道) and their deliveries
(发送记录), in youthlink/notifications.

Who: the committee over a node — county admins and township secretaries — configures its channels
and reads and retries their deliveries. Cadres, micro-elements and youth-centre workers are staff
but not a committee: 403 on the lists and forms, and on the home township's channel where their
area reaches it (the village's micro-element does not: 404). Young people have no such pages: 404.
The other county gets 404 for the home township's channel and delivery, and on the add form the
home township is not among its committee's choices (the form is shown again: R200).

Objects: a DingTalk robot of the home township (signed), and one of its deliveries that failed
after every attempt. The matrix runs each request in a transaction that is rolled back, so nothing
is ever posted: what is checked is the rows written."""
from __future__ import annotations

from .matrix_expectations import LOGIN, R200, SAME

ROBOT_URL = "https://oapi.dingtalk.com/robot/send?access_token=4f2d0c1e9b7a"
NEW_ROBOT_URL = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"


def _channel(world) -> int:
    from youthlink.notifications.models import ChannelKind
    from youthlink.notifications.services import channel_create
    home = world.home
    return channel_create(actor=home.admin, node=home.township, kind=ChannelKind.DINGTALK, name="泰顺镇团干部群",
                          url=ROBOT_URL, secret="SECb1c2d3e4").pk


def _delivery(world) -> int:
    from youthlink.notifications.models import Channel, Delivery, DeliveryStatus
    channel = Channel.objects.get(node=world.home.township)
    return Delivery.objects.create(channel=channel, kind="visits.visit_day", title="明晚是泰顺镇集中夜访日",
                                   status=DeliveryStatus.FAILED, attempts=5,
                                   last_error="errcode 310000: sign not match").pk


OBJECTS = {"channel": _channel, "delivery": _delivery}

ROUTE_PARAMS = {
    ("notifications:channel_edit", "pk"): "channel",
    ("notifications:channel_delete", "pk"): "channel",
    ("notifications:channel_test", "pk"): "channel",
    ("notifications:delivery_retry", "pk"): "delivery",
}
PARAMS = {"channel_id": "channel", "delivery_id": "delivery"}

_405 = (LOGIN, 405, 405, 405, 405, 405, 405, 405)
_LIST = (LOGIN, 200, 200, 403, 403, 403, 404, SAME)
# The home township's channel: the village's micro-element does not reach it (404), the township's
# cadre and youth-centre worker do but are no committee (403).
_ONE = (LOGIN, 200, 200, 403, 404, 403, 404, 404)
_WRITE = (LOGIN, 302, 302, 403, 404, 403, 404, 404)

# fmt: off
#                                                    anon   admin  secr.  cadre  micro  centre youth   other county
MATRIX = {
    ("notifications:channels", "GET"):              _LIST,
    ("notifications:channels", "POST"):             _405,
    ("notifications:channel_create", "GET"):        _LIST,
    ("notifications:channel_create", "POST"):       (LOGIN, 302,   302,   403,   403,   403,   404,
                                                     (R200, R200,  403,   403,   403,   404)),
    ("notifications:channel_edit", "GET"):          _ONE,
    ("notifications:channel_edit", "POST"):         _WRITE,
    ("notifications:channel_delete", "GET"):        _405,
    ("notifications:channel_delete", "POST"):       _WRITE,
    ("notifications:channel_test", "GET"):          _405,
    ("notifications:channel_test", "POST"):         _WRITE,
    ("notifications:deliveries", "GET"):            _LIST,
    ("notifications:deliveries", "POST"):           _405,
    ("notifications:delivery_retry", "GET"):        _405,
    ("notifications:delivery_retry", "POST"):       _WRITE,

    ("api:list_channels", "GET"):                   (401,   200,   200,   403,   403,   403,   404,    SAME),
    ("api:create_channel", "POST"):                 (401,   201,   201,   403,   404,   403,   404,    404),
    ("api:get_channel", "GET"):                     (401,   200,   200,   403,   404,   403,   404,    404),
    ("api:update_channel", "PATCH"):                (401,   200,   200,   403,   404,   403,   404,    404),
    ("api:delete_channel", "DELETE"):               (401,   204,   204,   403,   404,   403,   404,    404),
    ("api:test_channel", "POST"):                   (401,   201,   201,   403,   404,   403,   404,    404),
    ("api:list_deliveries", "GET"):                 (401,   200,   200,   403,   403,   403,   404,    SAME),
    ("api:retry_delivery", "POST"):                 (401,   200,   200,   403,   404,   403,   404,    404),
}
# fmt: on

PAYLOADS = {
    ("notifications:channel_create", "POST"): lambda ids: {
        "node": ids.township, "kind": "wecom", "name": "青年之家工作群", "url": NEW_ROBOT_URL,
        "include_descendants": "on", "enabled": "on"},
    ("notifications:channel_edit", "POST"): lambda ids: {"name": "团干部工作群", "enabled": "on"},
    ("api:create_channel", "POST"): lambda ids: {
        "node_id": ids.township, "kind": "email", "name": "团委工作邮箱", "addresses": ["tuanwei@taishun.example.cn"]},
    ("api:update_channel", "PATCH"): lambda ids: {"enabled": False},
}

_CHANGE = {"notifications.Channel", "audit.AuditEvent"}
_QUEUE = {"notifications.Delivery", "audit.AuditEvent"}
WRITES = {
    ("notifications:channel_create", "POST"): _CHANGE,
    ("notifications:channel_edit", "POST"): _CHANGE,
    ("notifications:channel_delete", "POST"): _CHANGE,
    ("notifications:channel_test", "POST"): _QUEUE,
    ("notifications:delivery_retry", "POST"): _QUEUE,
    ("api:create_channel", "POST"): _CHANGE,
    ("api:update_channel", "PATCH"): _CHANGE,
    ("api:delete_channel", "DELETE"): _CHANGE,
    ("api:test_channel", "POST"): _QUEUE,
    ("api:retry_delivery", "POST"): _QUEUE,
}
# Deleting a channel deletes its delivery history with it.
MAY_CHANGE = {
    ("notifications:channel_delete", "POST"): {"notifications.Delivery"},
    ("api:delete_channel", "DELETE"): {"notifications.Delivery"},
}
