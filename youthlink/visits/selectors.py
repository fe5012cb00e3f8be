"""Reads for visits. Every list takes the viewer and returns only what they may see; the figures
per node (evenings held, organisations visited, cadres against targets) are computed in a constant
number of queries whatever the size of the node."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from youthlink.accounts.access import memberships, scope_nodes, scope_q
from youthlink.accounts.models import Membership, Role, User
from youthlink.core import registry
from youthlink.core.pinyin import search_keys
from youthlink.orgs.models import PATH_WIDTH, Node, NodeKind, SocialOrganisation
from youthlink.orgs.selectors import social_organisations_for
from youthlink.people.models import YoungPerson
from youthlink.people.selectors import people_for, search_query

from .models import (DEFAULT_MIN_EVENINGS, DEFAULT_TARGET, Visit, VisitDay, VisitKind, VisitParticipant, VisitPhoto,
                     VisitProblem, VisitRuleSetting, YearlyTarget)
from .periods import Month, year_range
from .permissions import COMPANION_ROLES, LOG_ROLES, READ_ROLES, STAFF_ROLES, reads_only_own_visits

# What counts as a grassroots organisation visited (the reports' "1,050+ grassroots organisations").
GRASSROOTS_KINDS = (NodeKind.VILLAGE, NodeKind.SCHOOL, NodeKind.ENTERPRISE, NodeKind.SOCIAL_ORG,
                    NodeKind.YOUTH_CENTRE)
# The requests feature registers a provider here: (cadre_ids: list[int], year: int) -> {cadre_id: solved}.
SOLVED_PROVIDER = "targets.solved_count"
TARGET_SORTS = ("name", "visited", "collected", "solved")


def path_prefixes(path: str) -> list[str]:
    """The paths of a node's ancestors and itself, root first."""
    return [path[:i] for i in range(PATH_WIDTH, len(path) + 1, PATH_WIDTH)]


def _covering(by_path: dict, path: str):
    for prefix in reversed(path_prefixes(path)):
        if prefix in by_path:
            return by_path[prefix]
    return None


# --- visits ---------------------------------------------------------------------------------------

def visits_for(viewer) -> QuerySet[Visit]:
    """Visits whose place lies in the viewer's subtrees where they are an admin, secretary or cadre;
    a micro-element (not staff) adds only the visits they logged or went along on, never the others
    in their village. Still one query: the participation is a subquery."""
    query = scope_q(viewer, "place__", READ_ROLES)
    if reads_only_own_visits(viewer):
        query |= Q(pk__in=VisitParticipant.objects.filter(user_id=viewer.pk).values("visit_id"))
    return Visit.objects.filter(query)


def _count(model, **filters):
    return Coalesce(Subquery(model.objects.filter(visit=OuterRef("pk"), **filters).order_by()
                             .values("visit").annotate(n=Count("id")).values("n")), 0)


def with_list_details(qs: QuerySet[Visit]) -> QuerySet[Visit]:
    people = YoungPerson.objects.only("id", "name").order_by("name", "id")
    return (qs.select_related("place", "created_by")
            .prefetch_related(Prefetch("people", queryset=people),
                              Prefetch("social_orgs", queryset=SocialOrganisation.objects.only("id", "name")),
                              Prefetch("participant_rows", queryset=VisitParticipant.objects.select_related("user")
                                       .order_by("-is_creator", "id")))
            .annotate(problem_count=_count(VisitProblem), photo_count=_count(VisitPhoto)))


@dataclass
class VisitFilters:
    node: Node | None = None
    month: Month | None = None
    year: int | None = None
    evening: bool = False
    kind: str = ""
    mine: bool = False
    social_org: SocialOrganisation | None = None
    person: YoungPerson | None = None
    cadre: User | None = None


