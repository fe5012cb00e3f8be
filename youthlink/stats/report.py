"""The monthly and yearly report (工作报告): prose in the style of the committees' own reports, written
from the engine's values ("2026年，泰顺县走访基层组织1050余个，召开访谈夜2000余场……"), with the figures
behind it. Every number comes from youthlink.stats.engine; the sentences only name figures that have
data. The text goes through gettext, so a reader who chose English reads English sentences."""
from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from youthlink.orgs.models import Node

from . import engine, selectors
from .periods import Period

# Figures counted (their sentences read "label + number + unit"); the others are rates and averages.
AMOUNT_KINDS = ("count", "stock", "distinct", "coverage")
# Below this a number is written exactly ("360对"); from it on, rounded down ("1050余个").
EXACT_BELOW = 1000
SIGNIFICANT = 3
TOP_CHILDREN = 3
CHILD_COLUMNS = 6


def approximate(n: int) -> tuple[int, bool]:
    """The number as the reports write it: exact below 1000, otherwise cut down to three significant
    figures; the flag says whether anything was cut (the report then adds 余, "over")."""
    n = int(n)
    if abs(n) < EXACT_BELOW:
        return n, False
    step = 10 ** (len(str(abs(n))) - SIGNIFICANT)
    rounded = n // step * step
    return rounded, rounded != n


def amount_text(n: int, unit) -> str:
    """"1050余个", "360对", "1.23万余人" (and "over 1,050 organisations" in English)."""
    rounded, cut = approximate(n)
    if not (get_language() or "").startswith("zh"):
        number = f"{rounded:,}"
    elif rounded >= 10_000:
        number = f"{rounded / 10_000:g}万"
    else:
        number = str(rounded)
    if cut:
        return _("%(number)s余%(unit)s") % {"number": number, "unit": unit}
    return _("%(number)s%(unit)s") % {"number": number, "unit": unit}


def value_text(value: engine.Value) -> str:
    """A figure's value in a sentence: amounts rounded as the reports do, rates and averages as shown."""
    figure = value.figure
    if figure.kind in AMOUNT_KINDS:
        return amount_text(value.value, figure.unit)
    if figure.kind == "ratio":
        return value.display
    return _("%(number)s%(unit)s") % {"number": value.display, "unit": figure.unit}


def has_data(value: engine.Value | None) -> bool:
    return value is not None and value.value not in (None, 0)


@dataclass
class Report:
    node: Node
    period: Period
    previous: Period
    title: str
    paragraphs: list[str]
    figures: list[engine.Value]  # every visible figure, data or not, for the table
    previous_values: dict[str, engine.Value]
    child_figures: list  # the figures of the table by child node
    children: list[selectors.ChildRow] = field(default_factory=list)

    def rows(self) -> list[dict]:
        """The table of figures: this period, the previous one, and the change of amounts."""
        out = []
        for value in self.figures:
            before = self.previous_values.get(value.key)
            out.append({"label": str(value.figure.label), "unit": str(value.figure.unit), "value": value,
                        "previous": before, "change": change_text(value, before)})
        return out

    def child_rows(self) -> list[dict]:
        return [{"node": row.node, "cells": [row.values[f.key] for f in self.child_figures]} for row in self.children]


def change_text(value: engine.Value, before: engine.Value | None) -> str:
    if value.figure.kind not in AMOUNT_KINDS or before is None or not has_data(before):
        return ""
    delta = (value.value or 0) - before.value
    return f"{delta * 100 / before.value:+.1f}%"


def build(node: Node, period: Period) -> Report:
    """The report of a node for a period (a month, quarter, year or dates)."""
    figures = selectors.visible_figures()
    current = selectors.figures_at(node, period)
    previous = period.previous()
    previous_values = {v.key: v for v in selectors.figures_at(node, previous)}
    with_data = [v for v in current if has_data(v)]
    amounts = [v.figure for v in with_data if v.figure.kind in AMOUNT_KINDS]
    # the table by child node: what was done in the period first, then what there is
    child_figures = ([f for f in amounts if f.kind in ("count", "distinct")]
                     + [f for f in amounts if f.kind not in ("count", "distinct")])[:CHILD_COLUMNS]
    children = selectors.by_child(node, period, child_figures)[1] if child_figures else []
    paragraphs = [p for p in (
        _summary(node, period, with_data),
        *_breakdowns(node, period),
        _leaders(children, child_figures),
        _comparison(previous, current, previous_values),
    ) if p]
    if not with_data:
        paragraphs = [_("%(period)s，%(node)s暂无统计数据。") % {"period": period.label, "node": node.name}]
    title = _("%(node)s%(period)s工作报告") % {"node": node.name, "period": period.label}
    return Report(node=node, period=period, previous=previous, title=title, paragraphs=paragraphs,
                  figures=current, previous_values=previous_values, child_figures=child_figures, children=children)


