"""Plausibility checks of visit records (数据核查), listed on the stats checks page."""
from __future__ import annotations

from django.conf import settings
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from youthlink.core.registry import register_check

# More visits than this in one evening by one cadre cannot all have happened (settings may change it).
DEFAULT_MAX_EVENING_VISITS = 6


def max_evening_visits() -> int:
    return int(getattr(settings, "STATS_MAX_EVENING_VISITS", DEFAULT_MAX_EVENING_VISITS))


def _visits_in(node, period):
    from .models import Visit
    return (Visit.objects.filter(node.subtree_q("place__"), local_date__gte=period.start, local_date__lt=period.end)
            .select_related("place", "created_by"))


def duplicate_visits(node, period):
    """Visits logged by the same cadre at the same place with the same start time: the same visit
    entered twice (or copied to pad the count)."""
    from .models import Visit
    twins = Visit.objects.filter(created_by=OuterRef("created_by"), place=OuterRef("place"),
                                 visited_at=OuterRef("visited_at")).exclude(pk=OuterRef("pk"))
    return _visits_in(node, period).filter(Exists(twins)).order_by("created_by_id", "visited_at", "pk")


def crowded_evenings(node, period):
    """Evening visits of a cadre on an evening they logged more than the limit of (wherever they were)."""
    from .models import Visit
    that_evening = (Visit.objects.filter(created_by=OuterRef("created_by"), local_date=OuterRef("local_date"),
                                         is_evening=True)
                    .order_by().values("created_by").annotate(n=Count("pk")).values("n"))
    return (_visits_in(node, period).filter(is_evening=True)
            .annotate(evening_visits=Subquery(that_evening, output_field=IntegerField()))
            .filter(evening_visits__gt=max_evening_visits()).order_by("created_by_id", "visited_at", "pk"))


def _label(v) -> str:
    from .periods import LOCAL_TZ
    who = v.created_by.name or v.created_by.username
    return f"{v.visited_at.astimezone(LOCAL_TZ):%Y-%m-%d %H:%M} {v.place.name} · {who}"


def _url(v) -> str:
    from django.urls import reverse
    return reverse("visits:detail", args=[v.pk])


register_check("visits.duplicates", _("重复的走访记录"), duplicate_visits, label_of=_label, url_of=_url, order=10,
               help=_("同一团干部在同一地点、同一开始时间记录了不止一次走访"))
register_check("visits.crowded_evenings", _("一晚走访过多"), crowded_evenings, label_of=_label, url_of=_url, order=11,
               help=_("同一团干部一个晚上记录的夜访超过上限，不大可能都实际走访"))
