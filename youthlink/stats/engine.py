"""Counting the registered figures (youthlink.core.registry.Figure), two ways that must agree:

- `live_values` counts the records themselves for any period (used for date ranges, for checking,
  and by `manage.py stats --recount`);
- the pre-aggregated `Cell` rows answer calendar periods (month, quarter, year) at any node with one
  query, whatever the size of the data. A node's own cells are recounted from its records whenever
  they change (`mark_changed`, on commit) and the difference is added to the node and each of its
  ancestors; `rebuild` recounts everything (after bulk loads, and nightly as a safety net).
"""
from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.apps import apps as django_apps
from django.db import connection, models, transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth, TruncQuarter, TruncYear

from youthlink.core import registry
from youthlink.core.registry import Figure, Source
from youthlink.orgs.models import Node

from .models import Cell, Grain, NodeVersion
from .periods import EPOCH, LOCAL_TZ, Period

log = logging.getLogger(__name__)

TRUNC = {Grain.MONTH: TruncMonth, Grain.QUARTER: TruncQuarter, Grain.YEAR: TruncYear}
VALUE_KINDS = ("median", "mean")
DATED_KINDS = ("count", "distinct", "median", "mean")


def counted_figures() -> list[Figure]:
    """Figures with records of their own (the others are computed from these)."""
    return [f for f in registry.figures() if f.sources]


def grains_of(figure: Figure) -> tuple[str, ...]:
    # A distinct count does not add up over months (a place visited in March and in May is one
    # place in the year), so it is kept for quarters and years too.
    if figure.kind == "distinct":
        return (Grain.MONTH, Grain.QUARTER, Grain.YEAR)
    return (Grain.MONTH,)


# --- fields of a source ----------------------------------------------------------------------------

def _node_id_path(source: Source) -> str:
    return source.node or "pk"


def _path_field(source: Source) -> str:
    return f"{source.node}__path" if source.node else "path"


def _field(model, path: str) -> models.Field:
    field = None
    for part in path.split("__"):
        field = model._meta.get_field(part)
        if field.is_relation and field.related_model is not None and part != path.split("__")[-1]:
            model = field.related_model
    return field


def _is_datetime(source: Source) -> bool:
    qs = source.queryset()
    annotation = qs.query.annotations.get(source.date)
    field = annotation.output_field if annotation is not None else _field(qs.model, source.date)
    return isinstance(field, models.DateTimeField)


def _local_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(LOCAL_TZ)
        return value.date()
    return value


def _date_filter(source: Source, period: Period, *, until_end_only: bool = False) -> Q:
    if source.date is None:
        return Q()
    if _is_datetime(source):
        start, end = period.bounds()
    else:
        start, end = period.start, period.end
    if until_end_only:
        return Q(**{f"{source.date}__lt": end})
    return Q(**{f"{source.date}__gte": start, f"{source.date}__lt": end})


def _trunc(source: Source, grain: str):
    if _is_datetime(source):
        return TRUNC[grain](source.date, tzinfo=LOCAL_TZ)
    return TRUNC[grain](source.date)


def record_value(source: Source, row: dict):
    value = source.value(row)
    return None if value is None else int(value)


# --- own cells from the records ---------------------------------------------------------------------

CellKey = tuple  # (node_id, key, grain, start, bucket)


def own_cells(node_ids=None, figures=None) -> dict[CellKey, int]:
    """The figures' own cells (None: every counted figure), counted from the records, for the given
    nodes (None: all)."""
    cells: dict[CellKey, int] = defaultdict(int)
    for figure in counted_figures() if figures is None else figures:
        for source in figure.sources:
            _count_source(figure, source, node_ids, cells)
    return {k: v for k, v in cells.items() if v}


