"""The ratings and surveys API: the same services and selectors as the pages (session auth, JSON).
No answer ever names who rated a cadre or who answered a survey."""
import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from ninja import Router, Schema, Status

from youthlink.accounts.access import is_staff_member, roles_at
from youthlink.accounts.models import Role
from youthlink.orgs.selectors import get_node_for

from . import permissions, selectors, services

router = Router(tags=["ratings"])


class RateableCadreOut(Schema):
    cadre_id: int
    name: str
    node_name: str
    reasons: list[str]
    rated_this_quarter: bool
    score_this_quarter: int | None


class RatingIn(Schema):
    score: int
    comment: str = ""


class RatingOut(Schema):
    cadre_id: int
    quarter: str
    score: int
    comment: str


class DistributionOut(Schema):
    score: int
    count: int


class QuarterOut(Schema):
    quarter: str
    count: int
    average: float | None


class CommentOut(Schema):
    quarter: str
    score: int
    text: str


class CadreSurveyOut(Schema):
    survey_id: int
    title: str
    eligible: int
    responded: int
    average: float | None


class CadreRatingsOut(Schema):
    cadre_id: int
    name: str
    count: int
    average: float | None
    distribution: list[DistributionOut]
    quarters: list[QuarterOut]
    comments: list[CommentOut]
    surveys: list[CadreSurveyOut]


class SurveyIn(Schema):
    county_id: int
    title: str
    intro: str = ""
    starts_on: dt.date
    ends_on: dt.date
    questions: list[str]


class QuestionOut(Schema):
    id: int
    text: str


class SurveyOut(Schema):
    id: int
    county_id: int
    county_name: str
    title: str
    intro: str
    starts_on: dt.date
    ends_on: dt.date
    status: str
    eligible: int
    responded: int
    url: str
    qr_url: str
    questions: list[QuestionOut]


class ResultRowOut(Schema):
    id: int
    name: str
    eligible: int
    responded: int
    rate: float | None
    averages: list[float | None]
    average: float | None


class SurveyResultsOut(Schema):
    survey_id: int
    questions: list[QuestionOut]
    total: ResultRowOut
    nodes: list[ResultRowOut]
    cadres: list[ResultRowOut]
    comments: list[str]


class SurveyFormOut(Schema):
    id: int
    title: str
    intro: str
    county_name: str
    starts_on: dt.date
    ends_on: dt.date
    status: str
    answered: bool
    questions: list[QuestionOut]


class AnswerIn(Schema):
    scores: dict[int, int]
    comment: str = ""


class AnswerOut(Schema):
    survey_id: int
    submitted: bool


class RefusedOut(Schema):
    detail: str


def _young_only(request):
    if not permissions.is_young_person(request.user):
        raise Http404


def _staff_only(request):
    if not is_staff_member(request.user):
        raise Http404


def _questions(survey) -> list[dict]:
    return [{"id": q.pk, "text": q.text} for q in survey.questions.all()]


def _survey_out(request, survey) -> dict:
    return {"id": survey.pk, "county_id": survey.node_id, "county_name": survey.node.name, "title": survey.title,
            "intro": survey.intro, "starts_on": survey.starts_on, "ends_on": survey.ends_on,
            "status": survey.status(), "eligible": survey.eligible_count,
            "responded": getattr(survey, "response_count", 0),
            "url": request.build_absolute_uri(reverse("ratings:answer", args=[survey.token])),
            "qr_url": reverse("ratings:survey_qr", args=[survey.pk]), "questions": _questions(survey)}


def _row_out(row) -> dict:
    return {"id": row.key, "name": row.name, "eligible": row.eligible, "responded": row.responded, "rate": row.rate,
            "averages": row.averages, "average": row.average}


@router.get("/mine", response=list[RateableCadreOut])
def my_rateable_cadres(request):
    """The cadres the young person may rate, and whether they did this quarter."""
    _young_only(request)
    return [{"cadre_id": r.cadre.pk, "name": r.cadre.display_name, "node_name": r.node.name, "reasons": r.reasons,
             "rated_this_quarter": r.rated, "score_this_quarter": r.rating.score if r.rated else None}
            for r in selectors.rateable_cadres_for(request.user)]


@router.post("/cadres/{int:cadre_id}", response={201: RatingOut})
def rate_cadre(request, cadre_id: int, payload: RatingIn):
    """评价团干部: 1–5 and an optional comment, once a quarter per cadre; 422 for a second one."""
    row = selectors.get_rateable_cadre_for(request.user, cadre_id)
    rating = services.cadre_rate(actor=request.user, cadre=row.cadre, score=payload.score, comment=payload.comment)
    return Status(201, {"cadre_id": row.cadre.pk, "quarter": rating.quarter, "score": rating.score,
                        "comment": rating.comment})


