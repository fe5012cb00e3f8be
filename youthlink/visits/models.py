"""Visits (走访): what a cadre records after a home visit, an evening talk (访谈夜) or a visit to a
grassroots organisation; the centralised visit evenings (集中夜访日) a county or township sets; and the
per-county rules the results are held against (evenings a month, yearly targets of 三联双百)."""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_MIN_EVENINGS = 4
DEFAULT_TARGET = 100  # 三联双百: 100 young people visited, 100 problems collected, 100 solved a year


class VisitKind(models.TextChoices):
    HOME = "home", _("入户走访")
    EVENING_TALK = "evening_talk", _("访谈夜")
    ORGANISATION = "organisation", _("走访基层组织")
    YOUTH_CENTRE = "youth_centre", _("青年之家座谈")


class Visit(models.Model):
    """One visit. `local_date` and `is_evening` are the start time read in Asia/Shanghai, stored so
    that "distinct evenings held" is a plain DISTINCT on both databases, whatever their time zone."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="visits_logged",
                                   verbose_name=_("记录人"))
    kind = models.CharField(_("类型"), max_length=20, choices=VisitKind.choices)
    visited_at = models.DateTimeField(_("开始时间"), db_index=True)
    local_date = models.DateField(_("日期"), editable=False)
    is_evening = models.BooleanField(_("夜访"), default=False, editable=False)
    place = models.ForeignKey("orgs.Node", on_delete=models.PROTECT, related_name="visits", verbose_name=_("地点"))
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    notes = models.TextField(_("记录"), blank=True)
    participants = models.ManyToManyField(settings.AUTH_USER_MODEL, through="VisitParticipant",
                                          related_name="visits", verbose_name=_("走访人员"))
    people = models.ManyToManyField("people.YoungPerson", blank=True, related_name="visits",
                                    verbose_name=_("走访的青年"))
    social_orgs = models.ManyToManyField("orgs.SocialOrganisation", blank=True, related_name="visits",
                                         verbose_name=_("走访的社会组织"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        ordering = ["-visited_at", "-id"]
        indexes = [
            models.Index(fields=["local_date", "is_evening"]),
            models.Index(fields=["place", "local_date"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.local_date:%Y-%m-%d}"


class VisitParticipant(models.Model):
    """The cadres who made the visit: the one who recorded it and the companions (同行团干部).
    Every one of them is credited with the visit in the yearly targets."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="participant_rows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="visit_participations")
    is_creator = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("走访人员")
        verbose_name_plural = _("走访人员")
        constraints = [models.UniqueConstraint(fields=["visit", "user"], name="uniq_visit_participant")]
        indexes = [models.Index(fields=["user", "visit"])]


class VisitProblem(models.Model):
    """A problem a young person raised on the visit (听结办: heard). The requests feature takes
    these over later; until then they count as "problems collected"."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="problems")
    text = models.CharField(_("问题"), max_length=500)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("走访中收集的问题")
        verbose_name_plural = _("走访中收集的问题")
        ordering = ["visit", "position", "id"]

    def __str__(self):
        return self.text


class VisitPhoto(models.Model):
    """A photo of the visit, re-encoded as a JPEG of at most 1600 px with no metadata (no EXIF, no
    GPS, no camera serial). Served only through the visit's permission check, never as a public URL."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(max_length=200)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("走访照片")
        verbose_name_plural = _("走访照片")
        ordering = ["visit", "position", "id"]


class VisitDay(models.Model):
    """集中夜访日: an evening a county or township set for centralised visits to its nodes."""

    node = models.ForeignKey("orgs.Node", on_delete=models.CASCADE, related_name="visit_days", verbose_name=_("组织"))
    date = models.DateField(_("日期"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("集中夜访日")
        verbose_name_plural = _("集中夜访日")
        ordering = ["date", "node"]
        constraints = [models.UniqueConstraint(fields=["node", "date"], name="uniq_visit_day")]
        indexes = [models.Index(fields=["date"])]

    def __str__(self):
        return f"{self.node} · {self.date:%Y-%m-%d}"


class VisitRuleSetting(models.Model):
    """A county's rules: evenings each organisation holds a month, and the default yearly targets."""

    county = models.OneToOneField("orgs.Node", on_delete=models.CASCADE, related_name="visit_rules",
                                  verbose_name=_("县/区"))
    min_evenings_per_month = models.PositiveSmallIntegerField(
        _("每月至少访谈夜（晚）"), default=DEFAULT_MIN_EVENINGS, validators=[MinValueValidator(1), MaxValueValidator(31)])
    visited_default = models.PositiveIntegerField(_("默认年度走访青年目标"), default=DEFAULT_TARGET)
    collected_default = models.PositiveIntegerField(_("默认年度收集问题目标"), default=DEFAULT_TARGET)
    solved_default = models.PositiveIntegerField(_("默认年度解决问题目标"), default=DEFAULT_TARGET)

    class Meta:
        verbose_name = _("走访规则")
        verbose_name_plural = _("走访规则")

    def __str__(self):
        return str(self.county)


class YearlyTarget(models.Model):
    """A county's targets per cadre for one year (三联双百), overriding the county's defaults."""

    county = models.ForeignKey("orgs.Node", on_delete=models.CASCADE, related_name="yearly_targets",
                               verbose_name=_("县/区"))
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    visited = models.PositiveIntegerField(_("走访青年"), default=DEFAULT_TARGET)
    collected = models.PositiveIntegerField(_("收集问题"), default=DEFAULT_TARGET)
    solved = models.PositiveIntegerField(_("解决问题"), default=DEFAULT_TARGET)

    class Meta:
        verbose_name = _("年度目标")
        verbose_name_plural = _("年度目标")
        constraints = [models.UniqueConstraint(fields=["county", "year"], name="uniq_yearly_target")]

    def __str__(self):
        return f"{self.county} · {self.year}"
