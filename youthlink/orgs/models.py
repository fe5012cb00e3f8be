from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

PATH_WIDTH = 9


class NodeKind(models.TextChoices):
    CITY = "city", _("市")
    COUNTY = "county", _("县/区")
    TOWNSHIP = "township", _("乡镇/街道")
    VILLAGE = "village", _("村/社区")
    SCHOOL = "school", _("学校")
    ENTERPRISE = "enterprise", _("企业")
    SOCIAL_ORG = "social_org", _("社会组织")
    YOUTH_CENTRE = "youth_centre", _("青年之家")


# Which kinds may sit under which: keeps the tree shaped like the real administration.
ALLOWED_CHILDREN = {
    None: {NodeKind.CITY, NodeKind.COUNTY},
    NodeKind.CITY: {NodeKind.COUNTY, NodeKind.SCHOOL, NodeKind.ENTERPRISE, NodeKind.SOCIAL_ORG},
    NodeKind.COUNTY: {NodeKind.TOWNSHIP, NodeKind.SCHOOL, NodeKind.ENTERPRISE, NodeKind.SOCIAL_ORG, NodeKind.YOUTH_CENTRE},
    NodeKind.TOWNSHIP: {NodeKind.VILLAGE, NodeKind.SCHOOL, NodeKind.ENTERPRISE, NodeKind.SOCIAL_ORG, NodeKind.YOUTH_CENTRE},
    NodeKind.VILLAGE: {NodeKind.SCHOOL, NodeKind.ENTERPRISE, NodeKind.SOCIAL_ORG, NodeKind.YOUTH_CENTRE},
    NodeKind.SCHOOL: set(),
    NodeKind.ENTERPRISE: set(),
    NodeKind.SOCIAL_ORG: set(),
    NodeKind.YOUTH_CENTRE: set(),
}


class Node(models.Model):
    """One place in the organisation tree. `path` is a materialized path: the zero-padded ids of the
    ancestors and the node itself, 9 digits each, nothing else ("000000001000000007"). A subtree is
    then one indexed range scan, [path, path + 1), on both databases; digits only, because a
    locale-aware collation (PostgreSQL with en_US.UTF-8) may ignore punctuation such as "/" when
    sorting, while digit strings sort the same under every collation."""

    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=NodeKind.choices)
    admin_code = models.CharField(
        _("统计用区划代码"), max_length=12, blank=True, null=True, unique=True,
        validators=[RegexValidator(r"^\d{12}$", _("区划代码应为12位数字"))],
    )
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("组织节点")
        verbose_name_plural = _("组织节点")
        ordering = ["path"]

    def __str__(self):
        return self.name

    @staticmethod
    def subtree_range(path: str) -> tuple[str, str]:
        # Every descendant's path starts with `path` and is longer, so it sorts in [path, path + 1).
        return path, f"{int(path) + 1:0{len(path)}d}"

    def subtree_q(self, prefix: str = "") -> Q:
        low, high = self.subtree_range(self.path)
        return Q(**{f"{prefix}path__gte": low, f"{prefix}path__lt": high})

    def is_ancestor_of(self, other: "Node") -> bool:
        return other.path.startswith(self.path)

    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to this node itself."""
        return [int(self.path[i:i + PATH_WIDTH]) for i in range(0, len(self.path), PATH_WIDTH)]

    @classmethod
    def make_path(cls, parent_path: str, pk: int) -> str:
        return f"{parent_path}{pk:0{PATH_WIDTH}d}"


class SocialOrganisation(models.Model):
    """A social organisation (社会组织) a cadre can link with: registered at a node of the tree."""

    node = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="social_organisations", verbose_name=_("所属节点"))
    name = models.CharField(_("名称"), max_length=120)
    service_area = models.CharField(_("服务领域"), max_length=60, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=40, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("社会组织")
        verbose_name_plural = _("社会组织")
        ordering = ["name"]

    def __str__(self):
        return self.name
