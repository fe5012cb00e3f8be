"""The dashboard figures against counts written here independently of the engine, and the
pre-aggregated cells against a from-scratch recount after changes made in every feature."""
from __future__ import annotations

import datetime as dt
import math
import statistics
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Min

from youthlink.accounts.models import Membership, Role
from youthlink.accounts.services import membership_grant
from youthlink.appeals.models import Appeal, Category, Kind, Status
from youthlink.appeals.services import appeal_claim, appeal_confirm, appeal_publish, appeal_resolve, appeal_submit
from youthlink.core.demo import build_demo
from youthlink.diary.models import CheckIn, DiaryEntry
from youthlink.liaison.models import Binding
from youthlink.liaison.services import binding_create
from youthlink.orgs.models import Node, NodeKind, SocialOrganisation
from youthlink.orgs.services import node_create
from youthlink.pairing.models import Pairing
from youthlink.pairing.services import pairing_create, pairing_end
from youthlink.people.models import YoungPerson
from youthlink.people.services import person_create
from youthlink.ratings.models import CadreRating, SurveyAnswer
from youthlink.stats import engine, periods, selectors
from youthlink.stats.models import Cell
from youthlink.visits.models import Visit
from youthlink.visits.services import visit_log

SH = ZoneInfo("Asia/Shanghai")
GRASSROOTS = {NodeKind.VILLAGE, NodeKind.SCHOOL, NodeKind.ENTERPRISE, NodeKind.SOCIAL_ORG, NodeKind.YOUTH_CENTRE}

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    ctx = build_demo()
    engine.rebuild()
    return ctx


def _under(node: Node, other_path: str) -> bool:
    return other_path.startswith(node.path)


def _in(moment, start: dt.date, end: dt.date) -> bool:
    if moment is None:
        return False
    day = moment.astimezone(SH).date() if isinstance(moment, dt.datetime) else moment
    return start <= day < end


def _median(values):
    return statistics.median(values) if values else None


