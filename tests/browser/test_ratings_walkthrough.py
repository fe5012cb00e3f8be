"""Issue 5 (ratings and surveys) on a phone: a young person bound to a cadre rates them, a second
rating in the same quarter is refused, the cadre sees the average and the comment without the
name, and the young person answers the county's satisfaction survey through its link."""
import datetime as dt
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from youthlink.core.testing import build_world
from youthlink.liaison.services import binding_join_existing, invite_get_or_create
from youthlink.ratings.models import CadreRating, SurveyResponse
from youthlink.ratings.periods import local_today
from youthlink.ratings.services import survey_create

from .conftest import PHONE

from .helpers import log_in

pytestmark = pytest.mark.browser


def _shot(page, tmp_path, name: str) -> None:
    """A screenshot of a second browser context's page (the fixture takes the main page's)."""
    page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)
    if os.environ.get("SCREENSHOT_DIR"):
        Path(os.environ["SCREENSHOT_DIR"]).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(os.environ["SCREENSHOT_DIR"]) / f"ratings-{name}.png"), full_page=True)


def test_rate_a_cadre_once_a_quarter_and_answer_a_survey(page, browser, live_server, screenshot, tmp_path):
    world = build_world()
    home = world.home
    binding_join_existing(user=home.youth_user, invite=invite_get_or_create(cadre=home.cadre))
    today = local_today()
    survey = survey_create(actor=home.admin, county=home.county, title="青年满意度测评", starts_on=today,
                           ends_on=today + dt.timedelta(days=14),
                           questions=["团干部联系您是否及时", "您对团干部工作的总体满意度"])

    log_in(page, home.youth_user)
    expect(page.locator("#home-ratings")).to_contain_text("有 1 位团干部本季度还没有评价")
    screenshot("1-home")
    page.locator("nav a", has_text="评价团干部").click()
    expect(page.locator("#rateable")).to_contain_text(home.cadre.name)
    page.locator(f"#rateable li[data-cadre='{home.cadre.pk}'] a", has_text="评价").click()
    expect(page).to_have_url(re.compile(rf"/ratings/cadres/{home.cadre.pk}/rate/$"))
    page.locator("#rate-form .scores label:has(input[value='4'])").click()
    page.fill("#id_comment", "上门走访很用心，帮我联系了电商培训")
    screenshot("2-rate-form")
    page.click("#rate-form button[type=submit]")
    expect(page.locator(".msg")).to_contain_text("感谢您的评价")
    expect(page.locator("#rateable")).to_contain_text("本季度已评价（4 分）")
    screenshot("3-rated")

    # A second rating in the same quarter: the form says so, and the server refuses it.
    page.goto(f"/ratings/cadres/{home.cadre.pk}/rate/")
    expect(page.locator("#already-rated")).to_be_visible()
    page.locator("#rate-form .scores label:has(input[value='1'])").click()
    page.click("#rate-form button[type=submit]")
    expect(page.locator(".errorlist")).to_contain_text("本季度您已评价过这位团干部")
    screenshot("4-second-refused")
    assert list(CadreRating.objects.values_list("score", flat=True)) == [4]

    # The survey, through the link the county shares.
    page.goto(f"/ratings/s/{survey.token}/")
    expect(page.locator("h1")).to_have_text("青年满意度测评")
    for question in survey.questions.all():
        page.locator(f"#answer-form .scores label:has(input[name='q{question.pk}'][value='5'])").click()
    page.fill("#id_comment", "希望多组织青年技能培训")
    screenshot("5-survey")
    page.click("#answer-form button[type=submit]")
    expect(page.locator(".msg")).to_contain_text("提交成功")
    expect(page.locator("#answered")).to_be_visible()
    screenshot("6-survey-done")
    assert SurveyResponse.objects.count() == 1

    # The cadre: the average and the comment, never who wrote it.
    cadre_context = browser.new_context(base_url=live_server.url, **PHONE)
    cadre_page = cadre_context.new_page()
    log_in(cadre_page, home.cadre)
    cadre_page.locator("nav a", has_text="我的评价").click()
    expect(cadre_page.locator("#rating-average")).to_have_text("4.00")
    expect(cadre_page.locator("#rating-comments")).to_contain_text("上门走访很用心，帮我联系了电商培训")
    expect(cadre_page.locator("#cadre-surveys")).to_contain_text("100.0%")
    expect(cadre_page.locator("main")).not_to_contain_text(home.youth_user.name)
    _shot(cadre_page, tmp_path, "7-cadre")
    cadre_context.close()

    # A young person of the other county opens the same link: told why, nothing saved.
    other_context = browser.new_context(base_url=live_server.url, **PHONE)
    other_page = other_context.new_page()
    log_in(other_page, world.other.youth_user)
    other_page.goto(f"/ratings/s/{survey.token}/")
    expect(other_page.locator("#refused")).to_contain_text("您不在本次测评的范围内")
    other_context.close()
    assert SurveyResponse.objects.count() == 1
