from django.utils.translation import gettext_lazy as _

from youthlink.accounts.models import Role
from youthlink.core.registry import register_figure, register_menu_item

from .selectors import binding_rate


def _binding_rate(node):
    return binding_rate(node).rate


register_figure("liaison.binding_rate", _("团干部青年之友绑定率"), _binding_rate, unit="%", order=10)
from . import demo  # noqa: E402,F401  (registers the 三联/青年之友 demo builder)

register_menu_item("liaison.invite", _("我的二维码"), "liaison:invite", roles={Role.CADRE}, order=30)
