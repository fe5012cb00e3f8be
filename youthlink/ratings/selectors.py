"""Reads for ratings and surveys. Who a young person has a relation with comes from the providers
other features register (bindings and 三联 links from liaison, visits from visits); summaries and
results are computed in a constant number of queries whatever the number of ratings or answers."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Count, QuerySet
from django.http import Http404

from youthlink.accounts.access import scope_q
from youthlink.accounts.models import Membership, Role, User
from youthlink.core import registry
from youthlink.orgs.models import Node

from .models import MAX_SCORE, MIN_SCORE, CadreRating, Survey, SurveyAnswer, SurveyInvitee, SurveyInviteeCadre, SurveyResponse
from .periods import quarter_key, quarter_label
from .permissions import SURVEY_ROLES, can_read_ratings_of, young_person_of

# Providers other features register with registry.register_listener:
# (person: YoungPerson) -> {cadre_id: reason label}: the cadres this young person has a relation with.
RELATED_PROVIDER = "cadres.related_to_person"
# (cadre_ids: list[int] | values() queryset of ids) -> iterable of (cadre_id, person_id): the young
# people bound to or linked with these cadres (set-based: one query per provider).
YOUTH_PROVIDER = "cadres.youth_of"
RECENT_COMMENTS = 10
SURVEY_COMMENTS = 50


def _int(pk) -> int:
    try:
        return int(pk)
    except (TypeError, ValueError):
        raise Http404 from None


# --- who rates whom ---------------------------------------------------------------------------------

def related_cadres(person) -> dict[int, list[str]]:
    """{cadre_id: [reasons]} from every registered provider."""
    related: dict[int, list[str]] = defaultdict(list)
    for provider in registry.LISTENERS.get(RELATED_PROVIDER, []):
        for cadre_id, reason in (provider(person) or {}).items():
            related[cadre_id].append(str(reason))
    return dict(related)


def cadre_memberships(cadre_ids) -> dict[int, Membership]:
    """Each active cadre's cadre membership (the highest node if several): one query."""
    rows = {}
    for m in (Membership.objects.filter(user_id__in=cadre_ids, role=Role.CADRE, is_active=True, user__is_active=True)
              .select_related("user", "node").order_by("node__path", "id")):
        rows.setdefault(m.user_id, m)
    return rows


@dataclass
class RateableCadre:
    cadre: User
    node: Node
    reasons: list[str]
    rating: CadreRating | None = None  # this quarter's, when already given

    @property
    def rated(self) -> bool:
        return self.rating is not None


def rateable_cadres_for(viewer) -> list[RateableCadre]:
    """The cadres a young person may rate, with this quarter's rating where they gave one already;
    [] for staff. A constant number of queries (one per provider, the cadres, the ratings)."""
    person = young_person_of(viewer)
    if person is None:
        return []
    related = related_cadres(person)
    if not related:
        return []
    members = cadre_memberships(list(related))
    ratings = {r.cadre_id: r for r in CadreRating.objects.filter(person=person, quarter=quarter_key(),
                                                                 cadre_id__in=list(members))}
    rows = [RateableCadre(cadre=m.user, node=m.node, reasons=related[cid], rating=ratings.get(cid))
            for cid, m in members.items()]
    return sorted(rows, key=lambda r: (r.rated, r.cadre.display_name, r.cadre.pk))


def get_rateable_cadre_for(viewer, pk) -> RateableCadre:
    """A cadre this young person may rate; 404 for anyone else (a cadre they have no relation with
    looks like no cadre at all)."""
    pk = _int(pk)
    for row in rateable_cadres_for(viewer):
        if row.cadre.pk == pk:
            return row
    raise Http404


def get_cadre_for(viewer, pk) -> tuple[User, Node]:
    """A cadre whose ratings the viewer may read: themself, or a cadre under their admin or
    secretary role. 404 otherwise."""
    membership = cadre_memberships([_int(pk)]).get(_int(pk))
    if membership is None or not can_read_ratings_of(viewer, membership.user, membership.node):
        raise Http404
    return membership.user, membership.node


# --- what a cadre sees ------------------------------------------------------------------------------

def _average(counts: dict[int, int]) -> float | None:
    total = sum(counts.values())
    return round(sum(score * n for score, n in counts.items()) / total, 2) if total else None


@dataclass
class QuarterRow:
    quarter: str
    label: str
    count: int
    average: float | None


@dataclass
class Comment:
    quarter: str
    label: str
    score: int
    text: str


