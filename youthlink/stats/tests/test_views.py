"""The dashboard pages: what a viewer sees is their subtree's and no one else's, the numbers on the
page are the engine's, and the .xlsx holds the same numbers as the page."""
from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from youthlink.stats import selectors
from youthlink.stats.periods import local_today, parse

from .helpers import add_villages, log_visits

pytestmark = pytest.mark.django_db

VISITS = "visits.visits"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def sheet_rows(response) -> list[list]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    return {name: [list(r) for r in book[name].iter_rows(values_only=True)] for name in book.sheetnames}


@pytest.fixture
def visited(world):
    home, other = world.home, world.other
    log_visits(home.cadre, home.village, 3)
    log_visits(home.cadre, home.township, 1)
    log_visits(other.cadre, other.village, 2)
    return world


def test_county_admin_sees_own_county_by_default_with_figures_and_charts(visited):
    home = visited.home
    response = client_for(home.admin).get("/stats/")
    assert response.status_code == 200
    assert response.context["node"] == home.county
    cards = {c["figure"].key: c["value"].value for c in response.context["cards"]}
    assert cards[VISITS] == 4
    assert [row.node for row in response.context["children"]] == [home.township]
    chart = response.context["chart"]
    assert chart["ranking"]["items"][0]["name"] == home.township.name
    series = {s["name"]: s["data"] for s in chart["trend"]["series"]}
    assert sum(v or 0 for v in series["走访"]) == 4 and len(series["走访"]) == 12
    assert 'id="stats-data"' in response.content.decode()
    assert "vendor/echarts/echarts.min.js" in response.content.decode()


def test_a_figure_card_links_to_its_drill_down(visited):
    home = visited.home
    text = client_for(home.admin).get(f"/stats/?node={home.county.pk}&period=2026").content.decode()
    assert f"/stats/figure/{VISITS}/?node={home.county.pk}&amp;period=2026" in text


def test_township_secretary_cannot_open_the_county_node(visited):
    home = visited.home
    client = client_for(home.secretary)
    assert client.get(f"/stats/?node={home.county.pk}").status_code == 404
    assert client.get(f"/stats/figure/{VISITS}/?node={home.county.pk}").status_code == 404
    assert client.get(f"/stats/figure/{VISITS}/records/?node={home.county.pk}").status_code == 404
    response = client.get("/stats/")
    assert response.status_code == 200 and response.context["node"] == home.township
    # the breadcrumb offers no ancestor the secretary may not open
    assert response.context["crumbs"] == []


def test_city_breadcrumb_lists_the_ancestors_the_viewer_may_open(visited):
    from youthlink.accounts.models import Role
    from youthlink.core.testing import make_staff
    city_admin = make_staff("团市委", visited.city, Role.ADMIN)
    response = client_for(city_admin).get(f"/stats/?node={visited.home.village.pk}")
    assert [c["node"] for c in response.context["crumbs"]] == [visited.city, visited.home.county, visited.home.township]


def test_county_records_hold_no_record_of_the_other_county(visited):
    home, other = visited.home, visited.other
    response = client_for(home.admin).get(f"/stats/figure/{VISITS}/records/?node={home.county.pk}")
    rows = list(response.context["page"])
    assert len(rows) == 4
    assert {r.record.place_id for r in rows} == {home.village.pk, home.township.pk}
    assert other.village.name not in response.content.decode()


def test_other_county_admin_gets_404_for_a_home_node(visited):
    client = client_for(visited.other.admin)
    for url in ("/stats/?node={}", f"/stats/figure/{VISITS}/?node={{}}", f"/stats/figure/{VISITS}/records/?node={{}}"):
        assert client.get(url.format(visited.home.township.pk)).status_code == 404


@pytest.mark.parametrize("role", ["cadre", "micro", "centre_staff", "youth_user"])
def test_roles_without_dashboards_are_refused(visited, role):
    assert client_for(getattr(visited.home, role)).get("/stats/").status_code == 403


@pytest.mark.parametrize("period", ["2026Q5", "2026-13", "abc", "2026-03-10..2026-03-01", "1999"])
def test_a_bad_period_is_a_400_page_that_says_why(visited, period):
    response = client_for(visited.home.admin).get(f"/stats/figure/{VISITS}/", {"period": period})
    assert response.status_code == 400
    assert "统计期间" in response.content.decode()


def test_dates_of_the_date_form_make_a_range(visited):
    year = local_today().year
    response = client_for(visited.home.admin).get("/stats/", {"from": f"{year}-01-01", "to": f"{year}-01-31"})
    assert response.status_code == 200
    assert response.context["period"] == parse(f"{year}-01-01..{year}-01-31")


def test_unknown_or_hidden_figure_is_404(visited):
    client = client_for(visited.home.admin)
    assert client.get("/stats/figure/no.such/").status_code == 404
    assert client.get("/stats/figure/liaison.cadres/").status_code == 404  # a hidden part of a ratio


