import pytest

pytestmark = pytest.mark.django_db


def test_admin_pages_render_in_chinese_for_a_superuser_and_hide_sensitive_values(client, world):
    from youthlink.accounts.services import user_create
    root = user_create(name="超级管理员", password="x-Admin-2026", username="root", is_superuser=True)
    client.force_login(root)
    person = world.home.person
    for url in ["/admin/", "/admin/people/youngperson/", f"/admin/people/youngperson/{person.pk}/change/",
                "/admin/audit/auditevent/", "/admin/accounts/user/", "/admin/orgs/node/"]:
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(f"/admin/people/youngperson/{person.pk}/change/").content.decode()
    assert "138****8000" in page and "13800138000" not in page and person.id_number not in page
    assert "青联圈 管理后台" in client.get("/admin/").content.decode()


def test_admin_is_closed_to_staff_who_are_not_superusers(client, world):
    client.force_login(world.home.admin)
    assert client.get("/admin/").status_code == 302
