import pytest
from axes.models import AccessAttempt
from django.conf import settings

from youthlink.core.testing import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, username, password, ip="10.0.0.1"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_login_by_mobile_as_typed(client, world):
    mobile = world.home.cadre.mobile
    typed = f"+86 {mobile[:3]}-{mobile[3:7]}-{mobile[7:]}"
    response = login(client, typed, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.home.cadre.pk)


def test_login_by_username(client, world):
    response = login(client, world.home.admin.username.upper(), PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.home.admin.pk)


def test_wrong_password_shows_a_chinese_error(client, world):
    response = login(client, world.home.cadre.mobile, "wrong-password")
    assert response.status_code == 200
    assert "手机号/用户名或密码不正确" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_user_and_ip(client, world, settings):
    mobile = world.home.cadre.mobile
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, mobile, "wrong", ip="10.0.0.9")
    locked = login(client, mobile, PASSWORD, ip="10.0.0.9")
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    # The same account from the cadre's own phone (another IP) still works: nobody can lock others out.
    assert login(client, mobile, PASSWORD, ip="10.0.0.10").status_code == 302
    # And another account from the attacker's IP is not locked either.
    client.logout()
    assert login(client, world.home.admin.mobile, PASSWORD, ip="10.0.0.9").status_code == 302
    assert AccessAttempt.objects.filter(ip_address="10.0.0.9", username=mobile).count() == 1


def test_lockout_has_a_cool_off_and_argon2_is_the_hasher():
    from config.settings import base
    assert base.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert base.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert settings.AUTH_USER_MODEL == "accounts.User"


def test_logout_needs_post(client, world):
    client.force_login(world.home.cadre)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session
