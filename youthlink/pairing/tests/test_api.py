"""The JSON API of 结对 and 三必到三必访: the same services and selectors as the pages."""
import json

import pytest
import time_machine
from django.test import Client

from youthlink.pairing.models import MustVisitRule, MustVisitTask, Pairing

from .support import NOW, at

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client, url, body, method="post"):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def test_a_secretary_pairs_through_the_api(world):
    home = world.home
    response = post(client_for(home.secretary), "/api/pairing",
                    {"person_id": home.person.pk, "helper_id": home.micro.pk})
    assert response.status_code == 201
    body = response.json()
    pairing = Pairing.objects.get()
    assert body == {
        "id": pairing.pk, "is_active": True, "created_at": body["created_at"], "ended_at": None, "end_reason": "",
        "helper": {"id": home.micro.pk, "name": "泰顺微元素", "role": "micro", "role_label": "微元素",
                   "node_id": home.village.pk, "node_name": "泰顺村", "mobile": home.micro.mobile},
        "person": {"id": home.person.pk, "name": "单雄信", "age": home.person.age, "home_node_id": home.village.pk,
                   "home_node_name": "泰顺村", "mobile_masked": "138****8000"},
        "open_tasks": 0, "overdue_tasks": 0}


def test_pairing_the_same_two_again_answers_422_with_the_reason(world, pairing):
    response = post(client_for(world.home.admin), "/api/pairing",
                    {"person_id": world.home.person.pk, "helper_id": world.home.cadre.pk})
    assert response.status_code == 422
    assert response.json() == {"detail": "输入有误", "errors": {"helper": ["泰顺团干部已与单雄信结对，不能重复结对"]}}
    assert Pairing.objects.count() == 1


def test_a_helper_who_does_not_exist_reads_like_one_from_elsewhere(world):
    client = client_for(world.home.secretary)
    missing = post(client, "/api/pairing", {"person_id": world.home.person.pk, "helper_id": 999999})
    elsewhere = post(client, "/api/pairing", {"person_id": world.home.person.pk, "helper_id": world.other.cadre.pk})
    assert (missing.status_code, elsewhere.status_code) == (422, 422)
    assert missing.json() == elsewhere.json() == {"detail": "输入有误",
                                                  "errors": {"helper": ["结对人须为单雄信所在地（泰顺村）的团干部或微元素"]}}


def test_a_cadre_cannot_create_a_pairing_through_the_api(world):
    response = post(client_for(world.home.cadre), "/api/pairing",
                    {"person_id": world.home.person.pk, "helper_id": world.home.micro.pk})
    assert (response.status_code, response.json()) == (403, {"detail": "无权执行此操作"})
    assert Pairing.objects.count() == 0


def test_events_tasks_and_the_detail_through_the_api(world, pairing):
    home = world.home
    cadre = client_for(home.cadre)
    with time_machine.travel(NOW, tick=False):
        response = post(cadre, f"/api/pairing/{pairing.pk}/events", {"event_type": "bereavement", "note": "祖母去世"})
    assert response.status_code == 201
    event = response.json()
    task = MustVisitTask.objects.get()
    assert event == {
        "id": task.event_id, "person_id": home.person.pk, "event_type": "bereavement", "event_label": "家庭丧事",
        "occurred_at": "2026-11-16T01:00:00Z", "deadline_days": 3, "note": "祖母去世",
        "recorded_by_id": home.cadre.pk,
        "tasks": [{"id": task.pk, "pairing_id": pairing.pk, "event_id": task.event_id, "event_type": "bereavement",
                   "event_label": "家庭丧事", "occurred_at": "2026-11-16T01:00:00Z", "helper_id": home.cadre.pk,
                   "helper_name": "泰顺团干部", "person_id": home.person.pk, "person_name": "单雄信",
                   "due_at": "2026-11-19T01:00:00Z", "status": "open", "is_overdue": False, "escalated_at": None,
                   "closed_at": None, "visit_id": None}]}

    with time_machine.travel(at(2026, 11, 20, 9, 0), tick=False):
        mine = cadre.get("/api/pairing/tasks").json()
        overdue = client_for(home.secretary).get("/api/pairing/tasks/overdue").json()
        other_overdue = client_for(world.other.secretary).get("/api/pairing/tasks/overdue").json()
        detail = cadre.get(f"/api/pairing/{pairing.pk}").json()
        listed = client_for(home.secretary).get("/api/pairing").json()
    assert [(t["id"], t["is_overdue"]) for t in mine] == [(task.pk, True)]
    assert [t["id"] for t in overdue] == [task.pk]
    assert other_overdue == []
    assert (detail["open_tasks"], detail["overdue_tasks"], [e["id"] for e in detail["events"]]) == (
        1, 1, [task.event_id])
    assert [(p["id"], p["overdue_tasks"]) for p in listed] == [(pairing.pk, 1)]


