"""Permission-matrix rows of the work diary (工作网络日记: 报到, 写日记, 调阅点评, 评论互动, 团干部档案).

Who: a cadre checks in and writes their own diary (their check-ins answer everyone else 404, like a
missing one). The committees over the cadre, the county admin and the township secretary, read the
submitted entries, grade them once (the cadre gets 403 on their own entry) and comment; the cadre
comments back. Micro-elements and youth-centre workers have no diary (403 on the hub and the queue,
404 on anything with an id: the entry is beyond what they may read); young people have no diary
pages at all (404). The radius is the county admin's (the township secretary does not reach the
county: 404).

Objects: the home cadre's check-in two days ago with no diary yet (to write), yesterday's check-in with
its submitted diary and one photo of it; the home village is given coordinates, so it may be the
cadre's contact point."""
from __future__ import annotations

import datetime as dt
import io

from .matrix_expectations import LOGIN, SAME

ALL_405 = (LOGIN, 405, 405, 405, 405, 405, 405, 405)
API_405 = (401, 405, 405, 405, 405, 405, 405, 405)
OWN_ONLY = (LOGIN, 404, 404, 200, 404, 404, 404, 404)
READERS = (LOGIN, 200, 200, 200, 404, 404, 404, 404)

# fmt: off
#                                                anon   admin  secr.  cadre  micro  centre youth   other county
MATRIX = {
    ("diary:home", "GET"):                      (LOGIN, 200,   200,   200,   403,   403,   404,    SAME),
    ("diary:home", "POST"):                     ALL_405,
    # 报到: no position in the request, so the check-in is recorded as unlocated
    ("diary:checkin", "GET"):                   (LOGIN, 403,   403,   200,   403,   403,   404,    SAME),
    ("diary:checkin", "POST"):                  (LOGIN, 403,   403,   302,   403,   403,   404,    SAME),
    # the home cadre's own check-in: no one else writes its diary
    ("diary:write", "GET"):                     OWN_ONLY,
    ("diary:write", "POST"):                    (LOGIN, 404,   404,   302,   404,   404,   404,    404),
    ("diary:draft", "GET"):                     ALL_405,
    ("diary:draft", "POST"):                    OWN_ONLY,
    ("diary:queue", "GET"):                     (LOGIN, 200,   200,   403,   403,   403,   404,    SAME),
    ("diary:queue", "POST"):                    ALL_405,
    # the home cadre's submitted entry
    ("diary:detail", "GET"):                    READERS,
    ("diary:detail", "POST"):                   ALL_405,
    ("diary:review", "GET"):                    ALL_405,
    ("diary:review", "POST"):                   (LOGIN, 302,   302,   403,   404,   404,   404,    404),
    ("diary:comment", "GET"):                   ALL_405,
    ("diary:comment", "POST"):                  (LOGIN, 302,   302,   302,   404,   404,   404,    404),
    ("diary:photo", "GET"):                     READERS,
    ("diary:photo", "POST"):                    ALL_405,
    # the home cadre's profile, contact point and month summary
    ("diary:profile", "GET"):                   READERS,
    ("diary:profile", "POST"):                  ALL_405,
    ("diary:contact_point", "GET"):             READERS,
    ("diary:contact_point", "POST"):            (LOGIN, 302,   302,   302,   404,   404,   404,    404),
    ("diary:summary", "GET"):                   READERS,
    # sent to the home township's channel (the notifications' matrix object): by the committees over the
    # cadre, not by the cadre
    ("diary:summary", "POST"):                  (LOGIN, 302,   302,   403,   404,   404,   404,    404),
    # the home county's check-in radius: its admin only
    ("diary:settings", "GET"):                  (LOGIN, 200,   404,   404,   404,   404,   404,    404),
    ("diary:settings", "POST"):                 (LOGIN, 302,   404,   404,   404,   404,   404,    404),

    ("api:my_contact_point", "GET"):            (401,   403,   403,   200,   403,   403,   404,    SAME),
    ("api:create_checkin", "POST"):             (401,   403,   403,   201,   403,   403,   404,    SAME),
    ("api:checkin_day_items", "GET"):           (401,   404,   404,   200,   404,   404,   404,    404),
    ("api:save_draft", "PUT"):                  (401,   404,   404,   200,   404,   404,   404,    404),
    ("api:submit_entry", "POST"):               (401,   404,   404,   201,   404,   404,   404,    404),
    # the entry is submitted and the JSON request carries no file: the cadre's is refused (422)
    ("api:add_entry_photos", "POST"):           (401,   403,   403,   422,   404,   404,   404,    404),
    # a micro-element or youth-centre worker is staff: an empty list of their own
    ("api:list_entries", "GET"):                (401,   200,   200,   200,   200,   200,   404,    SAME),
    ("api:get_entry", "GET"):                   (401,   200,   200,   200,   404,   404,   404,    404),
    ("api:review_queue", "GET"):                (401,   200,   200,   403,   403,   403,   404,    SAME),
    ("api:review_entry", "POST"):               (401,   200,   200,   403,   404,   404,   404,    404),
    ("api:add_comment", "POST"):                (401,   201,   201,   201,   404,   404,   404,    404),
    ("api:cadre_summary", "GET"):               (401,   200,   200,   200,   404,   404,   404,    404),
    ("api:send_cadre_summary", "POST"):         (401,   200,   200,   403,   404,   404,   404,    404),
}
# fmt: on