def recount(node: Node, start: dt.date, end: dt.date) -> dict:
    """Every figure of the node's subtree for [start, end), counted in Python from plain rows."""
    paths = dict(Node.objects.values_list("pk", "path"))
    kinds = dict(Node.objects.values_list("pk", "kind"))

    def here(node_id):
        return node_id is not None and _under(node, paths[node_id])

    out = {}
    cadres = [m for m in Membership.objects.filter(role=Role.CADRE, is_active=True) if here(m.node_id)]
    first_binding = dict(Binding.objects.values("cadre_id").annotate(first=Min("created_at"))
                         .values_list("cadre_id", "first"))
    cadres_then = [m for m in cadres if m.created_at.astimezone(SH).date() < end]
    bound_then = [m for m in cadres if m.user_id in first_binding
                  and first_binding[m.user_id].astimezone(SH).date() < end]
    out["liaison.bound_cadres"] = len(bound_then)
    out["liaison.binding_rate"] = round(len(bound_then) * 100 / len(cadres_then), 1) if cadres_then else None
    micros = [m for m in Membership.objects.filter(role=Role.MICRO, is_active=True)
              if here(m.node_id) and m.created_at.astimezone(SH).date() < end]
    out["liaison.micro_elements"] = len(micros)
    townships = {pk for pk, kind in kinds.items() if kind == NodeKind.TOWNSHIP and here(pk)}
    out["liaison.micro_townships"] = sum(
        1 for t in townships if any(paths[m.node_id].startswith(paths[t]) for m in micros))
    out["people.youth"] = sum(1 for p in YoungPerson.objects.all()
                              if here(p.home_node_id) and p.created_at.astimezone(SH).date() < end)
    visits = [v for v in Visit.objects.all() if here(v.place_id) and start <= v.local_date < end]
    out["visits.visits"] = len(visits)
    out["visits.evening_talks"] = sum(1 for v in visits if v.is_evening or v.kind == "evening_talk")
    places = {v.place_id for v in visits if kinds[v.place_id] in GRASSROOTS}
    org_nodes = dict(SocialOrganisation.objects.values_list("pk", "node_id"))
    orgs = {row.socialorganisation_id for row in Visit.social_orgs.through.objects.select_related("visit")
            if here(org_nodes[row.socialorganisation_id]) and start <= row.visit.local_date < end}
    out["visits.organisations_visited"] = len(places) + len(orgs)
    pairings = [p for p in Pairing.objects.select_related("person") if here(p.person.home_node_id)]
    out["pairing.active_pairs"] = sum(
        1 for p in pairings if p.created_at.astimezone(SH).date() < end
        and not (not p.is_active and p.ended_at and p.ended_at.astimezone(SH).date() < end))
    out["pairing.pairs_formed"] = sum(1 for p in pairings if _in(p.created_at, start, end))
    appeals = [a for a in Appeal.objects.all() if here(a.node_id)]
    requests = [a for a in appeals if a.kind == Kind.REQUEST]
    out["appeals.collected"] = sum(1 for a in requests if _in(a.created_at, start, end))
    out["appeals.solved"] = sum(1 for a in requests if a.status == Status.SOLVED and _in(a.closed_at, start, end))
    out["appeals.solved_unconfirmed"] = sum(1 for a in requests if a.status == Status.SOLVED_UNCONFIRMED
                                            and _in(a.closed_at, start, end))
    out["appeals.overdue"] = sum(1 for a in appeals if _in(a.overdue_escalated_at, start, end))
    out["appeals.suggestions"] = sum(1 for a in appeals if a.kind == Kind.SUGGESTION and _in(a.created_at, start, end))
    hours = []
    for a in appeals:
        if _in(a.first_response_at, start, end):
            h = math.ceil(max((a.first_response_at - a.created_at).total_seconds(), 0) / 3600)
            hours.append(h if h <= 72 else math.ceil(h / 24) * 24)
    out["appeals.first_response_hours"] = _median(hours)
    days = [math.ceil(max((a.resolved_at - a.created_at).total_seconds(), 0) / 86400)
            for a in appeals if _in(a.resolved_at, start, end)]
    out["appeals.resolution_days"] = _median(days)
    ratings = [a.rating for a in appeals if a.rating is not None and _in(a.closed_at, start, end)]
    out["appeals.rating"] = round(statistics.mean(ratings), 2) if ratings else None
    scores = [r.score for r in CadreRating.objects.select_related("person")
              if here(r.person.home_node_id) and _in(r.created_at, start, end)]
    scores += [a.score for a in SurveyAnswer.objects.select_related("response__invitee__person")
               if here(a.response.invitee.person.home_node_id) and _in(a.response.submitted_at, start, end)]
    out["ratings.satisfaction"] = round(statistics.mean(scores), 2) if scores else None
    out["diary.entries"] = sum(1 for e in DiaryEntry.objects.exclude(status="draft")
                               if here(e.node_id) and start <= e.local_date < end)
    out["diary.checkins"] = sum(1 for c in CheckIn.objects.all() if here(c.node_id) and start <= c.local_date < end)
    out["orgs.youth_centres"] = sum(1 for pk, kind in kinds.items() if kind == NodeKind.YOUTH_CENTRE and here(pk))
    return out


def dashboard(node: Node, period: periods.Period) -> dict:
    return {v.key: v.value for v in selectors.figures_at(node, period)}


def _numbers_equal(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), abs_tol=0.005)


def assert_matches(expected: dict, actual: dict, where: str) -> None:
    assert set(expected) == set(actual), where
    wrong = {k: (expected[k], actual[k]) for k in expected if not _numbers_equal(expected[k], actual[k])}
    assert not wrong, f"{where}: (recount, dashboard) {wrong}"


def test_figures_of_the_demo_equal_an_independent_recount(demo):
    city = demo["city"]
    county = demo["counties"][0]
    township = demo["townships"][0].node
    today = periods.local_today()
    for node in (city, county, township):
        for period in (periods.year(today.year), periods.month(today.year, today.month),
                       periods.parse(f"{today.year}Q{(today.month - 1) // 3 + 1}"),
                       periods.parse(f"{today.year}-02-03..{today.year}-05-17"),
                       periods.year(today.year - 1)):
            expected = recount(node, period.start, period.end)
            assert_matches(expected, dashboard(node, period), f"{node.name} {period.code}")
    # the demo has something in every feature, so the comparison above compares numbers, not zeros
    year = recount(city, periods.year(today.year).start, periods.year(today.year).end)
    assert all(year[k] for k in ("visits.visits", "visits.organisations_visited", "appeals.collected",
                                 "appeals.solved", "people.youth", "liaison.micro_townships",
                                 "pairing.active_pairs", "diary.entries", "orgs.youth_centres",
                                 "ratings.satisfaction", "liaison.binding_rate"))


