"""Reads of the dashboards: every function takes the node the viewer opened (authorised by
`get_node_for`) and answers from youthlink.stats.engine."""
from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from youthlink.core import registry
from youthlink.orgs.models import Node

from . import engine, permissions
from .periods import Period, add_months, month_start


def get_node_for(user, pk) -> Node:
    """The node, if the viewer may read its dashboard; 404 for missing and forbidden alike."""
    try:
        node = Node.objects.get(pk=int(pk))
    except (Node.DoesNotExist, TypeError, ValueError):
        raise Http404
    if not permissions.can_view_dashboard(user, node):
        raise Http404
    return node


def default_node_for(user) -> Node | None:
    roots = permissions.dashboard_roots(user)
    return roots[0] if roots else None


def visible_figures() -> list[registry.Figure]:
    return [f for f in registry.figures() if not f.hidden]


def get_figure(key: str) -> registry.Figure:
    figure = registry.FIGURES.get(key)
    if figure is None or figure.hidden:
        raise Http404
    return figure


def figures_at(node: Node, period: Period) -> list[engine.Value]:
    values = engine.values([node], period, visible_figures())[node.pk]
    return [values[f.key] for f in visible_figures()]


def children_of(node: Node) -> list[Node]:
    return list(Node.objects.filter(parent=node).order_by("path"))


@dataclass
class ChildRow:
    node: Node
    values: dict  # key -> engine.Value


def by_child(node: Node, period: Period, figures) -> tuple[engine.Value | None, list[ChildRow]]:
    """The figures at the node and at each child node: two queries (children, cells)."""
    children = children_of(node)
    values = engine.values([node, *children], period, figures)
    return values[node.pk], [ChildRow(child, values[child.pk]) for child in children]


def trend_months(period: Period) -> list:
    """The months a trend shows: the period's own for a year or longer, else the 12 months up to it."""
    months = period.months
    if len(months) >= 12:
        return months
    last = month_start(period.end - __import__("datetime").timedelta(days=1))
    return [add_months(last, -i) for i in range(11, -1, -1)]


def trend(node: Node, period: Period, figures) -> dict:
    months = trend_months(period)
    return {"months": [f"{m:%Y-%m}" for m in months], "series": engine.monthly(node, months, figures)}


def breakdowns(node: Node, period: Period) -> list[tuple[registry.Figure, list]]:
    out = []
    for figure in visible_figures():
        if any(s.bucket for s in figure.sources):
            out.append((figure, engine.breakdown(node, period, figure)))
    return out


def records(node: Node, period: Period, figure: registry.Figure):
    """The records behind a figure at a node (its whole subtree), for the drill-down list: a list of
    (source, queryset) — the viewer reaches the node, so the subtree is theirs to read."""
    out = []
    parts = [registry.FIGURES[p] for p in figure.parts if p in registry.FIGURES] if figure.parts else [figure]
    for part in parts:
        for source in part.sources:
            out.append((source, engine._records(part, source, node, period)))
    return out