ROUTE_PARAMS = {
    ("diary:write", "pk"): "diary_checkin",
    ("diary:draft", "pk"): "diary_checkin",
    ("diary:detail", "pk"): "diary_entry",
    ("diary:review", "pk"): "diary_entry",
    ("diary:comment", "pk"): "diary_entry",
    ("diary:photo", "pk"): "diary_photo",
    ("diary:profile", "pk"): "cadre",
    ("diary:contact_point", "pk"): "cadre",
    ("diary:summary", "pk"): "cadre",
    ("diary:settings", "pk"): "diary_county",
    ("api:checkin_day_items", "checkin_id"): "diary_checkin",
    ("api:save_draft", "checkin_id"): "diary_checkin",
    ("api:submit_entry", "checkin_id"): "diary_checkin",
    ("api:add_entry_photos", "entry_id"): "diary_entry",
    ("api:send_cadre_summary", "cadre_id"): "cadre",
    ("api:get_entry", "entry_id"): "diary_entry",
    ("api:review_entry", "entry_id"): "diary_entry",
    ("api:add_comment", "entry_id"): "diary_entry",
}

PHOTO_NAME = "diary/matrix/diary-photo.jpg"


def _checkin(world, days_ago: int):
    """A check-in of the home cadre some days ago at the home village, written directly: the service
    stamps today's date on every check-in."""
    from youthlink.diary.models import CheckIn, CheckInStatus
    from youthlink.diary.selectors import local_now
    home = world.home
    moment = local_now() - dt.timedelta(days=days_ago)
    return CheckIn.objects.create(cadre=home.cadre, node=home.village, checked_at=moment, local_date=moment.date(),
                                  status=CheckInStatus.UNLOCATED, radius_m=500)


def _entry(world):
    entry = getattr(world, "diary_matrix_entry", None)
    if entry is None:
        from youthlink.diary.services import diary_entry_submit
        entry = diary_entry_submit(actor=world.home.cadre, checkin=_checkin(world, 1),
                                   work_log="上午走访三户困难家庭，下午在青年之家值班", reflections="要多听青年的想法")
        world.diary_matrix_entry = entry
    return entry


