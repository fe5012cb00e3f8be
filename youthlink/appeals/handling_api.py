"""The handling API (听结办): the same services as the pages (session auth, JSON), under /api/appeals.

The result with photos goes to POST /api/appeals/{id}/resolution as multipart/form-data (field
`body`, and `photos` repeated); everything else is JSON."""
import datetime as dt

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from ninja import File, Form, Router, Schema, Status, UploadedFile

from . import selectors
from .deadlines import current_deadline
from .matching import partner_suggestions
from .permissions import can_refer
from .services.handling import appeal_confirm, appeal_escalate, appeal_refer, appeal_resolve, appeal_respond

router = Router(tags=["诉求办理"])


class AppealStateOut(Schema):
    id: int
    status: str
    status_label: str
    level: int
    level_label: str
    handling_node_id: int
    handling_node_name: str
    handler_id: int | None
    response_due_at: dt.datetime | None
    resolve_due_at: dt.datetime | None
    first_response_at: dt.datetime | None
    overdue_escalated_at: dt.datetime | None
    resolved_at: dt.datetime | None
    closed_at: dt.datetime | None
    deadline: str | None  # "response" or "resolve": the deadline that counts now
    deadline_state: str  # "", "ok", "soon" (yellow), "overdue" (red)
    rating: int | None
    reopen_count: int


class PhotoOut(Schema):
    id: int
    url: str
    width: int
    height: int


class UpdateOut(Schema):
    id: int
    kind: str
    kind_label: str
    body: str
    author_id: int
    created_at: dt.datetime
    photos: list[PhotoOut]


class SuggestionOut(Schema):
    kind: str
    kind_label: str
    partner_id: int
    name: str
    score: float
    reasons: list[str]
    distance_km: float | None
    solved: int
    average_rating: float | None


class ReferralOut(Schema):
    id: int
    partner_kind: str
    partner_id: int
    partner_name: str
    reason: str
    note: str
    created_at: dt.datetime


class EscalateIn(Schema):
    note: str = ""


class ReferIn(Schema):
    partner_kind: str
    partner_id: int
    note: str = ""


class RespondIn(Schema):
    body: str = ""


class ConfirmIn(Schema):
    solved: bool
    rating: int | None = None
    comment: str = ""


def state_out(appeal) -> dict:
    deadline = current_deadline(appeal)
    return {
        "id": appeal.pk, "status": appeal.status, "status_label": appeal.status_label,
        "level": appeal.level, "level_label": str(appeal.get_level_display()),
        "handling_node_id": appeal.handling_node_id, "handling_node_name": appeal.handling_node.name,
        "handler_id": appeal.handler_id, "response_due_at": appeal.response_due_at,
        "resolve_due_at": appeal.resolve_due_at, "first_response_at": appeal.first_response_at,
        "overdue_escalated_at": appeal.overdue_escalated_at, "resolved_at": appeal.resolved_at,
        "closed_at": appeal.closed_at, "deadline": deadline.kind if deadline else None,
        "deadline_state": deadline.state if deadline else "", "rating": appeal.rating,
        "reopen_count": appeal.reopen_count,
    }


def update_out(update, photos=()) -> dict:
    return {"id": update.pk, "kind": update.kind, "kind_label": str(update.get_kind_display()), "body": update.body,
            "author_id": update.author_id, "created_at": update.created_at,
            "photos": [{"id": p.pk, "url": reverse("appeals:update_photo", args=[p.pk]), "width": p.width,
                        "height": p.height} for p in photos]}


@router.post("/{int:appeal_id}/escalate", response=AppealStateOut)
def escalate_appeal(request, appeal_id: int, payload: EscalateIn):
    """上报: township → county → city, with a note. The upper committee's admins are notified."""
    appeal = selectors.get_appeal_for(request.user, appeal_id)
    return state_out(appeal_escalate(actor=request.user, appeal=appeal, note=payload.note))


@router.get("/{int:appeal_id}/partners", response=list[SuggestionOut])
def appeal_partners(request, appeal_id: int, limit: int = 10):
    """Resource partners suggested for the request, best first, with the reasons for each."""
    appeal = selectors.get_appeal_for(request.user, appeal_id)
    if not can_refer(request.user, appeal):
        raise PermissionDenied
    return [{"kind": s.kind, "kind_label": s.kind_label, "partner_id": s.partner_id, "name": s.name,
             "score": s.score, "reasons": s.reasons, "distance_km": s.distance_km, "solved": s.solved,
             "average_rating": s.average_rating}
            for s in partner_suggestions(appeal, limit=max(1, min(limit, 50)))]


@router.post("/{int:appeal_id}/referrals", response={201: ReferralOut})
def refer_appeal(request, appeal_id: int, payload: ReferIn):
    """资源对接: route the request to one of the suggested partners."""
    appeal = selectors.get_appeal_for(request.user, appeal_id)
    referral = appeal_refer(actor=request.user, appeal=appeal, partner_kind=payload.partner_kind,
                            partner_id=payload.partner_id, note=payload.note)
    partner = referral.person or referral.social_org or referral.centre
    return Status(201, {"id": referral.pk, "partner_kind": referral.partner_kind, "partner_id": partner.pk,
                        "partner_name": partner.name, "reason": referral.reason, "note": referral.note,
                        "created_at": referral.created_at})


@router.post("/{int:appeal_id}/responses", response={201: UpdateOut})
def respond_appeal(request, appeal_id: int, payload: RespondIn):
    """A reply or progress note; the first one stops the response clock."""
    appeal = selectors.get_appeal_for(request.user, appeal_id)
    return Status(201, update_out(appeal_respond(actor=request.user, appeal=appeal, body=payload.body)))


@router.post("/{int:appeal_id}/resolution", response={201: UpdateOut})
def resolve_appeal(request, appeal_id: int, body: Form[str] = "", photos: File[list[UploadedFile]] = None):
    """办结 (multipart/form-data): what was done (`body`) and photos (`photos`, at most 9, 10 MB each,
    stored as a JPEG of at most 1600 px without EXIF or GPS data)."""
    appeal = selectors.get_appeal_for(request.user, appeal_id)
    update = appeal_resolve(actor=request.user, appeal=appeal, body=body, photos=photos or [])
    return Status(201, update_out(update, update.photos.order_by("position", "id")))


@router.post("/{int:appeal_id}/confirmation", response=AppealStateOut)
def confirm_appeal(request, appeal_id: int, payload: ConfirmIn):
    """确认并评价 by the young person: solved with a rating of 1–5, or not solved with the reason."""
    appeal = selectors.get_appeal_for(request.user, appeal_id)
    return state_out(appeal_confirm(actor=request.user, appeal=appeal, solved=payload.solved, rating=payload.rating,
                                    comment=payload.comment))
