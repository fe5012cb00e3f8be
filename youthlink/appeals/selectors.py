"""Reads of requests (诉求). Every list takes the viewer and holds only what they may see:
- staff (admins, secretaries, cadres) every request of their subtrees, in full;
- anyone signed in: their own (submitted, about them, or handled by them), in full;
- the 青联圈 feed: published requests of the viewer's county (the public text only)."""
from __future__ import annotations

import datetime as dt

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse

from youthlink.accounts.access import NOTHING, memberships, scope_nodes, scope_q
from youthlink.accounts.models import Membership
from youthlink.audit.models import AuditEvent
from youthlink.orgs.models import Node, NodeKind

from .deadlines import LOCAL_TZ
from .models import CLOSED_STATUSES, Appeal, AppealComment, AppealPhoto, Category, Status, UpdateKind
from .permissions import (COLLECT_ROLES, HANDLE_ROLES, READ_ROLES, RECORD_ROLES, REVIEW_ROLES, can_see_review_queue,
                          is_reader, reads_in_full, young_person_of)

# Statuses a published request shows in the feed with: reviewed, not rejected or merged away.
PUBLIC_STATUSES = (Status.OPEN, Status.IN_PROGRESS, Status.RESOLVED, Status.SOLVED, Status.SOLVED_UNCONFIRMED)
FEED_PAGE_SIZE = 20
TARGET_TYPE = "appeals.appeal"


def feed_roots(user) -> list[Node]:
    """The counties (or cities) whose feed the viewer reads: the county above each of their staff
    nodes and above a young person's home; a city's staff read the whole city. One query, cached on
    the user object for the request."""
    cached = getattr(user, "_yl_feed_roots", None)
    if cached is not None:
        return cached
    nodes = [m.node for m in memberships(user)]
    person = young_person_of(user)
    if person is not None:
        nodes.append(person.home_node)
    roots = {n.pk: n for n in nodes if n.kind in (NodeKind.CITY, NodeKind.COUNTY)}
    ancestor_ids = {pk for n in nodes if n.kind not in (NodeKind.CITY, NodeKind.COUNTY) for pk in n.ancestor_ids()}
    if ancestor_ids - set(roots):
        for county in Node.objects.filter(pk__in=ancestor_ids, kind=NodeKind.COUNTY):
            roots.setdefault(county.pk, county)
    kept = []
    for node in sorted(roots.values(), key=lambda n: n.path):
        if not any(node.path.startswith(k.path) for k in kept):
            kept.append(node)
    if getattr(user, "is_authenticated", False):
        user._yl_feed_roots = kept
    return kept


def _feed_q(user) -> Q:
    roots = feed_roots(user)
    if not roots:
        return NOTHING
    query = Q()
    for root in roots:
        # A prefix match rather than the [path, path + 1) range of subtree_q: the same rows (paths are
        # digits only), but not a range an index can serve, so the planner walks the published_at
        # index newest first and stops after a page. With the range, SQLite (which has no histogram)
        # takes the county's part of the status index instead and sorts all of it: 250 ms at 75,000
        # requests against 1 ms.
        query |= Q(node_path__startswith=root.path)
    return query & Q(is_public=True, status__in=PUBLIC_STATUSES)


def _own_q(user) -> Q:
    if not getattr(user, "is_authenticated", False):
        return NOTHING
    query = Q(submitted_by_id=user.pk) | Q(handler_id=user.pk)
    person = young_person_of(user)
    if person is not None:
        query |= Q(person_id=person.pk)
    return query


def full_access_q(user) -> Q:
    """Requests the viewer reads in full: their subtrees as staff, and their own."""
    return scope_q(user, "node_", set(READ_ROLES)) | _own_q(user)


def appeals_visible_to(user) -> QuerySet[Appeal]:
    """Everything the viewer may open: in full, or as a published request of their feed."""
    if not getattr(user, "is_authenticated", False):
        return Appeal.objects.none()
    return Appeal.objects.filter(full_access_q(user) | _feed_q(user))


def get_appeal_for(user, pk) -> Appeal:
    """Missing and forbidden look the same: 404."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    appeal = (appeals_visible_to(user).filter(pk=pk)
              .select_related("category", "node__parent", "handling_node", "person", "submitted_by", "handler",
                              "merged_into")
              .first())
    if appeal is None:
        raise Http404
    return appeal


def categories_for_node(node: Node | None) -> QuerySet[Category]:
    """Built-in categories and those of the node's county."""
    query = Q(county__isnull=True)
    if node is not None:
        query |= Q(county_id__in=node.ancestor_ids())
    return Category.objects.filter(query, is_active=True).order_by("position", "id")


def categories_for(user) -> QuerySet[Category]:
    query = Q(county__isnull=True)
    for root in feed_roots(user):
        query |= Q(county__path__startswith=root.path)
    return Category.objects.filter(query, is_active=True).order_by("position", "id")


