"""The search page, its htmx partial, the similar-requests partial of the request form, and their API."""
from __future__ import annotations

import re

import pytest
from django.test import Client

from youthlink.appeals.models import Status
from youthlink.appeals.search import MAX_QUERY_CHARS

from .search_helpers import make_appeal

pytestmark = pytest.mark.django_db

TITLE = "单雄信家的生姜卖不出去"
BODY = "单雄信卧床，奶奶种的两亩生姜卖不出去，希望帮忙联系收购商。"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def ginger(world):
    return make_appeal(world.home, title=TITLE, body=BODY, person=world.home.person, subject_name="单雄信")


def test_a_young_person_sees_the_public_text_with_the_word_marked(world, ginger):
    page = client_for(world.home.youth_user).get("/appeals/search/?q=生姜").content.decode()
    assert "单某某家的<mark>生姜</mark>卖不出去" not in page  # titles are not marked, snippets are
    assert "单某某家的生姜卖不出去" in page
    assert "奶奶种的两亩<mark>生姜</mark>卖不出去" in page
    assert "单雄信" not in page
    assert f'href="/appeals/{ginger.pk}/"' in page


def test_staff_see_the_private_text(world, ginger):
    page = client_for(world.home.cadre).get("/appeals/search/?q=生姜").content.decode()
    assert TITLE in page and "<mark>单雄信</mark>" not in page and "单雄信卧床" in page


def test_user_input_is_escaped(world, ginger):
    page = client_for(world.home.youth_user).get("/appeals/search/", {"q": "<script>alert(1)</script> 生姜"})
    text = page.content.decode()
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; 生姜" in text


def test_nothing_found_and_no_words_are_told_apart(world, ginger):
    client = client_for(world.home.youth_user)
    assert "没有找到与“路灯”相关的诉求。" in client.get("/appeals/search/?q=路灯").content.decode()
    assert "请输入要搜索的词语" in client.get("/appeals/search/", {"q": "“”*!?"}).content.decode()


def test_a_too_long_query_is_cut_with_a_notice(world, ginger):
    response = client_for(world.home.youth_user).get("/appeals/search/", {"q": "生姜" + "啊" * 300})
    assert response.status_code == 200
    assert f"只按前 {MAX_QUERY_CHARS} 个字搜索" in response.content.decode()


def test_more_results_come_by_htmx(world):
    made = [make_appeal(world.home, title=f"创业补贴{i}", body="创业补贴怎么申请") for i in range(23)]
    client = client_for(world.home.youth_user)
    first = client.get("/appeals/search/?q=补贴").content.decode()
    assert len(re.findall(r'href="/appeals/\d+/"', first)) == 20 and "offset=20" in first
    more = client.get("/appeals/search/?q=补贴&offset=20", headers={"HX-Request": "true"}).content.decode()
    assert [f'href="/appeals/{a.pk}/"' in more for a in made[:3]] == [True, True, True]
    assert '<ul class="hits"' not in more and "offset=" not in more


def test_the_search_api(world, ginger):
    data = client_for(world.home.youth_user).get("/api/appeals/search?q=生姜").json()
    assert data["terms"] == ["生姜"]
    assert [(r["id"], r["title"], r["full_access"]) for r in data["results"]] == [
        (ginger.pk, "单某某家的生姜卖不出去", False)]
    assert data["next_offset"] is None and "单雄信" not in str(data)
    staff = client_for(world.home.cadre).get("/api/appeals/search?q=单雄信").json()
    assert [(r["id"], r["title"], r["full_access"]) for r in staff["results"]] == [(ginger.pk, TITLE, True)]
    bad = client_for(world.home.youth_user).get('/api/appeals/search?q="*')
    assert bad.status_code == 200 and bad.json()["results"] == [] and bad.json()["notice"]


def test_the_request_form_asks_for_similar_requests(world):
    page = client_for(world.home.micro).get("/appeals/new/").content.decode()
    assert 'id="similar-appeals"' in page and 'hx-get="/appeals/similar/"' in page


def test_similar_partial_for_a_young_person_uses_their_home(world, ginger):
    client = client_for(world.home.youth_user)
    page = client.get("/appeals/similar/", {"title": "生姜卖不出去", "body": "两亩生姜滞销，想找收购商"}).content.decode()
    assert "附近已有相似的诉求" in page and "单某某家的生姜卖不出去" in page and "单雄信" not in page
    assert client.get("/appeals/similar/", {"title": "", "body": ""}).content.decode().strip() == ""


def test_similar_partial_with_a_node_of_another_county_shows_nothing(world, ginger):
    client = client_for(world.other.cadre)
    page = client.get("/appeals/similar/", {"title": TITLE, "body": BODY, "node": world.home.village.pk})
    assert page.status_code == 200 and page.content.decode().strip() == ""
    missing = client.get("/appeals/similar/", {"title": TITLE, "body": BODY, "node": 999999})
    assert missing.status_code == 200 and missing.content.decode().strip() == ""


def test_similar_api(world, ginger):
    pending = make_appeal(world.home, title=TITLE, body=BODY, status=Status.PENDING)
    rows = client_for(world.home.cadre).get(
        f"/api/appeals/similar?title=生姜卖不出去&body=两亩生姜滞销&node_id={world.home.village.pk}").json()
    assert [r["id"] for r in rows] == [ginger.pk]  # pending is not open yet
    assert pending.pk not in [r["id"] for r in rows]
    assert rows[0]["url"].endswith(f"/appeals/{ginger.pk}/") and 0 < rows[0]["score"] <= 1
