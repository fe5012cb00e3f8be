"""Plausibility checks of requests (数据核查), listed on the stats checks page."""
from __future__ import annotations

import datetime as dt

from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from youthlink.core.registry import register_check

from .deadlines import LOCAL_TZ
from .models import Kind, Status

# A request handled in less than this from being taken on (or, never claimed, from being submitted)
# was hardly handled at all; without the young person's confirmation nobody vouches for it.
QUICK_CLOSE = dt.timedelta(minutes=10)
UNCONFIRMED = (Status.RESOLVED, Status.SOLVED_UNCONFIRMED)


def quick_unconfirmed(node, period):
    """Requests resolved within minutes of being claimed (or submitted) and not confirmed by the young
    person: awaiting confirmation, or closed unconfirmed after 7 days."""
    from .models import Appeal
    start, end = period.bounds()
    low, high = node.subtree_range(node.path)
    return (Appeal.objects.filter(kind=Kind.REQUEST, status__in=UNCONFIRMED, node_path__gte=low, node_path__lt=high,
                                  resolved_at__gte=start, resolved_at__lt=end)
            .filter(resolved_at__lt=Coalesce(F("claimed_at"), F("created_at")) + QUICK_CLOSE)
            .select_related("node", "handler").order_by("resolved_at", "pk"))


def _label(a) -> str:
    handler = (a.handler.name or a.handler.username) if a.handler else "—"
    return f"{a.resolved_at.astimezone(LOCAL_TZ):%Y-%m-%d %H:%M} {a.display_title} · {a.node.name} · {handler}"


def _url(a) -> str:
    from django.urls import reverse
    return reverse("appeals:detail", args=[a.pk])


register_check("appeals.quick_unconfirmed", _("几分钟内办结且未经青年确认的诉求"), quick_unconfirmed,
               label_of=_label, url_of=_url, order=20,
               help=_("从认领（未认领的从提交）到办结不足10分钟，且青年没有确认解决"))