def visit_list(viewer, filters: VisitFilters | None = None) -> QuerySet[Visit]:
    f = filters or VisitFilters()
    qs = visits_for(viewer)
    if f.node is not None:
        qs = qs.filter(f.node.subtree_q("place__"))
    if f.month is not None:
        qs = qs.filter(local_date__range=(f.month.first, f.month.last))
    elif f.year is not None:
        qs = qs.filter(local_date__range=year_range(f.year))
    if f.evening:
        qs = qs.filter(is_evening=True)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.mine:
        qs = qs.filter(pk__in=VisitParticipant.objects.filter(user=viewer).values("visit_id"))
    if f.social_org is not None:
        qs = qs.filter(pk__in=Visit.social_orgs.through.objects.filter(socialorganisation_id=f.social_org.pk)
                       .values("visit_id"))
    if f.person is not None:
        qs = qs.filter(pk__in=Visit.people.through.objects.filter(youngperson_id=f.person.pk).values("visit_id"))
    if f.cadre is not None:
        qs = qs.filter(pk__in=VisitParticipant.objects.filter(user_id=f.cadre.pk).values("visit_id"))
    return with_list_details(qs).order_by("-visited_at", "-id")


def get_visit_for(viewer, pk) -> Visit:
    """Missing and forbidden look the same: 404."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    visit = (with_list_details(visits_for(viewer).filter(pk=pk))
             .prefetch_related("problems", "photos").first())
    if visit is None:
        raise Http404
    return visit


def get_colleague_for(viewer, pk) -> User:
    """A member of staff working in the viewer's subtrees (to list the visits they took part in);
    404 for anyone else, as for no one."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    membership = (Membership.objects.filter(scope_q(viewer, "node__", READ_ROLES), user_id=pk, is_active=True)
                  .select_related("user").first())
    if membership is None:
        raise Http404
    return membership.user


def get_photo_for(viewer, pk) -> VisitPhoto:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    photo = VisitPhoto.objects.filter(pk=pk, visit__in=visits_for(viewer)).first()
    if photo is None:
        raise Http404
    return photo


# --- the pickers on the visit form ----------------------------------------------------------------------

def place_choices_for(viewer) -> QuerySet[Node]:
    """Where the viewer may record a visit: every node of their subtrees as admin, secretary, cadre
    or micro-element."""
    return Node.objects.filter(scope_q(viewer, "", LOG_ROLES)).order_by("path")


def default_place_for(viewer) -> Node | None:
    for m in sorted(memberships(viewer), key=lambda m: (m.role not in STAFF_ROLES, m.role != Role.CADRE, m.node.depth)):
        if m.role in LOG_ROLES:
            return m.node
    return None


def people_for_visit(viewer) -> QuerySet[YoungPerson]:
    return YoungPerson.objects.filter(scope_q(viewer, "home_node__", LOG_ROLES))


def pick_people(viewer, text: str, limit: int = 20) -> list[YoungPerson]:
    """The people list's search (name, pinyin full or initials, mobile tail), limited to those a
    visit may name: young people of the viewer's subtrees as admin, secretary, cadre or micro-element."""
    query = search_query(text)
    if query is None:
        return []
    return list(people_for(viewer).filter(scope_q(viewer, "home_node__", LOG_ROLES)).filter(query)
                .order_by("name", "id")[:limit])


def social_orgs_for_visit(viewer) -> QuerySet[SocialOrganisation]:
    return SocialOrganisation.objects.filter(scope_q(viewer, "node__", LOG_ROLES))


def pick_social_orgs(viewer, text: str, limit: int = 20) -> list[SocialOrganisation]:
    """By name, or by pinyin (full or initials) anywhere in the name: 志愿 → zhiyuan, zy."""
    text = "".join((text or "").split())
    orgs = social_organisations_for(viewer).filter(scope_q(viewer, "node__", LOG_ROLES)).order_by("name")
    if not text:
        return list(orgs[:limit])
    if text.isascii() and text.isalpha():
        wanted = text.lower()
        return [o for o in orgs if wanted in search_keys(o.name, limit=8)][:limit]
    return list(orgs.filter(name__contains=text)[:limit])


def companions_for(viewer) -> QuerySet[Membership]:
    """Cadres who may go along: admins, secretaries and cadres working in the viewer's subtrees or
    above them (a county cadre joins a township's evening visit, a township cadre a micro-element's
    visit in the village). Micro-elements do not go along."""
    nodes = scope_nodes(viewer, LOG_ROLES)
    above = {pk for n in nodes for pk in n.ancestor_ids()}
    query = Q(node_id__in=above)
    for n in nodes:
        query |= n.subtree_q("node__")
    return (Membership.objects.filter(query, role__in=COMPANION_ROLES, is_active=True, user__is_active=True)
            .exclude(user=viewer).select_related("user", "node").order_by("node__path", "user__name"))


