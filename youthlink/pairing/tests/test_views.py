"""The pages: pairing from a form, recording an event, ending, the rules, the task lists and the
home-page partial."""
import pytest
import time_machine
from django.template.loader import render_to_string
from django.test import Client

from youthlink.pairing.models import MustVisitRule, MustVisitTask, Pairing
from youthlink.pairing.selectors import open_tasks_for
from youthlink.pairing.services import must_visit_event_record

from .support import NOW, at

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_the_secretary_pairs_from_the_form_and_lands_on_the_pairing(world):
    client = client_for(world.home.secretary)
    form = client.get(f"/pairing/new/?person={world.home.person.pk}")
    assert form.context["form"].initial == {"person": str(world.home.person.pk)}
    assert [label for _value, label in form.context["form"].fields["helper"].choices] == [
        "请选择", "泰顺团干部 · 团干部 · 泰顺镇", "泰顺微元素 · 微元素 · 泰顺村"]
    response = client.post("/pairing/new/", {"person": world.home.person.pk, "helper": world.home.micro.pk},
                           follow=True)
    pairing = Pairing.objects.get()
    assert response.redirect_chain == [(f"/pairing/{pairing.pk}/", 302)]
    assert messages_of(response) == ["已结对：泰顺微元素 — 单雄信"]


def test_pairing_the_same_two_again_shows_the_reason_on_the_form(world, pairing):
    response = client_for(world.home.secretary).post(
        "/pairing/new/", {"person": world.home.person.pk, "helper": world.home.cadre.pk})
    assert response.status_code == 200
    assert response.context["form"].errors == {"helper": ["泰顺团干部已与单雄信结对，不能重复结对"]}
    assert Pairing.objects.count() == 1


def test_only_young_people_in_difficulty_are_offered(world):
    from youthlink.core.testing import make_person
    make_person(world.home.village, "王小明", tags=["student"])
    form = client_for(world.home.admin).get("/pairing/new/").context["form"]
    assert [p.name for p in form.fields["person"].queryset] == ["单雄信"]


def test_a_helper_records_an_event_from_the_pairing_page(world, pairing):
    client = client_for(world.home.cadre)
    page = client.get(f"/pairing/{pairing.pk}/")
    assert [c[1] for c in page.context["event_form"].fields["event_type"].choices] == [
        "住院（3天内走访）", "家庭丧事（3天内走访）", "重大困难（3天内走访）", "重要考试（7天内走访）",
        "节假日（7天内走访）", "思想波动（5天内走访）"]
    assert (page.context["can_record"], page.context["can_end"]) == (True, False)
    with time_machine.travel(NOW, tick=False):
        response = client.post(f"/pairing/{pairing.pk}/events/",
                               {"event_type": "hospitalised", "occurred_at": "2026-11-15T22:00", "note": "急性阑尾炎"},
                               follow=True)
    assert messages_of(response) == ["已登记“住院”，结对人须在3天内走访"]
    assert list(MustVisitTask.objects.values_list("helper_id", "due_at")) == [(world.home.cadre.pk, at(2026, 11, 18, 22, 0))]


def test_a_bad_event_type_from_the_page_is_refused_with_a_message(world, pairing):
    response = client_for(world.home.cadre).post(f"/pairing/{pairing.pk}/events/", {"event_type": "birthday"},
                                                 follow=True)
    assert messages_of(response) == ["选择一个有效的选项。 birthday 不在可用的选项中。"]
    assert MustVisitTask.objects.count() == 0


def test_the_secretary_ends_the_pairing_from_its_page(world, pairing):
    client = client_for(world.home.secretary)
    assert client.get(f"/pairing/{pairing.pk}/").context["can_end"] is True
    response = client.post(f"/pairing/{pairing.pk}/end/", {"reason": "已脱困"}, follow=True)
    assert messages_of(response) == ["已解除结对"]
    assert Pairing.objects.values_list("is_active", "end_reason").get() == (False, "已脱困")
    again = client.post(f"/pairing/{pairing.pk}/end/", {}, follow=True)
    assert messages_of(again) == ["该结对已解除"]