def test_figure_page_drills_down_one_level_and_matches_the_engine(visited):
    home = visited.home
    villages = add_villages(home.township, 2)
    log_visits(home.cadre, villages[0], 5)
    response = client_for(home.admin).get(f"/stats/figure/{VISITS}/", {"node": home.township.pk})
    assert response.context["value"].value == 9
    rows = {r["node"].pk: r["value"].value for r in response.context["rows"]}
    assert rows == {home.village.pk: 3, villages[0].pk: 5, villages[1].pk: 0}
    period = parse("")
    own, children = selectors.by_child(home.township, period, [selectors.get_figure(VISITS)])
    assert {c.node.pk: c.values[VISITS].value for c in children} == rows
    text = response.content.decode()
    assert f'href="/stats/figure/{VISITS}/?node={villages[0].pk}&amp;period={period.code}"' in text


def test_figure_xlsx_has_the_page_numbers(visited):
    home = visited.home
    client = client_for(home.admin)
    page = client.get(f"/stats/figure/{VISITS}/", {"node": home.county.pk})
    sheets = sheet_rows(client.get(f"/stats/figure/{VISITS}/", {"node": home.county.pk, "format": "xlsx"}))
    (rows,) = sheets.values()
    assert rows[1][:2] == [home.county.name, page.context["value"].value]
    assert [r[:2] for r in rows[2:]] == [[r["node"].name, r["value"].value] for r in page.context["rows"]]
    assert rows[1][1] == 4


def test_dashboard_xlsx_has_the_figures_and_the_children_table(visited):
    home = visited.home
    client = client_for(home.admin)
    page = client.get("/stats/", {"node": home.county.pk})
    sheets = sheet_rows(client.get("/stats/", {"node": home.county.pk, "format": "xlsx"}))
    own, children = list(sheets.values())
    assert [r[:2] for r in own[1:]] == [[str(c["figure"].label), c["value"].value] for c in page.context["cards"]]
    assert children[0] == ["下级", *[str(f.label) for f in page.context["figures"]]]
    assert children[1] == [home.township.name, *[v.value for v in page.context["table"][0]["cells"]]]
    visits_column = children[0].index("走访")
    assert children[1][visits_column] == 4


def test_records_xlsx_has_every_record_of_the_page(visited):
    home = visited.home
    client = client_for(home.admin)
    page = client.get(f"/stats/figure/{VISITS}/records/", {"node": home.county.pk})
    (rows,) = sheet_rows(client.get(f"/stats/figure/{VISITS}/records/",
                                    {"node": home.county.pk, "format": "xlsx"})).values()
    assert [r[1] for r in rows[1:]] == [r.label for r in page.context["page"]]
    assert len(rows) - 1 == page.context["page"].paginator.count == 4


def test_records_are_paginated_by_fifty_across_pages(visited):
    home = visited.home
    log_visits(home.cadre, home.village, 52)
    client = client_for(home.admin)
    url = f"/stats/figure/{VISITS}/records/"
    first = client.get(url, {"node": home.township.pk, "page": 1}).context["page"]
    second = client.get(url, {"node": home.township.pk, "page": 2}).context["page"]
    assert (first.paginator.count, len(first), len(second)) == (56, 50, 6)
    assert not {r.record.pk for r in first} & {r.record.pk for r in second}


def test_cadre_targets_come_from_the_visits_provider(visited):
    home = visited.home
    rows = selectors.cadre_targets(home.township, local_today().year)
    assert [(r["name"], r["visited"]) for r in rows] == [(home.cadre.display_name, 0)]
    assert rows[0]["visit_target"] > 0
    client = client_for(home.admin)
    dashboard = client.get(f"/stats/?node={home.township.pk}").content.decode()
    assert f'hx-get="/stats/cadres/?node={home.township.pk}' in dashboard  # loaded after the page
    fragment = client.get(f"/stats/cadres/?node={home.township.pk}", headers={"HX-Request": "true"})
    assert fragment.context["chart"]["names"] == [f"{home.cadre.display_name}（{home.township.name}）"]
    assert "<html" not in fragment.content.decode() and 'id="stats-cadres"' in fragment.content.decode()
    page = client.get(f"/stats/cadres/?node={home.township.pk}").content.decode()  # without JavaScript
    assert "<html" in page and home.cadre.display_name in page


def test_cadres_are_ranked_one_by_one_only_from_a_township_down(visited):
    home = visited.home
    assert selectors.cadre_targets(home.county, local_today().year) == []
    response = client_for(home.admin).get("/stats/")
    assert "stats/cadres/" not in response.content.decode()
    assert "县级以上看板不逐一排列团干部" in response.content.decode()
    page = client_for(home.admin).get(f"/stats/cadres/?node={home.county.pk}").content.decode()  # typed by hand
    assert "县级以上看板不逐一排列团干部" in page and "暂无团干部" not in page
