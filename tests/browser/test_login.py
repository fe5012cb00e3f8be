import re

import pytest
from playwright.sync_api import expect

from youthlink.core.testing import PASSWORD, build_world

pytestmark = pytest.mark.browser


def test_login_page_is_in_chinese_and_a_cadre_lands_on_home(page, screenshot):
    world = build_world()
    cadre = world.home.cadre

    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page).to_have_title(re.compile("^登录"))
    expect(page.get_by_role("heading", level=1)).to_have_text("登录青联圈")
    expect(page.get_by_label("手机号或用户名")).to_be_focused()
    assert screenshot("login").stat().st_size > 0

    page.get_by_label("手机号或用户名").fill(cadre.mobile)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"你好，{cadre.name}")
    expect(page.get_by_role("heading", name="我的三联")).to_be_visible()
    assert screenshot("home").stat().st_size > 0


def test_wrong_password_stays_on_login_with_a_chinese_error(page):
    world = build_world()

    page.goto("/accounts/login/")
    page.get_by_label("手机号或用户名").fill(world.home.cadre.mobile)
    page.get_by_label("密码").fill("not-the-password")
    page.get_by_role("button", name="登录").click()

    expect(page.get_by_text("手机号/用户名或密码不正确")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_language_switch_shows_the_login_page_in_english(page):
    page.goto("/accounts/login/")
    page.get_by_role("button", name="EN").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in to Youthlink")
    expect(page.get_by_label("Mobile number or username")).to_be_visible()
    page.get_by_role("button", name="中文").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("登录青联圈")
