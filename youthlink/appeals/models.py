"""Requests from young people (诉求), the loop of 听结办: heard → reviewed → published → taken on →
solved → rated. A request is heard from a young person directly, recorded by a cadre on a visit, or
collected by a micro-element (微元素) from their WeChat moments and contacts on someone's behalf
(朋友圈计划); a suggestion (意见建议) is a kind of its own. Nothing is public before the township or
village secretary has reviewed it, and the public text is a redacted copy of the private one."""
import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from youthlink.orgs.models import NodeKind

DEFAULT_RESPONSE_DAYS = 1
DEFAULT_RESOLVE_DAYS = 5
DEFAULT_COMPLEX_RESOLVE_DAYS = 13
REVIEW_WAIT_WARNING = dt.timedelta(days=1)
CONFIRM_DAYS = 7  # calendar days the young person has to confirm before it closes as unconfirmed


class Category(models.Model):
    """A service area (志愿、创业、就业、婚恋、健康、心理、帮扶、学业、其他). Built-in categories have no
    county; a county adds its own. Deadlines are counted in working days (weekends and Chinese
    public holidays excluded); `sectors` and `partner_tags` steer the matching of resource partners."""

    key = models.SlugField(_("代码"), max_length=40)
    name = models.CharField(_("名称"), max_length=40)
    county = models.ForeignKey("orgs.Node", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="appeal_categories", verbose_name=_("县/区"))
    response_days = models.PositiveSmallIntegerField(
        _("首次响应时限（工作日）"), default=DEFAULT_RESPONSE_DAYS, validators=[MinValueValidator(1), MaxValueValidator(60)])
    resolve_days = models.PositiveSmallIntegerField(
        _("办结时限（工作日）"), default=DEFAULT_RESOLVE_DAYS, validators=[MinValueValidator(1), MaxValueValidator(120)])
    complex_resolve_days = models.PositiveSmallIntegerField(
        _("复杂诉求办结时限（工作日）"), default=DEFAULT_COMPLEX_RESOLVE_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(240)])
    sectors = models.JSONField(_("对口界别"), default=list, blank=True)  # people.Sector values
    partner_tags = models.JSONField(_("对口资源标签"), default=list, blank=True)  # people.Tag values
    position = models.PositiveSmallIntegerField(default=100)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("诉求类别")
        verbose_name_plural = _("诉求类别")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["county", "key"], name="uniq_appeal_category_county_key"),
            models.UniqueConstraint(fields=["key"], condition=models.Q(county__isnull=True),
                                    name="uniq_appeal_category_builtin_key"),
        ]

    def __str__(self):
        return self.name


class Kind(models.TextChoices):
    REQUEST = "request", _("诉求")
    SUGGESTION = "suggestion", _("意见建议")


class Source(models.TextChoices):
    SELF = "self", _("青年本人提交")
    VISIT = "visit", _("走访记录")
    COLLECTED = "collected", _("微元素收集")


class CollectedFrom(models.TextChoices):
    MOMENTS = "moments", _("微信朋友圈")
    CONTACTS = "contacts", _("通讯录/熟人")
    OTHER = "other", _("其他渠道")


class Status(models.TextChoices):
    PENDING = "pending", _("待审核")
    OPEN = "open", _("待认领")
    IN_PROGRESS = "in_progress", _("办理中")
    RESOLVED = "resolved", _("待确认")
    SOLVED = "solved", _("已解决")
    SOLVED_UNCONFIRMED = "solved_unconfirmed", _("已解决（未确认）")
    REJECTED = "rejected", _("未通过")
    MERGED = "merged", _("已合并")


ACTIVE_STATUSES = (Status.OPEN, Status.IN_PROGRESS)
CLOSED_STATUSES = (Status.SOLVED, Status.SOLVED_UNCONFIRMED)


class Level(models.IntegerChoices):
    TOWNSHIP = 1, _("乡镇（街道）")
    COUNTY = 2, _("县（区）")
    CITY = 3, _("市")


