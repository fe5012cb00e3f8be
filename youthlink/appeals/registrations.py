"""What the requests feature (听结办) contributes to the platform: menu entry, home card, the
providers other features read (the diary's links to the day's requests, the yearly targets' problems
solved), the deadline jobs and the demo builders."""
import math

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from youthlink.core.registry import Source, register_figure, register_home_section, register_listener, register_menu_item, register_periodic

from .deadlines import LOCAL_TZ
from .models import Kind, Status
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


# --- dashboard figures (youthlink.stats) ----------------------------------------------------------

def _appeals():
    from .models import Appeal
    return Appeal.objects.select_related("node", "category")


def _appeal_label(a):
    return f"{a.created_at.astimezone(LOCAL_TZ):%Y-%m-%d} {a.display_title} · {a.node.name}（{a.status_label}）"


def _appeal_url(a):
    from django.urls import reverse
    return reverse("appeals:detail", args=[a.pk])


def _hours_to_first_response(row) -> int | None:
    """Whole hours, rounded up; beyond three days whole days (in hours), so the histogram stays small."""
    if row["first_response_at"] is None or row["created_at"] is None:
        return None
    hours = math.ceil(max((row["first_response_at"] - row["created_at"]).total_seconds(), 0) / 3600)
    return hours if hours <= 72 else math.ceil(hours / 24) * 24


def _days_to_resolution(row) -> int | None:
    if row["resolved_at"] is None or row["created_at"] is None:
        return None
    return math.ceil(max((row["resolved_at"] - row["created_at"]).total_seconds(), 0) / 86400)


def _source(queryset, date, title, **extra):
    return Source(queryset=queryset, node="node", date=date, label=_appeal_label, url=_appeal_url, title=title,
                  **extra)


def _category_names(ids):
    from .models import Category
    return {c.pk: str(c) for c in Category.objects.filter(pk__in=ids)}


register_figure("appeals.collected", _("收集诉求"), kind="count", unit=_("件"), order=40, sources=_source(
    lambda: _appeals().filter(kind=Kind.REQUEST), "created_at", _("诉求"), bucket="category_id"),
    bucket_labels=_category_names,
    help=_("期内提交的诉求（含青年本人提交、走访记录和微元素收集），不含意见建议"))
register_figure("appeals.solved", _("解决问题"), kind="count", unit=_("件"), order=41, sources=_source(
    lambda: _appeals().filter(kind=Kind.REQUEST, status=Status.SOLVED), "closed_at", _("已解决的诉求")),
    help=_("期内经青年确认解决的诉求"))
register_figure("appeals.solved_unconfirmed", _("已解决（未确认）"), kind="count", unit=_("件"), order=42,
                sources=_source(lambda: _appeals().filter(kind=Kind.REQUEST, status=Status.SOLVED_UNCONFIRMED),
                                "closed_at", _("办结7天未确认的诉求")),
                help=_("办结后7天青年未确认、自动关闭的诉求，与确认解决的分开统计"))
register_figure("appeals.overdue", _("逾期诉求"), kind="count", unit=_("件"), order=43, sources=_source(
    lambda: _appeals().filter(overdue_escalated_at__isnull=False), "overdue_escalated_at", _("逾期上报的诉求")),
    help=_("期内超过办结时限、被自动上报上一级的诉求"))
register_figure("appeals.suggestions", _("意见建议"), kind="count", unit=_("条"), order=44, sources=_source(
    lambda: _appeals().filter(kind=Kind.SUGGESTION), "created_at", _("意见建议")))
register_figure("appeals.first_response_hours", _("首次响应用时（中位数）"), kind="median", unit=_("小时"),
                order=45, sources=_source(
                    lambda: _appeals().filter(first_response_at__isnull=False), "first_response_at",
                    _("已响应的诉求"), fields=("created_at",), value=_hours_to_first_response),
                help=_("从提交到首次答复或认领，按整小时向上取整（超过3天按整天）"))
register_figure("appeals.resolution_days", _("办结用时（中位数）"), kind="median", unit=_("天"), order=46,
                sources=_source(lambda: _appeals().filter(resolved_at__isnull=False), "resolved_at",
                                _("已办结的诉求"), fields=("created_at",), value=_days_to_resolution),
                help=_("从提交到办结，按整天向上取整"))
register_figure("appeals.rating", _("诉求办理满意度"), kind="mean", unit=_("分"), order=47, sources=_source(
    lambda: _appeals().filter(rating__isnull=False), "closed_at", _("青年评价过的诉求"), fields=("rating",),
    value=lambda row: row["rating"]), help=_("青年确认解决时的评分（1–5分）的平均值"))

from . import checks  # noqa: E402,F401  (registers the requests' plausibility check)
