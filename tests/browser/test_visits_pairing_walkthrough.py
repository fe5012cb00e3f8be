"""Issue 3 as cadres meet it on a phone: an evening talk logged with two young people, a photo and a
problem raised; the township's month view counting that evening; a secretary pairing a helper with a
young person in difficulty and opening the contact card, whose PDF renders."""
import datetime as dt
import io
import re
import subprocess
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from playwright.sync_api import expect

from youthlink.core.testing import build_world

from .helpers import log_in

pytestmark = pytest.mark.browser

SHANGHAI = ZoneInfo("Asia/Shanghai")


def pick(page, search_id: str, typed: str, name: str):
    page.fill(search_id, typed)
    page.locator(f"button.pick[data-label='{name}']").click()
    expect(page.locator(".chip", has_text=name)).to_be_visible()


def test_evening_talk_month_view_and_pairing_card(page, browser, live_server, screenshot, tmp_path):
    world = build_world()
    home = world.home
    # Yesterday at 19:30 in the county: an evening, and never in the future.
    evening = (dt.datetime.now(SHANGHAI) - dt.timedelta(days=1)).replace(hour=19, minute=30, second=0, microsecond=0)
    photo = tmp_path / "talk.jpg"
    Image.new("RGB", (1200, 900), (200, 60, 60)).save(photo, "JPEG")

    log_in(page, home.cadre)
    page.goto("/visits/new/")
    page.locator("label", has_text="访谈夜").first.click()
    page.fill("#id_visited_at", evening.strftime("%Y-%m-%dT%H:%M"))
    page.select_option("#id_place", str(home.township.pk))
    pick(page, "#pick-people-q", "sxx", "单雄信")          # pinyin initials
    pick(page, "#pick-people-q", "taishun", "泰顺青年")     # full pinyin prefix
    page.fill("#id_problems", "希望镇里开办电商直播培训")
    page.set_input_files("#id_photos", str(photo))
    screenshot("1-visit-form")
    page.click("#visit-form button[type=submit]")

    expect(page).to_have_url(re.compile(r"/visits/\d+/$"))
    main = page.locator("main")
    expect(main).to_contain_text("访谈夜")
    expect(main).to_contain_text("单雄信")
    expect(main).to_contain_text("泰顺青年")
    expect(main).to_contain_text("希望镇里开办电商直播培训")
    expect(page.locator("main img").first).to_be_visible()
    screenshot("2-visit-detail")

    month = evening.strftime("%Y-%m")
    page.goto(f"/visits/month/{home.township.pk}/?month={month}")
    expect(page.locator("#own-row .score")).to_contain_text("1")
    screenshot("3-month-view")

    secretary = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 812},
                                    is_mobile=True, has_touch=True, locale="zh-CN")
    sec_page = secretary.new_page()
    log_in(sec_page, home.secretary)
    sec_page.goto(f"/pairing/new/?person={home.person.pk}")
    sec_page.select_option("#id_helper", str(home.cadre.pk))
    sec_page.click("form.card button[type=submit]")
    expect(sec_page.locator(".msg")).to_contain_text("已结对")
    sec_page.click("text=联系卡")
    expect(sec_page).to_have_url(re.compile(r"/pairing/\d+/card/$"))
    card = sec_page.locator("body")
    expect(card).to_contain_text("单雄信")
    expect(card).to_contain_text(home.cadre.name)
    expect(card).not_to_contain_text(home.person.id_number)
    sec_page.screenshot(path=str(tmp_path / "4-card.png"), full_page=True)
    pdf_url = sec_page.url.rstrip("/") + ".pdf"
    response = secretary.request.get(pdf_url)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "card.pdf"
    pdf.write_bytes(response.body())
    secretary.close()
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(pdf), str(tmp_path / "card")], check=True)
    image = Image.open(tmp_path / "card.png").convert("L")
    assert image.size[0] > 200 and image.getextrema()[0] < 128  # a real page with dark print on it
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    assert "单雄信" in text and home.cadre.name in text