def _sentence(value: engine.Value) -> str:
    return _("%(label)s%(value)s") % {"label": value.figure.label, "value": value_text(value)}


def _summary(node: Node, period: Period, with_data: list[engine.Value]) -> str:
    # what was done in the period leads, as in the reports; then what there is, then the rates
    amounts = ([_sentence(v) for v in with_data if v.figure.kind in ("count", "distinct")]
               + [_sentence(v) for v in with_data if v.figure.kind in ("stock", "coverage")])
    rates = [_sentence(v) for v in with_data if v.figure.kind not in AMOUNT_KINDS]
    if not amounts and not rates:
        return ""
    parts = []
    if amounts:
        parts.append(_("，").join(amounts))
    if rates:
        parts.append(_("，").join(rates))
    return _("%(period)s，%(node)s%(facts)s。") % {"period": period.label, "node": node.name,
                                                 "facts": _("；").join(parts)}


def _breakdowns(node: Node, period: Period) -> list[str]:
    out = []
    for figure, rows in selectors.breakdowns(node, period):
        total = sum(n for _label, n in rows)
        if not total:
            continue
        first_label, first_n = rows[0]
        text = _("%(figure)s中，%(first)s最多，%(amount)s，占%(share)s") % {
            "figure": figure.label, "first": first_label, "amount": amount_text(first_n, figure.unit),
            "share": f"{first_n * 100 / total:.1f}%"}
        rest = [_("%(label)s%(amount)s") % {"label": label, "amount": amount_text(n, figure.unit)}
                for label, n in rows[1:TOP_CHILDREN]]
        if rest:
            text += _("；其次是%(rest)s") % {"rest": _("、").join(rest)}
        out.append(text + _("。"))
    return out


def _leaders(children: list[selectors.ChildRow], figures) -> str:
    """The child nodes ahead on the first figures with data (at most two of them): what was done in
    the period (counts) before what there is (stocks)."""
    sentences = []
    flows = [f for f in figures if f.kind in ("count", "distinct")]
    for figure in (flows or [f for f in figures if f.kind == "stock"])[:2]:
        ranked = sorted((row for row in children if has_data(row.values.get(figure.key))),
                        key=lambda row: (-row.values[figure.key].value, row.node.path))[:TOP_CHILDREN]
        if not ranked:
            continue
        names = _("、").join(_("%(node)s（%(amount)s）") % {
            "node": row.node.name, "amount": amount_text(row.values[figure.key].value, figure.unit)} for row in ranked)
        sentences.append(_("%(figure)s居前的是%(nodes)s") % {"figure": figure.label, "nodes": names})
    if not sentences:
        return ""
    return _("分地区看，%(facts)s。") % {"facts": _("；").join(sentences)}


def _comparison(previous: Period, current: list[engine.Value], before: dict[str, engine.Value]) -> str:
    parts = []
    for value in current:
        old = before.get(value.key)
        if value.figure.kind not in ("count", "distinct") or old is None:
            continue
        new_n, old_n = value.value or 0, old.value or 0
        if not new_n and not old_n:
            continue
        label = value.figure.label
        if not old_n:
            parts.append(_("%(label)s从无到%(amount)s") % {"label": label, "amount": amount_text(new_n, value.figure.unit)})
        elif new_n > old_n:
            parts.append(_("%(label)s增长%(pct)s") % {"label": label, "pct": f"{(new_n - old_n) * 100 / old_n:.1f}%"})
        elif new_n < old_n:
            parts.append(_("%(label)s减少%(pct)s") % {"label": label, "pct": f"{(old_n - new_n) * 100 / old_n:.1f}%"})
        else:
            parts.append(_("%(label)s持平") % {"label": label})
    if not parts:
        return ""
    return _("与%(previous)s相比，%(facts)s。") % {"previous": previous.label, "facts": _("，").join(parts)}