def feed_for(user, *, category: int | None = None, township: Node | None = None, status: str = "",
             before_id: int | None = None, limit: int = FEED_PAGE_SIZE) -> list[Appeal]:
    """The 青联圈 feed: published requests of the viewer's county, newest first, with a comment count.
    Pages by id (`before_id`): stable while new requests are published."""
    qs = Appeal.objects.filter(_feed_q(user))
    if category:
        qs = qs.filter(category_id=category)
    if township is not None:
        qs = qs.filter(township.subtree_q("node_"))
    if status:
        qs = qs.filter(status=status)
    if before_id:
        qs = qs.filter(pk__lt=before_id)
    return list(qs.select_related("category", "node__parent").only(*FEED_FIELDS)
                .annotate(comment_count=_comment_count())
                .order_by("-published_at", "-id")[:limit])


# What a feed card and the API's public item read (Appeal.public_place included). Loading only these
# keeps the private text (title, body, search tokens) out of the feed's rows altogether, and about
# halves the time the ORM spends on a page of 20.
FEED_FIELDS = ("id", "kind", "status", "is_minor", "public_title", "public_body", "published_at", "category",
               "node__name", "node__kind", "node__parent__name")


def _comment_count():
    """Comments of each request, counted for the rows of the page only: a JOIN with GROUP BY would
    count the comments of every published request of the county before the LIMIT."""
    per_appeal = (AppealComment.objects.filter(appeal_id=OuterRef("pk")).order_by().values("appeal_id")
                  .annotate(n=Count("id")).values("n"))
    return Coalesce(Subquery(per_appeal, output_field=IntegerField()), 0)


def feed_townships(user) -> list[Node]:
    query = Q(pk__in=[])
    for root in feed_roots(user):
        query |= root.subtree_q()
    return list(Node.objects.filter(query, kind=NodeKind.TOWNSHIP).order_by("path"))


def review_queue_for(user) -> QuerySet[Appeal]:
    """What waits for the viewer's review (审核), oldest first."""
    return (Appeal.objects.filter(scope_q(user, "node_", set(REVIEW_ROLES)), status=Status.PENDING)
            .select_related("category", "node", "submitted_by", "person")
            .order_by("created_at", "id"))


# From this many requests in the list on, its pages are read by walking the created_at index newest
# first (`large`); below it, the subtree's range is read and sorted, which is cheap when small and
# does not depend on the size of the rest of the table.
AREA_WALK_FROM = 2000


def area_appeals_for(user, *, status: str = "", mine: bool = False, large: bool = False) -> QuerySet[Appeal]:
    """The staff list of their area (all statuses), or `mine`: what the viewer submitted or handles.

    `large`: the subtree as a path prefix (the same rows: paths are digits only), which no index
    serves, so the planner walks created_at newest first and stops after a page. With the range,
    SQLite gathers and sorts the whole subtree: 120 ms for a county of 75,000 requests, against a
    few ms; for a village's few dozen requests the range is the cheaper of the two."""
    if mine:
        query = _own_q(user)
    elif large:
        query = _own_q(user)
        for node in scope_nodes(user, set(READ_ROLES)):
            query |= Q(node_path__startswith=node.path)
    else:
        query = full_access_q(user)
    qs = Appeal.objects.filter(query)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("category", "node", "handler").order_by("-created_at", "-id")


def comments_for(appeal) -> QuerySet[AppealComment]:
    return appeal.comments.select_related("author").order_by("created_at", "id")


def timeline_for(appeal) -> QuerySet[AuditEvent]:
    """Who did what, when: the request's rows in the audit log (时间线)."""
    return AuditEvent.objects.filter(target_type=TARGET_TYPE, target_id=appeal.pk).order_by("at", "id")


def place_choices_for(user, source: str) -> QuerySet[Node]:
    """Where the viewer may record a request from (their subtrees), without social organisations."""
    roles = RECORD_ROLES if source == "visit" else COLLECT_ROLES
    return Node.objects.filter(scope_q(user, "", set(roles))).exclude(kind=NodeKind.SOCIAL_ORG).order_by("path")


def assignees_for(appeal) -> list:
    """Who a request may be assigned to: cadres, secretaries and admins over its handling level."""
    rows = (Membership.objects.filter(node_id__in=appeal.handling_node.ancestor_ids(), role__in=list(HANDLE_ROLES),
                                      is_active=True, user__is_active=True)
            .select_related("user").order_by("user__name", "user_id"))
    seen, users = set(), []
    for m in rows:
        if m.user_id not in seen:
            seen.add(m.user_id)
            users.append(m.user)
    return users


def merge_candidates_for(user, appeal, limit: int = 20) -> list[Appeal]:
    """Requests of the same township still being handled, for the reviewer's merge (合并)."""
    township = appeal.handling_node
    return list(Appeal.objects.filter(full_access_q(user), township.subtree_q("node_"),
                                      status__in=(Status.OPEN, Status.IN_PROGRESS, Status.RESOLVED))
                .exclude(pk=appeal.pk).select_related("category").order_by("-created_at", "-id")[:limit])