def _source_queries(figure: Figure, source: Source, node_ids) -> list[tuple[str, str | None, models.QuerySet]]:
    """The queries that count one source's own cells at the nodes: (what the rows are, grain, rows)."""
    qs = source.queryset()
    node_field = _node_id_path(source)
    if node_ids is not None:
        qs = qs.filter(**{f"{node_field}__in": list(node_ids)})
    if figure.kind in VALUE_KINDS:
        fields = [source.date, *source.fields]
        return [("records", None, qs.values(_n=F(node_field), *fields).order_by())]
    aggregate = Count(source.distinct, distinct=True) if source.distinct else Count("pk")
    if source.date is None:
        return [("undated", None, qs.values(_n=F(node_field)).annotate(_v=aggregate).order_by())]
    bucket = {"_b": F(source.bucket)} if source.bucket else {}
    return [("dated", grain, qs.filter(**{f"{source.date}__isnull": False})
             .values(_n=F(node_field), _p=_trunc(source, grain), **bucket).annotate(_v=aggregate).order_by())
            for grain in grains_of(figure)]


def _count_source(figure: Figure, source: Source, node_ids, cells) -> None:
    for what, grain, rows in _source_queries(figure, source, node_ids):
        if what == "records":
            for row in rows.iterator(chunk_size=5000):
                value = record_value(source, row)
                if value is None or row[source.date] is None:
                    continue
                start = month_of(row[source.date])
                cells[(row["_n"], figure.key, Grain.MONTH, start, value)] += source.sign
        elif what == "undated":
            for row in rows:
                cells[(row["_n"], figure.key, Grain.MONTH, EPOCH, 0)] += source.sign * row["_v"]
        else:
            for row in rows:
                cells[(row["_n"], figure.key, grain, _local_date(row["_p"]), row.get("_b") or 0)] += \
                    source.sign * row["_v"]


_READING: dict = {}  # model -> keys of the figures that read its table (filled on first use)


def figures_reading(model) -> frozenset:
    """The keys of the figures a change to a record of this model can change: those whose sources
    count it or watch it, and those whose counting queries read its table otherwise (a join in a
    filter, a subquery), found in their SQL. The other figures need no recount."""
    if not _READING:
        reading: dict = defaultdict(set)
        for figure in counted_figures():
            for source in figure.sources:
                reading[source.queryset().model].add(figure.key)
                for watched, _path in source.watch:
                    reading[django_apps.get_model(watched) if isinstance(watched, str) else watched].add(figure.key)
            tables = tables_read(figure)
            for model_ in django_apps.get_models(include_auto_created=True):
                if model_._meta.db_table in tables:
                    reading[model_].add(figure.key)
        _READING.update({m: frozenset(keys) for m, keys in reading.items()})
    return _READING.get(model, frozenset())


def tables_read(figure: Figure) -> set[str]:
    """The database tables the queries counting the figure's own cells read (joins and subqueries
    included): a change to any other table cannot change the figure's cells."""
    tables = set()
    for source in figure.sources:
        for _what, _grain, rows in _source_queries(figure, source, [0]):
            sql, _params = rows.query.sql_with_params()
            tables |= {m._meta.db_table for m in django_apps.get_models(include_auto_created=True)
                       if connection.ops.quote_name(m._meta.db_table) in sql}
    return tables


def month_of(value) -> dt.date:
    return _local_date(value).replace(day=1)


# --- keeping the cells right --------------------------------------------------------------------------

