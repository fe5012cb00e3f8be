"""Issue 5 as a cadre and the county meet it on a phone: the cadre checks in on site with the phone's
position, writes the day's diary (the draft survives a reload, and text typed while the server cannot
be reached survives in the phone), adds a photo and submits; the county admin grades and comments from
the review queue; the cadre sees the notification, the grade and the advice, and answers."""
import datetime as dt
import os
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image
from django.utils import timezone
from playwright.sync_api import expect

from youthlink.core.testing import build_world

from .conftest import PHONE

from .helpers import log_in

pytestmark = pytest.mark.browser

VILLAGE = (Decimal("27.550000"), Decimal("119.720000"))


@pytest.fixture
def phone(browser, live_server, transactional_db):
    """A phone that lets the site read its position, about 150 m north of the village's point."""
    context = browser.new_context(base_url=live_server.url, geolocation={"latitude": 27.55135, "longitude": 119.72,
                                                                         "accuracy": 15},
                                  permissions=["geolocation"], **PHONE)
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def test_check_in_write_review_and_see_the_grade(phone, browser, live_server, tmp_path):
    from youthlink.diary.models import DiaryEntry, DiaryPhoto
    from youthlink.diary.services import contact_point_set
    from youthlink.orgs.models import Node
    from youthlink.visits.services import visit_log

    world = build_world()
    home = world.home
    Node.objects.filter(pk=home.village.pk).update(latitude=VILLAGE[0], longitude=VILLAGE[1])
    home.village.refresh_from_db()
    contact_point_set(actor=home.secretary, cadre=home.cadre, cadre_node=home.township, node=home.village)
    visit = visit_log(actor=home.cadre, kind="home", place=home.village, people=[home.person],
                      visited_at=timezone.now() - dt.timedelta(minutes=2))
    page = phone

    def screenshot(name):
        page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)
        if os.environ.get("SCREENSHOT_DIR"):
            Path(os.environ["SCREENSHOT_DIR"]).mkdir(parents=True, exist_ok=True)
            shutil.copy(tmp_path / f"{name}.png", Path(os.environ["SCREENSHOT_DIR"]) / f"diary-{name}.png")
    photo = tmp_path / "river.jpg"
    Image.new("RGB", (2400, 1800), (40, 120, 200)).save(photo, "JPEG")

    log_in(page, home.cadre)
    expect(page.locator("#diary-today")).to_contain_text("今天还没有报到")
    page.locator("#diary-today a", has_text="报到").click()
    expect(page.locator("#location-status")).to_contain_text("已获取位置")
    screenshot("1-check-in")
    page.click("#checkin-submit")
    expect(page).to_have_url(re.compile(r"/diary/checkins/\d+/write/$"))
    expect(page.locator(".msg")).to_contain_text("报到成功：在岗报到")

    # Autosave: the draft is on the server two seconds after typing stops, and a reload restores it.
    page.fill("#id_work_log", "上午到村里走访三户困难家庭")
    expect(page.locator("#draft-status")).to_contain_text("草稿已保存")
    page.reload()
    expect(page.locator("#id_work_log")).to_have_value("上午到村里走访三户困难家庭")

    # No signal: the draft cannot be saved, but the phone keeps the text and a reload brings it back.
    page.route("**/draft/", lambda route: route.abort())
    assert DiaryEntry.objects.get().work_log == "上午到村里走访三户困难家庭"
    page.fill("#id_work_log", "上午到村里走访三户困难家庭，帮一户联系茶叶销路")
    expect(page.locator("#draft-status")).to_contain_text("网络不通，草稿暂存在本机")
    page.unroute("**/draft/")
    page.reload()
    expect(page.locator("#id_work_log")).to_have_value("上午到村里走访三户困难家庭，帮一户联系茶叶销路")
    # Back online: the restored text goes to the server as the draft (two seconds after the load).
    longer = "上午到村里走访三户困难家庭，帮一户联系茶叶销路"
    for _ in range(50):
        if DiaryEntry.objects.get().work_log == longer:
            break
        page.wait_for_timeout(200)
    assert DiaryEntry.objects.get().work_log == longer

    page.fill("#id_reflections", "入户比开会更能听到真话")
    page.locator(".links label", has_text="入户走访").click()  # the day's visit, offered by the visits feature
    page.set_input_files("#id_photos", str(photo))
    screenshot("2-write")
    page.click("#entry-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/diary/\d+/$"))
    expect(page.locator("#work-log")).to_contain_text("帮一户联系茶叶销路")
    expect(page.locator(".photos img")).to_be_visible()
    expect(page.locator(f"main a[href='/visits/{visit.pk}/']")).to_contain_text("入户走访")
    screenshot("3-entry")
    entry = DiaryEntry.objects.get()
    assert (entry.status, entry.checkin.status, entry.checkin.distance_m, DiaryPhoto.objects.count()) == (
        "submitted", "on_site", 150, 1)

    county = browser.new_context(base_url=live_server.url, **PHONE)
    admin_page = county.new_page()
    log_in(admin_page, home.admin)
    admin_page.goto("/diary/queue/")
    expect(admin_page.locator("#queue li")).to_have_count(1)
    admin_page.locator("#queue li a").first.click()
    admin_page.locator("#review-form label", has_text="良好").click()
    admin_page.fill("#id_comment", "内容完整，建议把诉求的办理结果也写进来")
    admin_page.screenshot(path=str(tmp_path / "4-review.png"), full_page=True)
    admin_page.click("#review-form button[type=submit]")
    expect(admin_page.locator(".msg")).to_contain_text("已点评")
    expect(admin_page.locator("main")).to_contain_text("没有待点评的日记")
    county.close()

    page.goto("/notifications/")
    link = page.locator("a", has_text="工作日记已点评：良好")
    expect(link).to_be_visible()
    screenshot("5-notification")
    link.click()
    expect(page.locator("#entry-status")).to_contain_text("良好")
    expect(page.locator(".comments li.review")).to_contain_text("建议把诉求的办理结果也写进来")
    page.fill("#comment-form textarea", "收到，下次补充办理结果")
    page.click("#comment-form button[type=submit]")
    expect(page.locator(".comments li")).to_have_count(2)
    screenshot("6-grade-and-comments")
    page.goto(f"/diary/cadres/{home.cadre.pk}/")
    expect(page.locator("#diary-grades")).to_contain_text("已提交 1 篇，已点评 1 篇")
    screenshot("7-profile")
