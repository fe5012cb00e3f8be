"""Permission-matrix rows of handling requests (听结办: 上报, 资源对接, 答复, 办结, 确认并评价),
merged into tests/matrix_expectations.py.

Objects: a published request of the home village about the home young person (who submitted it),
taken on by the home cadre at the township (办理中); a second one the cadre resolved with a photo,
waiting for the young person's confirmation (待确认); an entrepreneurship mentor of the township.

Who: the handler (the home cadre) and the admins and secretaries over the handling level escalate,
refer, reply and resolve; everyone else who sees the published request (the micro-element and the
youth-centre worker in the feed, the young person as their own) gets 403, the other county 404.
Only the young person confirms and rates. The photo of what was done is for those who read the
request in full; the feed's readers get the 404 of a missing photo."""
from __future__ import annotations

import datetime as dt
import io

from .matrix_expectations import LOGIN

ALL_405 = (LOGIN, 405, 405, 405, 405, 405, 405, 405)
_HANDLERS = (LOGIN, 200, 200, 200, 403, 403, 403, 404)
_HANDLERS_WRITE = (LOGIN, 302, 302, 302, 403, 403, 403, 404)

# fmt: off
#                                                anon   admin  secr.  cadre  micro  centre youth   other county
MATRIX = {
    ("appeals:escalate", "GET"):                _HANDLERS,
    ("appeals:escalate", "POST"):               _HANDLERS_WRITE,
    ("appeals:partners", "GET"):                _HANDLERS,
    ("appeals:partners", "POST"):               ALL_405,
    ("appeals:refer", "GET"):                   ALL_405,
    ("appeals:refer", "POST"):                  _HANDLERS_WRITE,
    ("appeals:respond", "GET"):                 ALL_405,
    ("appeals:respond", "POST"):                _HANDLERS_WRITE,
    ("appeals:resolve", "GET"):                 _HANDLERS,
    ("appeals:resolve", "POST"):                _HANDLERS_WRITE,
    # the resolved request: the young person it is about confirms and rates
    ("appeals:confirm", "GET"):                 (LOGIN, 403,   403,   403,   403,   403,   200,    404),
    ("appeals:confirm", "POST"):                (LOGIN, 403,   403,   403,   403,   403,   302,    404),
    ("appeals:update_photo", "GET"):            (LOGIN, 200,   200,   200,   404,   404,   200,    404),
    ("appeals:update_photo", "POST"):           ALL_405,

    ("api:escalate_appeal", "POST"):            (401,   200,   200,   200,   403,   403,   403,    404),
    ("api:appeal_partners", "GET"):             (401,   200,   200,   200,   403,   403,   403,    404),
    ("api:refer_appeal", "POST"):               (401,   201,   201,   201,   403,   403,   403,    404),
    ("api:respond_appeal", "POST"):             (401,   201,   201,   201,   403,   403,   403,    404),
    # JSON carries no form field: those who may resolve get 422 (a result is required), nothing is written
    ("api:resolve_appeal", "POST"):             (401,   422,   422,   422,   403,   403,   403,    404),
    ("api:confirm_appeal", "POST"):             (401,   403,   403,   403,   403,   403,   200,    404),
}
# fmt: on

_ON_APPEAL = ("appeals:escalate", "appeals:partners", "appeals:refer", "appeals:respond", "appeals:resolve")
_ON_APPEAL_API = ("api:escalate_appeal", "api:appeal_partners", "api:refer_appeal", "api:respond_appeal",
                  "api:resolve_appeal")
ROUTE_PARAMS = {
    **{(route, "pk"): "handling_appeal" for route in _ON_APPEAL},
    **{(route, "appeal_id"): "handling_appeal" for route in _ON_APPEAL_API},
    ("appeals:confirm", "pk"): "handling_resolved",
    ("api:confirm_appeal", "appeal_id"): "handling_resolved",
    ("appeals:update_photo", "pk"): "handling_photo",
}

PHOTO_NAME = "appeals/matrix/result-photo.jpg"


def _jpeg() -> bytes:
    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (30, 120, 200)).save(out, format="JPEG")
    return out.getvalue()


def _appeal(world, status: str, title: str):
    """Published yesterday by the home secretary, taken on by the home cadre."""
    from django.utils import timezone

    from youthlink.appeals.deadlines import add_working_days
    from youthlink.appeals.models import Appeal, Category, Source
    home = world.home
    published = timezone.now() - dt.timedelta(days=1)
    category = Category.objects.get(county=None, key="entrepreneurship")
    return Appeal.objects.create(
        kind="request", source=Source.SELF, category=category, title=title, body="想在网上卖茶叶，不会开网店。",
        node=home.village, node_path=home.village.path, handling_node=home.township, person=home.youth,
        submitted_by=home.youth_user, status=status, is_public=True, public_title=title, public_body="想学习网店运营。",
        reviewed_by=home.secretary, reviewed_at=published, published_at=published, handler=home.cadre,
        claimed_at=published, first_response_at=published,
        response_due_at=add_working_days(published, category.response_days),
        resolve_due_at=add_working_days(published, category.resolve_days),
        resolved_at=timezone.now() if status == "resolved" else None)


