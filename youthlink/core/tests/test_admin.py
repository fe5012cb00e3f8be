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


def test_superuser_adds_a_node_under_a_township_and_its_path_is_kept(client, world):
    from youthlink.accounts.services import user_create
    from youthlink.orgs.models import Node
    root = user_create(name="超级管理员", password="x-Admin-2026", username="root", is_superuser=True)
    client.force_login(root)
    response = client.post("/admin/orgs/node/add/", {"name": "新村", "kind": "village", "parent": world.home.township.pk,
                                                     "admin_code": "330329101299"})
    assert response.status_code == 302
    node = Node.objects.get(name="新村")
    assert node.path == f"{world.home.township.path}{node.pk:09d}"
    assert node.depth == 3
    assert world.home.county.subtree_q() and Node.objects.filter(world.home.county.subtree_q(), pk=node.pk).exists()
