"""The report: the reports' rounding, prose from the engine's values (this node's subtree only, the
previous period, the child nodes, the breakdown by category), the page and the PDF (read back with
poppler's pdftotext)."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
from django.test import Client
from django.utils import translation

from youthlink.stats import engine, report
from youthlink.stats.periods import month, year

from .helpers import appeal, at, visits_bulk

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("n", "zh"), [
    (0, "0个"), (7, "7个"), (360, "360个"), (999, "999个"), (1000, "1000个"), (1053, "1050余个"),
    (2000, "2000个"), (2013, "2010余个"), (5234, "5230余个"), (12345, "1.23万余个"), (120000, "12万个"),
])
def test_amounts_are_rounded_down_as_the_reports_write_them(n, zh):
    with translation.override("zh-hans"):
        assert report.amount_text(n, "个") == zh


def test_approximate_cuts_to_three_significant_figures():
    assert report.approximate(1053) == (1050, True)
    assert report.approximate(1050) == (1050, False)
    assert report.approximate(98765) == (98700, True)
    assert report.approximate(360) == (360, False)


@pytest.fixture
def data(world):
    """1053 visits in the home village in March 2026, 500 in 2025, 9 in the other county; three
    requests in the home village in 2026."""
    home, other = world.home, world.other
    visits_bulk(home.cadre, home.village, dt.date(2026, 3, 5), 1053)
    visits_bulk(home.cadre, home.village, dt.date(2025, 6, 5), 500)
    visits_bulk(other.cadre, other.village, dt.date(2026, 3, 5), 9)
    for i in range(3):
        appeal(home.youth_user, home.village, status="open", created=at(2026, 4, 2 + i))
    engine.rebuild()
    return world


def test_the_report_is_written_from_the_engine_values_of_the_node(data):
    home = data.home
    with translation.override("zh-hans"):
        built = report.build(home.county, year(2026))
    values = {v.key: v.value for v in built.figures}
    assert values["visits.visits"] == 1053 and values["appeals.collected"] == 3
    summary, breakdown, leaders, comparison = built.paragraphs
    assert summary.startswith("2026年，泰顺县走访1050余次，走访基层组织1个，收集诉求3件，")
    assert "走访1050余次" in summary and "收集诉求3件" in summary and "走访基层组织1个" in summary
    assert "逾期诉求" not in summary  # no data, no sentence
    assert breakdown.startswith("收集诉求中，") and "3件，占100.0%" in breakdown
    assert leaders == "分地区看，走访居前的是泰顺镇（1050余次）；走访基层组织居前的是泰顺镇（1个）。"
    assert "与2025年相比，走访增长110.6%" in comparison and "收集诉求从无到3件" in comparison
    assert [r.node.name for r in built.children] == ["泰顺镇"]


def test_a_month_without_data_says_so(data):
    with translation.override("zh-hans"):
        built = report.build(data.home.county, month(2026, 7))
    assert built.paragraphs[0].startswith("2026年7月，泰顺县")  # stocks still have data
    assert "走访" not in built.paragraphs[0].replace("走访基层组织", "")


def test_english_readers_get_english_prose(data):
    with translation.override("en"):
        built = report.build(data.home.county, year(2026))
    text = " ".join(built.paragraphs)
    assert "over 1,050 times" in text and "泰顺县" in text
    assert "余" not in text and "，" not in text


def test_the_report_page_and_pdf(data, tmp_path):
    home = data.home
    client = Client()
    client.force_login(home.admin)
    page = client.get("/stats/report/", {"node": home.county.pk, "period": "2026"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "走访1050余次" in html and "1,053" in html and data.other.county.name not in html

    response = client.get("/stats/report/", {"node": home.county.pk, "period": "2026", "format": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils is not installed (make install)")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    assert "泰顺县2026年工作报告" in flat
    assert "走访1050余次" in flat and "收集诉求3件" in flat
    assert "1,053" in flat and "500" in flat and "+110.6%" in flat
    assert "泰顺镇" in flat and data.other.county.name not in flat
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True)
    assert (tmp_path / "page-1.png").stat().st_size > 10_000


def test_a_bad_period_shows_the_error_and_this_year(data):
    client = Client()
    client.force_login(data.home.admin)
    response = client.get("/stats/report/", {"node": data.home.county.pk, "period": "2026-13"})
    assert response.status_code == 200
    assert "不是有效日期" in response.content.decode()