def _resolved(world):
    resolved = getattr(world, "handling_matrix_resolved", None)
    if resolved is None:
        from youthlink.appeals.models import AppealUpdate, UpdateKind
        resolved = _appeal(world, "resolved", "茶叶网店开起来了")
        AppealUpdate.objects.create(appeal=resolved, author=world.home.cadre, kind=UpdateKind.RESOLUTION,
                                    body="安排参加县电商培训班，网店已开通。")
        world.handling_matrix_resolved = resolved
    return resolved


def _photo(world) -> int:
    """A photo of the result. The file has a fixed name, written once: the matrix leaves one small
    file behind in MEDIA_ROOT at most."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from youthlink.appeals.models import AppealPhoto
    if not default_storage.exists(PHOTO_NAME):
        default_storage.save(PHOTO_NAME, ContentFile(_jpeg()))
    update = _resolved(world).updates.get()
    return AppealPhoto.objects.create(update=update, image=PHOTO_NAME, width=32, height=24, size=1).pk


def _mentor(world) -> int:
    from youthlink.core.testing import make_person
    return make_person(world.home.township, "季导师", tags=["mentor"]).pk


OBJECTS = {
    "handling_appeal": lambda world: _appeal(world, "in_progress", "想学茶叶电商，缺少技术指导").pk,
    "handling_resolved": lambda world: _resolved(world).pk,
    "handling_photo": _photo,
    "handling_mentor": _mentor,
}

NOTE = "镇里联系了两家电商企业，需县团委协调培训。"
PAYLOADS = {
    ("appeals:escalate", "POST"): lambda ids: {"note": NOTE},
    ("appeals:refer", "POST"): lambda ids: {"partner_kind": "mentor", "partner_id": ids.handling_mentor,
                                            "note": "请指导开网店"},
    ("appeals:respond", "POST"): lambda ids: {"body": "培训定在下周三上午。"},
    ("appeals:resolve", "POST"): lambda ids: {"body": "安排参加县电商培训班，网店已开通。"},
    ("appeals:confirm", "POST"): lambda ids: {"solved": "yes", "rating": "5", "comment": "很及时"},
    ("api:escalate_appeal", "POST"): lambda ids: {"note": NOTE},
    ("api:refer_appeal", "POST"): lambda ids: {"partner_kind": "mentor", "partner_id": ids.handling_mentor},
    ("api:respond_appeal", "POST"): lambda ids: {"body": "培训定在下周三上午。"},
    ("api:resolve_appeal", "POST"): lambda ids: {},
    ("api:confirm_appeal", "POST"): lambda ids: {"solved": True, "rating": 5, "comment": "很及时"},
}

_ESCALATE = {"appeals.Appeal", "appeals.AppealUpdate", "audit.AuditEvent"}
_REFER = {"appeals.AppealReferral", "appeals.AppealUpdate", "audit.AuditEvent"}
_RESPOND = {"appeals.AppealUpdate", "audit.AuditEvent"}
_RESOLVE = {"appeals.Appeal", "appeals.AppealUpdate", "audit.AuditEvent"}
_CONFIRM = {"appeals.Appeal", "audit.AuditEvent"}
WRITES = {
    ("appeals:escalate", "POST"): _ESCALATE,
    ("api:escalate_appeal", "POST"): _ESCALATE,
    ("appeals:refer", "POST"): _REFER,
    ("api:refer_appeal", "POST"): _REFER,
    ("appeals:respond", "POST"): _RESPOND,
    ("api:respond_appeal", "POST"): _RESPOND,
    ("appeals:resolve", "POST"): _RESOLVE,
    ("appeals:confirm", "POST"): _CONFIRM,
    ("api:confirm_appeal", "POST"): _CONFIRM,
}
# Notifications are sent after commit; the first reply also stamps the request's first response.
MAY_CHANGE = {key: {"notifications.Notification", "notifications.Delivery"} for key in WRITES}
MAY_CHANGE[("appeals:respond", "POST")] = {"notifications.Notification", "notifications.Delivery", "appeals.Appeal"}
MAY_CHANGE[("api:respond_appeal", "POST")] = {"notifications.Notification", "notifications.Delivery", "appeals.Appeal"}