@dataclass
class RatingSummary:
    count: int
    average: float | None
    distribution: list[tuple[int, int, int]]  # (score, count, percent of all), 5 down to 1
    quarters: list[QuarterRow]  # newest first
    comments: list[Comment]  # newest first, without who wrote them or when exactly
    current: QuarterRow | None = None


def rating_summary(cadre, *, comments: int = RECENT_COMMENTS) -> RatingSummary:
    """The average, the count, the distribution by score and per quarter, and recent comments of a
    cadre's ratings: two queries. Never the rater, and no time finer than the quarter."""
    by_quarter: dict[str, Counter] = defaultdict(Counter)
    for row in (CadreRating.objects.filter(cadre_id=cadre.pk).values("quarter", "score")
                .annotate(n=Count("id")).order_by()):
        by_quarter[row["quarter"]][row["score"]] += row["n"]
    overall = Counter()
    for counts in by_quarter.values():
        overall.update(counts)
    total = sum(overall.values())
    distribution = [(score, overall.get(score, 0), round(overall.get(score, 0) * 100 / total) if total else 0)
                    for score in range(MAX_SCORE, MIN_SCORE - 1, -1)]
    quarters = [QuarterRow(quarter=q, label=quarter_label(q), count=sum(c.values()), average=_average(c))
                for q, c in sorted(by_quarter.items(), reverse=True)]
    recent = [Comment(quarter=q, label=quarter_label(q), score=score, text=text)
              for q, score, text in (CadreRating.objects.filter(cadre_id=cadre.pk).exclude(comment="")
                                     .order_by("-quarter", "-id").values_list("quarter", "score", "comment")[:comments])]
    this = quarter_key()
    return RatingSummary(count=total, average=_average(overall), distribution=distribution, quarters=quarters,
                         comments=recent, current=next((q for q in quarters if q.quarter == this), None))


# --- surveys ----------------------------------------------------------------------------------------

def surveys_for(viewer) -> QuerySet[Survey]:
    """Surveys of the counties under the viewer's admin role, with their response counts."""
    return (Survey.objects.filter(scope_q(viewer, "node__", SURVEY_ROLES)).select_related("node")
            .annotate(response_count=Count("responses")).order_by("-starts_on", "-id"))


def get_survey_for(viewer, pk) -> Survey:
    survey = surveys_for(viewer).filter(pk=_int(pk)).prefetch_related("questions").first()
    if survey is None:
        raise Http404
    return survey


def survey_for_token(token: str) -> Survey:
    survey = (Survey.objects.filter(token=str(token)[:32]).select_related("node").prefetch_related("questions")
              .first())
    if survey is None:
        raise Http404
    return survey


def invitee_for(survey: Survey, person) -> SurveyInvitee | None:
    """The young person's invitation to the survey (with their response, if any), or None."""
    if person is None:
        return None
    return (SurveyInvitee.objects.filter(survey=survey, person=person).select_related("response").first())


def open_surveys_for(viewer) -> list[Survey]:
    """Open surveys this young person is invited to and has not answered yet: one query."""
    from .periods import local_today
    person = young_person_of(viewer)
    if person is None:
        return []
    today = local_today()
    return list(Survey.objects.filter(invitees__person=person, invitees__response__isnull=True,
                                      starts_on__lte=today, ends_on__gte=today).order_by("ends_on", "id"))


def _rate(responded: int, eligible: int) -> float | None:
    return round(responded / eligible, 4) if eligible else None


@dataclass
class ResultRow:
    """Results of one cadre or one node: responses ÷ eligible, and the average of each question."""
    key: int
    name: str
    eligible: int = 0
    responded: int = 0
    averages: list = field(default_factory=list)  # per question, in question order; None when no answers
    average: float | None = None  # over every answer

    @property
    def rate(self) -> float | None:
        return _rate(self.responded, self.eligible)

    @property
    def percent(self) -> str:
        return "—" if self.rate is None else f"{self.rate * 100:.1f}%"


@dataclass
class SurveyResults:
    survey: Survey
    questions: list
    total: ResultRow
    nodes: list[ResultRow]
    cadres: list[ResultRow]
    comments: list[str]

    @property
    def question_averages(self) -> list[tuple]:
        return list(zip(self.questions, self.total.averages))