def test_the_helper_cannot_end_the_pairing(world, pairing):
    assert client_for(world.home.cadre).post(f"/pairing/{pairing.pk}/end/").status_code == 403
    assert Pairing.objects.get().is_active is True


def test_the_county_admin_saves_the_rules_page(world):
    client = client_for(world.home.admin)
    url = f"/pairing/rules/{world.home.county.pk}/"
    data = {f"{t}_days": 3 for t in ("hospitalised", "bereavement", "major_hardship", "exam", "holiday", "distress")}
    data.update({f"{t}_enabled": "on" for t in ("hospitalised", "bereavement", "major_hardship", "exam", "distress")})
    data["exam_days"] = 5
    response = client.post(url, data, follow=True)
    assert messages_of(response) == ["已保存泰顺县的三必到三必访规则"]
    assert sorted(MustVisitRule.objects.values_list("event_type", "deadline_days", "is_enabled")) == [
        ("bereavement", 3, True), ("distress", 3, True), ("exam", 5, True), ("holiday", 3, False),
        ("hospitalised", 3, True), ("major_hardship", 3, True)]
    bad = client.post(url, {**data, "exam_days": 0})
    assert bad.status_code == 200
    assert bad.context["form"].errors == {"exam_days": ["确保该值大于或等于1。"]}


def test_my_tasks_and_the_overdue_list(world, pairing):
    with time_machine.travel(NOW, tick=False):
        must_visit_event_record(actor=world.home.secretary, person=world.home.person, event_type="hospitalised")
    with time_machine.travel(at(2026, 11, 20, 9, 0), tick=False):
        mine = client_for(world.home.cadre).get("/pairing/tasks/")
        overdue = client_for(world.home.secretary).get("/pairing/overdue/")
        other = client_for(world.other.secretary).get("/pairing/overdue/")
        helper_overdue = client_for(world.home.cadre).get("/pairing/overdue/")
    task = MustVisitTask.objects.get()
    assert [t.pk for t in mine.context["open_tasks"]] == [task.pk]
    assert 'class="overdue"' in mine.content.decode()
    assert [t.pk for t in overdue.context["page"]] == [task.pk]
    assert "结对人 泰顺团干部" in overdue.content.decode()
    assert list(other.context["page"]) == []
    assert helper_overdue.status_code == 403


def test_the_home_partial_shows_overdue_tasks_in_red(world, pairing):
    with time_machine.travel(NOW, tick=False):
        must_visit_event_record(actor=world.home.secretary, person=world.home.person, event_type="hospitalised")
        must_visit_event_record(actor=world.home.secretary, person=world.home.person, event_type="exam")
    with time_machine.travel(at(2026, 11, 20, 9, 0), tick=False):
        tasks = open_tasks_for(world.home.cadre)
        html = render_to_string("pairing/_home_tasks.html", {"tasks": tasks})
        assert [(t.event.event_type, t.is_overdue) for t in tasks] == [("hospitalised", True), ("exam", False)]
    assert html.count('class="overdue"') == 1
    assert "2 项待走访" in html and "已逾期" in html and "待走访" in html
    assert render_to_string("pairing/_home_tasks.html", {"tasks": []}).strip() == ""
    assert open_tasks_for(world.home.secretary) == []


def test_the_list_shows_managers_their_subtree_and_helpers_their_own(world, pairing):
    from youthlink.core.testing import make_person
    from youthlink.pairing.services import pairing_create
    other_person = make_person(world.home.village, "李小花", tags=["hardship"])
    second = pairing_create(actor=world.home.secretary, person=other_person, helper=world.home.micro)

    def listed(user):
        return [p.pk for p in client_for(user).get("/pairing/").context["page"]]
    assert listed(world.home.secretary) == [second.pk, pairing.pk]
    assert listed(world.home.admin) == [second.pk, pairing.pk]
    assert listed(world.home.cadre) == [pairing.pk]
    assert listed(world.home.micro) == [second.pk]
    assert listed(world.home.centre_staff) == []
    assert listed(world.other.admin) == []
    assert listed(world.home.youth_user) == []