def _cells_snapshot():
    return {(c.node_id, c.key, c.grain, c.start, c.bucket): (c.own, c.total) for c in Cell.objects.all()}


def _assert_cells_equal_recount(nodes, dates):
    for node in nodes:
        for period in dates:
            cells = engine.cell_values([node], period)[node.pk]
            live = engine.live_values([node], period)[node.pk]
            assert_matches({k: v.value for k, v in live.items()}, {k: v.value for k, v in cells.items()},
                           f"{node.name} {period.code}")


def test_cells_stay_equal_to_a_recount_after_changes_in_every_feature(demo, django_capture_on_commit_callbacks):
    ctx = demo
    featured = ctx["featured"]
    plan = ctx["townships"][0]
    cadre, secretary, micro = featured["cadre"], featured["secretary"], featured["micro"]
    county_admin = ctx["county_admins"][0]
    village = plan.villages[0]
    last_march = dt.datetime(periods.local_today().year - 1, 3, 14, 19, 30, tzinfo=SH)
    with django_capture_on_commit_callbacks(execute=True):
        # visits: an evening visit last year, with a social organisation
        org = SocialOrganisation.objects.filter(node__path__startswith=plan.node.path).first()
        visit_log(actor=cadre, kind="home", visited_at=last_march, place=village, social_orgs=[org] if org else (),
                  notes="夜访")
        # people and liaison: a new young person, bound to the cadre
        person = person_create(actor=cadre, home_node=village, name="林小青", check_permission=False, tags=["hardship"])
        binding_create(actor=cadre, person=person)
        # micro-elements in a township that had none
        other_township = next(t for t in ctx["townships"][1:] if t.node.parent_id == plan.node.parent_id)
        membership_grant(user=secretary, node=other_township.node, role=Role.MICRO)
        # pairing: a new pair, and an old one ended
        pairing_create(actor=ctx["actor"], person=person, helper=cadre)
        old = Pairing.objects.filter(is_active=True).exclude(person=person).first()
        pairing_end(actor=ctx["actor"], pairing=old, reason="已脱困")
        # requests: a suggestion, and a request taken through to a rated solution
        category = Category.objects.filter(county__isnull=True).first()
        appeal_submit(actor=micro, source="collected", category=category, title="建议村里开夜校",
                      body="希望村里晚上开设电商培训夜校", node=village, kind=Kind.SUGGESTION,
                      collected_from="moments", subject_name="王女士", consent_to_publish=True,
                      consent_note="本人微信同意")
        youth = featured["youth"]
        appeal = appeal_submit(actor=youth, source="self", category=category, title="想学直播带货",
                               body="想学习农产品直播带货，希望有人指导", consent_to_publish=True)
        appeal_publish(actor=secretary, appeal=appeal, public_title="想学直播带货", public_body="想学习农产品直播带货")
        appeal_claim(actor=cadre, appeal=Appeal.objects.get(pk=appeal.pk))
        appeal_resolve(actor=cadre, appeal=Appeal.objects.get(pk=appeal.pk), body="已联系县电商中心安排培训")
        appeal_confirm(actor=youth, appeal=Appeal.objects.get(pk=appeal.pk), solved=True, rating=4)
        # a youth centre opens
        node_create(name="新建青年之家", kind=NodeKind.YOUTH_CENTRE, parent=plan.node)
    today = periods.local_today()
    nodes = [ctx["city"], plan.node.parent, plan.node, village, other_township.node]
    dates = [periods.year(today.year), periods.year(today.year - 1), periods.month(today.year - 1, 3),
             periods.month(today.year, today.month), periods.parse(f"{today.year - 1}Q1")]
    _assert_cells_equal_recount(nodes, dates)
    # and the cells are exactly what a rebuild from nothing writes
    incremental = _cells_snapshot()
    engine.rebuild()
    assert _cells_snapshot() == incremental