def _lock() -> None:
    """One writer of cells at a time: deltas to the same ancestor rows must not interleave. SQLite
    already writes one transaction at a time (immediate transactions)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(74512001)")


def figures_of(keys=None) -> list[Figure]:
    """The counted figures with these keys (None: all of them; unknown keys are left out)."""
    figures = counted_figures()
    if keys is None:
        return figures
    keys = set(keys)
    return [f for f in figures if f.key in keys]


def refresh_nodes(node_ids, keys=None) -> int:
    """Recount the own cells of these nodes for the figures with these keys (None: every figure) and
    add the differences up the tree. Returns the number of cells changed at the nodes themselves."""
    return refresh([(node_ids, keys)])


def refresh(groups) -> int:
    """`refresh_nodes` for several (node ids, keys or None) at once, in one transaction: the changes of
    one commit (a visit's place and its social organisations' nodes, each with its own figures)."""
    work = []
    for node_ids, keys in groups:
        node_ids = {int(n) for n in node_ids if n is not None}
        figures = figures_of(keys)
        if node_ids and figures:
            work.append((node_ids, figures))
    if not work:
        return 0
    if connection.vendor == "sqlite":
        return _refresh_counting_first(work)
    with transaction.atomic():
        _lock()
        deltas = {}
        for node_ids, figures in work:
            deltas.update(_deltas(node_ids, figures, own_cells(node_ids, figures)))
        if deltas:
            _apply(deltas)
    return len(deltas)


def _refresh_counting_first(work) -> int:
    """SQLite has one write lock for the whole database, and every counted write waits for it: count
    the records before taking it, and under it only check that nothing was changed at these nodes
    since (their NodeVersion, bumped in the same transaction as the records), recount under the lock
    the nodes where something was, and write the differences. Outside a transaction each count reads
    whatever was committed when it ran, which is the same as under the lock for every change that
    marks the node (`mark_changed`); inside one (a test, a command) nothing can change under it."""
    nodes = set().union(*(node_ids for node_ids, _ in work))
    seen = _versions(nodes)
    counted = [(node_ids, figures, own_cells(node_ids, figures)) for node_ids, figures in work]
    with transaction.atomic():
        now = _versions(nodes)
        changed = {n for n in nodes if now.get(n, 0) != seen.get(n, 0)}
        deltas = {}
        for node_ids, figures, fresh in counted:
            stale = node_ids & changed
            if stale:
                fresh = {k: v for k, v in fresh.items() if k[0] not in stale}
                fresh.update(own_cells(stale, figures))
            deltas.update(_deltas(node_ids, figures, fresh))
        if deltas:
            _apply(deltas)
    return len(deltas)


def _deltas(node_ids, figures, fresh: dict[CellKey, int]) -> dict[CellKey, int]:
    """What to add to the stored own cells of these nodes and figures to make them the fresh counts."""
    stored = {(c["node_id"], c["key"], c["grain"], c["start"], c["bucket"]): c["own"]
              for c in Cell.objects.filter(node_id__in=node_ids, key__in=[f.key for f in figures])
              .exclude(own=0).values("node_id", "key", "grain", "start", "bucket", "own")}
    deltas = {k: fresh.get(k, 0) - stored.get(k, 0) for k in fresh.keys() | stored.keys()}
    return {k: d for k, d in deltas.items() if d}


def _versions(node_ids) -> dict[int, int]:
    return dict(NodeVersion.objects.filter(node_id__in=node_ids).values_list("node_id", "version"))


def _bump_versions(node_ids) -> None:
    """One more change at each of these nodes (see NodeVersion), in the caller's transaction."""
    table = connection.ops.quote_name(NodeVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} (node_id, version) VALUES (%s, 1) "
                           f"ON CONFLICT (node_id) DO UPDATE SET version = {table}.version + 1",
                           [(n,) for n in sorted(node_ids)])