class _Scores:
    """Sums and counts of scores per question, for averages."""

    def __init__(self):
        self.sum = defaultdict(int)
        self.n = defaultdict(int)

    def add(self, question_id: int, score: int) -> None:
        self.sum[question_id] += score
        self.n[question_id] += 1

    def fill(self, row: ResultRow, question_ids: list[int]) -> None:
        row.averages = [round(self.sum[q] / self.n[q], 2) if self.n[q] else None for q in question_ids]
        n = sum(self.n.values())
        row.average = round(sum(self.sum.values()) / n, 2) if n else None


def survey_results(survey: Survey) -> SurveyResults:
    """Results per cadre (the young people linked with them at launch) and per node (the county and
    each of its children: young people linked with a cadre there, each counted once), with response
    rates: four queries, whatever the number of young people. A young person linked with two cadres
    counts for both cadres, and once for a node that holds both."""
    questions = list(survey.questions.all())
    question_ids = [q.pk for q in questions]
    pairs = list(SurveyInviteeCadre.objects.filter(invitee__survey=survey)
                 .values_list("invitee_id", "cadre_id", "cadre__name", "cadre__username", "node__path",
                              "invitee__response__id"))
    answers = defaultdict(list)  # invitee_id -> [(question_id, score)]
    for invitee_id, question_id, score in (SurveyAnswer.objects.filter(response__survey=survey)
                                           .values_list("response__invitee_id", "question_id", "score")):
        answers[invitee_id].append((question_id, score))
    children = list(Node.objects.filter(parent_id=survey.node_id).order_by("path"))
    comments = list(SurveyResponse.objects.filter(survey=survey).exclude(comment="")
                    .order_by("-submitted_at", "-id").values_list("comment", flat=True)[:SURVEY_COMMENTS])

    cadre_invitees: dict[int, set] = defaultdict(set)
    cadre_names: dict[int, str] = {}
    node_invitees: dict[int, set] = defaultdict(set)
    responded: set[int] = set()
    everyone: set[int] = set()
    for invitee_id, cadre_id, name, username, path, response_id in pairs:
        cadre_invitees[cadre_id].add(invitee_id)
        cadre_names[cadre_id] = name or username
        everyone.add(invitee_id)
        if response_id is not None:
            responded.add(invitee_id)
        for child in children:
            if path.startswith(child.path):
                node_invitees[child.pk].add(invitee_id)

    def row(key: int, name: str, invitees: set) -> ResultRow:
        result = ResultRow(key=key, name=name, eligible=len(invitees), responded=len(invitees & responded))
        scores = _Scores()
        for invitee_id in invitees:
            for question_id, score in answers.get(invitee_id, ()):
                scores.add(question_id, score)
        scores.fill(result, question_ids)
        return result

    cadres = sorted((row(cid, cadre_names[cid], ids) for cid, ids in cadre_invitees.items()),
                    key=lambda r: (r.name, r.key))
    return SurveyResults(survey=survey, questions=questions, total=row(survey.node_id, survey.node.name, everyone),
                         nodes=[row(n.pk, n.name, node_invitees.get(n.pk, set())) for n in children],
                         cadres=cadres, comments=comments)


@dataclass
class CadreSurveyRow:
    survey: Survey
    eligible: int
    responded: int
    average: float | None

    @property
    def percent(self) -> str:
        rate = _rate(self.responded, self.eligible)
        return "—" if rate is None else f"{rate * 100:.1f}%"


def cadre_survey_results(cadre) -> list[CadreSurveyRow]:
    """Every survey the cadre's young people were invited to: response rate and average score of
    the answers from the young people linked with them. Three queries."""
    counts = {row["invitee__survey_id"]: row for row in
              SurveyInviteeCadre.objects.filter(cadre_id=cadre.pk).values("invitee__survey_id")
              .annotate(eligible=Count("invitee_id"), responded=Count("invitee__response")).order_by()}
    if not counts:
        return []
    averages = dict(SurveyAnswer.objects.filter(response__invitee__cadres__cadre_id=cadre.pk)
                    .values("response__survey_id").annotate(avg=Avg("score")).order_by()
                    .values_list("response__survey_id", "avg"))
    return [CadreSurveyRow(survey=s, eligible=counts[s.pk]["eligible"], responded=counts[s.pk]["responded"],
                           average=round(averages[s.pk], 2) if averages.get(s.pk) is not None else None)
            for s in Survey.objects.filter(pk__in=list(counts)).order_by("-starts_on", "-id")]


def county_choices_for(viewer) -> QuerySet[Node]:
    """The counties the viewer may launch a survey for."""
    from youthlink.orgs.models import NodeKind
    return Node.objects.filter(scope_q(viewer, "", SURVEY_ROLES), kind=NodeKind.COUNTY).order_by("path")


