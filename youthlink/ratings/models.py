"""Young people's ratings of cadres (评价团干部) and the county's satisfaction surveys (满意度测评).

A rating names its rater only so that the database can hold "once a quarter" as a constraint; no
page, API answer or export shows who rated. A survey snapshots who may answer when it is launched
(SurveyInvitee, with the cadres each young person was linked with then), so response rates keep the
same denominator for the whole period and a result per cadre does not move when bindings change."""
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MIN_SCORE, MAX_SCORE = 1, 5


SURVEY_STATUS_LABELS = {"upcoming": _("未开始"), "open": _("进行中"), "closed": _("已结束")}


def survey_token() -> str:
    return secrets.token_urlsafe(12)


class CadreRating(models.Model):
    """A young person's rating of a cadre (1–5 and a comment), at most one per cadre per quarter."""

    cadre = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ratings_received",
                              verbose_name=_("团干部"))
    # Never shown to anyone: it exists for the once-a-quarter constraint only.
    person = models.ForeignKey("people.YoungPerson", on_delete=models.CASCADE, related_name="cadre_ratings",
                               verbose_name=_("评价人"))
    quarter = models.CharField(_("季度"), max_length=6)  # "2026Q4", in Asia/Shanghai
    score = models.PositiveSmallIntegerField(_("评分"))
    comment = models.CharField(_("评语"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("团干部评价")
        verbose_name_plural = _("团干部评价")
        constraints = [
            models.UniqueConstraint(fields=["cadre", "person", "quarter"], name="uniq_rating_per_quarter"),
            models.CheckConstraint(condition=Q(score__gte=MIN_SCORE, score__lte=MAX_SCORE), name="rating_score_1_5"),
        ]
        indexes = [models.Index(fields=["cadre", "quarter"])]


class Survey(models.Model):
    """满意度测评: a county asks the young people linked with its cadres a few questions for a period."""

    node = models.ForeignKey("orgs.Node", on_delete=models.PROTECT, related_name="surveys", verbose_name=_("县/区"))
    title = models.CharField(_("标题"), max_length=100)
    intro = models.TextField(_("说明"), blank=True)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    token = models.CharField(max_length=32, unique=True, default=survey_token, editable=False)
    eligible_count = models.PositiveIntegerField(_("应答人数"), default=0, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("满意度测评")
        verbose_name_plural = _("满意度测评")
        ordering = ["-starts_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")),
                                              name="survey_ends_after_start")]

    def __str__(self):
        return self.title

    def status(self, today=None) -> str:
        """"upcoming", "open" or "closed", by the local date (Asia/Shanghai)."""
        from .periods import local_today
        today = today or local_today()
        if today < self.starts_on:
            return "upcoming"
        return "open" if today <= self.ends_on else "closed"

    @property
    def status_label(self) -> str:
        return str(SURVEY_STATUS_LABELS[self.status()])


class SurveyQuestion(models.Model):
    """One question, answered with a score of 1 (very dissatisfied) to 5 (very satisfied)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("题目"), max_length=200)

    class Meta:
        verbose_name = _("测评题目")
        verbose_name_plural = _("测评题目")
        ordering = ["survey", "position", "id"]

    def __str__(self):
        return self.text


class SurveyInvitee(models.Model):
    """A young person who may answer: linked (三联) with or bound (青年之友) to a cadre of the county's
    subtree when the survey was launched."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitees")
    person = models.ForeignKey("people.YoungPerson", on_delete=models.CASCADE, related_name="survey_invitations")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "person"], name="uniq_survey_invitee")]


class SurveyInviteeCadre(models.Model):
    """The cadres the invitee was linked with at launch, and each cadre's node then (results per
    cadre and per node count the invitee for each of them)."""

    invitee = models.ForeignKey(SurveyInvitee, on_delete=models.CASCADE, related_name="cadres")
    cadre = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    node = models.ForeignKey("orgs.Node", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["invitee", "cadre"], name="uniq_survey_invitee_cadre")]
        indexes = [models.Index(fields=["cadre", "invitee"])]


class SurveyResponse(models.Model):
    """One young person's answers: one per invitee (the one-to-one is the constraint)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    invitee = models.OneToOneField(SurveyInvitee, on_delete=models.CASCADE, related_name="response")
    comment = models.CharField(_("意见和建议"), max_length=500, blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("测评答卷")
        verbose_name_plural = _("测评答卷")


class SurveyAnswer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="answers")
    score = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="uniq_survey_answer"),
            models.CheckConstraint(condition=Q(score__gte=MIN_SCORE, score__lte=MAX_SCORE), name="survey_score_1_5"),
        ]
