"""The work diary API: the same services and selectors as the pages (session auth, JSON).

Check in with POST /api/diary/checkins; save the draft with PUT /api/diary/checkins/{id}/draft as the
cadre types; submit with POST /api/diary/checkins/{id}/entry; photos go to
POST /api/diary/entries/{id}/photos as multipart/form-data (field `photos`) while the entry is a draft."""
import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Router, Schema, Status, UploadedFile

from youthlink.accounts.access import is_staff_member

from . import permissions, selectors, services
from .models import DiaryEntry

router = Router(tags=["工作网络日记"])


class ContactPointOut(Schema):
    node_id: int | None
    node_name: str
    latitude: float | None
    longitude: float | None
    radius_m: int


class CheckInIn(Schema):
    latitude: float | None = None
    longitude: float | None = None
    accuracy: float | None = None
    reason: str = ""


class CheckInOut(Schema):
    id: int
    node_id: int
    node_name: str
    checked_at: dt.datetime
    local_date: dt.date
    status: str
    status_label: str
    distance_m: int | None
    radius_m: int
    reason: str
    entry_id: int | None


class DayItemOut(Schema):
    kind: str
    id: int
    label: str
    url: str


class DraftIn(Schema):
    work_log: str = ""
    reflections: str = ""
    links: list[str] = []


class PhotoOut(Schema):
    id: int
    url: str
    width: int
    height: int


class CommentOut(Schema):
    id: int
    author_id: int
    author_name: str
    body: str
    is_review: bool
    created_at: dt.datetime


class EntrySummaryOut(Schema):
    id: int
    cadre_id: int
    cadre_name: str
    node_id: int
    local_date: dt.date
    status: str
    status_label: str
    checkin_status: str
    grade: str
    grade_label: str
    submitted_at: dt.datetime | None
    photo_count: int
    comment_count: int


class EntryOut(EntrySummaryOut):
    work_log: str
    reflections: str
    links: list[DayItemOut]
    reviewed_by_id: int | None
    reviewed_at: dt.datetime | None
    photos: list[PhotoOut]
    comments: list[CommentOut]


class ReviewIn(Schema):
    grade: str
    comment: str


class CommentIn(Schema):
    body: str


class GradeCountOut(Schema):
    grade: str
    label: str
    count: int


class SummaryOut(Schema):
    cadre_id: int
    month: str
    checkins: int
    submitted: int
    reviewed: int
    comments: int
    grades: list[GradeCountOut]
    entries: list[EntrySummaryOut]


def _staff_only(request):
    if not is_staff_member(request.user):
        raise Http404


def _checkin_out(checkin, entry_id=None) -> dict:
    return {"id": checkin.pk, "node_id": checkin.node_id, "node_name": checkin.node.name,
            "checked_at": checkin.checked_at, "local_date": checkin.local_date, "status": checkin.status,
            "status_label": str(checkin.get_status_display()), "distance_m": checkin.distance_m,
            "radius_m": checkin.radius_m, "reason": checkin.reason, "entry_id": entry_id}


def summary_out(entry: DiaryEntry) -> dict:
    return {"id": entry.pk, "cadre_id": entry.cadre_id, "cadre_name": entry.cadre.display_name,
            "node_id": entry.node_id, "local_date": entry.local_date, "status": entry.status,
            "status_label": str(entry.get_status_display()), "checkin_status": entry.checkin.status,
            "grade": entry.grade, "grade_label": str(entry.get_grade_display()) if entry.grade else "",
            "submitted_at": entry.submitted_at, "photo_count": entry.photo_count,
            "comment_count": entry.comment_count}


def entry_out(request, entry: DiaryEntry) -> dict:
    return {**summary_out(entry), "work_log": entry.work_log, "reflections": entry.reflections,
            "links": entry.links, "reviewed_by_id": entry.reviewed_by_id, "reviewed_at": entry.reviewed_at,
            "photos": [{"id": p.pk, "url": reverse("diary:photo", args=[p.pk]), "width": p.width, "height": p.height}
                       for p in entry.photos.all()],
            "comments": [{"id": c.pk, "author_id": c.author_id, "author_name": c.author.display_name, "body": c.body,
                          "is_review": c.is_review, "created_at": c.created_at} for c in selectors.comments_of(entry)]}


def _require_keeper(request):
    _staff_only(request)
    if not permissions.can_keep_diary(request.user):
        raise PermissionDenied


@router.get("/contact-point", response=ContactPointOut)
def my_contact_point(request):
    """The cadre's contact point (联系点) and the radius a check-in there counts as on site."""
    _require_keeper(request)
    node = selectors.contact_point_for(request.user)
    return {"node_id": node.pk if node else None, "node_name": node.name if node else "",
            "latitude": float(node.latitude) if node and node.latitude is not None else None,
            "longitude": float(node.longitude) if node and node.longitude is not None else None,
            "radius_m": selectors.radius_for(node) if node else 500}


@router.post("/checkins", response={201: CheckInOut})
def create_checkin(request, payload: CheckInIn):
    """报到: once a day; off site (beyond the county's radius) needs a reason; no position is unlocated."""
    _require_keeper(request)
    checkin = services.checkin_create(actor=request.user, latitude=payload.latitude, longitude=payload.longitude,
                                      accuracy=payload.accuracy, reason=payload.reason)
    return Status(201, _checkin_out(checkin))


@router.get("/checkins/{int:checkin_id}/day-items", response=list[DayItemOut])
def checkin_day_items(request, checkin_id: int):
    """The items of the check-in's day the diary may link to (the cadre's visits, requests …)."""
    _staff_only(request)
    checkin = selectors.get_own_checkin(request.user, checkin_id)
    return [{"kind": k, "id": i, "label": label, "url": url}
            for k, i, label, url in selectors.day_items(request.user, checkin.local_date)]


