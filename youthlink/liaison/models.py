import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def new_token() -> str:
    return secrets.token_urlsafe(12)


class CadreInvite(models.Model):
    """A cadre's personal 青年之友 invite: the QR code encodes a link with this token."""

    cadre = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invite")
    node = models.ForeignKey("orgs.Node", on_delete=models.PROTECT, related_name="+")
    token = models.CharField(max_length=32, unique=True, default=new_token)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("青年之友邀请码")
        verbose_name_plural = _("青年之友邀请码")


class BindingSource(models.TextChoices):
    QR = "qr", _("扫码绑定")
    MANUAL = "manual", _("团干部添加")


class Binding(models.Model):
    """青年之友: a young person bound to a cadre as a friend."""

    cadre = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bindings")
    node = models.ForeignKey("orgs.Node", on_delete=models.PROTECT, related_name="+", help_text="the cadre's node")
    person = models.ForeignKey("people.YoungPerson", on_delete=models.CASCADE, related_name="bindings")
    source = models.CharField(max_length=10, choices=BindingSource.choices, default=BindingSource.QR)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("青年之友绑定")
        verbose_name_plural = _("青年之友绑定")
        constraints = [models.UniqueConstraint(fields=["cadre", "person"], name="uniq_binding")]


class LinkKind(models.TextChoices):
    SOCIAL_ORG = "social_org", _("联系一个社会组织")
    LOCAL_TALENT = "local_talent", _("联系一名本土能人")
    YOUTH = "youth", _("联系一批青年")


class CadreLink(models.Model):
    """三联: each cadre links one social organisation, one local talent and a batch of young people."""

    cadre = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="links")
    node = models.ForeignKey("orgs.Node", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=LinkKind.choices)
    social_org = models.ForeignKey("orgs.SocialOrganisation", null=True, blank=True, on_delete=models.CASCADE, related_name="links")
    person = models.ForeignKey("people.YoungPerson", null=True, blank=True, on_delete=models.CASCADE, related_name="links")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("三联")
        verbose_name_plural = _("三联")
        constraints = [
            models.UniqueConstraint(fields=["cadre", "kind"], condition=Q(kind__in=["social_org", "local_talent"]),
                                    name="one_org_one_talent_per_cadre"),
            models.UniqueConstraint(fields=["cadre", "person"], condition=Q(kind="youth"), name="uniq_cadre_youth_link"),
            models.CheckConstraint(
                condition=(Q(kind="social_org", social_org__isnull=False, person__isnull=True)
                           | Q(kind__in=["local_talent", "youth"], social_org__isnull=True, person__isnull=False)),
                name="link_target_matches_kind"),
        ]
