"""Handling a published request (听结办 after it is taken on): escalating it to the county or city
(上报), routing it to a resource partner (资源对接), replying while it is handled, recording what was
done (办结, with photos), and the young person's confirmation and rating (确认并评价), or "not
solved", which reopens it. Two periodic jobs: overdue requests escalate one level automatically,
once; a request resolved but not confirmed within 7 days closes as "solved, unconfirmed"."""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from youthlink.accounts.models import Membership, Role
from youthlink.audit.models import AuditAction
from youthlink.audit.services import audit_record
from youthlink.core import photos as photo_files
from youthlink.notifications.services import notify
from youthlink.orgs.models import Node, NodeKind

from .. import matching
from ..deadlines import LOCAL_TZ, add_working_days
from ..models import (ACTIVE_STATUSES, CONFIRM_DAYS, Appeal, AppealPhoto, AppealReferral, AppealUpdate, Level,
                      PartnerKind, Status, UpdateKind)
from ..permissions import (can_confirm, can_escalate, can_refer, can_resolve, can_respond, confirmer_id)
from .common import detail_url, locked
from .groups import post_to_groups

PHOTO_FOLDER = "appeals"
MAX_NOTE_LENGTH = 1000
MAX_BODY_LENGTH = 5000
MAX_COMMENT_LENGTH = 500
# The level above each level, and the kind of node that committee sits at.
UPPER_LEVEL = {Level.TOWNSHIP: (Level.COUNTY, NodeKind.COUNTY), Level.COUNTY: (Level.CITY, NodeKind.CITY)}


def _label(appeal: Appeal) -> str:
    return appeal.display_title


def _text(value, field: str, *, required: str, limit: int, errors: dict) -> str:
    text = (value or "").strip()
    if not text:
        errors[field] = [required]
    elif len(text) > limit:
        errors[field] = [_("不超过 %(n)d 字") % {"n": limit}]
    return text


def _message(value) -> str:
    """A notification text: (msgid, params) is translated when sent; a plain string (what someone
    wrote) is sent as it is."""
    if isinstance(value, tuple):
        msgid, params = value
        return _(msgid) % params
    return str(value)


def _send(*, users, kind: str, title, body="", url: str = "", dedupe_key: str = "", sender=None) -> None:
    """A notification after commit, in the site's language whatever the sender's (the county admin
    reads Chinese even if the township secretary browses in English; a job has no language). No one
    is told of what they did themselves."""
    users = [pk for pk in users if pk is not None and pk != getattr(sender, "pk", None)]

    def send():
        with translation.override(settings.LANGUAGE_CODE):
            notify(users=users, kind=kind, title=_message(title), body=_message(body), url=url, dedupe_key=dedupe_key)
    transaction.on_commit(send)


def _admins_at(node: Node) -> list[int]:
    return list(Membership.objects.filter(node=node, role=Role.ADMIN, is_active=True, user__is_active=True)
                .values_list("user_id", flat=True))


def _upper_node(appeal: Appeal) -> tuple[int, Node] | None:
    """The level above the request's current one and the node of that committee (the county or city
    above the request's place), or None at the top or where the tree has no such node."""
    upper = UPPER_LEVEL.get(appeal.level)
    if upper is None:
        return None
    level, kind = upper
    node = Node.objects.filter(pk__in=appeal.node.ancestor_ids(), kind=kind).order_by("-depth").first()
    return (level, node) if node is not None else None


def _move_up(appeal: Appeal, level: int, node: Node, now: dt.datetime) -> None:
    appeal.level = level
    appeal.handling_node = node
    appeal.handler = None
    appeal.claimed_at = None
    appeal.status = Status.OPEN
    appeal.escalated_at = now