def test_a_rolled_back_change_leaves_the_cells_alone(demo, django_capture_on_commit_callbacks):
    from django.db import transaction
    before = _cells_snapshot()
    village = demo["townships"][0].villages[0]
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                person_create(actor=demo["featured"]["cadre"], home_node=village, name="回滚", check_permission=False)
                raise RuntimeError
        # the next transaction still schedules its own recount
        person_create(actor=demo["featured"]["cadre"], home_node=village, name="王小红", check_permission=False)
    after = _cells_snapshot()
    changed = {k for k in after.keys() | before.keys() if after.get(k) != before.get(k)}
    assert changed and all(k[1] == "people.youth" for k in changed)
    year = periods.year(periods.local_today().year)
    assert (engine.cell_values([village], year)[village.pk]["people.youth"].value
            == YoungPerson.objects.filter(home_node=village).count())


def test_median_and_mean_of_histograms():
    assert engine.summarise("median", {}) is None
    assert engine.summarise("median", {3: 1}) == 3
    assert engine.summarise("median", {1: 1, 5: 1}) == 3
    assert engine.summarise("median", {1: 1, 2: 1}) == 1.5
    assert engine.summarise("median", {1: 2, 10: 1}) == 1
    assert engine.summarise("mean", {4: 1, 5: 2}) == 4.67


VISIT_FIGURES = ["visits.evening_talks", "visits.organisations_visited", "visits.visits"]
REQUEST_FIGURES = ["appeals.collected", "appeals.first_response_hours", "appeals.overdue", "appeals.rating",
                   "appeals.resolution_days", "appeals.solved", "appeals.solved_unconfirmed", "appeals.suggestions"]


@pytest.fixture
def refreshes(monkeypatch):
    """The recounts the changes schedule: [(node ids, keys or None)], run as usual."""
    from django.db import connection
    getattr(connection, engine._PENDING, {}).clear()  # the demo's own changes, counted by its rebuild
    calls = []
    refresh = engine.refresh

    def recording(groups):
        calls.extend((sorted(node_ids), None if keys is None else sorted(keys)) for node_ids, keys in groups)
        return refresh(groups)

    monkeypatch.setattr(engine, "refresh", recording)
    return calls


def test_the_figures_recounted_after_a_change_are_those_whose_counts_read_its_table():
    keys_of = engine.figures_reading
    from youthlink.visits.models import Visit as VisitModel
    assert sorted(keys_of(VisitModel)) == VISIT_FIGURES
    assert sorted(keys_of(VisitModel.social_orgs.through)) == ["visits.organisations_visited"]
    assert sorted(keys_of(Appeal)) == REQUEST_FIGURES
    # a binding counts through the subquery of the bound cadres; a young person through the pairings'
    # and ratings' node (person__home_node); a node's kind decides which visits are grassroots visits
    assert sorted(keys_of(Binding)) == ["liaison.bound_cadres"]
    assert sorted(keys_of(YoungPerson)) == ["pairing.active_pairs", "pairing.pairs_formed", "people.youth",
                                             "ratings.satisfaction"]
    assert sorted(keys_of(Node)) == ["orgs.youth_centres", "visits.organisations_visited"]


def test_a_visit_recounts_only_the_visit_figures_and_the_cells_still_equal_a_recount(
        demo, refreshes, django_capture_on_commit_callbacks):
    plan = demo["townships"][0]
    village = plan.villages[0]
    org = SocialOrganisation.objects.filter(node__path__startswith=plan.node.path).first()
    before = _cells_snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        visit_log(actor=demo["featured"]["cadre"], kind="home", visited_at=dt.datetime.now(SH), place=village,
                  social_orgs=[org], notes="走访")
    # the visit's place for every visit figure, the social organisation's node for the one counting it,
    # in one recount
    assert sorted(refreshes) == [([org.node_id], ["visits.organisations_visited"]), ([village.pk], VISIT_FIGURES)]
    after = _cells_snapshot()
    changed = {k[1] for k in after.keys() | before.keys() if after.get(k) != before.get(k)}
    assert changed == {"visits.visits", "visits.organisations_visited"}
    today = periods.local_today()
    _assert_cells_equal_recount([demo["city"], plan.node, village], [periods.year(today.year),
                                                                     periods.month(today.year, today.month)])
    engine.rebuild()
    assert _cells_snapshot() == after


