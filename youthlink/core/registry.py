"""Features register what they contribute (dashboard figures, demo builders, exports) in their
AppConfig.ready(); the stats pages and seed_demo iterate these instead of importing features."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Source:
    """Where a figure's records are. `queryset()` returns every record that counts, unscoped; `node`
    is the relation (field path) to the Node the record is counted at ("place", "person__home_node";
    "" when the records are nodes themselves); `date` the field that dates it (a DateField or a
    DateTimeField, read in Asia/Shanghai; None: undated, counted since ever). Optional: `distinct`
    counts distinct values of that field instead of rows (each value must belong to a single node,
    e.g. the place visited), `value` a function (row dict of `fields`) -> int or None that gives a
    record's value for median/mean figures, `label`/`url` what a record shows in the drill-down
    list, `sign` -1 for records that leave a stock (a pairing that ended)."""

    queryset: Callable
    node: str
    date: str | None = None
    distinct: str | None = None
    fields: tuple = ()
    value: Callable | None = None
    sign: int = 1
    label: Callable | None = None  # (record) -> str, for the drill-down list
    url: Callable | None = None  # (record) -> str or None
    title: object = ""  # what the records are ("走访记录"), for the drill-down list
    watch: tuple = ()  # (model, node field path) pairs whose changes also change these records' counts
    bucket: str | None = None  # an integer field splitting a count (the request's category), for breakdowns


@dataclass(frozen=True)
class Figure:
    """One dashboard figure (see youthlink.stats). `kind`:
    - "count": records dated in the period;
    - "stock": records dated up to the end of the period (sources with sign -1 subtract);
    - "distinct": distinct `Source.distinct` values among the records dated in the period;
    - "median"/"mean": of the records' whole-number `value`s dated in the period;
    - "ratio": figure `parts[0]` ÷ figure `parts[1]`, as a percentage;
    - "coverage": nodes of kind `node_kind` in the subtree whose figure `parts[0]` is above zero.
    `hidden` figures are only parts of others."""

    key: str
    label: object
    kind: str = "count"
    sources: tuple = ()
    parts: tuple = ()
    node_kind: str = ""
    unit: object = ""
    order: int = 100
    hidden: bool = False
    help: object = ""
    bucket_labels: Callable | None = None  # (bucket ids) -> {id: label}, for a breakdown by `Source.bucket`


@dataclass(frozen=True)
class Check:
    """A plausibility check (数据核查) over a feature's records, listed on the stats report's checks
    page. `find(node, period)` returns a queryset of the suspicious records counted at the node's
    subtree in the period (the same query whatever the size, so the page costs a constant number of
    queries per check); `label`/`url` show one record, `help` says why it is suspicious."""

    key: str
    label: object
    find: Callable  # (node, period) -> QuerySet
    label_of: Callable  # (record) -> str
    url_of: Callable | None = None  # (record) -> str or None
    help: object = ""
    order: int = 100


@dataclass(frozen=True)
class DemoBuilder:
    key: str
    build: Callable  # (context: dict, fake) -> None; adds what it made to context
    order: int = 100


@dataclass(frozen=True)
class Periodic:
    key: str
    task: str  # dotted name of a Celery task taking no arguments
    schedule: object  # a celery.schedules.crontab or seconds
    description: str = ""


@dataclass(frozen=True)
class HomeSection:
    key: str
    template: str
    context: Callable  # (user) -> dict, or None when the section has nothing to show this user
    order: int = 100


@dataclass(frozen=True)
class ProfileSection:
    key: str
    template: str
    context: Callable  # (viewer, cadre) -> dict, or None when the section has nothing to show
    order: int = 100


@dataclass(frozen=True)
class MenuItem:
    key: str
    label: object
    url_name: str
    roles: frozenset  # staff roles that see it; empty: everyone signed in
    order: int = 100
    youth: bool = False  # shown only to those signed in without a staff role (young people)


FIGURES: dict[str, Figure] = {}
MENU_ITEMS: dict[str, MenuItem] = {}
HOME_SECTIONS: dict[str, HomeSection] = {}
PROFILE_SECTIONS: dict[str, ProfileSection] = {}
PERIODIC: dict[str, Periodic] = {}
LISTENERS: dict[str, list[Callable]] = {}
DEMO_BUILDERS: dict[str, DemoBuilder] = {}
CHECKS: dict[str, Check] = {}


def register_figure(key: str, label, *, kind: str = "count", sources=(), parts=(),
                    node_kind: str = "", unit="", order: int = 100, hidden: bool = False, help="",
                    bucket_labels: Callable | None = None) -> None:
    """A dashboard figure computed from records (see Figure and Source); the stats app counts,
    pre-aggregates and drills down into it without knowing the feature."""
    if isinstance(sources, Source):
        sources = (sources,)
    FIGURES[key] = Figure(key=key, label=label, kind=kind, sources=tuple(sources), parts=tuple(parts),
                          node_kind=node_kind, unit=unit, order=order, hidden=hidden, help=help,
                          bucket_labels=bucket_labels)


def register_check(key: str, label, find: Callable, *, label_of: Callable, url_of: Callable | None = None,
                   help="", order: int = 100) -> None:
    """A plausibility check of a feature's records (see Check); the stats app lists what it finds
    without knowing the feature."""
    CHECKS[key] = Check(key=key, label=label, find=find, label_of=label_of, url_of=url_of, help=help, order=order)


def checks() -> list[Check]:
    return sorted(CHECKS.values(), key=lambda c: (c.order, c.key))


def register_demo_builder(key: str, build: Callable, *, order: int = 100) -> None:
    DEMO_BUILDERS[key] = DemoBuilder(key=key, build=build, order=order)


def register_periodic(key: str, task: str, schedule, description: str = "") -> None:
    """A periodic job: Celery beat runs it in production; `manage.py run_periodic` runs it once
    (from cron) in the embedded default."""
    PERIODIC[key] = Periodic(key=key, task=task, schedule=schedule, description=description)


def register_menu_item(key: str, label, url_name: str, *, roles=(), youth: bool = False, order: int = 100) -> None:
    """An entry in the top menu for users holding any of `roles`; with `youth=True`, for young people
    (signed in without any staff role) instead."""
    MENU_ITEMS[key] = MenuItem(key=key, label=label, url_name=url_name, roles=frozenset(roles), order=order,
                               youth=youth)


def menu_items() -> list[MenuItem]:
    return sorted(MENU_ITEMS.values(), key=lambda m: (m.order, m.key))


def register_home_section(key: str, template: str, context: Callable, *, order: int = 100) -> None:
    """A card on the home page (a cadre's targets, a helper's must-visit tasks …)."""
    HOME_SECTIONS[key] = HomeSection(key=key, template=template, context=context, order=order)


def home_sections() -> list[HomeSection]:
    return sorted(HOME_SECTIONS.values(), key=lambda s: (s.order, s.key))


def register_profile_section(key: str, template: str, context: Callable, *, order: int = 100) -> None:
    """A card on a cadre's profile page (diaries, review grades, ratings, targets progress …),
    shown to the cadre and to their superiors."""
    PROFILE_SECTIONS[key] = ProfileSection(key=key, template=template, context=context, order=order)


def profile_sections() -> list[ProfileSection]:
    return sorted(PROFILE_SECTIONS.values(), key=lambda s: (s.order, s.key))


def register_listener(event: str, listener: Callable) -> None:
    """A feature reacts to another feature's event without importing it: e.g. pairing closes a
    must-visit task on "visit.logged". The emitting service calls `emit` inside its transaction."""
    if listener not in LISTENERS.setdefault(event, []):
        LISTENERS[event].append(listener)


def emit(event: str, **payload) -> None:
    for listener in LISTENERS.get(event, []):
        listener(**payload)


def figures() -> list[Figure]:
    return sorted(FIGURES.values(), key=lambda f: (f.order, f.key))


def demo_builders() -> list[DemoBuilder]:
    return sorted(DEMO_BUILDERS.values(), key=lambda b: (b.order, b.key))
