"""The requests API (诉求): the same services and selectors as the pages (session auth, JSON).
A reader who may not read a request in full gets its public text only, exactly as in the feed."""
import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from youthlink.accounts.models import User
from youthlink.orgs.selectors import get_node_for
from youthlink.people.selectors import get_person_for

from . import permissions, selectors, services
from .models import Appeal, Category, Kind

router = Router(tags=["诉求"])


class CategoryOut(Schema):
    id: int
    key: str
    name: str


class CategoryIn(Schema):
    name: str
    response_days: int = 1
    resolve_days: int = 5
    complex_resolve_days: int = 13


class AppealPublicOut(Schema):
    """What the 青联圈 feed shows of a published request."""
    id: int
    kind: str
    category: CategoryOut
    title: str
    body: str
    place: str
    status: str
    status_label: str
    published_at: dt.datetime | None
    comment_count: int | None = None


class AppealOut(AppealPublicOut):
    """The full record, for those who read it in full (staff of the area, the submitter, the person,
    the handler)."""
    full: bool
    source: str | None = None
    collected_from: str | None = None
    node_id: int | None = None
    person_id: int | None = None
    subject_name: str | None = None
    is_minor: bool | None = None
    is_public: bool | None = None
    consent_to_publish: bool | None = None
    public_title: str | None = None
    public_body: str | None = None
    level: int | None = None
    handling_node_id: int | None = None
    handler_id: int | None = None
    handler_name: str | None = None
    submitted_by_id: int | None = None
    created_at: dt.datetime | None = None
    response_due_at: dt.datetime | None = None
    resolve_due_at: dt.datetime | None = None
    reject_reason: str | None = None
    merged_into_id: int | None = None
    rating: int | None = None


class AppealIn(Schema):
    source: str
    kind: str = Kind.REQUEST
    category_id: int
    title: str
    body: str
    node_id: int | None = None
    person_id: int | None = None
    subject_name: str = ""
    subject_mobile: str = ""
    is_minor: bool = False
    collected_from: str = ""
    consent_to_publish: bool = False
    consent_note: str = ""


class ReviewQueueItemOut(Schema):
    id: int
    title: str
    category: CategoryOut
    source: str
    collected_from: str
    node_id: int
    node_name: str
    submitted_by_name: str
    created_at: dt.datetime
    waiting_long: bool


class PreviewOut(Schema):
    public_title: str
    public_body: str


class PublishIn(Schema):
    public_title: str
    public_body: str
    is_complex: bool = False


class KeepPrivateIn(Schema):
    is_complex: bool = False


class MergeIn(Schema):
    into_id: int


class RejectIn(Schema):
    reason: str


class AssignIn(Schema):
    assignee_id: int


class CommentIn(Schema):
    body: str


class CommentOut(Schema):
    id: int
    author_name: str
    body: str
    created_at: dt.datetime


class TimelineOut(Schema):
    at: dt.datetime
    actor: str
    action: str
    action_label: str
    reason: str


def _category(category: Category) -> dict:
    return {"id": category.pk, "key": category.key, "name": category.name}


def public_out(appeal: Appeal) -> dict:
    return {"id": appeal.pk, "kind": appeal.kind, "category": _category(appeal.category),
            "title": appeal.public_title, "body": appeal.public_body, "place": appeal.public_place,
            "status": appeal.status, "status_label": appeal.status_label,
            "published_at": appeal.published_at, "comment_count": getattr(appeal, "comment_count", None)}


def appeal_out(user, appeal: Appeal) -> dict:
    if not permissions.reads_in_full(user, appeal):
        return {**public_out(appeal), "full": False}
    return {**public_out(appeal), "full": True, "title": appeal.title, "body": appeal.body, "place": appeal.node.name,
            "source": appeal.source, "collected_from": appeal.collected_from, "node_id": appeal.node_id,
            "person_id": appeal.person_id, "subject_name": appeal.subject_name, "is_minor": appeal.is_minor,
            "is_public": appeal.is_public, "consent_to_publish": appeal.consent_to_publish,
            "public_title": appeal.public_title, "public_body": appeal.public_body, "level": appeal.level,
            "handling_node_id": appeal.handling_node_id, "handler_id": appeal.handler_id,
            "handler_name": appeal.handler.display_name if appeal.handler_id else None,
            "submitted_by_id": appeal.submitted_by_id, "created_at": appeal.created_at,
            "response_due_at": appeal.response_due_at, "resolve_due_at": appeal.resolve_due_at,
            "reject_reason": appeal.reject_reason, "merged_into_id": appeal.merged_into_id, "rating": appeal.rating}


