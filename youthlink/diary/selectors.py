"""Reads for the work diary. Every list takes the viewer and returns only what they may see; the review
queue and the cadre profile take a constant number of queries whatever their length."""
from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from youthlink.accounts.access import memberships, reaches, scope_q
from youthlink.accounts.models import Membership, Role, User
from youthlink.core import registry
from youthlink.orgs.models import Node, NodeKind

from .models import (DEFAULT_RADIUS_M, CheckIn, ContactPoint, DiaryComment, DiaryEntry, DiaryPhoto, DiarySetting,
                     EntryStatus, Grade)
from .permissions import CADRE_ROLES, REVIEW_ROLES, can_read_cadre

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
EARTH_RADIUS_M = 6_371_008.8
# Features register providers of the day's items a diary may link to (走访, 诉求 …):
# register_listener(DAY_ITEMS_PROVIDER, provider), provider(user, date) -> [(kind, id, label, url)].
DAY_ITEMS_PROVIDER = "diary.day_items"
_MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")


def local_now() -> dt.datetime:
    return timezone.now().astimezone(LOCAL_TZ)


def local_today() -> dt.date:
    return local_now().date()


def distance_m(lat1, lng1, lat2, lng2) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp, dl = p2 - p1, math.radians(float(lng2) - float(lng1))
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


# --- cadre, contact point, radius ------------------------------------------------------------------

def cadre_work_node(cadre: User) -> Node | None:
    """Where a cadre works: the deepest node of their cadre memberships."""
    nodes = [m.node for m in memberships(cadre) if m.role in CADRE_ROLES]
    return min(nodes, key=lambda n: (-n.depth, n.path)) if nodes else None


def contact_point_for(cadre: User) -> Node | None:
    """The cadre's contact point (联系点): the one set for them while it lies where they work (a cadre
    moved to another township falls back), else the node they work at."""
    point = ContactPoint.objects.filter(cadre=cadre).select_related("node").first()
    if point is not None and reaches(cadre, point.node, CADRE_ROLES):
        return point.node
    return cadre_work_node(cadre)


def county_of(node: Node) -> Node | None:
    if node.kind == NodeKind.COUNTY:
        return node
    return Node.objects.filter(pk__in=node.ancestor_ids(), kind=NodeKind.COUNTY).order_by("-depth").first()


def radius_for(node: Node) -> int:
    county = county_of(node)
    if county is None:
        return DEFAULT_RADIUS_M
    setting = DiarySetting.objects.filter(county=county).first()
    return setting.radius_m if setting is not None else DEFAULT_RADIUS_M


def contact_point_choices(cadre: User) -> QuerySet[Node]:
    """Nodes the cadre works over that have coordinates to check in against."""
    return (Node.objects.filter(scope_q(cadre, "", CADRE_ROLES), latitude__isnull=False, longitude__isnull=False)
            .order_by("path"))


def get_cadre_for(viewer, pk) -> tuple[User, Node]:
    """A cadre the viewer may look at (themself, or a cadre under their committee): 404 otherwise."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    rows = list(Membership.objects.filter(user_id=pk, role=Role.CADRE, is_active=True, user__is_active=True)
                .select_related("user", "node"))
    if not rows:
        raise Http404
    node = min((m.node for m in rows), key=lambda n: (-n.depth, n.path))
    cadre = rows[0].user
    if not can_read_cadre(viewer, cadre, node):
        raise Http404
    return cadre, node


# --- check-ins -------------------------------------------------------------------------------------

def today_checkin(cadre: User) -> CheckIn | None:
    return (CheckIn.objects.filter(cadre=cadre, local_date=local_today()).select_related("node", "entry")
            .first())


def get_own_checkin(viewer, pk) -> CheckIn:
    """A check-in of the viewer's own (to write its diary): 404 for anyone else's."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    checkin = CheckIn.objects.filter(pk=pk, cadre_id=viewer.pk).select_related("node").first()
    if checkin is None:
        raise Http404
    return checkin


def entry_of(checkin: CheckIn) -> DiaryEntry | None:
    return DiaryEntry.objects.filter(checkin=checkin).first()


def day_items(user: User, day: dt.date) -> list[tuple[str, int, str, str]]:
    """The day's items a diary may link to, from every registered provider, in provider order."""
    items = []
    for provider in registry.LISTENERS.get(DAY_ITEMS_PROVIDER, []):
        for kind, pk, label, url in provider(user, day) or ():
            items.append((str(kind), int(pk), str(label), str(url)))
    return items


# --- entries ---------------------------------------------------------------------------------------

def _count(model, **filters):
    return Coalesce(Subquery(model.objects.filter(entry=OuterRef("pk"), **filters).order_by()
                             .values("entry").annotate(n=Count("id")).values("n")), 0)


def with_list_details(qs: QuerySet[DiaryEntry]) -> QuerySet[DiaryEntry]:
    return (qs.select_related("cadre", "node", "checkin", "reviewed_by")
            .annotate(photo_count=_count(DiaryPhoto), comment_count=_count(DiaryComment)))


