from django.utils.translation import gettext_lazy as _

from youthlink.accounts.models import Role
from youthlink.core.registry import Source, register_figure, register_listener, register_menu_item

from .selectors import related_cadres_of_person, youth_of_cadres


def _memberships(role):
    from youthlink.accounts.models import Membership
    return Membership.objects.filter(role=role, is_active=True).select_related("user", "node")


def _bound_cadres():
    from django.db.models import OuterRef, Subquery

    from .models import Binding
    first = Binding.objects.filter(cadre_id=OuterRef("user_id")).order_by("created_at").values("created_at")[:1]
    return _memberships(Role.CADRE).annotate(first_bound=Subquery(first)).filter(first_bound__isnull=False)


def _member_label(m):
    return f"{m.user.name or m.user.username} · {m.node.name}"


def _binding_model():
    from .models import Binding
    return Binding


register_figure("liaison.cadres", _("团干部"), kind="stock", hidden=True, unit=_("人"), sources=Source(
    queryset=lambda: _memberships(Role.CADRE), node="node", date="created_at", label=_member_label,
    title=_("团干部")))
register_figure("liaison.bound_cadres", _("已绑定青年之友的团干部"), kind="stock", unit=_("人"), order=11,
                sources=Source(queryset=_bound_cadres, node="node", date="first_bound", label=_member_label,
                               title=_("已绑定青年之友的团干部"), watch=(("liaison.Binding", "node"),)))
register_figure("liaison.binding_rate", _("团干部青年之友绑定率"), kind="ratio",
                parts=("liaison.bound_cadres", "liaison.cadres"), unit="%", order=10,
                help=_("至期末已绑定至少一名青年之友的团干部 ÷ 团干部总数"))
register_figure("liaison.micro_elements", _("微元素"), kind="stock", unit=_("人"), order=12, sources=Source(
    queryset=lambda: _memberships(Role.MICRO), node="node", date="created_at", label=_member_label,
    title=_("微元素")))
register_figure("liaison.micro_townships", _("微元素覆盖乡镇（街道）"), kind="coverage", node_kind="township",
                parts=("liaison.micro_elements",), unit=_("个"), order=13)
from . import demo  # noqa: E402,F401  (registers the 三联/青年之友 demo builder)

register_menu_item("liaison.invite", _("我的二维码"), "liaison:invite", roles={Role.CADRE}, order=30)
# Who a young person has a relation with, for features that must not read bindings and links
# themselves (ratings: who may rate whom; satisfaction surveys: who is invited).
register_listener("cadres.related_to_person", related_cadres_of_person)
register_listener("cadres.youth_of", youth_of_cadres)
