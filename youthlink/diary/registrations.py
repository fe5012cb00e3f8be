"""What the work diary contributes to the platform: its menu entry, the cadre's "today" card on the
home page, and the demo builder. Other features offer the day's items a diary may link to by
registering a provider: register_listener("diary.day_items", provider) with
provider(user, date) -> [(kind, id, label, url)]."""
from django.utils.translation import gettext_lazy as _

from youthlink.accounts.models import Role
from youthlink.core.registry import register_home_section, register_menu_item

from . import permissions


def _home_card(user):
    from . import selectors
    keeps, reviews = permissions.can_keep_diary(user), permissions.can_review_anything(user)
    if not keeps:
        return None
    checkin = selectors.today_checkin(user)
    entry = getattr(checkin, "entry", None) if checkin is not None else None
    return {"checkin": checkin, "entry_done": entry is not None and entry.status != "draft",
            "queue_count": selectors.review_queue(user).count() if reviews else 0}


register_home_section("diary.today", "diary/_home_card.html", _home_card, order=10)
register_menu_item("diary.home", _("工作日记"), "diary:home", roles={Role.ADMIN, Role.SECRETARY, Role.CADRE}, order=15)

from . import demo  # noqa: E402,F401  (registers the diary demo builder)
