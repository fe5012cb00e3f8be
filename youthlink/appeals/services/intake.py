"""听结办, the first half: a request is heard (submitted by the young person, recorded by a cadre on a
visit, or collected by a micro-element on someone's behalf), reviewed by the township or village
secretary (published with a redacted text, kept private, merged into a duplicate, or rejected with a
reason), and taken on (claimed by a cadre or assigned by a secretary)."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from youthlink.accounts.access import reaches
from youthlink.accounts.models import Membership, Role
from youthlink.audit.models import AuditAction
from youthlink.audit.services import audit_record
from youthlink.core import crypto
from youthlink.core.identity import MOBILE_RE, normalize_mobile
from youthlink.core.registry import emit
from youthlink.notifications.services import notify
from youthlink.orgs.models import Node, NodeKind
from youthlink.people.selectors import people_for

from ..deadlines import add_working_days
from ..models import (ACTIVE_STATUSES, Appeal, AppealComment, Category, CollectedFrom, Kind, Level, Source,
                      Status)
from ..permissions import (HANDLE_ROLES, can_assign, can_be_assigned, can_claim, can_comment, can_review,
                           can_submit_at, reads_in_full, submit_sources, young_person_of)
from ..redaction import identifiers_for, leaks, redact
from ..search import index_fields, load_dictionary
from .common import detail_url, locked
from .groups import post_to_groups

TITLE_MIN, TITLE_MAX = 4, 80
BODY_MIN, BODY_MAX = 10, 2000
REASON_MIN, REASON_MAX = 4, 300
COMMENT_MAX = 500


def _handling_level(node: Node) -> tuple[Node, int]:
    """The level a new request is handled at: the township above its place (乡镇), or the county or
    city when it was recorded there."""
    if node.kind == NodeKind.TOWNSHIP:
        return node, Level.TOWNSHIP
    if node.kind == NodeKind.COUNTY:
        return node, Level.COUNTY
    if node.kind == NodeKind.CITY:
        return node, Level.CITY
    ancestors = {n.kind: n for n in Node.objects.filter(pk__in=node.ancestor_ids()[:-1])}
    for kind, level in ((NodeKind.TOWNSHIP, Level.TOWNSHIP), (NodeKind.COUNTY, Level.COUNTY),
                        (NodeKind.CITY, Level.CITY)):
        if kind in ancestors:
            return ancestors[kind], level
    return node, Level.TOWNSHIP


def _clean_text(value, field: str, low: int, high: int, label: str, errors: dict) -> str:
    text = " ".join((value or "").split()) if field == "title" else (value or "").strip()
    if len(text) < low:
        errors[field] = [_("%(label)s至少 %(n)d 个字") % {"label": label, "n": low}]
    elif len(text) > high:
        errors[field] = [_("%(label)s不超过 %(n)d 个字") % {"label": label, "n": high}]
    return text


def _staff_over(node: Node, roles, *, exclude=None) -> list[int]:
    """Users holding one of `roles` at the node or one of its ancestors, nearest first."""
    rows = (Membership.objects.filter(node_id__in=node.ancestor_ids(), role__in=list(roles), is_active=True,
                                      user__is_active=True)
            .select_related("node").order_by("-node__depth", "user_id"))
    return [m.user_id for m in rows if m.user_id != getattr(exclude, "pk", exclude)]


def _reviewers(node: Node) -> list[int]:
    """Who reviews: the secretaries of the village and township (乡镇团委书记、村团支部书记); the
    county's admins only where no secretary is appointed."""
    secretaries = _staff_over(node, {Role.SECRETARY})
    return secretaries or _staff_over(node, {Role.ADMIN})


