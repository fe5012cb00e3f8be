"""听结办 end to end on a phone, as four new users would walk it: a micro-element (微元素) records a need
collected from their WeChat moments for a young person of their village; the township secretary
reviews it and publishes it with the redacted text; a cadre finds it in the 青联圈 feed and takes it
on, then records what was done; the young person confirms it solved and rates it; every step is on
the request's timeline."""
import re

import pytest
from playwright.sync_api import expect

from youthlink.appeals.models import Appeal, Status
from youthlink.core.testing import build_world

from .helpers import log_in, log_out

pytestmark = pytest.mark.browser

PHONE_NUMBER = "13912345678"


def test_collected_need_reviewed_published_claimed_solved_and_rated(page, screenshot):
    world = build_world()
    home = world.home
    youth_name = home.youth.name  # 泰顺青年

    # 1. the micro-element records what they saw in their WeChat moments
    log_in(page, home.micro)
    page.locator("nav.nav").get_by_role("link", name="青联圈").click()
    page.get_by_role("link", name="我要提诉求").click()
    page.select_option("#id_category", label="创业")
    page.select_option("#id_collected_from", label="微信朋友圈")
    page.fill("#id_subject_mobile", home.youth.mobile)
    page.fill("#id_title", "生姜滞销，求销路")
    page.fill("#id_body", f"{youth_name}家种的两亩生姜卖不出去，电话{PHONE_NUMBER}，希望帮忙联系电商或食堂")
    page.check("#id_consent_to_publish")
    page.fill("#id_consent_note", "本人微信同意")
    screenshot("1-collect")
    page.get_by_role("button", name="提交").click()
    expect(page.locator(".msg")).to_contain_text("已提交，等待乡镇（村）团组织审核")
    expect(page.locator(".pill").first).to_have_text("待审核")
    appeal = Appeal.objects.get()
    log_out(page)

    # 2. the secretary reviews: the preview is already redacted; publishes it
    log_in(page, home.secretary)
    page.locator("a.stat", has_text="待我审核").click()
    expect(page.locator("h1")).to_contain_text("待审核诉求")
    page.get_by_role("link", name="审核").first.click()
    expect(page.locator(".original")).to_contain_text(PHONE_NUMBER)
    public_body = page.locator("#id_public_body")
    expect(public_body).to_have_value("泰某某家种的两亩生姜卖不出去，电话139****5678，希望帮忙联系电商或食堂")
    screenshot("2-review")
    page.get_by_role("button", name="发布到青联圈").click()
    expect(page.locator(".msg")).to_contain_text("已发布到青联圈")
    log_out(page)

    # 3. a cadre finds it in the feed and takes it on
    log_in(page, home.cadre)
    page.locator("nav.nav").get_by_role("link", name="青联圈").click()
    card = page.locator(".feed li", has_text="生姜滞销，求销路")
    expect(card).to_contain_text("139****5678")
    expect(card).not_to_contain_text(PHONE_NUMBER)
    expect(card).not_to_contain_text(youth_name)
    screenshot("3-feed")
    card.get_by_role("link", name="生姜滞销，求销路").click()
    page.get_by_role("button", name="我来认领").click()
    expect(page.locator(".msg")).to_contain_text("已认领，请尽快联系当事人")
    page.locator("#handling").get_by_role("link", name="办结").click()
    page.fill("#id_body", "联系了县电商服务中心，生姜已在线上店铺上架，卖出三百斤。")
    page.get_by_role("button", name="确认办结").click()
    expect(page).to_have_url(re.compile(rf"/appeals/{appeal.pk}/$"))
    log_out(page)

    # 4. the young person confirms and rates
    log_in(page, home.youth_user)
    page.goto("/notifications/")
    expect(page.locator("main")).to_contain_text("生姜滞销，求销路")
    page.goto(f"/appeals/{appeal.pk}/")
    page.get_by_role("link", name="确认是否解决并评价").click()
    expect(page.locator("main")).to_contain_text("卖出三百斤")
    page.locator(".choice label", has_text="已解决").click()
    page.locator(".stars label").nth(4).click()
    page.fill("#id_comment", "第二天就有人联系了，谢谢！")
    screenshot("4-confirm")
    page.get_by_role("button", name="提交").click()
    expect(page.locator("#handling")).to_contain_text("★★★★★")
    log_out(page)

    # 5. the timeline shows every step, who and when
    log_in(page, home.secretary)
    page.goto(f"/appeals/{appeal.pk}/")
    steps = page.locator(".timeline li")
    expect(steps).to_have_count(5)
    for i, text in enumerate((f"{home.micro.display_name} · 提交诉求", f"{home.secretary.display_name} · 审核发布",
                              f"{home.cadre.display_name} · 认领诉求", f"{home.cadre.display_name} · 办结",
                              f"{home.youth_user.display_name} · 确认解决并评价")):
        expect(steps.nth(i)).to_contain_text(text)
    screenshot("5-timeline")
    appeal.refresh_from_db()
    assert (appeal.status, appeal.rating, appeal.person, appeal.handler) == (Status.SOLVED, 5, home.youth, home.cadre)