def _apply(deltas: dict[CellKey, int]) -> None:
    paths = dict(Node.objects.filter(pk__in={k[0] for k in deltas}).values_list("pk", "path"))
    own_delta: dict[CellKey, int] = defaultdict(int)
    total_delta: dict[CellKey, int] = defaultdict(int)
    for (node_id, key, grain, start, bucket), delta in deltas.items():
        own_delta[(node_id, key, grain, start, bucket)] += delta
        path = paths.get(node_id)
        ancestors = Node(path=path).ancestor_ids() if path else [node_id]
        for ancestor in ancestors:
            total_delta[(ancestor, key, grain, start, bucket)] += delta
    touched = own_delta.keys() | total_delta.keys()
    existing = {}
    rows = Cell.objects.filter(node_id__in={k[0] for k in touched}, key__in={k[1] for k in touched},
                               start__in={k[3] for k in touched})
    for cell in rows:
        existing[(cell.node_id, cell.key, cell.grain, cell.start, cell.bucket)] = cell
    upserts, deletes = [], []
    for k in touched:
        cell = existing.get(k) or Cell(node_id=k[0], key=k[1], grain=k[2], start=k[3], bucket=k[4])
        cell.own += own_delta.get(k, 0)
        cell.total += total_delta.get(k, 0)
        if cell.own == 0 and cell.total == 0:
            if cell.pk:
                deletes.append(cell.pk)
        else:
            upserts.append(cell)
    if deletes:
        Cell.objects.filter(pk__in=deletes).delete()
    if upserts:
        Cell.objects.bulk_create(upserts, batch_size=2000, update_conflicts=True,
                                 unique_fields=["node", "key", "grain", "start", "bucket"],
                                 update_fields=["own", "total"])


def rebuild(*, batch_size: int = 5000) -> int:
    """Recount every cell from the records. Returns the number of cells written."""
    paths = dict(Node.objects.values_list("pk", "path"))
    with transaction.atomic():
        _lock()
        own = own_cells(None)
        total: dict[CellKey, int] = defaultdict(int)
        for (node_id, key, grain, start, bucket), value in own.items():
            path = paths.get(node_id)
            for ancestor in (Node(path=path).ancestor_ids() if path else [node_id]):
                total[(ancestor, key, grain, start, bucket)] += value
        Cell.objects.all().delete()
        rows = (Cell(node_id=k[0], key=k[1], grain=k[2], start=k[3], bucket=k[4], own=own.get(k, 0), total=v)
                for k, v in total.items() if v or own.get(k, 0))
        written = 0
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) >= batch_size:
                Cell.objects.bulk_create(batch)
                written += len(batch)
                batch = []
        if batch:
            Cell.objects.bulk_create(batch)
            written += len(batch)
    return written


# --- change tracking ---------------------------------------------------------------------------------

_PENDING = "youthlink_stats_pending"


def mark_changed(node_ids, keys=None, *, models=None) -> None:
    """Recount these nodes' cells once the current transaction commits (at once outside one): of the
    figures with these keys, or those reading these models' tables (`figures_reading`, worked out
    after the commit: the first time takes a few milliseconds, not to be spent holding a write lock),
    or with neither every figure. The changes gather per connection, {node: keys and models, or None
    for all}, and the first callback to run takes them all; changes of a rolled-back transaction are
    recounted with the next one, which is harmless (a recount, not an increment)."""
    node_ids = {int(n) for n in node_ids if n is not None}
    what = None if keys is None and models is None else {*(keys or ()), *(models or ())}
    if not node_ids or what == set():
        return
    conn = transaction.get_connection()
    if conn.vendor == "sqlite":
        _bump_versions(node_ids)
    pending = getattr(conn, _PENDING, None)
    if pending is None:
        pending = {}
        setattr(conn, _PENDING, pending)
    for node_id in node_ids:
        if what is None:
            pending[node_id] = None
        elif node_id not in pending:
            pending[node_id] = set(what)
        elif pending[node_id] is not None:
            pending[node_id].update(what)

    def flush():
        changes = dict(pending)
        pending.clear()
        _schedule(changes)

    transaction.on_commit(flush)


def _keys(what) -> frozenset | None:
    if what is None:
        return None
    keys = set()
    for item in what:
        keys |= {item} if isinstance(item, str) else figures_reading(item)
    return frozenset(keys)


def _schedule(changes: dict) -> None:
    """One recount for the commit: the nodes changed by the same kind of record together."""
    from .tasks import refresh_stats_changes
    groups: dict = defaultdict(set)
    for node_id, what in changes.items():
        groups[_keys(what)].add(node_id)
    if groups:
        refresh_stats_changes.delay([[sorted(node_ids), None if keys is None else sorted(keys)]
                                     for keys, node_ids in groups.items()])


