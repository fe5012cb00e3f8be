"""manage.py stats: the dashboard's figures as text, JSON and xlsx; --recount against the cells;
--rebuild; clear errors for an unknown node or a bad period."""
from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from youthlink.stats import engine, selectors
from youthlink.stats.models import Cell
from youthlink.stats.periods import year

from .helpers import visits_bulk

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(world):
    visits_bulk(world.home.cadre, world.home.village, dt.date(2026, 3, 5), 12)
    visits_bulk(world.other.cadre, world.other.village, dt.date(2026, 3, 5), 5)
    engine.rebuild()
    return world


def run(*args) -> str:
    out = io.StringIO()
    call_command("stats", *args, stdout=out)
    return out.getvalue()


def test_json_output_equals_the_engine_values(data):
    county = data.home.county
    printed = json.loads(run("--node", county.admin_code, "--period", "2026", "--format", "json"))
    expected = [{"key": v.key, "label": str(v.figure.label), "value": v.value, "unit": str(v.figure.unit),
                 "display": v.display} for v in selectors.figures_at(county, year(2026))]
    assert printed["figures"] == expected
    assert printed["node"] == {"id": county.pk, "admin_code": county.admin_code, "name": "泰顺县"}
    assert {f["key"]: f["value"] for f in printed["figures"]}["visits.visits"] == 12
    by_id = json.loads(run("--node", str(county.pk), "--period", "2026", "--format", "json"))
    assert by_id == printed


def test_xlsx_has_the_same_numbers(data, tmp_path):
    county = data.home.county
    path = tmp_path / "stats.xlsx"
    run("--node", county.admin_code, "--period", "2026", "--format", "xlsx", "--output", str(path))
    sheet = load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("泰顺县", county.admin_code, "2026年", None)
    assert {r[0]: r[2] for r in rows[2:]} == {v.key: v.value for v in selectors.figures_at(county, year(2026))}


def test_text_table_shows_each_figure(data):
    text = run("--node", data.home.county.admin_code, "--period", "2026-03")
    lines = text.splitlines()
    assert lines[0] == f"泰顺县（{data.home.county.admin_code}）2026年3月"
    assert len(lines) == 1 + len(selectors.visible_figures())
    assert any(line.startswith("走访") and line.split()[-2:] == ["12", "次"] for line in lines)


def test_recount_agrees_with_the_cells_and_reports_a_difference(data):
    county = data.home.county
    assert "原始记录与看板数据一致" in run("--node", county.admin_code, "--period", "2026", "--recount")
    visits_bulk(data.home.cadre, data.home.village, dt.date(2026, 4, 1), 2)  # bulk: the cells do not know
    with pytest.raises(CommandError, match="1 项看板数据与原始记录不一致"):
        run("--node", county.admin_code, "--period", "2026", "--recount")


def test_rebuild_prints_the_number_of_cells(data):
    Cell.objects.all().delete()
    text = run("--rebuild")
    assert text.strip() == f"已重算看板数据：{Cell.objects.count()} 个数据单元"
    assert Cell.objects.count() > 0


@pytest.mark.parametrize(("args", "message"), [
    (("--node", "999999999999", "--period", "2026"), "找不到组织“999999999999”"),
    (("--node", "abc", "--period", "2026"), "找不到组织“abc”"),
    (("--period", "2026"), "请用 --node 指定组织"),
    (("--node", "330329000000", "--period", "2026-13"), "统计期间“2026-13”不是有效日期"),
    (("--node", "330329000000", "--period", "last year"), "格式不对"),
    (("--node", "330329000000", "--format", "xlsx"), "须用 --output"),
])
def test_clear_errors(world, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