def home_counts(user) -> dict | None:
    """The home card: what waits for the viewer's review, what they handle, and what they submitted."""
    counts = {}
    person = young_person_of(user)
    if person is not None:
        mine = Appeal.objects.filter(Q(person_id=person.pk) | Q(submitted_by_id=user.pk))
        counts["mine_open"] = mine.filter(status__in=(Status.PENDING, Status.OPEN, Status.IN_PROGRESS)).count()
        counts["to_confirm"] = mine.filter(status=Status.RESOLVED).count()
    if can_see_review_queue(user):
        counts["to_review"] = review_queue_for(user).count()
    if is_reader(user):
        counts["handling"] = Appeal.objects.filter(handler_id=user.pk, status=Status.IN_PROGRESS).count()
        counts["open_in_area"] = Appeal.objects.filter(scope_q(user, "node_", set(READ_ROLES)),
                                                       status=Status.OPEN).count()
    return counts or None


# --- handling (听结办) -----------------------------------------------------------------------------

def get_appeal_photo_for(user, pk):
    """A photo of what was done, for those who read the request in full (staff over its place, the
    young person, the submitter, the handler); everyone else gets the 404 of a missing photo: a
    photo may show the young person's home."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    photo = (AppealPhoto.objects.filter(pk=pk, update__appeal__in=Appeal.objects.filter(full_access_q(user)))
             .select_related("update__appeal__node", "update__appeal__person").first()
             if getattr(user, "is_authenticated", False) else None)
    if photo is None or not reads_in_full(user, photo.update.appeal):
        raise Http404
    return photo


def handling_updates_for(appeal):
    """What the handling side and the young person wrote (replies, escalation notes, referrals, the
    result with its photos, "not solved" reasons), oldest first, in two queries."""
    return appeal.updates.select_related("author").prefetch_related("photos").order_by("created_at", "id")


def referrals_for(appeal):
    return appeal.referrals.select_related("person", "social_org", "centre", "created_by").order_by("created_at", "id")


def resolution_counts(node) -> dict[str, int]:
    """Closed requests of a subtree by how they closed: confirmed solved apart from "solved,
    unconfirmed" (closed after 7 days without an answer)."""
    rows = (Appeal.objects.filter(node.subtree_q("node_"), status__in=(Status.SOLVED, Status.SOLVED_UNCONFIRMED))
            .values("status").annotate(n=Count("id")))
    counts = {Status.SOLVED.value: 0, Status.SOLVED_UNCONFIRMED.value: 0}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def latest_resolution(appeal):
    """The last result recorded (办理结果), with its photos: what the young person confirms."""
    return (appeal.updates.filter(kind=UpdateKind.RESOLUTION).select_related("author").prefetch_related("photos")
            .order_by("-created_at", "-id").first())


def day_items_for(user, day) -> list[tuple]:
    """The diary's provider: requests the cadre recorded, took on, or wrote a reply or result on
    that local day, as (kind, id, label, url)."""
    start = dt.datetime.combine(day, dt.time.min, tzinfo=LOCAL_TZ)
    end = start + dt.timedelta(days=1)
    in_day = (Q(submitted_by_id=user.pk, created_at__gte=start, created_at__lt=end)
              | Q(handler_id=user.pk, claimed_at__gte=start, claimed_at__lt=end)
              | Q(updates__author_id=user.pk, updates__created_at__gte=start, updates__created_at__lt=end))
    appeals = Appeal.objects.filter(in_day).distinct().order_by("created_at", "id")
    return [("appeal", a.pk, f"{a.display_title}（{a.status_label}）", reverse("appeals:detail", args=[a.pk]))
            for a in appeals]


def solved_counts_for(*, cadre_ids, year: int) -> dict[int, int]:
    """Requests each cadre handled to the end in the year (closed: confirmed solved, or solved and not
    confirmed within 7 days), by the local year of closing: the 解决问题 column of 三联双百."""
    start = dt.datetime(year, 1, 1, tzinfo=LOCAL_TZ)
    end = dt.datetime(year + 1, 1, 1, tzinfo=LOCAL_TZ)
    rows = (Appeal.objects.filter(handler_id__in=list(cadre_ids), status__in=CLOSED_STATUSES,
                                  closed_at__gte=start, closed_at__lt=end)
            .values("handler_id").annotate(n=Count("id")).order_by())
    return {r["handler_id"]: r["n"] for r in rows}


def county_categories(county: Node) -> tuple[list[Category], list[Category]]:
    """(built-in, the county's own including those it stopped offering)."""
    rows = list(Category.objects.filter(Q(county__isnull=True) | Q(county=county)).order_by("position", "id"))
    return [c for c in rows if c.county_id is None], [c for c in rows if c.county_id is not None]