def test_a_bad_event_type_answers_422(world, pairing):
    response = post(client_for(world.home.cadre), f"/api/pairing/{pairing.pk}/events", {"event_type": "birthday"})
    assert (response.status_code, response.json()) == (
        422, {"detail": "输入有误", "errors": {"event_type": ["未知的事项类型"]}})
    assert MustVisitTask.objects.count() == 0


def test_ending_through_the_api(world, pairing):
    response = post(client_for(world.home.secretary), f"/api/pairing/{pairing.pk}/end", {"reason": "已脱困"})
    assert response.status_code == 200
    assert (response.json()["is_active"], response.json()["end_reason"]) == (False, "已脱困")
    again = post(client_for(world.home.secretary), f"/api/pairing/{pairing.pk}/end", {})
    assert (again.status_code, again.json()) == (422, {"detail": "输入有误", "errors": {"__all__": ["该结对已解除"]}})
    assert client_for(world.home.secretary).get("/api/pairing").json() == []
    assert [p["id"] for p in client_for(world.home.secretary).get("/api/pairing?active=false").json()] == [pairing.pk]


def test_the_county_admin_reads_and_sets_the_rules(world):
    client = client_for(world.home.admin)
    url = f"/api/pairing/rules/{world.home.county.pk}"
    assert client.get(url).json()["rules"][3] == {
        "event_type": "exam", "label": "重要考试", "deadline_days": 7, "enabled": True, "is_default": True}
    response = post(client, url, {"rules": [{"event_type": "exam", "deadline_days": 4, "enabled": False}]}, "put")
    assert response.status_code == 200
    assert (response.json()["county_name"], response.json()["rules"][3]) == ("泰顺县", {
        "event_type": "exam", "label": "重要考试", "deadline_days": 4, "enabled": False, "is_default": False})
    bad = post(client, url, {"rules": [{"event_type": "exam", "deadline_days": 90}]}, "put")
    assert (bad.status_code, bad.json()["errors"]) == (422, {"exam": ["走访时限应为1至60天"]})
    assert list(MustVisitRule.objects.values_list("event_type", "deadline_days", "is_enabled")) == [("exam", 4, False)]


def test_the_rules_of_another_county_are_not_found(world):
    client = client_for(world.other.admin)
    assert client.get(f"/api/pairing/rules/{world.home.county.pk}").status_code == 404
    assert client.get(f"/api/pairing/rules/{world.home.township.pk}").status_code == 404  # not a county
    assert client.get(f"/api/pairing/rules/{world.other.county.pk}").status_code == 200


def test_the_api_is_in_the_openapi_schema():
    paths = Client().get("/api/openapi.json").json()["paths"]
    assert sorted(p for p in paths if p.startswith("/api/pairing")) == [
        "/api/pairing", "/api/pairing/rules/{county_id}", "/api/pairing/tasks", "/api/pairing/tasks/overdue",
        "/api/pairing/{pairing_id}", "/api/pairing/{pairing_id}/card.pdf", "/api/pairing/{pairing_id}/end",
        "/api/pairing/{pairing_id}/events"]
    assert "application/pdf" in paths["/api/pairing/{pairing_id}/card.pdf"]["get"]["responses"]["200"]["content"]
