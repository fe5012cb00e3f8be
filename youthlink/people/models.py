from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from youthlink.core.fields import EncryptedTextField
from youthlink.core.identity import age_on, mask_id_number, mask_mobile, mask_text


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")
    UNKNOWN = "U", _("未填")


class Tag(models.TextChoices):
    HARDSHIP = "hardship", _("困难青少年")
    KEY = "key", _("重点青少年")
    ENTREPRENEUR = "entrepreneur", _("创业青年")
    RURAL = "rural", _("农村/务农青年")
    STUDENT = "student", _("学生")
    LEAGUE_MEMBER = "league_member", _("团员")
    FEDERATION = "federation", _("青联委员")
    ENTERPRISE_ASSOC = "enterprise_assoc", _("青企协会员")
    MENTOR = "mentor", _("创业导师")
    LOCAL_TALENT = "local_talent", _("本土能人")


class Sector(models.TextChoices):
    """青联委员 sectors (界别)."""
    ENTERPRISE = "enterprise", _("企业管理界")
    AGRICULTURE = "agriculture", _("农业界")
    SCIENCE = "science", _("科学技术界")
    EDUCATION = "education", _("教育界")
    HEALTH = "health", _("医药卫生界")
    CULTURE = "culture", _("文化艺术界")
    LAW = "law", _("法律界")
    FINANCE = "finance", _("金融界")
    MEDIA = "media", _("新闻出版界")
    SPORTS = "sports", _("体育界")
    SOCIAL = "social", _("社会工作界")
    OTHER = "other", _("其他界别")


SENSITIVE_FIELDS = {
    "mobile": _("手机号"),
    "id_number": _("身份证号"),
    "health_notes": _("健康情况"),
    "hardship_notes": _("困难情况"),
}


class YoungPerson(models.Model):
    """A young person (团员青年) known to the committee. Sensitive fields are encrypted at rest;
    lookups go through keyed hashes (`id_hash`, `mobile_hash`), display through masks."""

    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, default=Gender.UNKNOWN)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    home_node = models.ForeignKey("orgs.Node", on_delete=models.PROTECT, related_name="people", verbose_name=_("所属节点"))
    mobile = EncryptedTextField(_("手机号"), blank=True, default="")
    mobile_hash = models.CharField(max_length=64, null=True, blank=True, db_index=True, editable=False)
    mobile_tail = models.CharField(max_length=4, blank=True, default="", db_index=True, editable=False)
    id_number = EncryptedTextField(_("身份证号"), blank=True, default="")
    id_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    health_notes = EncryptedTextField(_("健康情况"), blank=True, default="")
    hardship_notes = EncryptedTextField(_("困难情况"), blank=True, default="")
    search_keys = models.CharField(max_length=255, blank=True, default="", editable=False)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="young_person")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("青年")
        verbose_name_plural = _("青年")
        ordering = ["name", "id"]
        # (name, id): the list's order. A county's list walks it and keeps the rows of the subtree,
        # instead of sorting the county's 75,000 people for a page of 50 (PostgreSQL 70 → 5 ms).
        indexes = [models.Index(fields=["home_node", "name"]), models.Index(fields=["name", "id"], name="person_name_idx")]

    def __str__(self):
        return self.name

    @property
    def age(self) -> int | None:
        return age_on(self.birth_date)

    @property
    def is_minor(self) -> bool:
        return self.age is not None and self.age < 18

    @property
    def is_under_14(self) -> bool:
        return self.age is not None and self.age < 14

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile)

    def masked(self, field: str) -> str:
        value = getattr(self, field)
        if field == "mobile":
            return mask_mobile(value)
        if field == "id_number":
            return mask_id_number(value)
        return mask_text(value)


class PersonTag(models.Model):
    person = models.ForeignKey(YoungPerson, on_delete=models.CASCADE, related_name="tags")
    tag = models.CharField(_("标签"), max_length=20, choices=Tag.choices)
    sector = models.CharField(_("界别"), max_length=20, choices=Sector.choices, blank=True, default="")

    class Meta:
        verbose_name = _("标签")
        verbose_name_plural = _("标签")
        constraints = [models.UniqueConstraint(fields=["person", "tag"], name="uniq_person_tag")]
        indexes = [models.Index(fields=["tag", "person"])]

    def __str__(self):
        label = self.get_tag_display()
        return f"{label}（{self.get_sector_display()}）" if self.sector else str(label)


class ConsentKind(models.TextChoices):
    PRIVACY_NOTICE = "privacy_notice", _("本人同意隐私告知")
    GUARDIAN = "guardian", _("监护人同意")


class Consent(models.Model):
    """Separate consent under PIPL; for a child under 14 the guardian's consent is recorded first."""

    person = models.ForeignKey(YoungPerson, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(max_length=20, choices=ConsentKind.choices)
    notice_version = models.CharField(max_length=20)
    guardian_name = models.CharField(_("监护人姓名"), max_length=50, blank=True)
    guardian_relation = models.CharField(_("与本人关系"), max_length=20, blank=True)
    given_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("同意记录")
        verbose_name_plural = _("同意记录")
        ordering = ["given_at"]
