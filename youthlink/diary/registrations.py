"""What the work diary contributes to the platform: its menu entry, the cadre's "today" card on the
home page, and the demo builder. Other features offer the day's items a diary may link to by
registering a provider: register_listener("diary.day_items", provider) with
provider(user, date) -> [(kind, id, label, url)]."""
from django.utils.translation import gettext_lazy as _

from youthlink.accounts.models import Role
from youthlink.core.registry import Source, register_figure, register_home_section, register_menu_item

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


# --- dashboard figures (youthlink.stats) ----------------------------------------------------------

def _entries():
    from .models import DiaryEntry
    return DiaryEntry.objects.exclude(status="draft").select_related("cadre", "node")


def _entry_url(e):
    from django.urls import reverse
    return reverse("diary:detail", args=[e.pk])


def _checkins():
    from .models import CheckIn
    return CheckIn.objects.select_related("cadre", "node")


register_figure("diary.entries", _("工作日记"), kind="count", unit=_("篇"), order=50, sources=Source(
    queryset=_entries, node="node", date="local_date", title=_("提交的工作日记"), url=_entry_url,
    label=lambda e: f"{e.local_date:%Y-%m-%d} {e.cadre.name or e.cadre.username} · {e.node.name}"))
register_figure("diary.checkins", _("报到"), kind="count", unit=_("次"), order=51, sources=Source(
    queryset=_checkins, node="node", date="local_date", title=_("报到记录"),
    label=lambda c: f"{c.local_date:%Y-%m-%d} {c.cadre.name or c.cadre.username} · {c.node.name}"))

from . import checks  # noqa: E402,F401  (registers the diary's plausibility check)