def pick_companions(viewer, text: str, limit: int = 20) -> list[User]:
    text = "".join((text or "").split())
    rows = companions_for(viewer)
    if text and not (text.isascii() and text.isalpha()):
        rows = rows.filter(user__name__contains=text)
    seen, users = set(), []
    for m in rows[:500]:
        if m.user_id in seen:
            continue
        if text and text.isascii() and text.isalpha() and text.lower() not in search_keys(m.user.name):
            continue
        seen.add(m.user_id)
        m.user.work_node = m.node
        users.append(m.user)
        if len(users) >= limit:
            break
    return users


# --- rules and targets per county ------------------------------------------------------------------------

@dataclass(frozen=True)
class Targets:
    visited: int = DEFAULT_TARGET
    collected: int = DEFAULT_TARGET
    solved: int = DEFAULT_TARGET


def county_of(node: Node) -> Node | None:
    if node.kind == NodeKind.COUNTY:
        return node
    return Node.objects.filter(pk__in=node.ancestor_ids(), kind=NodeKind.COUNTY).order_by("-depth").first()


def _rules_near(node: Node) -> dict[str, VisitRuleSetting]:
    """The rule settings of the counties above, at, or below the node, by county path (one query)."""
    query = Q(county__path__in=path_prefixes(node.path)) | node.subtree_q("county__")
    return {s.county.path: s for s in VisitRuleSetting.objects.filter(query).select_related("county")}


def _yearly_near(node: Node, year: int) -> dict[str, YearlyTarget]:
    query = Q(county__path__in=path_prefixes(node.path)) | node.subtree_q("county__")
    return {t.county.path: t for t in YearlyTarget.objects.filter(query, year=year).select_related("county")}


def _targets(path: str, rules: dict, yearly: dict) -> Targets:
    target = _covering(yearly, path)
    if target is not None:
        return Targets(target.visited, target.collected, target.solved)
    rule = _covering(rules, path)
    if rule is not None:
        return Targets(rule.visited_default, rule.collected_default, rule.solved_default)
    return Targets()


def _min_evenings(path: str, rules: dict) -> int:
    rule = _covering(rules, path)
    return rule.min_evenings_per_month if rule is not None else DEFAULT_MIN_EVENINGS


def rules_for(county: Node, year: int) -> tuple[int, Targets, bool]:
    """(evenings a month, the year's targets, whether the year has targets of its own) for a county."""
    rules, yearly = _rules_near(county), _yearly_near(county, year)
    return _min_evenings(county.path, rules), _targets(county.path, rules, yearly), county.path in yearly


def solved_counts(cadre_ids, year: int) -> dict[int, int]:
    """Problems solved per cadre, from whichever features registered a provider (none yet: 0)."""
    totals: dict[int, int] = defaultdict(int)
    ids = list(cadre_ids)
    if not ids:
        return totals
    for provider in registry.LISTENERS.get(SOLVED_PROVIDER, []):
        for cadre_id, n in (provider(cadre_ids=ids, year=year) or {}).items():
            totals[cadre_id] += n
    return totals


def _done(user_filter: Q, year: int) -> dict[int, dict]:
    """Young people visited (distinct) and problems collected per cadre in the year: one query.
    Every cadre on a visit is credited with it, companions included."""
    start, end = year_range(year)
    rows = (VisitParticipant.objects.filter(user_filter, visit__local_date__range=(start, end))
            .values("user_id")
            .annotate(visited=Count("visit__people", distinct=True), collected=Count("visit__problems", distinct=True))
            .order_by())
    return {r["user_id"]: r for r in rows}


@dataclass
class Progress:
    key: str
    label: str
    done: int
    target: int

    @property
    def percent(self) -> int:
        if self.target <= 0:
            return 100
        return min(100, round(self.done * 100 / self.target))

    @property
    def met(self) -> bool:
        return self.done >= self.target


@dataclass
class TargetsProgress:
    year: int
    items: list[Progress]
    county: Node | None = None


def _progress(done: dict, solved: int, targets: Targets) -> list[Progress]:
    return [Progress("visited", _("走访青年"), done.get("visited", 0), targets.visited),
            Progress("collected", _("收集问题"), done.get("collected", 0), targets.collected),
            Progress("solved", _("解决问题"), solved, targets.solved)]


