"""What the requests feature (听结办) contributes to the platform: menu entries, dashboard figures,
periodic jobs, the demo builder."""
from django.utils.translation import gettext_lazy as _

from youthlink.core.registry import register_home_section, register_menu_item

from .selectors import home_counts

# Everyone signed in reads the feed of their county (young people too).
register_menu_item("appeals.feed", _("青联圈"), "appeals:feed", order=5)
register_home_section("appeals.home", "appeals/_home.html", home_counts, order=10)

from . import demo  # noqa: E402,F401  (registers the requests demo builder)
