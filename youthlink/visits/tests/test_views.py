"""The pages and the API call the same services: what a cadre does on the phone, end to end."""
import datetime as dt
import io
import json
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from youthlink.audit.models import AuditAction, AuditEvent
from youthlink.core.testing import make_node, make_person
from youthlink.orgs.models import NodeKind
from youthlink.visits.models import Visit, VisitDay, VisitPhoto, VisitProblem, YearlyTarget
from youthlink.visits.services import visit_log

from .helpers import at, jpeg_with_gps, png, stored_files

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(at(2026, 11, 20, 21, 0), tick=False):
        yield


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form(world, **kw):
    home = world.home
    data = {"kind": "evening_talk", "visited_at": "2026-11-20T19:30", "place": home.village.pk,
            "people": [home.person.pk], "social_orgs": [home.social_org.pk],
            "problems": "家里的茶叶卖不出去\n\n希望有人辅导功课\n", "notes": "在村文化礼堂座谈", "latitude": "27.834512",
            "longitude": "119.720001"}
    data.update(kw)
    return data


# --- the page ---------------------------------------------------------------------------------------------

def test_a_cadre_records_a_visit_with_a_photo_from_the_phone(world):
    home = world.home
    client = client_for(home.cadre)
    page = client.get("/visits/new/").content.decode()
    assert 'value="2026-11-20T21:00"' in page  # now, in China's time
    assert f'<option value="{home.township.pk}" selected>泰顺镇</option>' in page  # the cadre's own node first
    response = client.post("/visits/new/", form(world, photos=[jpeg_with_gps(width=2400, height=1800)]))
    visit = Visit.objects.get()
    assert (response.status_code, response["Location"]) == (302, f"/visits/{visit.pk}/")
    assert (visit.kind, visit.visited_at, visit.is_evening, visit.place_id) == (
        "evening_talk", at(2026, 11, 20, 19, 30), True, home.village.pk)
    assert (str(visit.latitude), str(visit.longitude)) == ("27.834512", "119.720001")
    assert list(VisitProblem.objects.values_list("text", flat=True)) == ["家里的茶叶卖不出去", "希望有人辅导功课"]
    photo = VisitPhoto.objects.get()
    assert (photo.width, photo.height) == (1600, 1200)

    detail = client.get(f"/visits/{visit.pk}/").content.decode()
    for text in ("访谈夜 · 泰顺村", "2026-11-20 19:30", "单雄信", "泰顺义工协会", "家里的茶叶卖不出去", "在村文化礼堂座谈",
                 f'src="/visits/photos/{photo.pk}/"'):
        assert text in detail
    image = client.get(f"/visits/photos/{photo.pk}/")
    assert (image.status_code, image["Content-Type"], image["Cache-Control"]) == (
        200, "image/jpeg", "private, max-age=86400")
    assert dict(Image.open(io.BytesIO(image.content)).getexif()) == {}


