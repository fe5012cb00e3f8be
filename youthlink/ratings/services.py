"""Writes for ratings and surveys: a young person rates a cadre (评价团干部), a county launches a
satisfaction survey (满意度测评), a young person answers it. Each check, the rows and the audit row
happen in one transaction; a refused write leaves nothing behind."""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from youthlink.accounts.models import Membership, Role, User
from youthlink.audit.models import AuditAction
from youthlink.audit.services import audit_record
from youthlink.core import registry
from youthlink.notifications.services import notify
from youthlink.orgs.models import Node

from .models import (MAX_SCORE, MIN_SCORE, CadreRating, Survey, SurveyAnswer, SurveyInvitee, SurveyInviteeCadre,
                     SurveyQuestion, SurveyResponse)
from .periods import local_today, quarter_end, quarter_key
from .permissions import can_manage_surveys_at, young_person_of
from .selectors import YOUTH_PROVIDER, cadre_memberships, related_cadres

MAX_COMMENT = 300
MAX_SURVEY_COMMENT = 500
MAX_QUESTIONS = 10
MAX_QUESTION_LENGTH = 200
MAX_TITLE = 100
MAX_INTRO = 1000
MAX_SURVEY_DAYS = 366


class NotInvited(PermissionDenied):
    """A young person outside a survey's scope (or a member of staff) tried to answer it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _score(value, errors: dict, key: str, message: str) -> int | None:
    try:
        score = int(value)
    except (TypeError, ValueError):
        errors[key] = [message]
        return None
    if not MIN_SCORE <= score <= MAX_SCORE:
        errors[key] = [message]
        return None
    return score


def _already_rated(quarter: str) -> ValidationError:
    next_day = quarter_end(quarter) + dt.timedelta(days=1)
    return ValidationError(_("本季度您已评价过这位团干部，%(date)s 起可以再次评价") % {"date": f"{next_day:%Y-%m-%d}"},
                           code="already_rated")


@transaction.atomic
def cadre_rate(*, actor: User, cadre: User, score, comment: str = "") -> CadreRating:
    """评价团干部: a young person bound to (青年之友), linked with (三联) or visited by the cadre rates
    them 1–5 with an optional comment, once a quarter (Asia/Shanghai). The cadre and the committees
    over them see the average and the comments, never who wrote them. No notification is sent: one
    arriving right after a visit would tell the cadre who rated them."""
    person = young_person_of(actor)
    if person is None:
        raise PermissionDenied
    members = cadre_memberships([cadre.pk])
    if cadre.pk not in members or cadre.pk not in related_cadres(person):
        raise PermissionDenied
    errors: dict[str, list] = {}
    score = _score(score, errors, "score", _("请选择 1 到 5 分"))
    comment = " ".join((comment or "").split())
    if len(comment) > MAX_COMMENT:
        errors["comment"] = [_("评语不超过 %(n)d 字") % {"n": MAX_COMMENT}]
    if errors:
        raise ValidationError(errors)
    quarter = quarter_key()
    if CadreRating.objects.filter(cadre=cadre, person=person, quarter=quarter).exists():
        raise _already_rated(quarter)
    try:
        with transaction.atomic():
            rating = CadreRating.objects.create(cadre=cadre, person=person, quarter=quarter, score=score,
                                                comment=comment)
    except IntegrityError:
        # A second submit that raced past the check above: the constraint keeps one row.
        raise _already_rated(quarter) from None
    audit_record(actor=actor, action=AuditAction.CADRE_RATE, target=rating, target_label=cadre.display_name,
                 node=members[cadre.pk].node, data={"cadre_id": cadre.pk, "quarter": quarter})
    return rating


def _clean_questions(questions, errors: dict) -> list[str]:
    texts = [" ".join(str(q).split()) for q in questions or ()]
    texts = [t for t in texts if t]
    if not texts:
        errors["questions"] = [_("请至少填写一道题目")]
    elif len(texts) > MAX_QUESTIONS:
        errors["questions"] = [_("最多 %(n)d 道题目") % {"n": MAX_QUESTIONS}]
    elif any(len(t) > MAX_QUESTION_LENGTH for t in texts):
        errors["questions"] = [_("每道题目不超过 %(n)d 字") % {"n": MAX_QUESTION_LENGTH}]
    elif len(set(texts)) != len(texts):
        errors["questions"] = [_("题目不能重复")]
    return texts


def eligible_pairs(county: Node) -> tuple[dict[int, int], list[tuple[int, int]]]:
    """The active cadres of the county's subtree ({cadre_id: node_id}) and the (cadre_id, person_id)
    pairs of the young people bound to or linked with them, from the registered providers."""
    cadre_nodes: dict[int, int] = {}
    for user_id, node_id in (Membership.objects.filter(county.subtree_q("node__"), role=Role.CADRE, is_active=True,
                                                       user__is_active=True)
                             .order_by("node__path", "id").values_list("user_id", "node_id")):
        cadre_nodes.setdefault(user_id, node_id)
    pairs: set[tuple[int, int]] = set()
    if cadre_nodes:
        for provider in registry.LISTENERS.get(YOUTH_PROVIDER, []):
            pairs.update((c, p) for c, p in provider(list(cadre_nodes)) if c in cadre_nodes)
    return cadre_nodes, sorted(pairs)


@transaction.atomic
def survey_create(*, actor: User, county: Node, title: str, starts_on: dt.date | None, ends_on: dt.date | None,
                  questions, intro: str = "") -> Survey:
    """满意度测评: a county committee launches a survey for a period. Who may answer is fixed now:
    every young person bound to (青年之友) or linked with (三联) a cadre of the county's subtree, with
    those cadres, so the response rate keeps one denominator for the whole period and the results per
    cadre stay those of the cadres the young person had when asked. Young people with an account
    get an in-app notification with the link after commit."""
    if not can_manage_surveys_at(actor, county):
        raise PermissionDenied
    errors: dict[str, list] = {}
    title = " ".join((title or "").split())
    if not title:
        errors["title"] = [_("请填写标题")]
    elif len(title) > MAX_TITLE:
        errors["title"] = [_("标题不超过 %(n)d 字") % {"n": MAX_TITLE}]
    intro = (intro or "").strip()
    if len(intro) > MAX_INTRO:
        errors["intro"] = [_("说明不超过 %(n)d 字") % {"n": MAX_INTRO}]
    if starts_on is None:
        errors["starts_on"] = [_("请填写开始日期")]
    if ends_on is None:
        errors["ends_on"] = [_("请填写结束日期")]
    if starts_on and ends_on:
        if ends_on < starts_on:
            errors["ends_on"] = [_("结束日期不能早于开始日期")]
        elif ends_on < local_today():
            errors["ends_on"] = [_("结束日期不能早于今天")]
        elif (ends_on - starts_on).days >= MAX_SURVEY_DAYS:
            errors["ends_on"] = [_("测评期不超过一年")]
    texts = _clean_questions(questions, errors)
    if errors:
        raise ValidationError(errors)
    cadre_nodes, pairs = eligible_pairs(county)
    person_ids = sorted({p for _c, p in pairs})
    if not person_ids:
        raise ValidationError(_("该县/区的团干部还没有联系或绑定任何青年，无法发起测评"))
    survey = Survey.objects.create(node=county, title=title, intro=intro, starts_on=starts_on, ends_on=ends_on,
                                   eligible_count=len(person_ids), created_by=actor)
    SurveyQuestion.objects.bulk_create([SurveyQuestion(survey=survey, position=i, text=t) for i, t in enumerate(texts)])
    SurveyInvitee.objects.bulk_create([SurveyInvitee(survey=survey, person_id=p) for p in person_ids], batch_size=1000)
    invitee_ids = dict(SurveyInvitee.objects.filter(survey=survey).values_list("person_id", "id"))
    SurveyInviteeCadre.objects.bulk_create(
        [SurveyInviteeCadre(invitee_id=invitee_ids[p], cadre_id=c, node_id=cadre_nodes[c]) for c, p in pairs],
        batch_size=1000)
    audit_record(actor=actor, action=AuditAction.SURVEY_CREATE, target=survey, node=county,
                 data={"eligible": len(person_ids), "questions": len(texts)})
    url = reverse("ratings:answer", args=[survey.token])
    users = list(User.objects.filter(young_person__id__in=person_ids, is_active=True).values_list("pk", flat=True))
    transaction.on_commit(lambda: notify(users=users, kind="survey", title=_("满意度测评：%(title)s") % {"title": title},
                                         body=_("请在 %(date)s 前填写") % {"date": f"{ends_on:%Y-%m-%d}"}, url=url,
                                         dedupe_key=f"survey:{survey.pk}"))
    return survey


@transaction.atomic
def survey_answer(*, actor: User, survey: Survey, scores: dict, comment: str = "") -> SurveyResponse:
    """A young person in the survey's scope answers it, once, while it is open: a score of 1–5 for
    every question and an optional comment. Anyone else is refused and nothing is saved."""
    person = young_person_of(actor)
    if person is None:
        raise NotInvited(_("满意度测评仅供受邀青年填写"))
    invitee = SurveyInvitee.objects.filter(survey=survey, person=person).first()
    if invitee is None:
        raise NotInvited(_("您不在本次测评的范围内：只有发起时与本县/区团干部结为青年之友或三联的青年可以填写"))
    status = survey.status()
    if status == "upcoming":
        raise ValidationError(_("测评 %(date)s 开始，请到时再填写") % {"date": f"{survey.starts_on:%Y-%m-%d}"})
    if status == "closed":
        raise ValidationError(_("测评已于 %(date)s 结束，不能再提交") % {"date": f"{survey.ends_on:%Y-%m-%d}"})
    if SurveyResponse.objects.filter(invitee=invitee).exists():
        raise ValidationError(_("您已提交过本次测评，每人只能填写一次"), code="already_answered")
    errors: dict[str, list] = {}
    questions = list(survey.questions.all())
    cleaned = {}
    scores = {str(k): v for k, v in (scores or {}).items()}
    for question in questions:
        cleaned[question.pk] = _score(scores.get(str(question.pk)), errors, "scores", _("请为每一道题打分（1 到 5 分）"))
    unknown = set(scores) - {str(q.pk) for q in questions}
    if unknown:
        errors["scores"] = [_("答卷中有不属于本测评的题目")]
    comment = (comment or "").strip()
    if len(comment) > MAX_SURVEY_COMMENT:
        errors["comment"] = [_("意见和建议不超过 %(n)d 字") % {"n": MAX_SURVEY_COMMENT}]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(survey=survey, invitee=invitee, comment=comment)
    except IntegrityError:
        raise ValidationError(_("您已提交过本次测评，每人只能填写一次"), code="already_answered") from None
    SurveyAnswer.objects.bulk_create([SurveyAnswer(response=response, question_id=q, score=s)
                                      for q, s in cleaned.items()])
    audit_record(actor=actor, action=AuditAction.SURVEY_RESPOND, target=survey, node=survey.node)
    return response
