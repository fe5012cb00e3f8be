"""Steps every browser walkthrough takes."""
from playwright.sync_api import expect

from youthlink.core.testing import PASSWORD


def log_in(page, user):
    """Log in on the login page as a user would, with their mobile number; lands on the home page."""
    page.goto("/accounts/login/")
    page.fill("#id_username", user.mobile)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_contain_text("你好")


def log_out(page):
    page.locator("form[action='/accounts/logout/'] button").click()
