"""The dashboard figures of a node and period from the command line:

    manage.py stats --node 331125000000 --period 2026 [--format text|json|xlsx] [--output FILE] [--recount]
    manage.py stats --rebuild

`--recount` counts from the records themselves (engine.live_values) and reports where they differ
from the pre-aggregated cells; `--rebuild` recounts every cell."""
from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from youthlink.orgs.models import Node
from youthlink.stats import engine, selectors
from youthlink.stats.periods import PeriodError, parse


def find_node(text: str) -> Node:
    """A node by its 12-digit administrative code or its id."""
    text = (text or "").strip()
    node = None
    if len(text) == 12 and text.isdigit():
        node = Node.objects.filter(admin_code=text).first()
    if node is None and text.isdigit():
        node = Node.objects.filter(pk=int(text)).first()
    if node is None:
        raise CommandError(_("找不到组织“%(node)s”：请给出12位行政区划代码或组织编号") % {"node": text})
    return node


def rows_of(values) -> list[dict]:
    return [{"key": v.key, "label": str(v.figure.label), "value": v.value, "unit": str(v.figure.unit),
             "display": v.display} for v in values]


class Command(BaseCommand):
    help = "打印一个组织在一个统计期间的看板数据（文本、JSON 或 Excel），或重算全部看板数据"

    def add_arguments(self, parser):
        parser.add_argument("--node", help="12位行政区划代码或组织编号")
        parser.add_argument("--period", default="", help="2026、2026Q1、2026-03 或 2026-03-01..2026-03-31")
        parser.add_argument("--format", choices=("text", "json", "xlsx"), default="text")
        parser.add_argument("--output", help="输出文件（xlsx 必填）")
        parser.add_argument("--recount", action="store_true", help="按原始记录重新计数并报告与看板数据的差异")
        parser.add_argument("--rebuild", action="store_true", help="按原始记录重算全部看板数据")

    def handle(self, *args, node=None, period="", format="text", output=None, recount=False, rebuild=False,
               **options):
        if rebuild:
            written = engine.rebuild()
            self.stdout.write(_("已重算看板数据：%(n)d 个数据单元") % {"n": written})
            if not node:
                return
        if not node:
            raise CommandError(_("请用 --node 指定组织（12位行政区划代码或组织编号）"))
        where = find_node(node)
        try:
            when = parse(period)
        except PeriodError as error:
            raise CommandError(str(error)) from error
        figures = selectors.visible_figures()
        if recount:
            live = engine.live_values([where], when, figures)[where.pk]
            values = [live[f.key] for f in figures]
        else:
            values = selectors.figures_at(where, when)
        rows = rows_of(values)
        if format == "json":
            text = json.dumps({"node": {"id": where.pk, "admin_code": where.admin_code, "name": where.name},
                               "period": when.code, "figures": rows}, ensure_ascii=False, indent=2)
            self._emit(text, output)
        elif format == "xlsx":
            if not output:
                raise CommandError(_("Excel 格式须用 --output 指定输出文件"))
            self._xlsx(where, when, rows, output)
            self.stdout.write(_("已写入 %(file)s") % {"file": output})
        else:
            self._emit(self._table(where, when, rows), output)
        if recount:
            self._differences(where, when, figures, values)

    def _emit(self, text: str, output: str | None) -> None:
        if output:
            with open(output, "w", encoding="utf-8") as f:
                f.write(text + "\n")
        else:
            self.stdout.write(text)

    def _table(self, node, period, rows) -> str:
        lines = [f"{node.name}（{node.admin_code or node.pk}）{period.label}"]
        width = max((len(r["label"]) for r in rows), default=0)
        for r in rows:
            unit = r["unit"] if r["value"] is not None and not r["display"].endswith("%") else ""
            lines.append(f"{r['label']}{'　' * (width - len(r['label']))}  {r['display']:>10} {unit}".rstrip())
        return "\n".join(lines)

    def _xlsx(self, node, period, rows, output) -> None:
        from openpyxl import Workbook
        book = Workbook()
        sheet = book.active
        sheet.title = period.code
        sheet.append([node.name, node.admin_code or "", period.label])
        sheet.append([_("代码"), _("指标"), _("数值"), _("单位")])
        for r in rows:
            sheet.append([r["key"], r["label"], r["value"], r["unit"]])
        sheet.column_dimensions["A"].width = 32
        sheet.column_dimensions["B"].width = 28
        book.save(output)

    def _differences(self, node, period, figures, live) -> None:
        """Cells against records (calendar periods only: other periods are always counted live)."""
        if not period.is_calendar:
            self.stdout.write(_("非整月/季/年的期间直接按原始记录计数，无看板数据可比"))
            return
        cells = engine.cell_values([node], period, figures)[node.pk]
        differ = [(v, cells[v.key]) for v in live if cells[v.key].value != v.value]
        if not differ:
            self.stdout.write(_("原始记录与看板数据一致"))
            return
        for recounted, stored in differ:
            self.stdout.write(_("不一致：%(label)s 看板 %(cells)s，原始记录 %(live)s") % {
                "label": recounted.figure.label, "cells": stored.display, "live": recounted.display})
        raise CommandError(_("%(n)d 项看板数据与原始记录不一致，可用 --rebuild 重算") % {"n": len(differ)})