def appeal_submit(*, actor, source: str, category: Category | None, title: str, body: str, node: Node | None = None,
                  kind: str = Kind.REQUEST, person=None, subject_name: str = "", is_minor: bool = False,
                  consent_to_publish: bool = False, consent_note: str = "", collected_from: str = "",
                  subject_mobile: str = "", visit_id: int | None = None) -> Appeal:
    """听结办: heard. A young person submits their own request; a cadre records one heard on a visit; a
    micro-element records one collected from their WeChat moments or contacts on someone's behalf,
    with where it came from and whether that person agreed to its publication (朋友圈计划). A young
    person already registered in the recorder's area can be named by their mobile number
    (`subject_mobile`, used to find the record, never stored here): they then follow the request,
    confirm and rate it. Every request waits for review; nothing is public yet."""
    if source not in submit_sources(actor):
        raise PermissionDenied
    errors: dict[str, list] = {}
    if kind not in Kind.values:
        errors["kind"] = [_("请选择类型")]
    if source == Source.SELF:
        person = young_person_of(actor)
        node = person.home_node
        subject_name = ""
        is_minor = person.is_minor
    else:
        if node is None or not can_submit_at(actor, node, source):
            errors["node"] = [_("请选择您辖区内的地点")]
        if subject_mobile and person is None:
            person = _person_by_mobile(actor, subject_mobile, errors)
        if person is not None and (node is None or not reaches(actor, person.home_node)):
            errors["person"] = [_("所选青年不在您的辖区内")]
        if person is not None:
            is_minor = bool(is_minor or person.is_minor)
            subject_name = ""
        subject_name = " ".join((subject_name or "").split())[:50]
    if source == Source.COLLECTED:
        if collected_from not in CollectedFrom.values:
            errors["collected_from"] = [_("请选择收集渠道")]
        if person is None and not subject_name:
            errors["subject_name"] = [_("请填写当事人（可只写姓氏，如“王女士”）")]
    else:
        collected_from = ""
    consent_note = " ".join((consent_note or "").split())[:120]
    if consent_to_publish and source != Source.SELF and not consent_note:
        errors["consent_note"] = [_("请说明当事人如何同意公开（如“本人微信同意”）")]
    if consent_to_publish and is_minor and source == Source.SELF and not consent_note:
        consent_note = _("本人同意")
    if category is None or (node is not None and not _category_allowed(category, node)):
        errors["category"] = [_("请选择类别")]
    title = _clean_text(title, "title", TITLE_MIN, TITLE_MAX, _("标题"), errors)
    body = _clean_text(body, "body", BODY_MIN, BODY_MAX, _("详细情况"), errors)
    if errors:
        raise ValidationError(errors)

    handling_node, level = _handling_level(node)
    appeal = Appeal(kind=kind, source=source, collected_from=collected_from, category=category, title=title,
                    body=body, node=node, node_path=node.path, handling_node=handling_node, level=level,
                    person=person, subject_name=subject_name, is_minor=is_minor,
                    consent_to_publish=bool(consent_to_publish), consent_note=consent_note,
                    submitted_by=actor, visit_id=visit_id)
    index_fields(appeal)  # words cut before the write lock is taken (search.load_dictionary)
    with transaction.atomic():
        appeal.save()
        audit_record(actor=actor, action=AuditAction.APPEAL_SUBMIT, target=appeal, node=node,
                     target_label=title, data={"source": source, "kind": kind})
        notify(users=_reviewers(node), kind="appeal.review", title=_("新诉求待审核：%(t)s") % {"t": title},
               body=f"{node.name} · {appeal.get_source_display()}", url=reverse("appeals:review_queue"),
               dedupe_key=f"appeal:{appeal.pk}:review")
    return appeal


def _person_by_mobile(actor, mobile: str, errors: dict):
    digits = normalize_mobile(mobile)
    if not MOBILE_RE.fullmatch(digits):
        errors["subject_mobile"] = [_("手机号格式不正确")]
        return None
    person = (people_for(actor).filter(mobile_hash=crypto.keyed_hash(digits, purpose="mobile"))
              .select_related("home_node").first())
    if person is None:
        errors["subject_mobile"] = [_("您的辖区内没有用这个手机号登记的青年；可不填手机号，只写当事人姓名")]
    return person


def _category_allowed(category: Category, node: Node) -> bool:
    return category.is_active and (category.county_id is None or category.county_id in node.ancestor_ids())


def _set_deadlines(appeal: Appeal, start) -> None:
    category = appeal.category
    appeal.response_due_at = add_working_days(start, category.response_days)
    days = category.complex_resolve_days if appeal.is_complex else category.resolve_days
    appeal.resolve_due_at = add_working_days(start, days)


def preview_public_text(appeal: Appeal) -> tuple[str, str]:
    """The redacted title and body the reviewer starts from."""
    ids = identifiers_for(appeal)
    return redact(appeal.title, ids), redact(appeal.body, ids)


def _review_start(actor, appeal: Appeal) -> Appeal:
    current = locked(appeal)
    if not can_review(actor, current):
        if current.status != Status.PENDING:
            raise ValidationError({"__all__": [_("该诉求已由他人审核，请刷新页面")]})
        raise PermissionDenied
    return current


def _notify_submitter(appeal: Appeal, title: str, body: str = "") -> None:
    users = {appeal.submitted_by_id}
    if appeal.person_id and appeal.person.user_id:
        users.add(appeal.person.user_id)
    notify(users=users, kind="appeal.status", title=title, body=body, url=detail_url(appeal))


