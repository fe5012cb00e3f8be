from django.utils.translation import gettext_lazy as _

from youthlink.accounts.models import Role
from youthlink.core.registry import register_figure, register_listener, register_menu_item

from .selectors import binding_rate, related_cadres_of_person, youth_of_cadres


def _binding_rate(node):
    return binding_rate(node).rate


register_figure("liaison.binding_rate", _("团干部青年之友绑定率"), _binding_rate, unit="%", order=10)
from . import demo  # noqa: E402,F401  (registers the 三联/青年之友 demo builder)

register_menu_item("liaison.invite", _("我的二维码"), "liaison:invite", roles={Role.CADRE}, order=30)
# Who a young person has a relation with, for features that must not read bindings and links
# themselves (ratings: who may rate whom; satisfaction surveys: who is invited).
register_listener("cadres.related_to_person", related_cadres_of_person)
register_listener("cadres.youth_of", youth_of_cadres)
