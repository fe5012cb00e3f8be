"""What the requests feature (听结办) contributes to the platform: menu entry, home card, the
providers other features read (the diary's links to the day's requests, the yearly targets' problems
solved), the deadline jobs and the demo builders."""
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from youthlink.core.registry import register_home_section, register_listener, register_menu_item, register_periodic

from .selectors import day_items_for, home_counts, solved_counts_for

# Everyone signed in reads the feed of their county (young people too).
register_menu_item("appeals.feed", _("青联圈"), "appeals:feed", order=5)
register_home_section("appeals.home", "appeals/_home.html", home_counts, order=10)
# A diary links to the requests its cadre recorded, took on or worked on that day.
register_listener("diary.day_items", day_items_for)
# 三联双百: problems solved per cadre and year (visits' targets table reads this provider).
register_listener("targets.solved_count", solved_counts_for)

# Every 15 minutes, like `run_periodic` from cron: a deadline passes at the end of a working day, and
# an overdue request reaches the upper level the same night.
register_periodic("appeals.escalate_overdue", "youthlink.appeals.tasks.escalate_overdue_appeals",
                  crontab(minute="*/15"), description="逾期诉求自动上报上一级（每件一次）")
register_periodic("appeals.close_unconfirmed", "youthlink.appeals.tasks.close_unconfirmed_appeals",
                  crontab(minute=30, hour=2), description="办结 7 天未确认的诉求按“已解决（未确认）”关闭")

from . import demo, handling_demo  # noqa: E402,F401  (register the demo builders)