def _notify_handlers(appeal: Appeal) -> None:
    """The cadres over the handling level learn that a request waits to be taken on, and so do the
    groups of that committee (its robots and lists)."""
    notify(users=_staff_over(appeal.handling_node, HANDLE_ROLES), kind="appeal.open",
           title=_("新诉求待认领：%(t)s") % {"t": appeal.display_title}, url=detail_url(appeal),
           dedupe_key=f"appeal:{appeal.pk}:open:{appeal.level}")
    post_to_groups(appeal=appeal, node=appeal.handling_node, title=gettext_noop("新诉求待认领：%(title)s"),
                   dedupe_key=f"appeal:{appeal.pk}:open:{appeal.level}")


def appeal_publish(*, actor, appeal: Appeal, public_title: str, public_body: str, is_complex: bool = False) -> Appeal:
    """审核发布: the secretary approves the request for the 青联圈 feed with the public text they
    checked. The text is checked again for names and numbers; a request whose person did not agree
    to publication can only be kept private."""
    errors: dict[str, list] = {}
    load_dictionary()
    with transaction.atomic():
        appeal = _review_start(actor, appeal)
        if not appeal.consent_to_publish:
            raise ValidationError({"__all__": [_("当事人未同意公开，只能选择“不公开办理”")]})
        public_title = _clean_text(public_title, "public_title", TITLE_MIN, TITLE_MAX, _("公开标题"), errors)
        public_body = _clean_text(public_body, "public_body", BODY_MIN, BODY_MAX, _("公开内容"), errors)
        ids = identifiers_for(appeal)
        for field, text in (("public_title", public_title), ("public_body", public_body)):
            found = leaks(text, ids)
            if found and field not in errors:
                errors[field] = [_("公开内容中仍含有：%(what)s，请删除或打码") % {"what": "、".join(found)}]
        if errors:
            raise ValidationError(errors)
        now = timezone.now()
        appeal.public_title, appeal.public_body = public_title, public_body
        appeal.is_public, appeal.published_at = True, now
        _approve(actor, appeal, now, is_complex)
        audit_record(actor=actor, action=AuditAction.APPEAL_PUBLISH, target=appeal, node=appeal.node,
                     target_label=public_title,
                     data={"edited": (public_title, public_body) != preview_public_text(appeal)})
        _notify_submitter(appeal, _("您的诉求已审核发布：%(t)s") % {"t": public_title})
        _notify_handlers(appeal)
    return appeal


def _approve(actor, appeal: Appeal, now, is_complex: bool) -> None:
    appeal.status = Status.OPEN
    appeal.is_complex = bool(is_complex)
    appeal.reviewed_by, appeal.reviewed_at = actor, now
    _set_deadlines(appeal, now)
    index_fields(appeal)
    appeal.save()


def appeal_keep_private(*, actor, appeal: Appeal, is_complex: bool = False) -> Appeal:
    """审核：不公开办理 — handled like any other, never shown in the feed (illness, family hardship …)."""
    load_dictionary()
    with transaction.atomic():
        appeal = _review_start(actor, appeal)
        now = timezone.now()
        appeal.is_public = False
        _approve(actor, appeal, now, is_complex)
        audit_record(actor=actor, action=AuditAction.APPEAL_KEEP_PRIVATE, target=appeal, node=appeal.node,
                     target_label=appeal.title)
        _notify_submitter(appeal, _("您的诉求已受理（不公开办理）：%(t)s") % {"t": appeal.title})
        _notify_handlers(appeal)
    return appeal


def appeal_merge(*, actor, appeal: Appeal, into: Appeal) -> Appeal:
    """合并: a duplicate of a request already open goes into it; its submitter follows the other one."""
    with transaction.atomic():
        appeal = _review_start(actor, appeal)
        if into is None or into.pk == appeal.pk or not reads_in_full(actor, into) \
                or into.status not in (*ACTIVE_STATUSES, Status.RESOLVED):
            raise ValidationError({"into": [_("只能合并到您辖区内尚未办结的诉求")]})
        appeal.status, appeal.merged_into = Status.MERGED, into
        appeal.reviewed_by, appeal.reviewed_at = actor, timezone.now()
        appeal.save()
        audit_record(actor=actor, action=AuditAction.APPEAL_MERGE, target=appeal, node=appeal.node,
                     target_label=appeal.title, data={"into": into.pk})
        _notify_submitter(appeal, _("您的诉求与已有诉求相同，已合并办理"), into.display_title)
    return appeal


