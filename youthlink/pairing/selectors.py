"""Reads for 结对 and 三必到三必访: every list takes the viewer and holds only what they may see."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from youthlink.accounts.access import best_role_at, is_staff_member, scope_nodes, scope_q
from youthlink.accounts.models import Membership, Role
from youthlink.orgs.models import Node, NodeKind
from youthlink.people.models import Tag, YoungPerson

from .models import (DEFAULT_DEADLINE_DAYS, EventType, MustVisitEvent, MustVisitRule, MustVisitTask, Pairing,
                     TaskStatus)
from .permissions import HELPER_ROLES, MANAGER_ROLES


def _as_pk(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


# --- the organisation tree ---------------------------------------------------------------------

def county_of(node: Node) -> Node:
    """The county (县/区) a node lies in; a node above county level (the city) stands for itself."""
    if node.kind == NodeKind.COUNTY:
        return node
    county = Node.objects.filter(pk__in=node.ancestor_ids(), kind=NodeKind.COUNTY).first()
    return county or node


# --- pairings ----------------------------------------------------------------------------------

def _visible_pairings_q(viewer) -> Q:
    """Secretaries and admins over the young person; the helper; the young person themself."""
    if not getattr(viewer, "is_authenticated", False):
        return Q(pk__in=[])
    return (scope_q(viewer, "person__home_node__", roles=MANAGER_ROLES) | Q(helper_id=viewer.pk)
            | Q(person__user_id=viewer.pk))


def pairings_for(viewer, *, active: bool | None = True) -> QuerySet[Pairing]:
    now = timezone.now()
    qs = (Pairing.objects.filter(_visible_pairings_q(viewer))
          .select_related("helper", "helper_node", "person__home_node__parent")
          .annotate(open_tasks=Count("tasks", filter=Q(tasks__status=TaskStatus.OPEN)),
                    overdue_tasks=Count("tasks", filter=Q(tasks__status=TaskStatus.OPEN, tasks__due_at__lt=now))))
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.order_by("-created_at", "-id")


def get_pairing_for(viewer, pk) -> Pairing:
    """Missing and forbidden look the same: 404."""
    pairing = pairings_for(viewer, active=None).filter(pk=_as_pk(pk)).first()
    if pairing is None:
        raise Http404
    return pairing


def person_candidates_for(viewer) -> QuerySet[YoungPerson]:
    """Young people in difficulty (困难青少年) the viewer may pair: in their subtree as secretary or admin."""
    return (YoungPerson.objects.filter(scope_q(viewer, "home_node__", roles=MANAGER_ROLES), tags__tag=Tag.HARDSHIP)
            .select_related("home_node").annotate(active_pairings=Count(
                "pairings", filter=Q(pairings__is_active=True), distinct=True))
            .order_by("home_node__path", "name", "id"))


def helper_memberships_for(viewer) -> QuerySet[Membership]:
    """Cadres and micro-elements the viewer may choose as helpers: those in the viewer's counties
    (a helper may come from another township of the same county, e.g. a county cadre)."""
    query = Q(pk__in=[])
    for node in scope_nodes(viewer, roles=MANAGER_ROLES):
        query |= county_of(node).subtree_q("node__")
    return (Membership.objects.filter(query, role__in=HELPER_ROLES, is_active=True, user__is_active=True)
            .select_related("user", "node").order_by("node__path", "user__name", "role", "id"))


def helper_membership_over(user, node: Node) -> Membership | None:
    """The user's helper membership whose area covers the node (cadre first, nearest first), or None.
    A helper must reach the young person's home: to see the record and to log the visits that close
    must-visit tasks."""
    memberships = [m for m in Membership.objects.filter(user=user, role__in=HELPER_ROLES, is_active=True)
                   .select_related("node") if node.path.startswith(m.node.path)]
    return min(memberships, key=lambda m: (m.role != Role.CADRE, -len(m.node.path)), default=None)


def events_for_pairing(pairing: Pairing) -> list[MustVisitEvent]:
    """The young person's must-visit events with every helper's task, newest first."""
    tasks = MustVisitTask.objects.select_related("helper").order_by("helper__name", "id")
    return list(MustVisitEvent.objects.filter(person_id=pairing.person_id)
                .select_related("recorded_by").prefetch_related(Prefetch("tasks", queryset=tasks))
                .order_by("-occurred_at", "-id")[:50])


# --- must-visit tasks --------------------------------------------------------------------------

def _tasks() -> QuerySet[MustVisitTask]:
    return MustVisitTask.objects.select_related("event", "helper", "person__home_node", "pairing")


def open_tasks_for(user) -> list[MustVisitTask]:
    """The helper's open must-visit tasks, soonest deadline first (the home page's 三必到 card)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(_tasks().filter(helper_id=user.pk, status=TaskStatus.OPEN).order_by("due_at", "id")[:100])