def _detail(request, appeal_id: int) -> dict:
    return appeal_out(request.user, selectors.get_appeal_for(request.user, appeal_id))


@router.get("/feed", response=list[AppealPublicOut])
def appeal_feed(request, category_id: int | None = None, township_id: int | None = None, status: str = "",
                before_id: int | None = None):
    """青联圈: published requests of the viewer's county, newest first, 20 at a time (page on with the
    last id as `before_id`)."""
    township = None
    if township_id is not None:
        township = next((t for t in selectors.feed_townships(request.user) if t.pk == township_id), None)
        if township is None:
            raise ValidationError({"township_id": [_("不在您所在县（区）的乡镇")]})
    status = status if status in selectors.PUBLIC_STATUSES else ""
    items = selectors.feed_for(request.user, category=category_id, township=township, status=status,
                               before_id=before_id)
    return [public_out(a) for a in items]


@router.get("/categories", response=list[CategoryOut])
def appeal_categories(request):
    return [_category(c) for c in selectors.categories_for(request.user)]


@router.post("/categories/{int:county_id}", response={201: CategoryOut})
def create_appeal_category(request, county_id: int, payload: CategoryIn):
    """A county adds a category of its own, with its deadlines in working days."""
    county = get_node_for(request.user, county_id)
    if not permissions.can_manage_categories(request.user, county):
        raise PermissionDenied
    category = services.category_create(actor=request.user, county=county, name=payload.name,
                                        response_days=payload.response_days, resolve_days=payload.resolve_days,
                                        complex_resolve_days=payload.complex_resolve_days)
    return Status(201, _category(category))


@router.post("", response={201: AppealOut})
def create_appeal(request, payload: AppealIn):
    """Submit a request or suggestion: `self` (a young person), `visit` (staff, heard on a visit) or
    `collected` (a micro-element, on someone's behalf, with the channel and their consent)."""
    if not permissions.can_submit(request.user):
        raise PermissionDenied
    node = get_node_for(request.user, payload.node_id) if payload.node_id is not None else None
    person = get_person_for(request.user, payload.person_id) if payload.person_id is not None else None
    category = selectors.categories_for(request.user).filter(pk=payload.category_id).first()
    appeal = services.appeal_submit(
        actor=request.user, source=payload.source, kind=payload.kind, category=category, title=payload.title,
        body=payload.body, node=node, person=person, subject_name=payload.subject_name,
        subject_mobile=payload.subject_mobile, is_minor=payload.is_minor,
        collected_from=payload.collected_from, consent_to_publish=payload.consent_to_publish,
        consent_note=payload.consent_note)
    return Status(201, _detail(request, appeal.pk))


@router.get("/review-queue", response=list[ReviewQueueItemOut])
def appeal_review_queue(request, limit: int = 50, offset: int = 0):
    """审核: requests waiting for the viewer's review, oldest first."""
    if not permissions.can_see_review_queue(request.user):
        raise PermissionDenied
    limit = max(1, min(limit, 200))
    return [{"id": a.pk, "title": a.title, "category": _category(a.category), "source": a.source,
             "collected_from": a.collected_from, "node_id": a.node_id, "node_name": a.node.name,
             "submitted_by_name": a.submitted_by.display_name, "created_at": a.created_at,
             "waiting_long": a.waiting_long}
            for a in selectors.review_queue_for(request.user)[offset:offset + limit]]


@router.get("/{int:appeal_id}", response=AppealOut)
def get_appeal(request, appeal_id: int):
    return _detail(request, appeal_id)


