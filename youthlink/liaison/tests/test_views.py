import datetime as dt

import pytest

from youthlink.liaison import services
from youthlink.liaison.models import Binding
from youthlink.people.models import YoungPerson

pytestmark = pytest.mark.django_db


def test_cadre_invite_page_shows_a_qr_code_for_the_personal_link(client, world):
    client.force_login(world.home.cadre)
    response = client.get("/invite/")
    invite = services.invite_get_or_create(cadre=world.home.cadre)
    body = response.content.decode()
    assert response.status_code == 200
    assert f"/j/{invite.token}/" in body
    assert "<svg" in body and "<path" in body


def test_non_cadre_has_no_invite(client, world):
    client.force_login(world.home.secretary)
    assert client.get("/invite/").status_code == 404


def test_join_through_the_page_logs_in_and_binds(client, world):
    invite = services.invite_get_or_create(cadre=world.home.cadre)
    response = client.post(f"/j/{invite.token}/", {
        "birth_date": "2002-02-02", "name": "周游", "gender": "M", "mobile": "135 0000 2222",
        "password": "Qingnian-2026", "agree_privacy": "on"})
    assert response.status_code == 302
    person = YoungPerson.objects.get(name="周游")
    assert client.session["_auth_user_id"] == str(person.user_id)
    assert Binding.objects.filter(cadre=world.home.cadre, person=person).count() == 1
    client.force_login(world.home.cadre)
    assert "周游" in client.get(f"/cadres/{world.home.cadre.pk}/").content.decode()


def test_join_errors_are_in_chinese_and_nothing_is_saved(client, world):
    invite = services.invite_get_or_create(cadre=world.home.cadre)
    young = (dt.date.today() - dt.timedelta(days=365 * 10)).isoformat()
    before = YoungPerson.objects.count()
    response = client.post(f"/j/{invite.token}/", {"birth_date": young, "name": "小朋友", "gender": "F",
                                                    "mobile": "12345", "password": "Qingnian-2026"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "手机号码应为11位，以1开头" in body
    assert YoungPerson.objects.count() == before


def test_unknown_invite_token_is_404(client, world):
    assert client.get("/j/not-a-token/").status_code == 404


def test_reveal_through_the_page_returns_the_value_once_and_audits(client, world):
    from youthlink.audit.models import AuditEvent
    client.force_login(world.home.admin)
    person = world.home.person
    page = client.get(f"/people/{person.pk}/").content.decode()
    assert "138****8000" in page and "13800138000" not in page
    assert person.id_number not in page and "进行性肌营养不良" not in page
    response = client.post(f"/people/{person.pk}/reveal/id_number/", {"reason": "核实救助申请"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert person.id_number in response.content.decode()
    assert AuditEvent.objects.filter(field="id_number", reason="核实救助申请", actor_id=world.home.admin.pk).count() == 1


def test_reveal_page_refuses_roles_without_the_right(client, world):
    from youthlink.audit.models import AuditEvent
    client.force_login(world.home.cadre)
    response = client.post(f"/people/{world.home.person.pk}/reveal/id_number/", {"reason": "核实救助申请"})
    assert response.status_code == 403
    assert "无权操作" in response.content.decode()
    assert AuditEvent.objects.filter(action="reveal").count() == 0


def test_cadre_adds_a_young_person_as_friend_from_the_record_page_once(client, world):
    client.force_login(world.home.cadre)
    url = f"/people/{world.home.person.pk}/bind/"
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    assert Binding.objects.filter(cadre=world.home.cadre, person=world.home.person, source="manual").count() == 1


def test_cadre_cannot_bind_someone_in_another_county(client, world):
    client.force_login(world.home.cadre)
    assert client.post(f"/people/{world.other.person.pk}/bind/").status_code == 404
    assert client.post(f"/api/people/{world.other.person.pk}/bind").status_code == 404
    assert Binding.objects.count() == 0


def test_api_bind_and_social_orgs(client, world):
    client.force_login(world.home.cadre)
    response = client.post(f"/api/people/{world.home.youth.pk}/bind")
    assert response.status_code == 201
    assert response.json()["source"] == "manual"
    client.force_login(world.home.secretary)
    response = client.post(f"/api/nodes/{world.home.township.pk}/social-orgs", {"name": "返乡青年联谊会"},
                           content_type="application/json")
    assert response.status_code == 201
    names = [o["name"] for o in client.get(f"/api/nodes/{world.home.township.pk}/social-orgs").json()]
    assert names == ["泰顺义工协会", "返乡青年联谊会"]
