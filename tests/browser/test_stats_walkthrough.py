"""Issue "dashboards and reports from village to city" as the city's League committee meets it: the
demo city admin opens the city dashboard (figures and charts), drills the visits figure down from the
city to a county, a township and the records behind it, and opens one visit; on a desktop and on a
375 px phone."""
import pytest
from playwright.sync_api import expect

from youthlink.core import demo
from youthlink.orgs.models import Node
from youthlink.stats import engine


pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE_WIDTH = 375


def log_in_demo(page, mobile: str):
    """The demo's logins have the demo password, not the tests' (tests/browser/helpers.log_in)."""
    page.goto("/accounts/login/")
    page.fill("#id_username", mobile)
    page.fill("#id_password", demo.DEMO_PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_contain_text("你好")


def canvas_painted(page, selector: str) -> bool:
    """Whether the chart's canvas exists and has a pixel that is not transparent."""
    return page.evaluate("""(selector) => {
        const canvas = document.querySelector(selector + ' canvas');
        if (!canvas || !canvas.width || !canvas.height) return false;
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return true;
        return false;
    }""", selector)


@pytest.fixture
def demo_city(transactional_db):
    demo.build_demo()
    engine.rebuild()
    return demo._user_by_mobile(demo.FEATURED_MOBILES["city_admin"])


@pytest.mark.parametrize("width", [DESKTOP["width"], PHONE_WIDTH], ids=["desktop", "phone"])
def test_city_admin_drills_from_the_city_to_a_visit(page, demo_city, screenshot, width):
    if width != PHONE_WIDTH:
        page.set_viewport_size(DESKTOP)
    log_in_demo(page, demo.FEATURED_MOBILES["city_admin"])
    page.goto("/stats/")
    expect(page.locator("h1")).to_contain_text("丽水市")
    cards = page.locator("#figure-cards .figure-card")
    expect(cards.first).to_be_visible()
    for chart in ("#chart-trend", "#chart-ranking"):
        page.locator(chart).scroll_into_view_if_needed()
        assert canvas_painted(page, chart), f"{chart} drew nothing"
    screenshot(f"city-dashboard-{width}")

    # A township's dashboard ranks its cadres, loaded after the page.
    township_id = Node.objects.get(admin_code="331125100000").pk  # 崇头镇
    page.goto(f"/stats/?node={township_id}")
    expect(page.locator("#chart-cadres canvas")).to_be_attached()
    page.locator("#chart-cadres").scroll_into_view_if_needed()
    assert canvas_painted(page, "#chart-cadres"), "#chart-cadres drew nothing"
    expect(page.locator("#cadres-table tbody tr").first).to_be_visible()
    screenshot(f"township-dashboard-{width}")
    page.goto("/stats/")

    visits = page.locator("#figure-cards .figure-card[data-key='visits.visits']")
    city_total = visits.locator(".num").inner_text()
    visits.click()
    expect(page.locator("h1")).to_contain_text("走访")
    expect(page.locator("#figure-total .num")).to_contain_text(city_total.replace("次", "").strip())
    county = page.locator("#children tbody tr").first
    county_name = county.locator("th a").inner_text()
    county.locator("th a").click()
    expect(page.locator("h1")).to_contain_text(county_name)
    screenshot(f"county-figure-{width}")
    township = page.locator("#children tbody tr", has_text="乡镇").first
    township_name = township.locator("th a").inner_text()
    township.locator("th a").click()
    expect(page.locator("h1")).to_contain_text(township_name)
    page.locator("#records-link").click()
    expect(page.locator("h1")).to_contain_text("明细记录")
    records = page.locator("#records li a")
    expect(records.first).to_be_visible()
    screenshot(f"township-records-{width}")
    records.first.click()
    assert "/visits/" in page.url
    expect(page.locator("h1")).to_be_visible()