def test_a_request_recounts_only_the_request_figures(demo, refreshes, django_capture_on_commit_callbacks):
    category = Category.objects.filter(county__isnull=True).first()
    youth = demo["featured"]["youth"]
    with django_capture_on_commit_callbacks(execute=True):
        appeal = appeal_submit(actor=youth, source="self", category=category, title="路灯坏了",
                               body="村里路灯坏了，希望尽快修好")
    assert refreshes == [([appeal.node_id], REQUEST_FIGURES)]
    incremental = _cells_snapshot()
    engine.rebuild()
    assert _cells_snapshot() == incremental


def test_a_node_changing_kind_recounts_the_grassroots_visits_counted_there(
        demo, refreshes, django_capture_on_commit_callbacks):
    village = demo["townships"][0].villages[0]
    with django_capture_on_commit_callbacks(execute=True):
        visit_log(actor=demo["featured"]["cadre"], kind="home", visited_at=dt.datetime.now(SH), place=village)
    refreshes.clear()
    year = periods.year(periods.local_today().year)
    assert engine.cell_values([village], year)[village.pk]["visits.organisations_visited"].value >= 1
    with django_capture_on_commit_callbacks(execute=True):
        village.kind = NodeKind.TOWNSHIP  # no longer a grassroots organisation
        village.save()
    assert refreshes == [([village.pk], ["orgs.youth_centres", "visits.organisations_visited"])]
    assert engine.cell_values([village], year)[village.pk]["visits.organisations_visited"].value == 0
    incremental = _cells_snapshot()
    engine.rebuild()
    assert _cells_snapshot() == incremental


def test_nodes_announced_by_id_recount_every_figure(demo, refreshes, django_capture_on_commit_callbacks):
    from youthlink.core.registry import emit
    village = demo["townships"][0].villages[0]
    with django_capture_on_commit_callbacks(execute=True):
        emit("records.changed", node_ids=[village.pk])
    assert refreshes == [([village.pk], None)]


def test_changes_of_one_transaction_are_recounted_by_kind_of_record(
        demo, refreshes, django_capture_on_commit_callbacks):
    from django.db import transaction
    plan = demo["townships"][0]
    village, other = plan.villages[0], plan.villages[1]
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            visit_log(actor=demo["featured"]["cadre"], kind="home", visited_at=dt.datetime.now(SH), place=village)
            person_create(actor=demo["featured"]["cadre"], home_node=village, name="林小青", check_permission=False)
            visit_log(actor=demo["featured"]["cadre"], kind="home", visited_at=dt.datetime.now(SH), place=other)
    people = ["pairing.active_pairs", "pairing.pairs_formed", "people.youth", "ratings.satisfaction"]
    assert sorted(refreshes) == sorted([([village.pk], sorted(VISIT_FIGURES + people)),
                                        ([other.pk], VISIT_FIGURES)])
    incremental = _cells_snapshot()
    engine.rebuild()
    assert _cells_snapshot() == incremental


def test_a_rolled_back_visit_leaves_the_cells_alone_and_the_next_write_still_counts_right(
        demo, refreshes, django_capture_on_commit_callbacks):
    from django.db import transaction
    village = demo["townships"][0].villages[0]
    before = _cells_snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                visit_log(actor=demo["featured"]["cadre"], kind="home", visited_at=dt.datetime.now(SH),
                          place=village)
                raise RuntimeError
    assert refreshes == [] and _cells_snapshot() == before
    with django_capture_on_commit_callbacks(execute=True):
        appeal_submit(actor=demo["featured"]["youth"], source="self",
                      category=Category.objects.filter(county__isnull=True).first(), title="路灯坏了",
                      body="村里路灯坏了，希望尽快修好")
    # the rolled-back visit's node is recounted with the next commit, and finds nothing to change
    after = _cells_snapshot()
    changed = {k[1] for k in after.keys() | before.keys() if after.get(k) != before.get(k)}
    assert changed == {"appeals.collected"}
    engine.rebuild()
    assert _cells_snapshot() == after
