from django.utils.translation import gettext_lazy as _

from youthlink.accounts.models import Role
from youthlink.core.registry import register_menu_item

register_menu_item("roster.import", _("名册导入"), "roster:list", roles={Role.ADMIN, Role.SECRETARY}, order=50)
