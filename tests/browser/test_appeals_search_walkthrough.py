"""Issues 12, 13 and 5 on a phone: a young person searches the feed for 创业 and never sees the name
redaction hid; a micro-element writing the same need again is shown the open request nearby while
typing; the published request's share poster opens as a PNG."""
import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from youthlink.appeals.tests.search_helpers import make_appeal
from youthlink.core.testing import build_world

from .helpers import log_in

pytestmark = pytest.mark.browser


def test_search_similar_requests_and_share_poster(page, context, screenshot):
    world = build_world()
    home = world.home
    ginger = make_appeal(home, title="单雄信家的生姜卖不出去", body="单雄信卧床，奶奶种的两亩生姜卖不出去，希望帮忙联系收购商。",
                         person=home.person, subject_name="单雄信", category_key="assistance")
    make_appeal(home, title="青年创业园入驻咨询", body="我们村几个年轻人想在青年创业园开网店卖茶叶。",
                category_key="entrepreneurship")

    log_in(page, home.youth_user)
    page.goto("/appeals/search/")
    page.fill("input[name=q]", "创业")
    results = page.locator("#search-results")
    expect(results).to_contain_text("青年创业园入驻咨询")
    expect(page).to_have_url(re.compile(r"/appeals/search/\?q=%E5%88%9B%E4%B8%9A$"))
    screenshot("1-search-chuangye")
    page.fill("input[name=q]", "单雄信")
    expect(results).to_contain_text("没有找到")
    page.fill("input[name=q]", "生姜")
    expect(results).to_contain_text("单某某家的生姜卖不出去")
    expect(results).not_to_contain_text("单雄信")

    response = page.request.get(f"/appeals/{ginger.pk}/poster.png")
    assert response.status == 200 and response.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(response.body())).size == (750, 1334)

    page.context.clear_cookies()
    log_in(page, home.micro)
    page.goto("/appeals/new/")
    page.fill("#id_title", "生姜滞销")
    page.fill("#id_body", "村里两亩生姜卖不出去，想找收购商")
    similar = page.locator("#similar-appeals")
    expect(similar).to_contain_text("附近已有相似的诉求")
    expect(similar).to_contain_text("单雄信家的生姜卖不出去")  # they read requests of their village in full
    screenshot("2-form-similar")