class Appeal(models.Model):
    """One request or suggestion. `node` is where it belongs (a village or township) and never
    changes; `node_path` copies its path so that every list is one range scan on one table.
    `handling_node` is the level that handles it now: the township, then the county or the city
    after an escalation. `title`/`body` are what was written (staff only); `public_title` and
    `public_body` the redacted copy the reviewer approved, the only text the feed shows."""

    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices, default=Kind.REQUEST)
    source = models.CharField(_("来源"), max_length=12, choices=Source.choices)
    collected_from = models.CharField(_("收集渠道"), max_length=12, choices=CollectedFrom.choices, blank=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="appeals", verbose_name=_("类别"))
    title = models.CharField(_("标题"), max_length=80)
    body = models.TextField(_("内容"))
    node = models.ForeignKey("orgs.Node", on_delete=models.PROTECT, related_name="appeals", verbose_name=_("所属地"))
    node_path = models.CharField(max_length=255, db_index=True, editable=False)
    handling_node = models.ForeignKey("orgs.Node", on_delete=models.PROTECT, related_name="appeals_handled",
                                      verbose_name=_("承办层级"))
    level = models.PositiveSmallIntegerField(_("层级"), choices=Level.choices, default=Level.TOWNSHIP)
    person = models.ForeignKey("people.YoungPerson", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="appeals", verbose_name=_("青年"))
    subject_name = models.CharField(_("当事人姓名"), max_length=50, blank=True)
    is_minor = models.BooleanField(_("未成年人"), default=False)
    consent_to_publish = models.BooleanField(_("当事人同意公开"), default=False)
    consent_note = models.CharField(_("同意方式"), max_length=120, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appeals_submitted",
                                     verbose_name=_("提交人"))
    visit_id = models.BigIntegerField(null=True, blank=True)  # the visit it was heard on (no FK: features stay apart)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    is_public = models.BooleanField(_("公开"), default=False)
    is_complex = models.BooleanField(_("复杂诉求"), default=False)
    # review (审核)
    public_title = models.CharField(_("公开标题"), max_length=80, blank=True)
    public_body = models.TextField(_("公开内容"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    reject_reason = models.CharField(_("不通过原因"), max_length=300, blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged",
                                    verbose_name=_("合并到"))
    # taken on (认领/指派)
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="appeals_handling", verbose_name=_("承办人"))
    claimed_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    # deadlines, counted in working days from the review
    response_due_at = models.DateTimeField(null=True, blank=True)
    resolve_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    overdue_escalated_at = models.DateTimeField(null=True, blank=True)
    # solved and rated
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)])
    rating_comment = models.CharField(_("评价"), max_length=500, blank=True)
    reopen_count = models.PositiveSmallIntegerField(default=0)
    # jieba tokens, space-separated, read by the full-text index: of the private title and body
    # (staff who may read it), and of the public text only (everyone else: a young person searching
    # the feed must not find a request by the name that redaction hid)
    search_tokens = models.TextField(blank=True, default="", editable=False)
    public_search_tokens = models.TextField(blank=True, default="", editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("诉求")
        verbose_name_plural = _("诉求")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["is_public", "node_path", "published_at"], name="appeal_feed_idx"),
            # The feed's order over published requests only: PostgreSQL puts NULLs first in a
            # descending scan, so on the plain published_at index the feed first stepped over every
            # unpublished request (215,000 rows, 120 ms, at city scale).
            models.Index(fields=["published_at", "id"], condition=models.Q(is_public=True), name="appeal_published_idx"),
            models.Index(fields=["status", "node_path", "created_at"], name="appeal_status_idx"),
            models.Index(fields=["handler", "status"], name="appeal_handler_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                                   name="appeal_rating_1_5"),
        ]

    def __str__(self):
        return self.public_title or self.title

    @property
    def status_label(self) -> str:
        """The status as users read it. Django's get_status_display() rebuilds a dict of every choice
        (hashing each lazily translated label) on each call: 55 µs, about 1 ms a page of 20 cards."""
        return str(Status(self.status).label)

    @property
    def display_title(self) -> str:
        return self.public_title or self.title

    @property
    def public_place(self) -> str:
        """Where the request is, as the public may read it (feed, API, share poster): the township and,
        for an adult, the village too; for a minor only the township (the redaction masks their
        village or school in the text). Reads `node` and its parent: select them with the request."""
        node = self.node
        parent = node.parent if node.parent_id else None
        if node.kind in (NodeKind.CITY, NodeKind.COUNTY, NodeKind.TOWNSHIP) or parent is None:
            return node.name
        if self.is_minor:
            return parent.name
        return f"{parent.name} · {node.name}"

    @property
    def waiting_long(self) -> bool:
        """Waiting for review longer than a day: shown in red in the review queue."""
        return self.status == Status.PENDING and timezone.now() - self.created_at > REVIEW_WAIT_WARNING


class UpdateKind(models.TextChoices):
    RESPONSE = "response", _("答复")
    PROGRESS = "progress", _("进展")
    ESCALATION = "escalation", _("上报说明")
    REFERRAL = "referral", _("转交资源方")
    RESOLUTION = "resolution", _("办理结果")
    REOPEN = "reopen", _("未解决说明")


class AppealUpdate(models.Model):
    """What the handling side wrote on the request: a reply, progress, the escalation note, the
    result (办理结果, with photos), and the young person's "not solved" reason."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=UpdateKind.choices)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("诉求办理记录")
        verbose_name_plural = _("诉求办理记录")
        ordering = ["created_at", "id"]


class AppealPhoto(models.Model):
    """A photo of what was done, metadata-free (youthlink.core.photos), served through the request's
    permission check."""

    update = models.ForeignKey(AppealUpdate, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(max_length=200)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("诉求照片")
        verbose_name_plural = _("诉求照片")
        ordering = ["update", "position", "id"]


class AppealComment(models.Model):
    """A comment under a published request in the 青联圈 feed."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.CharField(_("评论"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("诉求评论")
        verbose_name_plural = _("诉求评论")
        ordering = ["created_at", "id"]


class PartnerKind(models.TextChoices):
    FEDERATION = "federation", _("青联委员")
    ENTERPRISE_ASSOC = "enterprise_assoc", _("青企协会员")
    MENTOR = "mentor", _("青年创业导师")
    SOCIAL_ORG = "social_org", _("社会组织")
    LOCAL_TALENT = "local_talent", _("本土能人")
    YOUTH_CENTRE = "youth_centre", _("青年之家")


class AppealReferral(models.Model):
    """The upper level routes a request to a resource partner: a person (青联委员 by sector, 青企协
    会员, 创业导师, 本土能人), a social organisation or a youth centre, with the reason it was picked."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="referrals")
    partner_kind = models.CharField(max_length=20, choices=PartnerKind.choices)
    person = models.ForeignKey("people.YoungPerson", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    social_org = models.ForeignKey("orgs.SocialOrganisation", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    centre = models.ForeignKey("orgs.Node", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("推荐理由"), max_length=300, blank=True)
    note = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("资源对接")
        verbose_name_plural = _("资源对接")
        ordering = ["created_at", "id"]