def nodes_of_instance(source: Source, instance) -> set[int]:
    """The node a record is counted at, read from the record itself."""
    if not source.node:
        return {instance.pk}
    obj = instance
    parts = source.node.split("__")
    for part in parts[:-1]:
        obj = getattr(obj, part, None)
        if obj is None:
            return set()
    node_id = getattr(obj, f"{parts[-1]}_id", None)
    return {node_id} if node_id is not None else set()


# --- reading values ----------------------------------------------------------------------------------

@dataclass
class Value:
    figure: Figure
    value: float | int | None

    @property
    def key(self) -> str:
        return self.figure.key

    @property
    def display(self) -> str:
        if self.value is None:
            return "—"
        if self.figure.kind == "ratio":
            return f"{self.value:.1f}%"
        if isinstance(self.value, float):
            return f"{self.value:.1f}".rstrip("0").rstrip(".")
        return f"{self.value:,}"


def _finish(figure: Figure, raw: dict, by_key: dict) -> float | int | None:
    """The figure's value from its raw cells: a number, or {bucket: count} for medians and means."""
    if figure.kind == "ratio":
        num, den = (by_key.get(p) for p in figure.parts)
        return round(num * 100 / den, 1) if den else None
    value = raw.get(figure.key)
    if figure.kind in VALUE_KINDS:
        return summarise(figure.kind, value or {})
    return value or 0


def summarise(kind: str, histogram: dict[int, int]) -> float | int | None:
    """Median or mean of whole-number values given as {value: how many}."""
    items = sorted((b, c) for b, c in histogram.items() if c > 0)
    n = sum(c for _, c in items)
    if not n:
        return None
    if kind == "mean":
        return round(sum(b * c for b, c in items) / n, 2)
    ordered = []
    lower, upper = (n - 1) // 2, n // 2
    seen = 0
    for bucket, count in items:
        if seen <= lower < seen + count:
            ordered.append(bucket)
        if seen <= upper < seen + count:
            ordered.append(bucket)
        seen += count
    middle = (ordered[0] + ordered[-1]) / 2
    return int(middle) if middle == int(middle) else middle


def _resolve(figures, raw_by_node: dict[int, dict], nodes) -> dict[int, dict[str, Value]]:
    out = {}
    ordered = sorted(figures, key=lambda f: 1 if f.kind == "ratio" else 0)
    for node in nodes:
        raw = raw_by_node.get(node.pk, {})
        values: dict[str, Value] = {}
        by_key: dict[str, object] = {}
        for figure in ordered:
            if figure.kind == "coverage":
                v = raw.get(figure.key, 0)
            else:
                v = _finish(figure, raw, by_key)
            by_key[figure.key] = v
            values[figure.key] = Value(figure, v)
        out[node.pk] = values
    return out


def _with_parts(figures) -> list[Figure]:
    """The figures asked for and the parts they are computed from."""
    wanted = {f.key: f for f in figures}
    for f in list(wanted.values()):
        for part in f.parts:
            if part in registry.FIGURES:
                wanted.setdefault(part, registry.FIGURES[part])
    return list(wanted.values())