def targets_progress_for(cadre: User, year: int) -> TargetsProgress | None:
    """三联双百 for one cadre: young people visited, problems collected and solved this year against
    their county's targets. None for anyone not on the League's staff (a young person, a youth-centre
    worker, a micro-element: they log visits for a paired young person, but have no targets)."""
    nodes = [m.node for m in memberships(cadre) if m.role in STAFF_ROLES]
    if not nodes:
        return None
    node = min(nodes, key=lambda n: (-n.depth, n.path))  # where they work: the deepest node
    rules, yearly = _rules_near(node), _yearly_near(node, year)
    done = _done(Q(user_id=cadre.pk), year).get(cadre.pk, {})
    targets = _targets(node.path, rules, yearly)
    return TargetsProgress(year=year, items=_progress(done, solved_counts([cadre.pk], year)[cadre.pk], targets))


@dataclass
class CadreTargetsRow:
    user: User
    node: Node
    visited: int
    collected: int
    solved: int
    targets: Targets

    @property
    def progress(self) -> list[Progress]:
        return _progress({"visited": self.visited, "collected": self.collected}, self.solved, self.targets)


def targets_table(node: Node, year: int, sort: str = "visited") -> list[CadreTargetsRow]:
    """Every cadre working in the node's subtree against their county's targets for the year.
    Four queries whatever the number of cadres (cadres, counts, yearly targets, rules)."""
    cadres = (Membership.objects.filter(node.subtree_q("node__"), role=Role.CADRE, is_active=True)
              .select_related("user", "node").order_by("node__path", "user__name", "user_id"))
    rows: dict[int, CadreTargetsRow] = {}
    members = list(cadres)
    if not members:
        return []
    done = _done(Q(user_id__in=cadres.values("user_id")), year)
    rules, yearly = _rules_near(node), _yearly_near(node, year)
    solved = solved_counts([m.user_id for m in members], year)
    for m in members:
        if m.user_id in rows:
            continue
        d = done.get(m.user_id, {})
        rows[m.user_id] = CadreTargetsRow(user=m.user, node=m.node, visited=d.get("visited", 0),
                                          collected=d.get("collected", 0), solved=solved.get(m.user_id, 0),
                                          targets=_targets(m.node.path, rules, yearly))
    result = list(rows.values())
    if sort not in TARGET_SORTS:
        sort = "visited"
    if sort == "name":
        result.sort(key=lambda r: (r.user.display_name, r.user.pk))
    else:
        result.sort(key=lambda r: (-getattr(r, sort), r.user.display_name, r.user.pk))
    return result


# --- 集中夜访日 and the month view -------------------------------------------------------------------------

def visit_days(node: Node, month: Month) -> list[dt.date]:
    return list(VisitDay.objects.filter(node=node, date__range=(month.first, month.last))
                .order_by("date").values_list("date", flat=True))


@dataclass
class MonthRow:
    node: Node
    evenings: int
    required: int
    dates: list[dt.date] = field(default_factory=list)
    set_days: list[dt.date] = field(default_factory=list)
    is_self: bool = False

    @property
    def met(self) -> bool:
        return self.evenings >= self.required

    @property
    def set_days_held(self) -> list[tuple[dt.date, bool]]:
        held = set(self.dates)
        return [(d, d in held) for d in self.set_days]


@dataclass
class MonthView:
    node: Node
    month: Month
    rows: list[MonthRow]

    @property
    def own(self) -> MonthRow:
        return self.rows[0]

    @property
    def children(self) -> list[MonthRow]:
        return self.rows[1:]