def _reviewable(request, appeal_id: int) -> Appeal:
    appeal = selectors.get_appeal_for(request.user, appeal_id)
    if not permissions.can_review(request.user, appeal):
        raise PermissionDenied
    return appeal


@router.get("/{int:appeal_id}/preview", response=PreviewOut)
def appeal_preview(request, appeal_id: int):
    """The redacted public text the reviewer starts from."""
    title, body = services.preview_public_text(_reviewable(request, appeal_id))
    return {"public_title": title, "public_body": body}


@router.post("/{int:appeal_id}/publish", response=AppealOut)
def publish_appeal(request, appeal_id: int, payload: PublishIn):
    services.appeal_publish(actor=request.user, appeal=_reviewable(request, appeal_id),
                            public_title=payload.public_title, public_body=payload.public_body,
                            is_complex=payload.is_complex)
    return _detail(request, appeal_id)


@router.post("/{int:appeal_id}/keep-private", response=AppealOut)
def keep_appeal_private(request, appeal_id: int, payload: KeepPrivateIn):
    services.appeal_keep_private(actor=request.user, appeal=_reviewable(request, appeal_id),
                                 is_complex=payload.is_complex)
    return _detail(request, appeal_id)


@router.post("/{int:appeal_id}/merge", response=AppealOut)
def merge_appeal(request, appeal_id: int, payload: MergeIn):
    appeal = _reviewable(request, appeal_id)
    into = selectors.appeals_visible_to(request.user).filter(pk=payload.into_id).select_related("handling_node").first()
    services.appeal_merge(actor=request.user, appeal=appeal, into=into)
    return _detail(request, appeal_id)


@router.post("/{int:appeal_id}/reject", response=AppealOut)
def reject_appeal(request, appeal_id: int, payload: RejectIn):
    services.appeal_reject(actor=request.user, appeal=_reviewable(request, appeal_id), reason=payload.reason)
    return _detail(request, appeal_id)


@router.post("/{int:appeal_id}/claim", response=AppealOut)
def claim_appeal(request, appeal_id: int):
    services.appeal_claim(actor=request.user, appeal=selectors.get_appeal_for(request.user, appeal_id))
    return _detail(request, appeal_id)


@router.post("/{int:appeal_id}/assign", response=AppealOut)
def assign_appeal(request, appeal_id: int, payload: AssignIn):
    appeal = selectors.get_appeal_for(request.user, appeal_id)
    if not permissions.can_assign(request.user, appeal):
        raise PermissionDenied
    services.appeal_assign(actor=request.user, appeal=appeal,
                           assignee=User.objects.filter(pk=payload.assignee_id).first())
    return _detail(request, appeal_id)


@router.get("/{int:appeal_id}/comments", response=list[CommentOut])
def appeal_comments(request, appeal_id: int):
    appeal = selectors.get_appeal_for(request.user, appeal_id)
    if not appeal.is_public:
        return []
    return [{"id": c.pk, "author_name": c.author.display_name, "body": c.body, "created_at": c.created_at}
            for c in selectors.comments_for(appeal)]


@router.post("/{int:appeal_id}/comments", response={201: CommentOut})
def comment_appeal(request, appeal_id: int, payload: CommentIn):
    comment = services.appeal_comment(actor=request.user, appeal=selectors.get_appeal_for(request.user, appeal_id),
                                      body=payload.body)
    return Status(201, {"id": comment.pk, "author_name": comment.author.display_name, "body": comment.body,
                        "created_at": comment.created_at})


@router.get("/{int:appeal_id}/timeline", response=list[TimelineOut])
def appeal_timeline(request, appeal_id: int):
    """Who did what, when (from the audit log): for those who read the request in full."""
    appeal = selectors.get_appeal_for(request.user, appeal_id)
    if not permissions.reads_in_full(request.user, appeal):
        raise PermissionDenied
    return [{"at": e.at, "actor": e.actor_label, "action": e.action, "action_label": str(e.get_action_display()),
             "reason": e.reason} for e in selectors.timeline_for(appeal)]
