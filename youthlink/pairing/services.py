"""Writes for 结对帮扶 and 三必到三必访. Each transition is one function here; the pages and the API
both call it. In-app notifications are rows written inside the same transaction as the change they
announce, so a task is escalated and announced together or not at all."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from youthlink.accounts.models import Membership, Role, User
from youthlink.audit.models import AuditAction
from youthlink.audit.services import audit_record
from youthlink.notifications.services import channel_post, notify
from youthlink.orgs.models import Node
from youthlink.people.models import Tag, YoungPerson

from . import permissions
from .models import (MAX_DEADLINE_DAYS, MIN_DEADLINE_DAYS, EventType, MustVisitEvent, MustVisitRule, MustVisitTask,
                     Pairing, TaskStatus)
from .selectors import county_of, helper_membership_over, rules_for

# Audit actions (audit.AuditAction lists the core's; these are pairing's own).
AUDIT_PAIRING_CREATE = AuditAction.PAIRING_CREATE
AUDIT_PAIRING_END = AuditAction.PAIRING_END
AUDIT_EVENT_RECORD = AuditAction.PAIRING_EVENT
AUDIT_TASKS_CLOSE = AuditAction.PAIRING_TASKS_CLOSE
AUDIT_TASK_ESCALATE = AuditAction.PAIRING_ESCALATE
AUDIT_RULES_SET = AuditAction.PAIRING_RULES

NOTE_MAX_LENGTH = 500
REASON_MAX_LENGTH = 200


def _pairing_url(pairing_id: int) -> str:
    return reverse("pairing:detail", args=[pairing_id])


# --- 结对 -------------------------------------------------------------------------------------

@transaction.atomic
def pairing_create(*, actor: User, person: YoungPerson, helper: User) -> Pairing:
    """结对: a secretary or admin pairs a cadre or micro-element of the same county with a young
    person in difficulty (困难青少年) in their own subtree."""
    if not permissions.can_pair_at(actor, person.home_node):
        raise PermissionDenied
    if not person.tags.filter(tag=Tag.HARDSHIP).exists():
        raise ValidationError({"person": _("只能与困难青少年结对：请先在青年档案中标记“困难青少年”")})
    membership = (helper_membership_over(helper, person.home_node)
                  if helper is not None and helper.is_active else None)
    if membership is None:
        raise ValidationError({"helper": _("结对人须为%(person)s所在地（%(place)s）的团干部或微元素") % {
            "person": person.name, "place": person.home_node.name}})
    duplicate = _("%(helper)s已与%(person)s结对，不能重复结对") % {"helper": helper.display_name, "person": person.name}
    if Pairing.objects.filter(helper=helper, person=person, is_active=True).exists():
        raise ValidationError({"helper": duplicate})
    try:
        with transaction.atomic():
            pairing = Pairing.objects.create(helper=helper, helper_role=membership.role, helper_node=membership.node,
                                             person=person, created_by=actor)
    except IntegrityError:  # the same pair, submitted twice at once
        raise ValidationError({"helper": duplicate}) from None
    audit_record(actor=actor, action=AUDIT_PAIRING_CREATE, target=pairing, node=person.home_node,
                 target_label=str(pairing), data={"helper_id": helper.pk, "person_id": person.pk})
    notify(users=[helper], kind="pairing.created", title=_("您已与%(person)s结对") % {"person": person.name},
           body=_("请及时联系，遇住院、家庭丧事、重大困难等情况按时走访。"), url=_pairing_url(pairing.pk),
           dedupe_key=f"pairing.{pairing.pk}.created")
    return pairing


@transaction.atomic
def pairing_end(*, actor: User, pairing: Pairing, reason: str = "") -> Pairing:
    """解除结对: the helper's open must-visit tasks for this young person are cancelled with it."""
    if not permissions.can_end(actor, pairing):
        raise PermissionDenied
    pairing = Pairing.objects.select_for_update().select_related("person__home_node", "helper").get(pk=pairing.pk)
    if not pairing.is_active:
        raise ValidationError(_("该结对已解除"))
    now = timezone.now()
    pairing.is_active = False
    pairing.ended_at = now
    pairing.ended_by = actor
    pairing.end_reason = (reason or "").strip()[:REASON_MAX_LENGTH]
    pairing.save(update_fields=["is_active", "ended_at", "ended_by", "end_reason"])
    cancelled = MustVisitTask.objects.filter(pairing=pairing, status=TaskStatus.OPEN).update(
        status=TaskStatus.CANCELLED, closed_at=now)
    audit_record(actor=actor, action=AUDIT_PAIRING_END, target=pairing, node=pairing.person.home_node,
                 target_label=str(pairing), reason=pairing.end_reason, data={"cancelled_tasks": cancelled})
    if actor.pk != pairing.helper_id:
        notify(users=[pairing.helper], kind="pairing.ended",
               title=_("与%(person)s的结对已解除") % {"person": pairing.person.name}, body=pairing.end_reason,
               url=_pairing_url(pairing.pk), dedupe_key=f"pairing.{pairing.pk}.ended")
    return pairing