def my_tasks(user, *, status: str = TaskStatus.OPEN, limit: int = 100) -> QuerySet[MustVisitTask]:
    qs = _tasks().filter(helper_id=user.pk)
    if status in TaskStatus.values:
        qs = qs.filter(status=status)
    order = ("due_at", "id") if status == TaskStatus.OPEN else ("-due_at", "-id")
    return qs.order_by(*order)[:limit]


def overdue_tasks_for(viewer, *, now: dt.datetime | None = None) -> QuerySet[MustVisitTask]:
    """Open tasks past their deadline for young people in the viewer's subtree (secretary / admin)."""
    now = now or timezone.now()
    return (_tasks().filter(scope_q(viewer, "person__home_node__", roles=MANAGER_ROLES),
                            status=TaskStatus.OPEN, due_at__lt=now)
            .order_by("due_at", "id"))


# --- must-visit rules --------------------------------------------------------------------------

@dataclass(frozen=True)
class RuleRow:
    event_type: str
    label: str
    deadline_days: int
    enabled: bool
    is_default: bool


def rules_for(county: Node) -> list[RuleRow]:
    """The county's deadline for every event type: its own setting, else the default."""
    stored = {r.event_type: r for r in MustVisitRule.objects.filter(county=county)}
    rows = []
    for event_type in EventType:
        rule = stored.get(event_type.value)
        rows.append(RuleRow(event_type=event_type.value, label=str(event_type.label),
                            deadline_days=rule.deadline_days if rule else DEFAULT_DEADLINE_DAYS[event_type],
                            enabled=rule.is_enabled if rule else True, is_default=rule is None))
    return rows


def get_rules_county_for(viewer, pk) -> Node:
    """A county whose rules the viewer administers (团县委, or the city above it); 404 otherwise."""
    county = Node.objects.filter(pk=_as_pk(pk), kind=NodeKind.COUNTY).first()
    if county is None or best_role_at(viewer, county) != Role.ADMIN:
        raise Http404
    return county


def rules_counties_for(viewer) -> list[Node]:
    """Counties whose rules the viewer may set (for links on the pairings page)."""
    query = Q(pk__in=[])
    for node in scope_nodes(viewer, roles={Role.ADMIN}):
        query |= node.subtree_q()
    return list(Node.objects.filter(query, kind=NodeKind.COUNTY).order_by("path"))


def is_staff(user) -> bool:
    return is_staff_member(user)


# --- figures -----------------------------------------------------------------------------------

def active_pairs_under(node: Node) -> int:
    """结对数: active pairings whose young person lives in the node's subtree."""
    return Pairing.objects.filter(node.subtree_q("person__home_node__"), is_active=True).count()


def overdue_tasks_under(node: Node) -> int:
    return MustVisitTask.objects.filter(node.subtree_q("person__home_node__"), status=TaskStatus.OPEN,
                                        due_at__lt=timezone.now()).count()


# --- the contact card (联系卡) ------------------------------------------------------------------

@dataclass(frozen=True)
class Card:
    """What the printable page and the PDF show: the helper in full (their work phone is for
    handing out), the young person masked (no ID number, no health or hardship notes)."""
    pairing_id: int
    helper_name: str
    helper_role: str
    helper_unit: str
    helper_phone: str
    person_name: str
    person_age: str
    person_place: str
    person_mobile: str
    since: str
    url: str
    rules: list[tuple[str, int]]


def person_place(person: YoungPerson) -> str:
    """Township and village (崇头镇黄处村): where the helper goes. Needs home_node__parent loaded."""
    home = person.home_node
    parent = home.parent if home.parent_id else None
    if parent is not None and parent.kind not in (NodeKind.CITY, NodeKind.COUNTY):
        return f"{parent.name}{home.name}"
    return home.name


def pairing_card(pairing: Pairing, url: str) -> Card:
    from django.utils.translation import gettext as _

    person = pairing.person
    home = person.home_node
    place = person_place(person)
    age = person.age
    rules = [(r.label, r.deadline_days) for r in rules_for(county_of(home)) if r.enabled]
    return Card(
        pairing_id=pairing.pk, helper_name=pairing.helper.display_name,
        helper_role=str(pairing.get_helper_role_display()),
        helper_unit=pairing.helper_node.name, helper_phone=pairing.helper.mobile,
        person_name=person.name, person_age=(_("%(age)d岁") % {"age": age}) if age is not None else "—",
        person_place=place, person_mobile=person.masked_mobile,
        since=timezone.localtime(pairing.created_at).strftime("%Y-%m-%d"), url=url, rules=rules)