def appeal_reject(*, actor, appeal: Appeal, reason: str) -> Appeal:
    """审核不通过, with a reason the submitter reads."""
    reason = " ".join((reason or "").split())
    with transaction.atomic():
        appeal = _review_start(actor, appeal)
        if not REASON_MIN <= len(reason) <= REASON_MAX:
            raise ValidationError({"reason": [_("请填写不通过的原因（%(a)d–%(b)d 字），提交人会看到") %
                                              {"a": REASON_MIN, "b": REASON_MAX}]})
        appeal.status, appeal.reject_reason = Status.REJECTED, reason
        appeal.reviewed_by, appeal.reviewed_at = actor, timezone.now()
        appeal.save()
        audit_record(actor=actor, action=AuditAction.APPEAL_REJECT, target=appeal, node=appeal.node,
                     target_label=appeal.title, reason=reason)
        _notify_submitter(appeal, _("您的诉求未通过审核：%(t)s") % {"t": appeal.title}, reason)
    return appeal


def _take_on(appeal: Appeal, handler, now, *, only_unclaimed: bool) -> bool:
    """One conditional UPDATE: of two cadres claiming at the same moment exactly one changes the row."""
    qs = Appeal.objects.filter(pk=appeal.pk, status__in=ACTIVE_STATUSES)
    if only_unclaimed:
        qs = qs.filter(status=Status.OPEN, handler__isnull=True)
    changed = qs.update(status=Status.IN_PROGRESS, handler=handler, claimed_at=now,
                        first_response_at=Coalesce(F("first_response_at"), now), updated_at=now) == 1
    if changed:
        # an UPDATE sends no post_save: tell the figures that count requests (time to first response)
        emit("records.changed", instances=[appeal])
    return changed


def appeal_claim(*, actor, appeal: Appeal) -> Appeal:
    """认领: a cadre over the handling level takes the request on. When two claim at once, one wins and
    the other is told who was first."""
    if not can_claim(actor, appeal):
        appeal.refresh_from_db()
        if appeal.handler_id is not None or appeal.status != Status.OPEN:
            raise ValidationError({"__all__": [_("该诉求已被认领或不在待认领状态")]})
        raise PermissionDenied
    now = timezone.now()
    with transaction.atomic():
        if not _take_on(appeal, actor, now, only_unclaimed=True):
            winner = Appeal.objects.filter(pk=appeal.pk).values_list("handler__name", flat=True).first()
            raise ValidationError({"__all__": [_("该诉求刚刚已被%(who)s认领") % {"who": winner or _("他人")}]})
        appeal.refresh_from_db()
        audit_record(actor=actor, action=AuditAction.APPEAL_CLAIM, target=appeal, node=appeal.node,
                     target_label=appeal.display_title)
        _notify_submitter(appeal, _("您的诉求已有团干部认领办理：%(t)s") % {"t": appeal.display_title},
                          actor.display_name)
    return appeal


def appeal_assign(*, actor, appeal: Appeal, assignee) -> Appeal:
    """指派: a secretary or admin gives the request to a cadre over the handling level (or hands it on)."""
    if not can_assign(actor, appeal):
        raise PermissionDenied
    if assignee is None or not can_be_assigned(assignee, appeal):
        raise ValidationError({"assignee": [_("只能指派给负责该层级的团干部")]})
    if assignee.pk == appeal.handler_id:
        raise ValidationError({"assignee": [_("该诉求已由此人办理")]})
    now = timezone.now()
    with transaction.atomic():
        if not _take_on(appeal, assignee, now, only_unclaimed=False):
            raise ValidationError({"__all__": [_("该诉求已办结或不在办理中，无法指派")]})
        previous = appeal.handler_id
        appeal.refresh_from_db()
        audit_record(actor=actor, action=AuditAction.APPEAL_ASSIGN, target=appeal, node=appeal.node,
                     target_label=appeal.display_title,
                     data={"assignee": assignee.pk, "assignee_name": assignee.display_name, "previous": previous})
        notify(users=[assignee], kind="appeal.assigned",
               title=_("您被指派办理诉求：%(t)s") % {"t": appeal.display_title}, url=detail_url(appeal))
    return appeal


def appeal_comment(*, actor, appeal: Appeal, body: str) -> AppealComment:
    """A comment under a published request in the feed (评论)."""
    if not can_comment(actor, appeal):
        raise PermissionDenied
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": [_("请输入评论内容")]})
    if len(body) > COMMENT_MAX:
        raise ValidationError({"body": [_("评论不超过 %(n)d 个字") % {"n": COMMENT_MAX}]})
    with transaction.atomic():
        comment = AppealComment.objects.create(appeal=appeal, author=actor, body=body)
        audit_record(actor=actor, action=AuditAction.APPEAL_COMMENT, target=appeal, node=appeal.node,
                     target_label=appeal.display_title, data={"comment": comment.pk})
    return comment