def month_view(node: Node, month: Month) -> MonthView:
    """For the node and each child: distinct evenings held in the month (local dates of evening visits
    whose place lies in that subtree) against the county's rule. Four queries whatever the size."""
    kind_order = {kind: i for i, kind in enumerate(NodeKind.values)}
    children = sorted(node.children.all(), key=lambda c: (kind_order.get(c.kind, 99), c.path))
    held: dict[str, set] = defaultdict(set)  # place path → local dates
    for path, day in (Visit.objects.filter(node.subtree_q("place__"), is_evening=True,
                                           local_date__range=(month.first, month.last))
                      .values_list("place__path", "local_date").distinct().order_by()):
        held[path].add(day)
    rules = _rules_near(node)
    days_by_node: dict[int, list] = defaultdict(list)
    for node_id, day in (VisitDay.objects.filter(Q(node_id__in=node.ancestor_ids()) | Q(node__parent=node),
                                                 date__range=(month.first, month.last))
                         .order_by("date").values_list("node_id", "date")):
        days_by_node[node_id].append(day)
    above = [days_by_node[pk] for pk in node.ancestor_ids()]
    own_days = sorted({d for days in above for d in days})

    def row(n: Node, set_days: list, is_self: bool = False) -> MonthRow:
        low, high = Node.subtree_range(n.path)
        dates = sorted({d for path, days in held.items() if low <= path < high for d in days})
        return MonthRow(node=n, evenings=len(dates), required=_min_evenings(n.path, rules), dates=dates,
                        set_days=set_days, is_self=is_self)

    rows = [row(node, own_days, is_self=True)]
    rows += [row(c, sorted(set(own_days) | set(days_by_node[c.pk]))) for c in children]
    return MonthView(node=node, month=month, rows=rows)


# --- organisations visited and evening talks -----------------------------------------------------------------

@dataclass
class OrganisationVisited:
    kind: str  # a NodeKind value, or "social_org_record"
    label: str
    pk: int
    name: str
    visits: int
    last: dt.datetime
    node: Node | None = None


@dataclass
class OrganisationsVisited:
    node: Node
    start: dt.date
    end: dt.date
    places: list[OrganisationVisited]
    social_orgs: list[OrganisationVisited]

    @property
    def total(self) -> int:
        return len(self.places) + len(self.social_orgs)


def _visits_in(node: Node, start: dt.date, end: dt.date) -> QuerySet[Visit]:
    return Visit.objects.filter(node.subtree_q("place__"), local_date__range=(start, end))


def organisations_visited(node: Node, start: dt.date, end: dt.date) -> OrganisationsVisited:
    """Distinct grassroots organisations visited in the period, with the list behind the number:
    places of kind village / school / enterprise / social organisation / youth centre, plus the
    registered social organisations met (SocialOrganisation records). Two queries."""
    base = _visits_in(node, start, end)
    kinds = dict(NodeKind.choices)
    places = [OrganisationVisited(kind=r["place__kind"], label=kinds[r["place__kind"]], pk=r["place_id"],
                                  name=r["place__name"], visits=r["n"], last=r["last"])
              for r in base.filter(place__kind__in=GRASSROOTS_KINDS)
              .values("place_id", "place__name", "place__kind", "place__path")
              .annotate(n=Count("id"), last=Max("visited_at")).order_by("place__path")]
    orgs = [OrganisationVisited(kind="social_org_record", label=_("社会组织"), pk=r["social_orgs__id"],
                                name=r["social_orgs__name"], visits=r["n"], last=r["last"])
            for r in base.filter(social_orgs__isnull=False)
            .values("social_orgs__id", "social_orgs__name")
            .annotate(n=Count("id", distinct=True), last=Max("visited_at")).order_by()]
    orgs.sort(key=lambda o: (o.name, o.pk))  # the same order under every database collation
    return OrganisationsVisited(node=node, start=start, end=end, places=places, social_orgs=orgs)


def organisations_visited_count(node: Node, start: dt.date, end: dt.date) -> int:
    base = _visits_in(node, start, end)
    places = base.filter(place__kind__in=GRASSROOTS_KINDS).values("place_id").distinct().count()
    orgs = (Visit.social_orgs.through.objects.filter(visit__in=base).values("socialorganisation_id")
            .distinct().count())
    return places + orgs


def evening_talks_q() -> Q:
    """访谈夜: a visit recorded as an evening talk, or any visit that started in the evening."""
    return Q(is_evening=True) | Q(kind=VisitKind.EVENING_TALK)


def evening_talks_count(node: Node, start: dt.date, end: dt.date) -> int:
    return _visits_in(node, start, end).filter(evening_talks_q()).count()


# --- providers for other features (registered in registrations.py) --------------------------------

def cadres_who_visited(person) -> dict[int, str]:
    """"cadres.related_to_person": the cadres (recorder and companions) who visited this young
    person, {cadre_id: reason}. One query."""
    ids = (VisitParticipant.objects.filter(visit__people__id=person.pk)
           .values_list("user_id", flat=True).distinct().order_by())
    return {cadre_id: str(_("走访过您")) for cadre_id in ids}
