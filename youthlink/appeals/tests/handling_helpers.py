"""Requests built in the state handling starts from (published, taken on), local moments, phone
photos with GPS, and what a test compares to see that nothing changed."""
from __future__ import annotations

import datetime as dt
import io

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from youthlink.appeals.deadlines import LOCAL_TZ, add_working_days
from youthlink.appeals.models import Appeal, AppealReferral, AppealUpdate, Category, Level, Source, Status
from youthlink.audit.models import AuditEvent
from youthlink.notifications.models import Notification


def at(year, month, day, hour=10, minute=0, second=0) -> dt.datetime:
    """A moment in China's local time."""
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=LOCAL_TZ)


def category(key: str = "entrepreneurship") -> Category:
    return Category.objects.get(county=None, key=key)


def make_appeal(county, *, published_at: dt.datetime, status: str = Status.IN_PROGRESS, handler="cadre",
                person="youth", submitted_by="youth_user", key: str = "entrepreneurship", is_complex: bool = False,
                level: int = Level.TOWNSHIP, handling_node=None, title: str = "想学茶叶电商，缺少技术指导",
                first_response: bool | None = None) -> Appeal:
    """A request of the county's village, reviewed and published at `published_at` with the
    category's deadlines counted from then (as the review does), taken on by `handler` when it is
    in progress (taking it on answers it: the first response)."""
    cat = category(key)
    handler_user = getattr(county, handler) if isinstance(handler, str) else handler
    if status == Status.OPEN:
        handler_user = None
    submitter = getattr(county, submitted_by) if isinstance(submitted_by, str) else submitted_by
    the_person = getattr(county, person) if isinstance(person, str) else person
    if first_response is None:
        first_response = handler_user is not None
    return Appeal.objects.create(
        kind="request", source=Source.SELF, category=cat, title=title, body="家里种了十亩茶叶，想在网上卖，但不会开网店。",
        node=county.village, node_path=county.village.path, handling_node=handling_node or county.township,
        level=level, person=the_person, submitted_by=submitter, status=status, is_public=True,
        public_title=title, public_body="想学习网店运营。", is_complex=is_complex,
        reviewed_by=county.secretary, reviewed_at=published_at, published_at=published_at,
        handler=handler_user, claimed_at=published_at if handler_user else None,
        response_due_at=add_working_days(published_at, cat.response_days),
        resolve_due_at=add_working_days(published_at, cat.complex_resolve_days if is_complex else cat.resolve_days),
        first_response_at=published_at if first_response else None)


def state(appeal: Appeal) -> dict:
    """Everything about a request that handling may change, to compare before and after."""
    row = Appeal.objects.filter(pk=appeal.pk).values().get()
    row.pop("updated_at")
    return {"appeal": row,
            "updates": list(AppealUpdate.objects.filter(appeal_id=appeal.pk).values_list("id", "kind", "body")),
            "referrals": list(AppealReferral.objects.filter(appeal_id=appeal.pk).values_list("id", flat=True)),
            "audit": AuditEvent.objects.count(), "notifications": Notification.objects.count()}


def notifications(kind: str) -> list[tuple[int, str]]:
    return list(Notification.objects.filter(kind=kind).order_by("user_id", "id").values_list("user_id", "title"))


def stored_files(prefix: str = "appeals") -> set[str]:
    found = set()
    if not default_storage.exists(prefix):
        return found
    dirs, files = default_storage.listdir(prefix)
    found |= {f"{prefix}/{name}" for name in files}
    for name in dirs:
        found |= stored_files(f"{prefix}/{name}")
    return found


def jpeg_with_gps(width=2400, height=1800, name="IMG_2031.jpg") -> SimpleUploadedFile:
    """A phone photo with the camera, the owner and a GPS position in its EXIF."""
    image = Image.new("RGB", (width, height), (30, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "Apple"
    exif[0x0110] = "iPhone 15"
    exif[0x013B] = "泰顺团干部"
    exif[0x8825] = {1: "N", 2: (27.0, 50.0, 31.53), 3: "E", 4: (119.0, 43.0, 12.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, quality=90)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")
