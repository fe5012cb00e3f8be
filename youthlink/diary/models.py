"""Work diary (工作网络日记): a cadre checks in (报到) at their contact point (联系点), writes the day's
diary (work log, reflections, photos, links to the day's visits and requests), and the county reads
it, grades it and comments (调阅点评); cadre and reviewers comment back and forth (评论互动)."""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_RADIUS_M = 500
MIN_RADIUS_M = 50
MAX_RADIUS_M = 10_000


class ContactPoint(models.Model):
    """A cadre's contact point (联系点): the node (village, youth centre …) where they check in. Set by
    the county or township committee, or by the cadre among the nodes they work over; a cadre without
    one checks in at the node of their cadre membership."""

    cadre = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="diary_contact_point",
                                 verbose_name=_("团干部"))
    node = models.ForeignKey("orgs.Node", on_delete=models.PROTECT, related_name="+", verbose_name=_("联系点"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("联系点")
        verbose_name_plural = _("联系点")

    def __str__(self):
        return f"{self.cadre} · {self.node}"


class DiarySetting(models.Model):
    """A county's check-in radius: within it of the contact point a check-in counts as on site."""

    county = models.OneToOneField("orgs.Node", on_delete=models.CASCADE, related_name="diary_setting",
                                  verbose_name=_("县/区"))
    radius_m = models.PositiveIntegerField(_("报到范围（米）"), default=DEFAULT_RADIUS_M,
                                           validators=[MinValueValidator(MIN_RADIUS_M),
                                                       MaxValueValidator(MAX_RADIUS_M)])

    class Meta:
        verbose_name = _("工作日记设置")
        verbose_name_plural = _("工作日记设置")

    def __str__(self):
        return str(self.county)


class CheckInStatus(models.TextChoices):
    ON_SITE = "on_site", _("在岗报到")
    OFF_SITE = "off_site", _("异地报到")
    UNLOCATED = "unlocated", _("未定位")


class CheckIn(models.Model):
    """报到: one a day per cadre, at their contact point, with the phone's position when it gave one.
    `local_date` is the day in Asia/Shanghai, stored so "one a day" is a plain unique constraint."""

    cadre = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="diary_checkins",
                              verbose_name=_("团干部"))
    node = models.ForeignKey("orgs.Node", on_delete=models.PROTECT, related_name="+", verbose_name=_("联系点"))
    checked_at = models.DateTimeField(_("报到时间"))
    local_date = models.DateField(_("日期"))
    status = models.CharField(_("报到情况"), max_length=20, choices=CheckInStatus.choices)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    accuracy_m = models.PositiveIntegerField(_("定位精度（米）"), null=True, blank=True)
    distance_m = models.PositiveIntegerField(_("距联系点（米）"), null=True, blank=True)
    radius_m = models.PositiveIntegerField(_("报到范围（米）"))
    reason = models.CharField(_("异地原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("报到")
        verbose_name_plural = _("报到")
        ordering = ["-local_date", "-id"]
        constraints = [models.UniqueConstraint(fields=["cadre", "local_date"], name="uniq_diary_checkin_day")]

    def __str__(self):
        return f"{self.cadre} · {self.local_date:%Y-%m-%d}"


class EntryStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待点评")
    REVIEWED = "reviewed", _("已点评")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    GOOD = "good", _("良好")
    FAIR = "fair", _("一般")
    IMPROVE = "improve", _("需改进")


class DiaryEntry(models.Model):
    """The diary of one check-in: saved as a draft while the cadre types, submitted once, then reviewed
    once (grade and advice). `node` is where the cadre works (their cadre membership) when they wrote
    it: reviewers over that node's subtree read it. `links` is a snapshot of the day's visits and
    requests the cadre linked: [{"kind", "id", "label", "url"}]."""

    checkin = models.OneToOneField(CheckIn, on_delete=models.PROTECT, related_name="entry", verbose_name=_("报到"))
    cadre = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="diary_entries",
                              verbose_name=_("团干部"))
    node = models.ForeignKey("orgs.Node", on_delete=models.PROTECT, related_name="+", verbose_name=_("所在组织"))
    local_date = models.DateField(_("日期"))
    status = models.CharField(_("状态"), max_length=20, choices=EntryStatus.choices, default=EntryStatus.DRAFT)
    work_log = models.TextField(_("工作记录"), blank=True)
    reflections = models.TextField(_("心得体会"), blank=True)
    links = models.JSONField(_("关联事项"), default=list, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    grade = models.CharField(_("评定等级"), max_length=20, choices=Grade.choices, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="diary_reviews", verbose_name=_("点评人"))
    reviewed_at = models.DateTimeField(_("点评时间"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("工作日记")
        verbose_name_plural = _("工作日记")
        ordering = ["-local_date", "-id"]
        indexes = [
            models.Index(fields=["status", "submitted_at"]),
            models.Index(fields=["cadre", "local_date"]),
        ]

    def __str__(self):
        return f"{self.cadre} · {self.local_date:%Y-%m-%d}"


class DiaryPhoto(models.Model):
    """A photo of the diary, re-encoded as a JPEG of at most 1600 px with no metadata (no EXIF, no GPS).
    Served only through the entry's permission check, never as a public URL."""

    entry = models.ForeignKey(DiaryEntry, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(max_length=200)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("日记照片")
        verbose_name_plural = _("日记照片")
        ordering = ["entry", "position", "id"]


class DiaryComment(models.Model):
    """评论互动: a comment on a submitted entry, by the cadre or a reviewer. The review's advice is the
    thread's first comment (`is_review`)."""

    entry = models.ForeignKey(DiaryEntry, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="diary_comments",
                               verbose_name=_("评论人"))
    body = models.TextField(_("内容"))
    is_review = models.BooleanField(_("点评意见"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("日记评论")
        verbose_name_plural = _("日记评论")
        ordering = ["entry", "created_at", "id"]
