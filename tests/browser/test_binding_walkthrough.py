"""青年之友 binding as a new user meets it, on phone-sized screens in headless Chromium:
a cadre shows their invite QR page; a young person opens the invite link in another browser,
registers and consents; the cadre then finds that young person among their friends."""
import datetime as dt

import pytest
from playwright.sync_api import expect

from youthlink.core.testing import PASSWORD, build_world

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True, "locale": "zh-CN",
         "device_scale_factor": 2}


def test_young_person_scans_registers_consents_and_appears_in_the_cadres_list(browser, page, live_server, screenshot, tmp_path):
    """The cadre uses the shared `page` fixture; the young person a second, separate browser context."""
    world = build_world()
    cadre = world.home.cadre

    cadre_page = page
    cadre_page.goto("/accounts/login/")
    expect(cadre_page.locator("h1")).to_have_text("登录青联圈")
    cadre_page.fill("#id_username", cadre.mobile)
    cadre_page.fill("#id_password", PASSWORD)
    cadre_page.click("button[type=submit]")
    cadre_page.click("text=出示我的二维码")
    expect(cadre_page.locator(".qr svg")).to_be_visible()
    invite_url = cadre_page.locator("#invite-link").get_attribute("href")
    assert "/j/" in invite_url
    screenshot("1-cadre-invite")

    youth_context = browser.new_context(**PHONE)
    youth_page = youth_context.new_page()
    youth_page.goto(invite_url)
    expect(youth_page.locator("h1")).to_contain_text(f"成为{cadre.name}的青年之友")
    # A child's birth date brings up the guardian's part first.
    child = dt.date.today().replace(year=dt.date.today().year - 10, day=1)
    youth_page.fill("#id_birth_date", child.isoformat())
    expect(youth_page.locator("#guardian")).to_be_visible()
    youth_page.fill("#id_birth_date", "2003-05-04")
    expect(youth_page.locator("#guardian")).to_be_hidden()
    youth_page.fill("#id_name", "林小夏")
    youth_page.select_option("#id_gender", "F")
    youth_page.fill("#id_mobile", "+86 135-7000-1234")
    youth_page.fill("#id_password", "Qingnian-2026")
    youth_page.screenshot(path=str(tmp_path / "2-youth-form.png"), full_page=True)
    youth_page.click("button[type=submit]")
    # Forgot the consent: a clear message, nothing saved.
    expect(youth_page.locator(".errorlist")).to_contain_text("请阅读并同意隐私告知")
    youth_page.fill("#id_password", "Qingnian-2026")
    youth_page.check("#id_agree_privacy")
    youth_page.click("button[type=submit]")
    expect(youth_page.locator(".msg")).to_contain_text(f"注册成功，已成为{cadre.name}的青年之友")
    expect(youth_page.locator("main")).to_contain_text(cadre.name)
    youth_page.screenshot(path=str(tmp_path / "3-youth-home.png"), full_page=True)

    youth_context.close()
    cadre_page.goto(f"/cadres/{cadre.pk}/")
    expect(cadre_page.locator("#bound-list")).to_contain_text("林小夏")
    expect(cadre_page.locator("#bound-list")).to_contain_text("135****1234")
    expect(cadre_page.locator("#bound-count")).to_have_text("1")
    screenshot("4-cadre-friends")
    # The page fits a phone: nothing wider than the screen.
    assert cadre_page.evaluate("document.documentElement.scrollWidth") <= 375
