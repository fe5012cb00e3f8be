"""Plausibility checks of work diaries (数据核查), listed on the stats checks page.

Every entry belongs to a check-in by construction (DiaryEntry.checkin is required), so "a diary
without a check-in" means one whose check-in does not vouch for the day: not located, off site with
no reason given, or of another day than the entry."""
from __future__ import annotations

from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from youthlink.core.registry import register_check

from .models import CheckInStatus, EntryStatus


def unvouched_entries(node, period):
    from .models import DiaryEntry
    low, high = node.subtree_range(node.path)
    return (DiaryEntry.objects.exclude(status=EntryStatus.DRAFT)
            .filter(node__path__gte=low, node__path__lt=high, local_date__gte=period.start, local_date__lt=period.end)
            .filter(Q(checkin__status=CheckInStatus.UNLOCATED)
                    | Q(checkin__status=CheckInStatus.OFF_SITE, checkin__reason="")
                    | ~Q(checkin__local_date=F("local_date")))
            .select_related("cadre", "node", "checkin").order_by("local_date", "pk"))


def _label(e) -> str:
    return (f"{e.local_date:%Y-%m-%d} {e.cadre.name or e.cadre.username} · {e.node.name}"
            f"（{e.checkin.get_status_display()}）")


def _url(e) -> str:
    from django.urls import reverse
    return reverse("diary:detail", args=[e.pk])


register_check("diary.unvouched", _("没有有效报到的工作日记"), unvouched_entries, label_of=_label, url_of=_url,
               order=30, help=_("报到未定位、异地报到未说明原因，或报到日期与日记日期不符"))