# --- 三必到三必访 -------------------------------------------------------------------------------

@transaction.atomic
def must_visit_event_record(*, actor: User, person: YoungPerson, event_type: str,
                            occurred_at: dt.datetime | None = None, note: str = "") -> MustVisitEvent:
    """三必到三必访: something happened to a paired young person (in hospital, a death in the family,
    a major hardship, an exam, a holiday …). Every active helper gets a task to visit within the
    county's deadline, counted from when it happened."""
    pairings = list(Pairing.objects.filter(person=person, is_active=True).select_related("helper").order_by("id"))
    allowed = permissions.can_pair_at(actor, person.home_node) or any(p.helper_id == actor.pk for p in pairings)
    if not allowed:
        raise PermissionDenied
    if event_type not in EventType.values:
        raise ValidationError({"event_type": _("未知的事项类型")})
    county = county_of(person.home_node)
    rule = next(r for r in rules_for(county) if r.event_type == event_type)
    if not rule.enabled:
        raise ValidationError({"event_type": _("%(county)s未启用“%(label)s”事项") % {"county": county.name,
                                                                                 "label": rule.label}})
    now = timezone.now()
    occurred_at = occurred_at or now
    if timezone.is_naive(occurred_at):
        occurred_at = timezone.make_aware(occurred_at)
    if occurred_at > now + dt.timedelta(minutes=5):
        raise ValidationError({"occurred_at": _("发生时间不能晚于现在")})
    if occurred_at < now - dt.timedelta(days=MAX_DEADLINE_DAYS):
        raise ValidationError({"occurred_at": _("只能登记%(days)d天内发生的事项") % {"days": MAX_DEADLINE_DAYS}})
    if not pairings:
        raise ValidationError({"person": _("%(person)s目前没有结对人，无需登记三必到事项") % {"person": person.name}})
    event = MustVisitEvent.objects.create(person=person, event_type=event_type, occurred_at=occurred_at,
                                          note=(note or "").strip()[:NOTE_MAX_LENGTH], deadline_days=rule.deadline_days,
                                          recorded_by=actor)
    due_at = occurred_at + dt.timedelta(days=rule.deadline_days)
    tasks = MustVisitTask.objects.bulk_create([
        MustVisitTask(event=event, pairing=p, helper_id=p.helper_id, person=person, due_at=due_at) for p in pairings])
    if tasks and tasks[0].pk is None:  # backends that do not return ids from bulk inserts
        tasks = list(MustVisitTask.objects.filter(event=event).order_by("id"))
    audit_record(actor=actor, action=AUDIT_EVENT_RECORD, target=person, node=person.home_node,
                 data={"event_id": event.pk, "event_type": event_type, "task_ids": [t.pk for t in tasks]})
    local_due = timezone.localtime(due_at)
    for task in tasks:
        if task.helper_id == actor.pk:
            continue
        notify(users=[task.helper_id], kind="pairing.task",
               title=_("三必到：%(person)s（%(label)s），请于%(due)s前走访") % {
                   "person": person.name, "label": rule.label, "due": local_due.strftime("%m-%d %H:%M")},
               url=_pairing_url(task.pairing_id), dedupe_key=f"pairing.task.{task.pk}.new")
    return event


@transaction.atomic
def must_visit_tasks_close_for_visit(*, visit_id, cadre_ids: Iterable[int], person_ids: Iterable[int],
                                     visited_at, **_payload) -> int:
    """A visit was logged (the visits app's "visit.logged" event): it closes every open task of
    those helpers for those young people whose event happened before the visit. Runs inside the
    visit's own transaction, so the visit and the closing stand or fall together."""
    if isinstance(visited_at, dt.datetime):
        visited = visited_at if timezone.is_aware(visited_at) else timezone.make_aware(visited_at)
    else:  # a date: the visit counts for whatever happened up to the end of that day
        visited = timezone.make_aware(dt.datetime.combine(visited_at, dt.time.max))
    tasks = MustVisitTask.objects.filter(status=TaskStatus.OPEN, helper_id__in=list(cadre_ids),
                                         person_id__in=list(person_ids), event__occurred_at__lt=visited)
    task_ids = list(tasks.values_list("pk", flat=True))
    if not task_ids:
        return 0
    closed = MustVisitTask.objects.filter(pk__in=task_ids, status=TaskStatus.OPEN).update(
        status=TaskStatus.DONE, closed_at=visited, visit_id=visit_id)
    audit_record(actor=None, action=AUDIT_TASKS_CLOSE, target_type="visits.visit", target_label=f"visit {visit_id}",
                 data={"visit_id": visit_id, "task_ids": task_ids})
    return closed