def entries_for(viewer) -> QuerySet[DiaryEntry]:
    """The viewer's own entries (drafts too) and the submitted entries of the cadres under their
    committee (admins and secretaries over the entry's node)."""
    others = scope_q(viewer, "node__", REVIEW_ROLES)
    return DiaryEntry.objects.filter(Q(cadre_id=viewer.pk) | (others & ~Q(status=EntryStatus.DRAFT)))


def entry_list(viewer, *, cadre: User | None = None, status: str = "") -> QuerySet[DiaryEntry]:
    qs = entries_for(viewer)
    if cadre is not None:
        qs = qs.filter(cadre=cadre)
    if status in EntryStatus.values:
        qs = qs.filter(status=status)
    return with_list_details(qs).order_by("-local_date", "-id")


def review_queue(viewer) -> QuerySet[DiaryEntry]:
    """调阅: submitted entries not yet reviewed of the cadres under the viewer's committee, oldest
    first; never the viewer's own."""
    return (with_list_details(DiaryEntry.objects.filter(scope_q(viewer, "node__", REVIEW_ROLES),
                                                        status=EntryStatus.SUBMITTED)
                              .exclude(cadre_id=viewer.pk))
            .order_by("submitted_at", "id"))


def get_entry_for(viewer, pk) -> DiaryEntry:
    """Missing and forbidden look the same: 404. Drafts are their cadre's alone."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    entry = (with_list_details(entries_for(viewer).filter(pk=pk))
             .prefetch_related("photos").first())
    if entry is None:
        raise Http404
    return entry


def comments_of(entry: DiaryEntry) -> list[DiaryComment]:
    return list(entry.comments.select_related("author").order_by("created_at", "id"))


def get_photo_for(viewer, pk) -> DiaryPhoto:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    photo = DiaryPhoto.objects.filter(pk=pk, entry__in=entries_for(viewer)).first()
    if photo is None:
        raise Http404
    return photo


# --- grades and the period summary -----------------------------------------------------------------

@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str | None) -> "Month | None":
        match = _MONTH_RE.match((text or "").strip())
        if not match:
            return None
        year, month = int(match.group(1)), int(match.group(2))
        if not (2000 <= year <= 2100 and 1 <= month <= 12):
            return None
        return cls(year, month)

    @classmethod
    def current(cls) -> "Month":
        today = local_today()
        return cls(today.year, today.month)

    @property
    def first(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last(self) -> dt.date:
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass
class GradeCount:
    grade: str
    label: str
    count: int


def grade_counts(entries) -> list[GradeCount]:
    counts = Counter(e.grade for e in entries if e.grade)
    return [GradeCount(value, str(label), counts.get(value, 0)) for value, label in Grade.choices]


@dataclass
class PeriodSummary:
    cadre: User
    month: Month
    entries: list[DiaryEntry]
    grades: list[GradeCount] = field(default_factory=list)
    checkins: int = 0

    @property
    def submitted(self) -> int:
        return len(self.entries)

    @property
    def reviewed(self) -> int:
        return sum(1 for e in self.entries if e.status == EntryStatus.REVIEWED)

    @property
    def comments(self) -> int:
        return sum(e.comment_count for e in self.entries)


def period_summary(cadre: User, month: Month) -> PeriodSummary:
    """A cadre's month: check-ins, entries submitted, grades and comments. Two queries."""
    entries = list(with_list_details(DiaryEntry.objects.filter(
        cadre=cadre, local_date__range=(month.first, month.last)).exclude(status=EntryStatus.DRAFT))
        .order_by("local_date", "id"))
    checkins = CheckIn.objects.filter(cadre=cadre, local_date__range=(month.first, month.last)).count()
    return PeriodSummary(cadre=cadre, month=month, entries=entries, grades=grade_counts(entries), checkins=checkins)


@dataclass
class CadreDiary:
    """The diary part of the cadre profile: recent entries and the grades of all reviewed ones."""
    entries: list[DiaryEntry]
    grades: list[GradeCount]
    total: int
    reviewed: int


PROFILE_ENTRIES = 10


def cadre_diary(viewer, cadre: User) -> CadreDiary:
    """Two queries: the recent entries the viewer may see, and the grade counts."""
    visible = entries_for(viewer).filter(cadre=cadre)
    recent = list(with_list_details(visible).order_by("-local_date", "-id")[:PROFILE_ENTRIES])
    rows = (visible.exclude(status=EntryStatus.DRAFT).values("grade").annotate(n=Count("id")).order_by())
    by_grade = {r["grade"]: r["n"] for r in rows}
    grades = [GradeCount(value, str(label), by_grade.get(value, 0)) for value, label in Grade.choices]
    return CadreDiary(entries=recent, grades=grades, total=sum(by_grade.values()),
                      reviewed=sum(g.count for g in grades))