def _cadre_ratings_out(cadre) -> dict:
    summary = selectors.rating_summary(cadre)
    return {"cadre_id": cadre.pk, "name": cadre.display_name, "count": summary.count, "average": summary.average,
            "distribution": [{"score": s, "count": n} for s, n, _p in summary.distribution],
            "quarters": [{"quarter": q.quarter, "count": q.count, "average": q.average} for q in summary.quarters],
            "comments": [{"quarter": c.quarter, "score": c.score, "text": c.text} for c in summary.comments],
            "surveys": [{"survey_id": r.survey.pk, "title": r.survey.title, "eligible": r.eligible,
                         "responded": r.responded, "average": r.average}
                        for r in selectors.cadre_survey_results(cadre)]}


@router.get("/received", response=CadreRatingsOut)
def my_ratings(request):
    """A cadre's own ratings: average, distribution, comments; never who wrote them."""
    _staff_only(request)
    if Role.CADRE not in roles_at(request.user):
        raise PermissionDenied
    cadre, _node = selectors.get_cadre_for(request.user, request.user.pk)
    return _cadre_ratings_out(cadre)


@router.get("/cadres/{int:cadre_id}", response=CadreRatingsOut)
def cadre_ratings(request, cadre_id: int):
    """A cadre's ratings, for the cadre and the committees over them."""
    cadre, _node = selectors.get_cadre_for(request.user, cadre_id)
    return _cadre_ratings_out(cadre)


@router.get("/surveys", response=list[SurveyOut])
def list_surveys(request):
    _staff_only(request)
    if not permissions.can_list_surveys(request.user):
        raise PermissionDenied
    return [_survey_out(request, s) for s in selectors.surveys_for(request.user).prefetch_related("questions")]


@router.post("/surveys", response={201: SurveyOut})
def create_survey(request, payload: SurveyIn):
    """满意度测评: launch a survey for a county; who may answer is fixed now."""
    _staff_only(request)
    county = get_node_for(request.user, payload.county_id)
    survey = services.survey_create(actor=request.user, county=county, title=payload.title, intro=payload.intro,
                                    starts_on=payload.starts_on, ends_on=payload.ends_on, questions=payload.questions)
    return Status(201, _survey_out(request, selectors.get_survey_for(request.user, survey.pk)))


@router.get("/surveys/open", response=list[SurveyFormOut])
def my_open_surveys(request):
    """Open surveys the young person is invited to and has not answered."""
    _young_only(request)
    return [_form_out(s, answered=False) for s in selectors.open_surveys_for(request.user)]


@router.get("/surveys/{int:survey_id}", response=SurveyOut)
def get_survey(request, survey_id: int):
    return _survey_out(request, selectors.get_survey_for(request.user, survey_id))


@router.get("/surveys/{int:survey_id}/results", response=SurveyResultsOut)
def survey_results(request, survey_id: int):
    """Per node and per cadre: eligible at launch, responded, rate, average per question."""
    results = selectors.survey_results(selectors.get_survey_for(request.user, survey_id))
    return {"survey_id": results.survey.pk, "questions": [{"id": q.pk, "text": q.text} for q in results.questions],
            "total": _row_out(results.total), "nodes": [_row_out(r) for r in results.nodes],
            "cadres": [_row_out(r) for r in results.cadres], "comments": results.comments}


def _form_out(survey, answered: bool) -> dict:
    return {"id": survey.pk, "title": survey.title, "intro": survey.intro, "county_name": survey.node.name,
            "starts_on": survey.starts_on, "ends_on": survey.ends_on, "status": survey.status(), "answered": answered,
            "questions": _questions(survey)}


def _invitee_or_refuse(request, survey):
    person = permissions.young_person_of(request.user)
    invitee = selectors.invitee_for(survey, person)
    if invitee is None:
        raise services.NotInvited("")
    return invitee


@router.get("/answer/{token}", response={200: SurveyFormOut, 403: RefusedOut})
def survey_form(request, token: str):
    """The survey behind a shared link, for a young person in its scope; 403 with the reason for
    anyone else."""
    survey = selectors.survey_for_token(token)
    try:
        invitee = _invitee_or_refuse(request, survey)
    except services.NotInvited:
        return Status(403, {"detail": _refusal(request)})
    return _form_out(survey, answered=hasattr(invitee, "response"))


def _refusal(request) -> str:
    from django.utils.translation import gettext as _
    if permissions.young_person_of(request.user) is None:
        return _("满意度测评仅供受邀青年填写")
    return _("您不在本次测评的范围内：只有发起时与本县/区团干部结为青年之友或三联的青年可以填写")


@router.post("/answer/{token}", response={201: AnswerOut, 403: RefusedOut})
def answer_survey(request, token: str, payload: AnswerIn):
    """Answer once, while open: a score of 1–5 for every question (by question id) and a comment."""
    survey = selectors.survey_for_token(token)
    try:
        services.survey_answer(actor=request.user, survey=survey, scores=payload.scores, comment=payload.comment)
    except services.NotInvited as exc:
        return Status(403, {"detail": exc.message})
    return Status(201, {"survey_id": survey.pk, "submitted": True})


