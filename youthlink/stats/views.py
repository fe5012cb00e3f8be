"""数据看板: the figures of a node and period, drilled down to the child nodes and to the records
behind them, with every table also as an .xlsx. Only admins and secretaries read dashboards, each for
their own subtree; a node outside it answers 404 like a missing one."""
from __future__ import annotations

import datetime as dt
import functools
import math

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from . import exports, periods, selectors
from .periods import PeriodError

RECORDS_PER_PAGE = 50
RANKED_CADRES = 15  # the chart shows the top of the ranking; the targets page has everyone
TREND_FIGURES = 4


def stats_page(view):
    """Signed-in dashboard readers only (403 for everyone else); a bad period is a 400 page saying
    what is wrong with it."""

    @login_required
    @require_safe
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not selectors.has_dashboard(request.user):
            raise PermissionDenied
        node = selectors.node_for(request.user, request.GET.get("node"))
        try:
            period = periods.parse(_period_text(request))
        except PeriodError as error:
            return render(request, "stats/error.html", {"message": str(error), "node": node}, status=400)
        return view(request, node, period, *args, **kwargs)

    return wrapper


def _period_text(request) -> str:
    """The period code, or the dates of the date form ("from".."to")."""
    text = request.GET.get("period", "")
    start, end = request.GET.get("from", "").strip(), request.GET.get("to", "").strip()
    if not text.strip() and (start or end):
        text = f"{start}..{end}"
    return text


def _wants_xlsx(request) -> bool:
    return request.GET.get("format") == "xlsx"


def url_with(name: str, node, period, *args, **extra) -> str:
    query = {"node": node.pk, "period": period.code, **{k: v for k, v in extra.items() if v not in (None, "")}}
    return f"{reverse(name, args=args)}?{urlencode(query)}"


def picker(node, period, name: str, *args) -> dict:
    """Links of the period picker: the year, its quarters and months, the previous and next period."""
    y = period.start.year
    def link(p):
        return {"code": p.code, "label": p.label, "url": url_with(name, node, p, *args), "current": p == period}
    year = periods.year(y)
    quarters = [periods.parse(f"{y}Q{q}") for q in range(1, 5)]
    months = [periods.month(y, m) for m in range(1, 13)]
    following = periods.parse(_next_code(period))
    return {"year": link(year), "quarters": [link(q) for q in quarters],
            "months": [dict(link(m), short=_("%(month)d月") % {"month": m.start.month}) for m in months],
            "previous": link(period.previous()), "next": link(following),
            "years": [link(periods.year(v)) for v in range(y - 2, y + 2)],
            "last": (period.end - dt.timedelta(days=1)).isoformat()}


def _next_code(period) -> str:
    if period.grain == "y":
        return str(period.start.year + 1)
    if period.grain == "q":
        return periods.Period("q", period.end, periods.add_months(period.end, 3)).code
    if period.grain == "m":
        return periods.month(period.end.year, period.end.month).code
    return periods.Period("", period.end, period.end + (period.end - period.start)).code


def _number(value):
    return value.value if value is not None else None


# --- 数据看板 ------------------------------------------------------------------------------------------

@stats_page
def dashboard(request, node, period):
    figures = selectors.visible_figures()
    own, children = selectors.by_child(node, period, figures)
    if _wants_xlsx(request):
        return exports.response(f"{node.name}-{period.code}.xlsx", [
            (node.name, [_("指标"), _("数值"), _("单位")],
             [[str(f.label), _number(own[f.key]), str(f.unit)] for f in figures]),
            (_("下级明细"), [_("下级"), *[str(f.label) for f in figures]],
             [[row.node.name, *[_number(row.values[f.key]) for f in figures]] for row in children]),
        ])
    default_rank = next((f for f in figures if f.kind == "count"), figures[0] if figures else None)
    rank = next((f for f in figures if f.key == request.GET.get("rank")), default_rank)
    cards = [{"value": own[f.key], "figure": f, "url": url_with("stats:figure", node, period, f.key)} for f in figures]
    chart = {
        "trend": _trend(node, period, figures),
        "breakdowns": [{"title": str(f.label), "unit": str(f.unit), "items": [{"name": str(n), "value": v} for n, v in items]}
                       for f, items in selectors.breakdowns(node, period) if items],
        "ranking": _ranking(node, period, rank, children),
        "map": _map(rank, children),
    }
    return render(request, "stats/dashboard.html", {
        "node": node, "period": period, "cards": cards, "children": children, "figures": figures, "rank": rank,
        "chart": chart,
        "cadres_url": url_with("stats:cadres", node, period) if selectors.ranks_cadres(node) else "",
        "crumbs": [{"node": n, "url": url_with("stats:dashboard", n, period)}
                   for n in selectors.breadcrumbs(request.user, node)],
        "picker": picker(node, period, "stats:dashboard"),
        "xlsx_url": url_with("stats:dashboard", node, period, format="xlsx"),
        "rank_choices": [{"key": f.key, "label": f.label, "current": f == rank} for f in figures],
        "table": [{"node": row.node, "url": url_with("stats:dashboard", row.node, period),
                   "cells": [row.values[f.key] for f in figures]} for row in children],
    })