def _managers_over(person: YoungPerson, cache: dict) -> list[int]:
    """Secretaries over the young person (township and village), and admins of their county or below."""
    node = person.home_node
    if node.pk not in cache:
        county = county_of(node)
        ancestors = node.ancestor_ids()
        rows = (Membership.objects.filter(node_id__in=ancestors, is_active=True, user__is_active=True,
                                          role__in=[Role.SECRETARY, Role.ADMIN])
                .values_list("user_id", "role", "node__depth"))
        cache[node.pk] = sorted({user_id for user_id, role, depth in rows
                                 if role == Role.SECRETARY or depth >= county.depth})
    return cache[node.pk]


def must_visit_escalate_overdue(now: dt.datetime | None = None) -> int:
    """逾期上报: every open task past its deadline and not yet escalated is marked and announced to
    its helper and to the secretaries and county admins over the young person. Exactly once per
    task: the mark is claimed with a conditional UPDATE, so a second run (or two at once) finds
    nothing to do. Returns how many tasks were escalated."""
    now = now or timezone.now()
    candidates = list(MustVisitTask.objects.filter(status=TaskStatus.OPEN, due_at__lt=now, escalated_at__isnull=True)
                      .order_by("due_at", "id").values_list("pk", flat=True))
    overdue_url = reverse("pairing:overdue")
    managers_cache: dict = {}
    escalated = 0
    for task_id in candidates:
        with transaction.atomic():
            claimed = MustVisitTask.objects.filter(pk=task_id, status=TaskStatus.OPEN,
                                                   escalated_at__isnull=True).update(escalated_at=now)
            if not claimed:
                continue
            task = MustVisitTask.objects.select_related("event", "helper", "person__home_node").get(pk=task_id)
            label = task.event.get_event_type_display()
            due = timezone.localtime(task.due_at).strftime("%m-%d %H:%M")
            names = {"person": task.person.name, "label": label, "due": due, "helper": task.helper.display_name}
            notify(users=[task.helper_id], kind="pairing.overdue",
                   title=_("三必到逾期：%(person)s（%(label)s）应于%(due)s前走访") % names,
                   body=_("已上报乡镇团委。请尽快走访并登记走访记录。"), url=_pairing_url(task.pairing_id),
                   dedupe_key=f"pairing.task.{task.pk}.overdue")
            managers = [pk for pk in _managers_over(task.person, managers_cache) if pk != task.helper_id]
            notify(users=managers, kind="pairing.overdue",
                   title=_("结对走访逾期：%(helper)s未按时走访%(person)s（%(label)s）") % names,
                   body=_("截止时间：%(due)s") % names, url=overdue_url, dedupe_key=f"pairing.task.{task.pk}.overdue")
            # The committees' group robots hear it too, without the young person's name or what
            # happened to them: the message leaves the platform. The link leads to the overdue list.
            channel_post(node=task.person.home_node, kind="pairing.overdue",
                         title=_("结对走访逾期：%(helper)s有一项三必到走访未按时完成") % names,
                         body=_("截止时间：%(due)s。已通知结对人，请督促尽快走访并登记。") % names, url=overdue_url,
                         dedupe_key=f"pairing.task.{task.pk}.overdue")
            audit_record(actor=None, action=AUDIT_TASK_ESCALATE, target=task, node=task.person.home_node,
                         target_label=str(task.person), data={"helper_id": task.helper_id, "notified": managers})
            escalated += 1
    return escalated


@transaction.atomic
def must_visit_rules_set(*, actor: User, county: Node, rules: dict[str, dict]) -> list:
    """The county committee sets its own deadlines (days) and switches event types on or off.
    `rules`: {event_type: {"deadline_days": int, "enabled": bool}}; types not named keep theirs.
    Applies to events recorded from now on."""
    if not permissions.can_manage_rules(actor, county):
        raise PermissionDenied
    errors = {}
    cleaned = {}
    for event_type, values in rules.items():
        if event_type not in EventType.values:
            errors[event_type] = [_("未知的事项类型")]
            continue
        try:
            days = int(values.get("deadline_days"))
        except (TypeError, ValueError):
            days = None
        if days is None or not MIN_DEADLINE_DAYS <= days <= MAX_DEADLINE_DAYS:
            errors[event_type] = [_("走访时限应为%(min)d至%(max)d天") % {"min": MIN_DEADLINE_DAYS, "max": MAX_DEADLINE_DAYS}]
            continue
        cleaned[event_type] = (days, bool(values.get("enabled", True)))
    if errors:
        raise ValidationError(errors)
    before = {r.event_type: (r.deadline_days, r.enabled) for r in rules_for(county)}
    changes = {}
    for event_type, (days, enabled) in cleaned.items():
        MustVisitRule.objects.update_or_create(county=county, event_type=event_type,
                                               defaults={"deadline_days": days, "is_enabled": enabled,
                                                         "updated_by": actor})
        if before[event_type] != (days, enabled):
            changes[event_type] = {"deadline_days": days, "enabled": enabled}
    audit_record(actor=actor, action=AUDIT_RULES_SET, target=county, node=county, data={"changes": changes})
    return rules_for(county)
