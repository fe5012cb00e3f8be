"""What the requests feature (听结办) contributes to the platform: menu entries, dashboard figures,
periodic jobs, the demo builder."""
from django.utils.translation import gettext_lazy as _

from youthlink.core.registry import register_home_section, register_menu_item

from .selectors import home_counts

# Everyone signed in reads the feed of their county (young people too).
register_menu_item("appeals.feed", _("青联圈"), "appeals:feed", order=5)
register_home_section("appeals.home", "appeals/_home.html", home_counts, order=10)

from . import demo  # noqa: E402,F401  (registers the requests demo builder)


# --- handling: deadlines and confirmation (听结办) ----------------------------------------------------
from celery.schedules import crontab  # noqa: E402

from youthlink.core.registry import register_periodic  # noqa: E402

# Every 15 minutes, like `run_periodic` from cron: a deadline passes at the end of a working day, and
# an overdue request reaches the upper level the same night.
register_periodic("appeals.escalate_overdue", "youthlink.appeals.tasks.escalate_overdue_appeals",
                  crontab(minute="*/15"), description="逾期诉求自动上报上一级（每件一次）")
register_periodic("appeals.close_unconfirmed", "youthlink.appeals.tasks.close_unconfirmed_appeals",
                  crontab(minute=30, hour=2), description="办结 7 天未确认的诉求按“已解决（未确认）”关闭")

from . import handling_demo  # noqa: E402,F401  (registers the handling demo builder)
