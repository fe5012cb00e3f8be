from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from youthlink.core import crypto
from youthlink.core.fields import EncryptedTextField
from youthlink.core.identity import mask_mobile


class Role(models.TextChoices):
    ADMIN = "admin", _("团委管理员")          # 团市委 / 团县委 staff
    SECRETARY = "secretary", _("团委书记")     # 乡镇（街道）团委书记 / 村团支部书记: reviewer
    CADRE = "cadre", _("团干部")
    MICRO = "micro", _("微元素")              # volunteer collecting needs
    CENTRE_STAFF = "centre_staff", _("青年之家工作人员")


class YouthlinkUserManager(UserManager):
    def get_by_mobile(self, mobile: str):
        return self.get(mobile_hash=crypto.keyed_hash(mobile, purpose="mobile"))


class User(AbstractUser):
    """Anyone who logs in: staff (with memberships on nodes) or a young person (with a linked record)."""

    name = models.CharField(_("姓名"), max_length=50, blank=True)
    mobile = EncryptedTextField(_("手机号"), blank=True, default="")
    mobile_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    language = models.CharField(_("界面语言"), max_length=10, blank=True, default="")

    objects = YouthlinkUserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.name or self.username

    @property
    def display_name(self) -> str:
        return self.name or self.username

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile)


class Membership(models.Model):
    """A staff role held at one node of the organisation tree; it reaches that node's whole subtree."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    node = models.ForeignKey("orgs.Node", on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("任职")
        verbose_name_plural = _("任职")
        constraints = [models.UniqueConstraint(fields=["user", "node", "role"], name="uniq_membership")]
        indexes = [models.Index(fields=["role", "node"])]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.node}"