def _trend(node, period, figures) -> dict:
    chosen = [f for f in figures if f.kind == "count" and f.sources][:TREND_FIGURES]
    trend = selectors.trend(node, period, chosen)
    # Months still to come have no value yet, rather than a fall to zero.
    this_month = f"{periods.local_today():%Y-%m}"
    future = [m > this_month for m in trend["months"]]
    return {"months": trend["months"],
            "series": [{"name": str(f.label),
                        "data": [None if later else v for v, later in zip(trend["series"].get(f.key, []), future)]}
                       for f in chosen]}


def _ranking(node, period, figure, children) -> dict:
    if figure is None:
        return {"items": []}
    items = [{"name": row.node.name, "value": row.values[figure.key].value,
              "url": url_with("stats:dashboard", row.node, period, rank=figure.key)} for row in children]
    items.sort(key=lambda i: (i["value"] is None, -(i["value"] or 0), i["name"]))
    return {"figure": str(figure.label), "unit": str(figure.unit), "items": items}


def _map(figure, children) -> dict:
    points = []
    for row in children:
        if row.node.latitude is None or row.node.longitude is None:
            continue
        value = row.values[figure.key].value if figure else None
        points.append({"name": row.node.name, "value": [float(row.node.longitude), float(row.node.latitude),
                                                         value or 0]})
    biggest = max((p["value"][2] for p in points), default=0) or 1
    for p in points:
        # area, not radius, proportional to the value: a village with twice the visits looks twice as big
        p["size"] = round(10 + 30 * math.sqrt(p["value"][2] / biggest), 1)
    return {"figure": str(figure.label) if figure else "", "points": points}


@stats_page
def cadres(request, node, period):
    """Cadres of a township (or below) against their yearly targets: counted live from the year's
    visits and requests, so the dashboard loads it after the page (htmx); a page of its own without
    JavaScript."""
    rows = selectors.cadre_targets(node, period.start.year)
    context = {"node": node, "period": period, "cadres": rows, "ranked_cadres": RANKED_CADRES,
               "ranks_cadres": selectors.ranks_cadres(node),
               "chart": _cadres(rows[:RANKED_CADRES])}
    if request.headers.get("HX-Request"):
        return render(request, "stats/_cadres.html", context)
    return render(request, "stats/cadres.html", {
        **context, "dashboard_url": url_with("stats:dashboard", node, period),
        "crumbs": [{"node": n, "url": url_with("stats:dashboard", n, period)}
                   for n in selectors.breadcrumbs(request.user, node)]})


def _cadres(rows) -> dict:
    return {"names": [f"{r['name']}（{r['node']}）" for r in rows],
            "visited": [r.get("visited", 0) for r in rows], "visit_target": [r.get("visit_target", 0) for r in rows],
            "solved": [r.get("solved", 0) for r in rows], "solved_target": [r.get("solved_target", 0) for r in rows],
            "labels": {"visited": _("走访青年"), "visit_target": _("走访目标"), "solved": _("解决问题")}}


# --- one figure, level by level --------------------------------------------------------------------------

@stats_page
def figure(request, node, period, key):
    figure = selectors.get_figure(key)
    own, children = selectors.by_child(node, period, [figure])
    if _wants_xlsx(request):
        return exports.response(f"{figure.label}-{node.name}-{period.code}.xlsx", [
            (str(figure.label), [_("节点"), str(figure.label), _("单位")],
             [[node.name, _number(own[figure.key]), str(figure.unit)],
              *[[row.node.name, _number(row.values[figure.key]), str(figure.unit)] for row in children]]),
        ])
    rows = [{"node": row.node, "value": row.values[figure.key],
             "url": url_with("stats:figure", row.node, period, key),
             "records_url": url_with("stats:records", row.node, period, key)} for row in children]
    return render(request, "stats/figure.html", {
        "node": node, "period": period, "figure": figure, "value": own[figure.key], "rows": rows,
        "crumbs": [{"node": n, "url": url_with("stats:figure", n, period, key)}
                        for n in selectors.breadcrumbs(request.user, node)],
        "picker": picker(node, period, "stats:figure", key),
        "dashboard_url": url_with("stats:dashboard", node, period),
        "records_url": url_with("stats:records", node, period, key),
        "xlsx_url": url_with("stats:figure", node, period, key, format="xlsx"),
    })


# --- the records behind a figure ---------------------------------------------------------------------

@stats_page
def records(request, node, period, key):
    figure = selectors.get_figure(key)
    records = selectors.record_list(node, period, figure)
    if _wants_xlsx(request):
        return exports.response(f"{figure.label}-{node.name}-{period.code}-records.xlsx", [
            (str(figure.label), [_("类别"), _("记录")], [[r.title, r.label] for r in records]),
        ])
    page = Paginator(records, RECORDS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "stats/records.html", {
        "node": node, "period": period, "figure": figure, "page": page,
        "figure_url": url_with("stats:figure", node, period, key),
        "page_url": url_with("stats:records", node, period, key) + "&page=",
        "xlsx_url": url_with("stats:records", node, period, key, format="xlsx"),
    })