def cell_values(nodes: list[Node], period: Period, figures=None) -> dict[int, dict[str, Value]]:
    """Values of the figures at each node for a calendar period, from the cells: one query, plus one
    for coverage figures."""
    assert period.is_calendar
    figures = _with_parts(figures if figures is not None else registry.figures())
    ids = [n.pk for n in nodes]
    q = Q(pk__in=[])
    flow = [f.key for f in figures if f.sources and f.kind in ("count", "median", "mean")]
    stock = [f.key for f in figures if f.sources and f.kind == "stock"]
    distinct = [f.key for f in figures if f.sources and f.kind == "distinct"]
    if flow:
        q |= Q(key__in=flow, grain=Grain.MONTH, start__gte=period.start, start__lt=period.end)
    if stock:
        q |= Q(key__in=stock, grain=Grain.MONTH, start__lt=period.end)
    if distinct:
        q |= Q(key__in=distinct, grain=period.grain, start=period.start)
    raw: dict[int, dict] = defaultdict(dict)
    kinds = {f.key: f.kind for f in figures}
    rows = (Cell.objects.filter(q, node_id__in=ids).values("node_id", "key", "bucket")
            .annotate(v=Sum("total")).order_by())
    for row in rows:
        _collect(raw[row["node_id"]], kinds[row["key"]], row["key"], row["bucket"], row["v"])
    coverage = [f for f in figures if f.kind == "coverage"]
    if coverage:
        _coverage_from_cells(nodes, period, coverage, raw)
    return _resolve(figures, raw, nodes)


def _collect(raw: dict, kind: str, key: str, bucket: int, value: int) -> None:
    if kind in VALUE_KINDS:
        raw.setdefault(key, {})
        raw[key][bucket] = raw[key].get(bucket, 0) + value
    else:
        raw[key] = raw.get(key, 0) + value


def _coverage_from_cells(nodes, period, coverage, raw) -> None:
    for figure in coverage:
        part = registry.FIGURES[figure.parts[0]]
        q = Q(key=part.key, node__kind=figure.node_kind)
        if part.kind == "stock":
            q &= Q(grain=Grain.MONTH, start__lt=period.end)
        else:
            q &= Q(grain=Grain.MONTH, start__gte=period.start, start__lt=period.end)
        ranges = Q(pk__in=[])
        for node in nodes:
            low, high = Node.subtree_range(node.path)
            ranges |= Q(node__path__gte=low, node__path__lt=high)
        covered = (Cell.objects.filter(q & ranges).values("node__path").annotate(v=Sum("total"))
                   .filter(v__gt=0).values_list("node__path", flat=True))
        covered = list(covered)
        for node in nodes:
            raw[node.pk][figure.key] = sum(1 for p in covered if p.startswith(node.path))


def live_values(nodes: list[Node], period: Period, figures=None) -> dict[int, dict[str, Value]]:
    """Values counted from the records themselves, for any period. One query per source for all the
    nodes together when they are siblings (or a node and its children), grouping by path prefix."""
    figures = _with_parts(figures if figures is not None else registry.figures())
    raw: dict[int, dict] = defaultdict(dict)
    for figure in figures:
        for source in figure.sources:
            _live_source(figure, source, nodes, period, raw)
    coverage = [f for f in figures if f.kind == "coverage"]
    for figure in coverage:
        _live_coverage(figure, nodes, period, raw)
    return _resolve(figures, raw, nodes)


def _records(figure: Figure, source: Source, node: Node, period: Period):
    until = figure.kind == "stock"
    return (source.queryset().filter(**{f"{_path_field(source)}__gte": Node.subtree_range(node.path)[0],
                                        f"{_path_field(source)}__lt": Node.subtree_range(node.path)[1]})
            .filter(_date_filter(source, period, until_end_only=until)))


def _live_source(figure, source, nodes, period, raw) -> None:
    for node in nodes:
        qs = _records(figure, source, node, period)
        if figure.kind in VALUE_KINDS:
            for row in qs.values(source.date, *source.fields).order_by().iterator(chunk_size=5000):
                value = record_value(source, row)
                if value is None or row[source.date] is None:
                    continue
                raw[node.pk].setdefault(figure.key, {})
                raw[node.pk][figure.key][value] = raw[node.pk][figure.key].get(value, 0) + source.sign
            continue
        if source.date is not None:
            qs = qs.filter(**{f"{source.date}__isnull": False})
        if source.distinct:
            # distinct values belong to one node each, so they add up over nodes (see Source)
            n = qs.values(source.distinct).distinct().count()
        else:
            n = qs.count()
        raw[node.pk][figure.key] = raw[node.pk].get(figure.key, 0) + source.sign * n