def appeal_escalate(*, actor, appeal: Appeal, note: str) -> Appeal:
    """上报: the handling side passes the request up a level (township → county → city) with a note
    on why; the upper committee's admins are told, and it waits there to be taken on (认领) or routed
    to a resource partner. Its deadlines stay: the young person has waited as long as they have."""
    if not can_escalate(actor, appeal):
        raise PermissionDenied
    errors: dict = {}
    note = _text(note, "note", required=_("请填写上报说明：为什么需要上级协调"), limit=MAX_NOTE_LENGTH, errors=errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        appeal = locked(appeal)
        if not can_escalate(actor, appeal):
            raise PermissionDenied
        upper = _upper_node(appeal)
        if upper is None:
            raise ValidationError({"note": [_("没有可以上报的上级组织")]})
        level, node = upper
        from_level, now = appeal.level, timezone.now()
        _move_up(appeal, level, node, now)
        appeal.save(update_fields=["level", "handling_node", "handler", "claimed_at", "status", "escalated_at",
                                   "updated_at"])
        AppealUpdate.objects.create(appeal=appeal, author=actor, kind=UpdateKind.ESCALATION, body=note)
        audit_record(actor=actor, action=AuditAction.APPEAL_ESCALATE, target=appeal, node=appeal.node,
                     target_label=_label(appeal),
                     data={"from_level": from_level, "to_level": level, "handling_node_id": node.pk})
        _send(users=_admins_at(node), kind="appeals.escalated", sender=actor,
              title=(gettext_noop("%(node)s 上报了一件诉求：%(title)s"), {"node": appeal.node.name, "title": _label(appeal)}),
              body=note, url=detail_url(appeal), dedupe_key=f"appeals.escalated:{appeal.pk}:{level}")
        post_to_groups(appeal=appeal, node=node, title=gettext_noop("下级上报诉求，请协调：%(title)s"),
                       dedupe_key=f"appeals.escalated:{appeal.pk}:{level}")
    return appeal


def appeal_refer(*, actor, appeal: Appeal, partner_kind: str, partner_id, note: str = "") -> AppealReferral:
    """资源对接: route the request to a resource partner of the handling level's area. The reasons
    the partner was suggested (sector, past results, distance) are kept on the referral; a partner
    who has an account is told."""
    if not can_refer(actor, appeal):
        raise PermissionDenied
    errors: dict = {}
    note = (note or "").strip()
    if len(note) > MAX_NOTE_LENGTH:
        errors["note"] = [_("不超过 %(n)d 字") % {"n": MAX_NOTE_LENGTH}]
    if partner_kind not in PartnerKind.values:
        errors["partner_kind"] = [_("请选择资源方类型")]
        raise ValidationError(errors)
    candidate = matching.find_candidate(appeal, partner_kind, partner_id)
    if candidate is None:
        errors["partner_id"] = [_("所选资源方不在本级辖区内")]
    elif candidate.referred:
        errors["partner_id"] = [_("已经转交给这位资源方")]
    if errors:
        raise ValidationError(errors)
    partner = candidate.object
    with transaction.atomic():
        appeal = locked(appeal)
        if not can_refer(actor, appeal):
            raise PermissionDenied
        referral = AppealReferral.objects.create(
            appeal=appeal, partner_kind=partner_kind, created_by=actor, note=note, reason=candidate.reason[:300],
            person=partner if partner_kind in matching.PERSON_PARTNER_KINDS else None,
            social_org=partner if partner_kind == PartnerKind.SOCIAL_ORG else None,
            centre=partner if partner_kind == PartnerKind.YOUTH_CENTRE else None)
        body = _("转交%(kind)s：%(name)s") % {"kind": candidate.kind_label, "name": partner.name}
        AppealUpdate.objects.create(appeal=appeal, author=actor, kind=UpdateKind.REFERRAL,
                                    body=f"{body}\n{note}" if note else body)
        audit_record(actor=actor, action=AuditAction.APPEAL_REFER, target=appeal, node=appeal.node,
                     target_label=_label(appeal),
                     data={"referral_id": referral.pk, "partner_kind": partner_kind, "partner_id": partner.pk,
                           "score": candidate.score})
        partner_user = getattr(partner, "user_id", None) if partner_kind in matching.PERSON_PARTNER_KINDS else None
        if partner_user:
            _send(users=[partner_user], kind="appeals.referred", sender=actor,
                  title=(gettext_noop("%(org)s 请您协助一件诉求：%(title)s"),
                         {"org": appeal.handling_node.name, "title": appeal.public_title or appeal.category.name}),
                  body=note or candidate.reason, url="", dedupe_key=f"appeals.referred:{referral.pk}")
    return referral


def appeal_respond(*, actor, appeal: Appeal, body: str) -> AppealUpdate:
    """答复: a reply or progress note while the request is handled. The first one answers the
    request (首次响应) and stops the response clock; the young person is told each time."""
    if not can_respond(actor, appeal):
        raise PermissionDenied
    errors: dict = {}
    body = _text(body, "body", required=_("请填写答复内容"), limit=MAX_BODY_LENGTH, errors=errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        appeal = locked(appeal)
        if not can_respond(actor, appeal):
            raise PermissionDenied
        first = appeal.first_response_at is None
        if first:
            appeal.first_response_at = timezone.now()
            appeal.save(update_fields=["first_response_at", "updated_at"])
        update = AppealUpdate.objects.create(appeal=appeal, author=actor, body=body,
                                             kind=UpdateKind.RESPONSE if first else UpdateKind.PROGRESS)
        audit_record(actor=actor, action=AuditAction.APPEAL_RESPOND, target=appeal, node=appeal.node,
                     target_label=_label(appeal), data={"update_id": update.pk, "first": first})
        _send(users=[confirmer_id(appeal)], kind="appeals.response", sender=actor,
              title=(gettext_noop("您的诉求有了新答复：%(title)s"), {"title": _label(appeal)}), body=body[:200],
              url=detail_url(appeal))
    return update


def appeal_resolve(*, actor, appeal: Appeal, body: str, photos=()) -> AppealUpdate:
    """办结: the handler records what was done, with photos (stored without EXIF or GPS data), and
    the young person (or whoever submitted it for them) is asked to confirm and rate it."""
    if not can_resolve(actor, appeal):
        raise PermissionDenied
    errors: dict = {}
    body = _text(body, "body", required=_("请填写办理结果：做了什么、结果如何"), limit=MAX_BODY_LENGTH, errors=errors)
    processed = []
    try:
        processed = photo_files.process_all([p for p in photos or () if p is not None])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    stored: list[str] = []
    try:
        with transaction.atomic():
            appeal = locked(appeal)
            if not can_resolve(actor, appeal):
                raise PermissionDenied
            now = timezone.now()
            appeal.status = Status.RESOLVED
            appeal.resolved_at = now
            appeal.first_response_at = appeal.first_response_at or now
            appeal.save(update_fields=["status", "resolved_at", "first_response_at", "updated_at"])
            update = AppealUpdate.objects.create(appeal=appeal, author=actor, kind=UpdateKind.RESOLUTION, body=body)
            day = timezone.localtime(now, LOCAL_TZ).date()
            for i, photo in enumerate(processed):
                stored.append(photo_files.store(photo, folder=PHOTO_FOLDER, day=day))
                AppealPhoto.objects.create(update=update, image=stored[-1], width=photo.width, height=photo.height,
                                           size=photo.size, position=i)
            audit_record(actor=actor, action=AuditAction.APPEAL_RESOLVE, target=appeal, node=appeal.node,
                         target_label=_label(appeal), data={"update_id": update.pk, "photos": len(processed)})
            _send(users=[confirmer_id(appeal)], kind="appeals.resolved", sender=actor,
                  title=(gettext_noop("您的诉求已办结，请确认并评价：%(title)s"), {"title": _label(appeal)}),
                  body=(gettext_noop("%(days)d 天内未确认将按“已解决（未确认）”办结。"), {"days": CONFIRM_DAYS}),
                  url=reverse("appeals:confirm", args=[appeal.pk]), dedupe_key=f"appeals.resolved:{update.pk}")
    except BaseException:
        photo_files.remove(stored)
        raise
    return update


def appeal_confirm(*, actor, appeal: Appeal, solved: bool, rating: int | None = None, comment: str = "") -> Appeal:
    """确认并评价: the young person (or the submitter, for someone without an account) says whether
    the request is solved. Solved: closed with a rating of 1–5 and a comment. Not solved: it goes
    back to the handler (办理中) with the reason, and gets a new resolution deadline."""
    if not can_confirm(actor, appeal):
        raise PermissionDenied
    errors: dict = {}
    comment = (comment or "").strip()
    if solved:
        if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
            errors["rating"] = [_("请打 1 到 5 星")]
        if len(comment) > MAX_COMMENT_LENGTH:
            errors["comment"] = [_("不超过 %(n)d 字") % {"n": MAX_COMMENT_LENGTH}]
    else:
        comment = _text(comment, "comment", required=_("请说明哪里还没有解决"), limit=MAX_COMMENT_LENGTH, errors=errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        appeal = locked(appeal)
        if not can_confirm(actor, appeal):
            raise PermissionDenied
        now = timezone.now()
        if solved:
            appeal.status = Status.SOLVED
            appeal.closed_at = now
            appeal.rating = rating
            appeal.rating_comment = comment
            appeal.save(update_fields=["status", "closed_at", "rating", "rating_comment", "updated_at"])
            audit_record(actor=actor, action=AuditAction.APPEAL_CONFIRM, target=appeal, node=appeal.node,
                         target_label=_label(appeal), data={"rating": rating})
            title = (gettext_noop("诉求已确认解决，评价 %(n)d 星：%(title)s"), {"n": rating, "title": _label(appeal)})
        else:
            days = appeal.category.complex_resolve_days if appeal.is_complex else appeal.category.resolve_days
            appeal.status = Status.IN_PROGRESS
            appeal.resolved_at = None
            appeal.reopen_count = F("reopen_count") + 1
            appeal.resolve_due_at = add_working_days(now, days)
            appeal.save(update_fields=["status", "resolved_at", "reopen_count", "resolve_due_at", "updated_at"])
            appeal.refresh_from_db(fields=["reopen_count"])
            AppealUpdate.objects.create(appeal=appeal, author=actor, kind=UpdateKind.REOPEN, body=comment)
            audit_record(actor=actor, action=AuditAction.APPEAL_REOPEN, target=appeal, node=appeal.node,
                         target_label=_label(appeal), data={"reopen_count": appeal.reopen_count})
            title = (gettext_noop("青年反馈诉求未解决，请继续办理：%(title)s"), {"title": _label(appeal)})
        if appeal.handler_id:
            _send(users=[appeal.handler_id], kind="appeals.confirmed" if solved else "appeals.reopened", sender=actor,
                  title=title, body=comment[:200], url=detail_url(appeal))
    return appeal


# --- periodic jobs ---------------------------------------------------------------------------------

def _overdue_q(now: dt.datetime) -> Q:
    """Past the resolution deadline, or past the response deadline without any response."""
    return Q(resolve_due_at__lt=now) | Q(first_response_at__isnull=True, response_due_at__lt=now)


def appeals_escalate_overdue(*, now: dt.datetime | None = None) -> int:
    """逾期自动上报: every request still being handled (待认领 or 办理中) past its resolution deadline,
    or past its response deadline without a response, goes up one level once, and the upper
    committee's admins and the handler are told. At the city level there is nothing above: its
    admins are told. Never twice: `overdue_escalated_at` marks it, and a second run finds nothing.
    Returns how many requests it handled."""
    now = now or timezone.now()
    ids = list(Appeal.objects.filter(_overdue_q(now), status__in=ACTIVE_STATUSES, overdue_escalated_at__isnull=True)
               .order_by("id").values_list("id", flat=True))
    done = 0
    for pk in ids:
        with transaction.atomic():
            appeal = (Appeal.objects.select_for_update(of=("self",))
                      .select_related("category", "node", "handling_node")
                      .filter(_overdue_q(now), pk=pk, status__in=ACTIVE_STATUSES, overdue_escalated_at__isnull=True)
                      .first())
            if appeal is None:  # taken care of meanwhile, or by a concurrent run
                continue
            reason = "resolve" if appeal.resolve_due_at and appeal.resolve_due_at < now else "response"
            from_level, handler_id = appeal.level, appeal.handler_id
            upper = _upper_node(appeal)
            appeal.overdue_escalated_at = now
            fields = ["overdue_escalated_at", "updated_at"]
            if upper is not None:
                level, node = upper
                _move_up(appeal, level, node, now)
                fields += ["level", "handling_node", "handler", "claimed_at", "status", "escalated_at"]
            appeal.save(update_fields=fields)
            audit_record(actor=None, action=AuditAction.APPEAL_AUTO_ESCALATE, target=appeal, node=appeal.node,
                         target_label=_label(appeal),
                         data={"from_level": from_level, "to_level": appeal.level, "reason": reason,
                               "handling_node_id": appeal.handling_node_id})
            overdue = _("超过办结时限") if reason == "resolve" else _("超过首次响应时限")
            if upper is not None:
                title = (gettext_noop("逾期诉求已自动上报：%(title)s"), {"title": _label(appeal)})
            else:
                title = (gettext_noop("市级诉求已逾期，请督办：%(title)s"), {"title": _label(appeal)})
            post_to_groups(appeal=appeal, node=appeal.handling_node,
                           title=gettext_noop("逾期诉求，请督办：%(title)s"), dedupe_key=f"appeals.overdue:{appeal.pk}")
            users = set(_admins_at(appeal.handling_node)) | ({handler_id} if handler_id else set())
            _send(users=users, kind="appeals.overdue", title=title,
                  body=(gettext_noop("%(node)s · %(category)s · %(why)s"),
                        {"node": appeal.node.name, "category": appeal.category.name, "why": overdue}),
                  url=detail_url(appeal), dedupe_key=f"appeals.overdue:{appeal.pk}")
            done += 1
    return done


def appeals_close_unconfirmed(*, now: dt.datetime | None = None) -> int:
    """已解决（未确认）: a request resolved 7 or more days ago that the young person neither confirmed
    nor reopened closes on its own; it is counted apart from the confirmed ones. Returns how many."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=CONFIRM_DAYS)
    ids = list(Appeal.objects.filter(status=Status.RESOLVED, resolved_at__lte=cutoff).order_by("id")
               .values_list("id", flat=True))
    done = 0
    for pk in ids:
        with transaction.atomic():
            appeal = (Appeal.objects.select_for_update(of=("self",)).select_related("node")
                      .filter(pk=pk, status=Status.RESOLVED, resolved_at__lte=cutoff).first())
            if appeal is None:
                continue
            appeal.status = Status.SOLVED_UNCONFIRMED
            appeal.closed_at = now
            appeal.save(update_fields=["status", "closed_at", "updated_at"])
            audit_record(actor=None, action=AuditAction.APPEAL_AUTO_CLOSE, target=appeal, node=appeal.node,
                         target_label=_label(appeal), data={"resolved_at": appeal.resolved_at.isoformat()})
            done += 1
    return done