def _photo(world) -> int:
    """A photo row of that entry; the file has a fixed name, written once."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from PIL import Image

    from youthlink.diary.models import DiaryPhoto
    if not default_storage.exists(PHOTO_NAME):
        out = io.BytesIO()
        Image.new("RGB", (32, 24), (200, 16, 46)).save(out, format="JPEG")
        default_storage.save(PHOTO_NAME, ContentFile(out.getvalue()))
    return DiaryPhoto.objects.create(entry=_entry(world), image=PHOTO_NAME, width=32, height=24, size=1).pk


def _located_village(world) -> int:
    from decimal import Decimal

    from youthlink.orgs.models import Node
    Node.objects.filter(pk=world.home.village.pk).update(latitude=Decimal("27.550000"), longitude=Decimal("119.720000"))
    return world.home.village.pk


def _this_month() -> str:
    from youthlink.diary.selectors import Month
    return str(Month.current())


OBJECTS = {
    "diary_checkin": lambda world: _checkin(world, 2).pk,
    "diary_entry": lambda world: _entry(world).pk,
    "diary_photo": _photo,
    "diary_county": lambda world: world.home.county.pk,
    "diary_village": _located_village,
}

PAYLOADS = {
    ("diary:checkin", "POST"): lambda ids: {"latitude": "", "longitude": "", "accuracy": "", "reason": ""},
    ("diary:write", "POST"): lambda ids: {"work_log": "到村里走访了两户家庭", "reflections": "入户比开会更能听到真话"},
    ("diary:draft", "POST"): lambda ids: {"work_log": "到村里走访了", "reflections": ""},
    ("diary:review", "POST"): lambda ids: {"grade": "good", "comment": "内容完整，建议写上办理结果"},
    ("diary:comment", "POST"): lambda ids: {"body": "请把青年反映的问题列出来"},
    ("diary:contact_point", "POST"): lambda ids: {"node": ids.diary_village},
    ("diary:settings", "POST"): lambda ids: {"radius_m": 800},
    ("api:create_checkin", "POST"): lambda ids: {},
    ("api:save_draft", "PUT"): lambda ids: {"work_log": "到村里走访了"},
    ("api:submit_entry", "POST"): lambda ids: {"work_log": "到村里走访了两户家庭", "reflections": "要多听"},
    ("api:add_entry_photos", "POST"): lambda ids: {},
    ("api:review_entry", "POST"): lambda ids: {"grade": "good", "comment": "内容完整，建议写上办理结果"},
    ("api:add_comment", "POST"): lambda ids: {"body": "请把青年反映的问题列出来"},
    ("diary:summary", "POST"): lambda ids: {"month": _this_month()},
    ("api:send_cadre_summary", "POST"): lambda ids: {"month": _this_month()},
}

_CHECKIN = {"diary.CheckIn", "audit.AuditEvent"}
_SUBMIT = {"diary.DiaryEntry", "audit.AuditEvent"}
_REVIEW = {"diary.DiaryEntry", "diary.DiaryComment", "audit.AuditEvent"}
_COMMENT = {"diary.DiaryComment", "audit.AuditEvent"}
WRITES = {
    ("diary:checkin", "POST"): _CHECKIN,
    ("api:create_checkin", "POST"): _CHECKIN,
    ("diary:write", "POST"): _SUBMIT,
    ("api:submit_entry", "POST"): _SUBMIT,
    ("diary:draft", "POST"): {"diary.DiaryEntry"},
    ("api:save_draft", "PUT"): {"diary.DiaryEntry"},
    ("diary:review", "POST"): _REVIEW,
    ("api:review_entry", "POST"): _REVIEW,
    ("diary:comment", "POST"): _COMMENT,
    ("api:add_comment", "POST"): _COMMENT,
    ("diary:contact_point", "POST"): {"diary.ContactPoint"},
    ("diary:settings", "POST"): {"diary.DiarySetting"},
    ("diary:summary", "POST"): {"notifications.Delivery", "audit.AuditEvent"},
    ("api:send_cadre_summary", "POST"): {"notifications.Delivery", "audit.AuditEvent"},
}
# The cadre is notified after the commit (never within the matrix's rolled-back transaction).
MAY_CHANGE = {
    ("diary:review", "POST"): {"notifications.Notification"},
    ("api:review_entry", "POST"): {"notifications.Notification"},
    ("diary:comment", "POST"): {"notifications.Notification"},
    ("api:add_comment", "POST"): {"notifications.Notification"},
    ("diary:summary", "POST"): {"notifications.Notification"},
    ("api:send_cadre_summary", "POST"): {"notifications.Notification"},
}