@router.put("/checkins/{int:checkin_id}/draft", response=EntryOut)
def save_draft(request, checkin_id: int, payload: DraftIn):
    """Autosave: the check-in's diary as typed so far (a draft only its cadre sees)."""
    _staff_only(request)
    checkin = selectors.get_own_checkin(request.user, checkin_id)
    entry = services.diary_draft_save(actor=request.user, checkin=checkin, work_log=payload.work_log,
                                      reflections=payload.reflections, links=payload.links)
    return entry_out(request, selectors.get_entry_for(request.user, entry.pk))


@router.post("/checkins/{int:checkin_id}/entry", response={201: EntryOut})
def submit_entry(request, checkin_id: int, payload: DraftIn):
    """写日记: submit the check-in's diary for review (photos: attach them to the draft first)."""
    _staff_only(request)
    checkin = selectors.get_own_checkin(request.user, checkin_id)
    entry = services.diary_entry_submit(actor=request.user, checkin=checkin, work_log=payload.work_log,
                                        reflections=payload.reflections, links=payload.links)
    return Status(201, entry_out(request, selectors.get_entry_for(request.user, entry.pk)))


@router.post("/entries/{int:entry_id}/photos", response={201: list[PhotoOut]})
def add_entry_photos(request, entry_id: int, photos: File[list[UploadedFile]] = None):
    """Photos of a draft (multipart/form-data, field `photos`), by its cadre: at most 9 per entry, 10 MB
    each; stored as a JPEG of at most 1600 px without EXIF or GPS data."""
    entry = selectors.get_entry_for(request.user, entry_id)
    created = services.diary_photos_add(actor=request.user, entry=entry, photos=photos or [])
    return Status(201, [{"id": p.pk, "url": reverse("diary:photo", args=[p.pk]), "width": p.width,
                         "height": p.height} for p in created])


@router.get("/entries", response=list[EntrySummaryOut])
def list_entries(request, cadre_id: int | None = None, status: str = "", limit: int = 50, offset: int = 0):
    """The viewer's own entries and the submitted entries of the cadres under their committee."""
    _staff_only(request)
    cadre = selectors.get_cadre_for(request.user, cadre_id)[0] if cadre_id is not None else None
    limit = max(1, min(limit, 200))
    entries = selectors.entry_list(request.user, cadre=cadre, status=status)
    return [summary_out(e) for e in entries[offset:offset + limit]]


@router.get("/entries/{int:entry_id}", response=EntryOut)
def get_entry(request, entry_id: int):
    return entry_out(request, selectors.get_entry_for(request.user, entry_id))


@router.get("/queue", response=list[EntrySummaryOut])
def review_queue(request, limit: int = 50, offset: int = 0):
    """调阅: submitted entries waiting for a grade, oldest first."""
    _staff_only(request)
    if not permissions.can_review_anything(request.user):
        raise PermissionDenied
    limit = max(1, min(limit, 200))
    return [summary_out(e) for e in selectors.review_queue(request.user)[offset:offset + limit]]


@router.post("/entries/{int:entry_id}/review", response=EntryOut)
def review_entry(request, entry_id: int, payload: ReviewIn):
    """调阅点评: grade (excellent / good / fair / improve) and advice, once; the cadre is notified."""
    entry = selectors.get_entry_for(request.user, entry_id)
    services.diary_entry_review(actor=request.user, entry=entry, grade=payload.grade, comment=payload.comment)
    return entry_out(request, selectors.get_entry_for(request.user, entry.pk))


@router.post("/entries/{int:entry_id}/comments", response={201: CommentOut})
def add_comment(request, entry_id: int, payload: CommentIn):
    entry = selectors.get_entry_for(request.user, entry_id)
    c = services.diary_comment_add(actor=request.user, entry=entry, body=payload.body)
    return Status(201, {"id": c.pk, "author_id": c.author_id, "author_name": request.user.display_name,
                        "body": c.body, "is_review": c.is_review, "created_at": c.created_at})


@router.get("/cadres/{int:cadre_id}/summary", response=SummaryOut)
def cadre_summary(request, cadre_id: int, month: str | None = None):
    """A cadre's month: check-ins, entries, grades and comments."""
    _staff_only(request)
    cadre, _node = selectors.get_cadre_for(request.user, cadre_id)
    parsed = selectors.Month.parse(month) if month else selectors.Month.current()
    if parsed is None:
        raise ValidationError({"month": [_("月份格式应为 YYYY-MM，例如 2026-11")]})
    s = selectors.period_summary(cadre, parsed)
    return {"cadre_id": cadre.pk, "month": str(parsed), "checkins": s.checkins, "submitted": s.submitted,
            "reviewed": s.reviewed, "comments": s.comments,
            "grades": [{"grade": g.grade, "label": g.label, "count": g.count} for g in s.grades],
            "entries": [summary_out(e) for e in s.entries]}


class SummarySendIn(Schema):
    month: str


class SummarySentOut(Schema):
    month: str
    channels: int


@router.post("/cadres/{int:cadre_id}/summary/send", response=SummarySentOut)
def send_cadre_summary(request, cadre_id: int, payload: SummarySendIn):
    """评价反馈到群: send the cadre's month to the groups they serve (once per month and channel)."""
    _staff_only(request)
    cadre, node = selectors.get_cadre_for(request.user, cadre_id)
    month = selectors.Month.parse(payload.month)
    if month is None:
        raise ValidationError({"month": [_("月份格式应为 YYYY-MM，例如 2026-11")]})
    sent = services.diary_summary_send(actor=request.user, cadre=cadre, cadre_node=node, month=month)
    return {"month": str(month), "channels": sent}