def test_a_refused_visit_shows_the_reason_and_keeps_what_was_picked(world):
    client = client_for(world.home.cadre)
    before = (Visit.objects.count(), AuditEvent.objects.count())
    response = client.post("/visits/new/", form(world, visited_at="2026-11-21T19:30",
                                                photos=[SimpleUploadedFile("证明.pdf", b"%PDF-1.7")]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "走访时间不能晚于现在" in page and "“证明.pdf”不是图片文件，或文件已损坏" in page
    assert "请重新选择照片" in page
    assert f'<input type="hidden" name="people" value="{world.home.person.pk}">单雄信' in page
    assert (Visit.objects.count(), AuditEvent.objects.count(), stored_files()) == (*before, set())


def test_a_young_person_of_the_other_county_is_refused_without_naming_them(world):
    client = client_for(world.home.cadre)
    response = client.post("/visits/new/", form(world, people=[world.home.person.pk, world.other.person.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "所选青年不在您的辖区内" in page and world.other.youth.name not in page
    assert Visit.objects.count() == 0


def test_the_people_picker_searches_by_pinyin_in_the_cadres_area(world):
    client = client_for(world.home.cadre)
    page = client.get("/visits/pick/people/?q=sxx", headers={"HX-Request": "true"}).content.decode()
    assert page.count('data-pick="people"') == 1
    assert f'data-id="{world.home.person.pk}" data-label="单雄信"' in page
    assert "困难青少年" in page and "泰顺村" in page
    assert "没有找到匹配的青年" in client.get("/visits/pick/people/?q=yunhe").content.decode()
    orgs = client.get("/visits/pick/orgs/?q=ygxh").content.decode()
    assert f'data-id="{world.home.social_org.pk}" data-label="泰顺义工协会"' in orgs


def test_the_month_page_colours_what_is_met(world):
    home = world.home
    for day in (3, 10, 17):
        visit_log(actor=home.cadre, kind="home", visited_at=at(2026, 11, day), place=home.village)
    VisitDay.objects.create(node=home.township, date=dt.date(2026, 11, 10))
    page = client_for(home.secretary).get(f"/visits/month/{home.township.pk}/?month=2026-11").content.decode()
    assert '<div class="score bad">3 <small>/ 要求每月 4 晚</small></div>' in page
    assert "11-10 ✓" in page
    assert f'href="/visits/?node={home.village.pk}&month=2026-11&evening=1"' in page
    listed = client_for(home.secretary).get(f"/visits/?node={home.village.pk}&month=2026-11&evening=1")
    assert listed.context["page"].paginator.count == 3


def test_a_bad_month_in_the_address_shows_this_month(world):
    page = client_for(world.home.cadre).get(f"/visits/month/{world.home.township.pk}/?month=2026-13")
    assert page.context["view"].month.first == dt.date(2026, 11, 1)


def test_a_secretary_ticks_the_evenings_of_the_month(world):
    home = world.home
    client = client_for(home.secretary)
    response = client.post(f"/visits/days/{home.township.pk}/",
                           {"month": "2026-12", "dates": ["2026-12-01", "2026-12-08"]})
    assert (response.status_code, response["Location"]) == (302, f"/visits/days/{home.township.pk}/?month=2026-12")
    assert list(VisitDay.objects.values_list("date", flat=True).order_by("date")) == [
        dt.date(2026, 12, 1), dt.date(2026, 12, 8)]
    page = client.get(response["Location"]).content.decode()
    assert 'value="2026-12-08" checked' in page and "本月已设定 2 晚" in page
    refused = client.post(f"/visits/days/{home.township.pk}/", {"month": "2026-12", "dates": ["2027-01-05"]})
    assert refused.status_code == 200 and VisitDay.objects.count() == 2


def test_the_targets_table_sorts(world):
    home = world.home
    visit_log(actor=home.cadre, kind="home", visited_at=at(2026, 11, 3), place=home.village, people=[home.person],
              problems=["一", "二"])
    page = client_for(home.admin).get(f"/visits/targets/{home.county.pk}/?year=2026&sort=collected").content.decode()
    assert '<a href="?year=2026&sort=collected" aria-current="true">收集问题</a>' in page
    assert '<span class="n">2/100</span>' in page


def test_the_visits_of_one_cadre_and_no_one_elses(world):
    home = world.home
    visit_log(actor=home.cadre, kind="home", visited_at=at(2026, 11, 3), place=home.village)
    visit_log(actor=home.admin, kind="home", visited_at=at(2026, 11, 4), place=home.village)
    client = client_for(home.secretary)
    response = client.get(f"/visits/?cadre={home.cadre.pk}")
    assert [v.created_by_id for v in response.context["page"]] == [home.cadre.pk]
    assert "走访记录 · 泰顺团干部" in response.content.decode()
    assert client.get(f"/visits/?cadre={world.other.cadre.pk}").status_code == 404
    assert client.get("/visits/?cadre=999999").status_code == 404


def test_the_county_admin_sets_the_rules(world):
    home = world.home
    response = client_for(home.admin).post(f"/visits/rules/{home.county.pk}/", {
        "year": 2027, "min_evenings_per_month": 5, "visited": 120, "collected": 100, "solved": 80})
    assert response.status_code == 302
    assert list(YearlyTarget.objects.values_list("year", "visited", "collected", "solved")) == [(2027, 120, 100, 80)]


def test_the_rules_page_is_for_counties_only(world):
    assert client_for(world.home.admin).get(f"/visits/rules/{world.home.township.pk}/").status_code == 404


def test_the_home_partial_shows_the_cadres_progress_bars(world):
    from django.template.loader import render_to_string

    from youthlink.visits.selectors import targets_progress_for
    home = world.home
    YearlyTarget.objects.create(county=home.county, year=2026, visited=40, collected=100, solved=100)
    visit_log(actor=home.cadre, kind="home", visited_at=at(2026, 11, 3), place=home.village,
              people=[home.person, home.youth], problems=["茶叶滞销"])
    html = render_to_string("visits/_home_targets.html", {"visit_targets": targets_progress_for(home.cadre, 2026)})
    assert "2026 年度目标（三联双百）" in html
    assert [int(w) for w in re.findall(r'style="width: (\d+)%"', html)] == [5, 1, 0]
    assert 'aria-label="走访青年" aria-valuemin="0" aria-valuemax="40" aria-valuenow="2"' in html
    assert 'href="/visits/new/"' in html
    assert render_to_string("visits/_home_targets.html", {"visit_targets": None}).strip() == ""


# --- a micro-element (微元素) ----------------------------------------------------------------------------------

def test_a_micro_element_records_a_visit_to_a_young_person_of_their_village(world):
    home = world.home
    client = client_for(home.micro)
    page = client.get("/visits/new/").content.decode()
    assert f'<option value="{home.village.pk}" selected>泰顺村</option>' in page
    assert f'<option value="{home.township.pk}"' not in page
    response = client.post("/visits/new/", form(world, social_orgs=[], companions=[home.cadre.pk],
                                                photos=[png(width=40, height=30)]))
    visit = Visit.objects.get()
    assert (response.status_code, response["Location"]) == (302, f"/visits/{visit.pk}/")
    assert (visit.created_by_id, visit.kind, visit.place_id, visit.visited_at) == (
        home.micro.pk, "evening_talk", home.village.pk, at(2026, 11, 20, 19, 30))
    assert list(visit.people.values_list("pk", flat=True)) == [home.person.pk]
    assert list(visit.participant_rows.order_by("id").values_list("user_id", "is_creator")) == [
        (home.micro.pk, True), (home.cadre.pk, False)]
    photo = visit.photos.get()
    detail = client.get(f"/visits/{visit.pk}/")
    assert (detail.status_code, detail.context["can_add_photos"]) == (200, True)
    assert client.get(f"/visits/photos/{photo.pk}/").status_code == 200
    assert client_for(home.cadre).get(f"/visits/{visit.pk}/").status_code == 200


def test_a_micro_element_cannot_name_a_young_person_outside_their_village(world):
    home = world.home
    neighbour = make_person(make_node("泰顺二村", NodeKind.VILLAGE, home.township), "罗青年")
    client = client_for(home.micro)
    before = (Visit.objects.count(), AuditEvent.objects.count())
    response = client.post("/visits/new/", form(world, people=[home.person.pk, neighbour.pk], social_orgs=[]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "所选青年不在您的辖区内" in page and "罗青年" not in page
    api = client.post("/api/visits", json.dumps(api_visit(world, person_ids=[neighbour.pk], social_org_ids=[])),
                      content_type="application/json")
    assert (api.status_code, api.json()) == (422, {"detail": "输入有误", "errors": {"people": ["所选青年不在您的辖区内"]}})
    assert (Visit.objects.count(), AuditEvent.objects.count()) == before
    assert client.get("/visits/pick/people/?q=lqn").content.decode().count('data-pick="people"') == 0


def test_a_micro_element_cannot_see_a_cadres_visit_in_their_village(world):
    home = world.home
    theirs = visit_log(actor=home.micro, kind="home", visited_at=at(2026, 11, 3), place=home.village,
                       people=[home.person])
    cadres = visit_log(actor=home.cadre, kind="home", visited_at=at(2026, 11, 4), place=home.village,
                       people=[home.person], problems=["家里的茶叶卖不出去"], photos=[png(width=40, height=30)])
    photo = cadres.photos.get()
    client = client_for(home.micro)
    listed = client.get("/visits/")
    assert [v.pk for v in listed.context["page"]] == [theirs.pk]
    assert "家里的茶叶卖不出去" not in listed.content.decode()
    for url in (f"/visits/{cadres.pk}/", f"/visits/photos/{photo.pk}/"):
        missing = re.sub(r"/\d+/$", "/999999/", url)
        assert (client.get(url).status_code, client.get(missing).status_code) == (404, 404)
    api = client.get(f"/api/visits/{cadres.pk}")
    assert (api.status_code, api.content) == (404, client.get("/api/visits/999999").content)
    assert [v["id"] for v in client.get("/api/visits").json()] == [theirs.pk]
    assert [v["id"] for v in client.get(f"/api/visits?node_id={home.village.pk}").json()] == [theirs.pk]
    photos = client.post(f"/api/visits/{cadres.pk}/photos", {"photos": [png()]})
    assert (photos.status_code, cadres.photos.count()) == (404, 1)
    assert client.get(f"/visits/?person={home.person.pk}").context["page"].paginator.count == 1
    assert client.get(f"/visits/?cadre={home.cadre.pk}").status_code == 404


def test_a_micro_elements_hub_has_no_targets_and_no_committee_pages(world):
    home = world.home
    YearlyTarget.objects.create(county=home.county, year=2026, visited=40, collected=100, solved=100)
    response = client_for(home.micro).get("/visits/")
    page = response.content.decode()
    assert (response.status_code, response.context["visit_targets"], response.context["links"]) == (200, None, [])
    assert response.context["can_log"] is True and 'href="/visits/new/"' in page
    assert "年度目标" not in page and "/visits/month/" not in page and "/visits/targets/" not in page
    client = client_for(home.micro)
    assert [client.get(url).status_code for url in (
        f"/visits/month/{home.village.pk}/", f"/visits/organisations/{home.village.pk}/",
        f"/visits/days/{home.village.pk}/", f"/visits/targets/{home.village.pk}/",
        f"/api/visits/nodes/{home.village.pk}/month", f"/api/visits/nodes/{home.village.pk}/targets",
        "/api/visits/targets/me")] == [403, 403, 403, 403, 403, 403, 404]


# --- the API ----------------------------------------------------------------------------------------------

def api_visit(world, **kw):
    home = world.home
    body = {"kind": "home", "visited_at": "2026-11-20T19:30:00+08:00", "place_id": home.village.pk,
            "person_ids": [home.person.pk], "social_org_ids": [home.social_org.pk], "problems": ["茶叶滞销"],
            "notes": "奶奶身体尚可"}
    body.update(kw)
    return body


def test_the_api_records_a_visit_then_takes_its_photos(world):
    home = world.home
    client = client_for(home.cadre)
    response = client.post("/api/visits", json.dumps(api_visit(world)), content_type="application/json")
    assert response.status_code == 201
    visit = Visit.objects.get()
    data = response.json()
    problem = visit.problems.get()
    assert data == {
        "id": visit.pk, "kind": "home", "kind_label": "入户走访", "visited_at": "2026-11-20T19:30:00+08:00",
        "local_date": "2026-11-20", "is_evening": True, "place_id": home.village.pk, "place_name": "泰顺村",
        "created_by_id": home.cadre.pk, "cadres": [{"id": home.cadre.pk, "name": "泰顺团干部", "is_creator": True}],
        "people": [{"id": home.person.pk, "name": "单雄信"}],
        "social_orgs": [{"id": home.social_org.pk, "name": "泰顺义工协会"}], "problem_count": 1, "photo_count": 0,
        "latitude": None, "longitude": None, "notes": "奶奶身体尚可",
        "problems": [{"id": problem.pk, "text": "茶叶滞销"}], "photos": []}

    upload = client.post(f"/api/visits/{visit.pk}/photos", {"photos": [png(), jpeg_with_gps(width=1000, height=800)]})
    assert upload.status_code == 201
    photos = list(visit.photos.order_by("position"))
    assert upload.json() == [{"id": p.pk, "url": f"/visits/photos/{p.pk}/", "width": p.width, "height": p.height}
                             for p in photos]
    assert [(p.width, p.height) for p in photos] == [(400, 300), (1000, 800)]
    assert client.get(f"/api/visits/{visit.pk}").json()["photo_count"] == 2


def test_a_micro_element_records_a_visit_through_the_api(world):
    home = world.home
    client = client_for(home.micro)
    body = api_visit(world, social_org_ids=[], companion_ids=[home.cadre.pk])
    response = client.post("/api/visits", json.dumps(body), content_type="application/json")
    assert response.status_code == 201
    visit = Visit.objects.get()
    assert response.json() == {
        "id": visit.pk, "kind": "home", "kind_label": "入户走访", "visited_at": "2026-11-20T19:30:00+08:00",
        "local_date": "2026-11-20", "is_evening": True, "place_id": home.village.pk, "place_name": "泰顺村",
        "created_by_id": home.micro.pk, "cadres": [{"id": home.micro.pk, "name": "泰顺微元素", "is_creator": True},
                                                   {"id": home.cadre.pk, "name": "泰顺团干部", "is_creator": False}],
        "people": [{"id": home.person.pk, "name": "单雄信"}], "social_orgs": [], "problem_count": 1, "photo_count": 0,
        "latitude": None, "longitude": None, "notes": "奶奶身体尚可",
        "problems": [{"id": visit.problems.get().pk, "text": "茶叶滞销"}], "photos": []}
    assert client.get(f"/api/visits/{visit.pk}").json()["created_by_id"] == home.micro.pk
    upload = client.post(f"/api/visits/{visit.pk}/photos", {"photos": [png()]})
    assert (upload.status_code, visit.photos.count()) == (201, 1)


def test_the_api_refuses_a_micro_element_a_place_above_their_village(world):
    response = client_for(world.home.micro).post(
        "/api/visits", json.dumps(api_visit(world, place_id=world.home.township.pk, social_org_ids=[])),
        content_type="application/json")
    assert response.status_code == 404
    assert Visit.objects.count() == 0


def test_the_api_refuses_people_of_another_area_and_saves_nothing(world):
    client = client_for(world.home.cadre)
    response = client.post("/api/visits", json.dumps(api_visit(world, person_ids=[world.other.person.pk])),
                           content_type="application/json")
    assert (response.status_code, response.json()) == (
        422, {"detail": "输入有误", "errors": {"people": ["所选青年不在您的辖区内"]}})
    assert (Visit.objects.count(), AuditEvent.objects.filter(action=AuditAction.VISIT_LOG).count()) == (0, 0)


def test_the_api_refuses_a_future_visit(world):
    response = client_for(world.home.cadre).post(
        "/api/visits", json.dumps(api_visit(world, visited_at="2026-11-21T08:00:00+08:00")),
        content_type="application/json")
    assert (response.status_code, response.json()["errors"]) == (422, {"visited_at": ["走访时间不能晚于现在"]})
    assert Visit.objects.count() == 0


def test_the_api_refuses_a_photo_that_is_not_an_image(world):
    visit = visit_log(actor=world.home.cadre, kind="home", visited_at=at(2026, 11, 3), place=world.home.village)
    response = client_for(world.home.cadre).post(
        f"/api/visits/{visit.pk}/photos", {"photos": [SimpleUploadedFile("a.heic", b"\0\0\0 ftypheic")]})
    assert (response.status_code, response.json()["errors"]) == (422, {"photos": ["“a.heic”不是图片文件，或文件已损坏"]})
    assert (VisitPhoto.objects.count(), stored_files()) == (0, set())


def test_the_api_month_view_and_visit_days(world):
    home = world.home
    visit_log(actor=home.cadre, kind="home", visited_at=at(2026, 11, 3), place=home.village)
    client = client_for(home.secretary)
    days = json.dumps({"month": "2026-11", "dates": ["2026-11-03"]})
    assert client.put(f"/api/visits/nodes/{home.township.pk}/days", days, content_type="application/json").json() == {
        "node_id": home.township.pk, "month": "2026-11", "dates": ["2026-11-03"]}
    data = client.get(f"/api/visits/nodes/{home.township.pk}/month?month=2026-11").json()
    assert data == {"node_id": home.township.pk, "month": "2026-11",
                    "node": {"node_id": home.township.pk, "name": "泰顺镇", "kind": "township", "evenings": 1,
                             "required": 4, "met": False, "dates": ["2026-11-03"], "set_days": ["2026-11-03"]},
                    "children": [{"node_id": home.village.pk, "name": "泰顺村", "kind": "village", "evenings": 1,
                                  "required": 4, "met": False, "dates": ["2026-11-03"], "set_days": ["2026-11-03"]}]}
    bad = client.get(f"/api/visits/nodes/{home.township.pk}/month?month=november")
    assert (bad.status_code, bad.json()["errors"]) == (422, {"month": ["月份格式应为 YYYY-MM，例如 2026-11"]})


def test_the_api_targets_and_organisations(world):
    home = world.home
    visit_log(actor=home.cadre, kind="home", visited_at=at(2026, 11, 3), place=home.village, people=[home.person],
              social_orgs=[home.social_org], problems=["茶叶滞销"])
    admin = client_for(home.admin)
    assert admin.get(f"/api/visits/nodes/{home.county.pk}/targets?year=2026").json() == {
        "node_id": home.county.pk, "year": 2026, "sort": "visited", "rows": [
            {"user_id": home.cadre.pk, "name": "泰顺团干部", "node_id": home.township.pk, "visited": 1, "collected": 1,
             "solved": 0, "targets": {"visited": 100, "collected": 100, "solved": 100}}]}
    orgs = admin.get(f"/api/visits/nodes/{home.county.pk}/organisations?year=2026").json()
    assert (orgs["total"], [o["name"] for o in orgs["places"]], [o["name"] for o in orgs["social_orgs"]]) == (
        2, ["泰顺村"], ["泰顺义工协会"])
    assert client_for(home.cadre).get("/api/visits/targets/me?year=2026").json() == {"year": 2026, "items": [
        {"key": "visited", "label": "走访青年", "done": 1, "target": 100, "percent": 1},
        {"key": "collected", "label": "收集问题", "done": 1, "target": 100, "percent": 1},
        {"key": "solved", "label": "解决问题", "done": 0, "target": 100, "percent": 0}]}
    assert admin.put(f"/api/visits/counties/{home.county.pk}/rules", json.dumps(
        {"year": 2026, "min_evenings_per_month": 6, "visited": 80, "collected": 90, "solved": 70}),
        content_type="application/json").json() == {
        "county_id": home.county.pk, "year": 2026, "min_evenings_per_month": 6, "visited": 80, "collected": 90,
        "solved": 70, "year_has_own_targets": True}


def test_the_api_is_in_the_openapi_schema(world):
    paths = client_for(world.home.cadre).get("/api/openapi.json").json()["paths"]
    assert sorted(p for p in paths if p.startswith("/api/visits")) == [
        "/api/visits", "/api/visits/counties/{county_id}/rules", "/api/visits/nodes/{node_id}/days",
        "/api/visits/nodes/{node_id}/month", "/api/visits/nodes/{node_id}/organisations",
        "/api/visits/nodes/{node_id}/targets", "/api/visits/targets/me", "/api/visits/{visit_id}",
        "/api/visits/{visit_id}/photos"]
    assert "multipart/form-data" in paths["/api/visits/{visit_id}/photos"]["post"]["requestBody"]["content"]
