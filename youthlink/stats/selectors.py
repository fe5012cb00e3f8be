"""Reads of the dashboards: every function takes the node the viewer opened (authorised by
`get_node_for`) and answers from youthlink.stats.engine."""
from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from youthlink.core import registry
from youthlink.orgs.models import Node, NodeKind

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


# --- the dashboard pages ------------------------------------------------------------------------------

CADRE_TARGETS_PROVIDER = "stats.cadre_targets"


def has_dashboard(user) -> bool:
    """Whether the viewer reads any dashboard at all (the others are refused the pages outright)."""
    return bool(permissions.dashboard_roots(user))


def node_for(user, pk) -> Node | None:
    """The node asked for (authorised as in `get_node_for`), or the viewer's own top node."""
    if pk in (None, ""):
        return default_node_for(user)
    return get_node_for(user, pk)


def breadcrumbs(user, node: Node) -> list[Node]:
    """The node's ancestors whose dashboards the viewer may open, from the top: one query."""
    ids = node.ancestor_ids()[:-1]
    if not ids:
        return []
    return [n for n in Node.objects.filter(pk__in=ids).order_by("path") if permissions.can_view_dashboard(user, n)]


# Where cadres are ranked one by one: a township and below. A county has hundreds of cadres and a city
# thousands; their progress is counted live from the year's records, which at that size costs seconds,
# and a chart of the top 15 of 5,000 says little. Their dashboards rank child nodes instead.
def ranks_cadres(node: Node) -> bool:
    return node.kind not in (NodeKind.CITY, NodeKind.COUNTY)


def cadre_targets(node: Node, year: int) -> list[dict]:
    """Cadres of the subtree against their yearly targets, from the features that keep targets
    (provider contract: (node=, year=) -> [{"name", "node", "visited", "visit_target", "solved",
    "solved_target", ...}]), the furthest behind their visits target last. Empty above a township
    (`ranks_cadres`)."""
    if not ranks_cadres(node):
        return []
    rows = []
    for provider in registry.LISTENERS.get(CADRE_TARGETS_PROVIDER, []):
        rows.extend(provider(node=node, year=year) or [])
    for row in rows:
        target = row.get("visit_target") or 0
        row["visit_percent"] = round(row.get("visited", 0) * 100 / target) if target > 0 else 100
    rows.sort(key=lambda r: (-r["visit_percent"], -r.get("visited", 0), r["name"]))
    return rows


@dataclass
class RecordRow:
    source: registry.Source
    record: object

    @property
    def label(self) -> str:
        return str(self.source.label(self.record)) if self.source.label else str(self.record)

    @property
    def url(self) -> str | None:
        return self.source.url(self.record) if self.source.url else None

    @property
    def title(self) -> str:
        return str(self.source.title)


class RecordList:
    """The records of several sources as one list for a Paginator: one count query per source, and
    a page reads only the sources it spans (newest first within each source)."""

    def __init__(self, pairs):
        self.pairs = [(source, _ordered(source, qs)) for source, qs in pairs]
        self._counts = None

    def count(self) -> int:
        if self._counts is None:
            self._counts = [qs.count() for _, qs in self.pairs]
        return sum(self._counts)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index:index + 1][0]
        start, stop = index.start or 0, index.stop if index.stop is not None else self.count()
        self.count()
        out, offset = [], 0
        for (source, qs), n in zip(self.pairs, self._counts):
            low, high = max(start - offset, 0), min(stop - offset, n)
            if low < high:
                out.extend(RecordRow(source, record) for record in qs[low:high])
            offset += n
        return out

    def __iter__(self):
        for source, qs in self.pairs:
            for record in qs.iterator(chunk_size=2000):
                yield RecordRow(source, record)


def _ordered(source: registry.Source, qs):
    return qs.order_by(f"-{source.date}", "-pk") if source.date else qs.order_by("-pk")


def record_list(node: Node, period: Period, figure: registry.Figure) -> RecordList:
    return RecordList(records(node, period, figure))