def _live_coverage(figure, nodes, period, raw) -> None:
    part = registry.FIGURES[figure.parts[0]]
    for node in nodes:
        candidates = Node.objects.filter(node.subtree_q(), kind=figure.node_kind)
        covered = 0
        for candidate in candidates:
            n = 0
            for source in part.sources:
                n += source.sign * _records(part, source, candidate, period).count()
            covered += 1 if n > 0 else 0
        raw[node.pk][figure.key] = covered


def values(nodes: list[Node], period: Period, figures=None) -> dict[int, dict[str, Value]]:
    """Cells for calendar periods, records for date ranges."""
    if period.is_calendar:
        return cell_values(nodes, period, figures)
    return live_values(nodes, period, figures)


def monthly(node: Node, months: list[dt.date], figures) -> dict[str, list]:
    """Month by month values of count, stock, distinct, median and mean figures at one node (a trend
    chart), from the cells: one query."""
    figures = [f for f in figures if f.sources]
    if not months:
        return {}
    first, end = months[0], months[-1]
    end = dt.date(end.year + (end.month == 12), end.month % 12 + 1, 1)
    flow = [f.key for f in figures if f.kind != "stock"]
    stock = [f.key for f in figures if f.kind == "stock"]
    q = Q(pk__in=[])
    if flow:
        q |= Q(key__in=flow, start__gte=first, start__lt=end)
    if stock:
        q |= Q(key__in=stock, start__lt=end)
    rows = (Cell.objects.filter(q, node_id=node.pk, grain=Grain.MONTH).values("key", "start", "bucket")
            .annotate(v=Sum("total")).order_by())
    raw: dict[tuple, dict] = defaultdict(dict)
    kinds = {f.key: f.kind for f in figures}
    for row in rows:
        raw[row["key"]].setdefault(row["start"], {})
        _collect(raw[row["key"]][row["start"]], kinds[row["key"]], "v", row["bucket"], row["v"])
    out = {}
    for figure in figures:
        by_month = raw.get(figure.key, {})
        series, running = [], 0
        if figure.kind == "stock":
            running = sum(v.get("v", 0) for m, v in by_month.items() if m < first)
        for month_ in months:
            cell = by_month.get(month_, {})
            if figure.kind == "stock":
                running += cell.get("v", 0)
                series.append(running)
            elif figure.kind in VALUE_KINDS:
                series.append(summarise(figure.kind, cell.get("v", {})))
            else:
                series.append(cell.get("v", 0))
        out[figure.key] = series
    return out


def breakdown(node: Node, period: Period, figure: Figure) -> list[tuple[object, int]]:
    """A count split by its sources' bucket field (requests by category), largest first, from the
    cells for calendar periods and from the records for date ranges: one query."""
    source_buckets = [s for s in figure.sources if s.bucket]
    if not source_buckets:
        return []
    counts: dict[int, int] = defaultdict(int)
    if period.is_calendar:
        rows = (Cell.objects.filter(node_id=node.pk, key=figure.key, grain=Grain.MONTH, start__gte=period.start,
                                    start__lt=period.end).values("bucket").annotate(v=Sum("total")).order_by())
        for row in rows:
            counts[row["bucket"]] += row["v"]
    else:
        for source in source_buckets:
            rows = (_records(figure, source, node, period).values(_b=F(source.bucket)).annotate(v=Count("pk"))
                    .order_by())
            for row in rows:
                counts[row["_b"] or 0] += source.sign * row["v"]
    labels = figure.bucket_labels(list(counts)) if figure.bucket_labels else {}
    return sorted(((labels.get(b, str(b)), v) for b, v in counts.items() if v), key=lambda r: (-r[1], str(r[0])))
