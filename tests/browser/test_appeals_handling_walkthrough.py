"""Handling a request on a phone (听结办): the township secretary sees the deadline on the request,
opens the suggested resource partners with their reasons and refers the request to a mentor; the
cadre who took it on records the result with a photo; the young person confirms it solved and
gives five stars."""
import datetime as dt
import re

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from youthlink.appeals.deadlines import add_working_days
from youthlink.appeals.models import Appeal, Category, Source, Status
from youthlink.core.testing import build_world, make_person

from .helpers import log_in, log_out

pytestmark = pytest.mark.browser


def test_refer_resolve_with_a_photo_and_confirm_with_five_stars(page, screenshot, tmp_path):
    world = build_world()
    home = world.home
    make_person(home.township, "季导师", tags=["mentor"])
    category = Category.objects.get(county=None, key="entrepreneurship")
    published = timezone.now() - dt.timedelta(days=1)
    appeal = Appeal.objects.create(
        kind="request", source=Source.SELF, category=category, title="想学茶叶电商，缺少技术指导",
        body="家里种了十亩茶叶，想在网上卖，但不会开网店。", node=home.village, node_path=home.village.path,
        handling_node=home.township, person=home.youth, submitted_by=home.youth_user, status=Status.IN_PROGRESS,
        is_public=True, public_title="想学茶叶电商，缺少技术指导", public_body="想学习网店运营。",
        reviewed_by=home.secretary, reviewed_at=published, published_at=published, handler=home.cadre,
        claimed_at=published, first_response_at=published,
        response_due_at=add_working_days(published, 1), resolve_due_at=add_working_days(published, 5))
    photo = tmp_path / "result.jpg"
    Image.new("RGB", (1200, 900), (40, 140, 80)).save(photo, "JPEG")

    log_in(page, home.secretary)
    page.goto(f"/appeals/{appeal.pk}/")
    panel = page.locator("#handling")
    expect(panel.locator(".pill").first).to_contain_text("办结期限")
    screenshot("1-panel")
    panel.get_by_role("link", name="对接资源").click()
    first = page.locator("li.suggestion").first
    expect(first).to_contain_text("单雄信")
    expect(first).to_contain_text("农业界青联委员，对口创业类别")
    mentor = page.locator("li.suggestion", has_text="季导师")
    expect(mentor).to_contain_text("创业导师，对口创业类别")
    screenshot("2-partners")
    mentor.locator("textarea").fill("请指导开网店")
    mentor.get_by_role("button", name="转交").click()
    expect(page).to_have_url(re.compile(rf"/appeals/{appeal.pk}/$"))
    expect(page.locator("#handling")).to_contain_text("推荐理由：创业导师，对口创业类别")
    log_out(page)

    log_in(page, home.cadre)
    page.goto(f"/appeals/{appeal.pk}/resolve/")
    page.fill("#id_body", "安排参加县电商培训班，季导师上门指导，网店已开通。")
    page.set_input_files("#id_photos", str(photo))
    screenshot("3-resolve")
    page.get_by_role("button", name="确认办结").click()
    expect(page).to_have_url(re.compile(rf"/appeals/{appeal.pk}/$"))
    expect(page.locator("#handling .photos img")).to_have_count(1)
    log_out(page)

    log_in(page, home.youth_user)
    page.goto(f"/appeals/{appeal.pk}/")
    page.get_by_role("link", name="确认是否解决并评价").click()
    expect(page.locator("main")).to_contain_text("网店已开通")
    page.locator(".choice label", has_text="已解决").click()
    page.locator(".stars label").nth(4).click()
    page.fill("#id_comment", "很及时，谢谢！")
    screenshot("4-confirm")
    page.get_by_role("button", name="提交").click()
    expect(page).to_have_url(re.compile(rf"/appeals/{appeal.pk}/$"))
    expect(page.locator("#handling")).to_contain_text("★★★★★")
    screenshot("5-solved")
    appeal.refresh_from_db()
    assert (appeal.status, appeal.rating, appeal.rating_comment) == (Status.SOLVED, 5, "很及时，谢谢！")
