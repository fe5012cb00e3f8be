import datetime as dt
import json

import pytest
import time_machine
from django.template.loader import render_to_string
from django.test import Client

from youthlink.core import registry
from youthlink.ratings.models import CadreRating, Survey, SurveyResponse
from youthlink.ratings.services import cadre_rate, survey_answer

from .helpers import QUESTIONS, at, bound, scores_for, survey, youth

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()


# --- rating through the pages -----------------------------------------------------------------------

def test_a_bound_young_person_rates_the_cadre_and_a_second_rating_is_refused(world):
    home = world.home
    user, _person = bound(home)
    client = client_for(user)
    with time_machine.travel(at(2026, 11, 20), tick=False):
        page = client.get("/ratings/")
        assert f'href="/ratings/cadres/{home.cadre.pk}/rate/"' in text(page)
        response = client.post(f"/ratings/cadres/{home.cadre.pk}/rate/", {"score": "5", "comment": "很负责"})
        assert (response.status_code, response["Location"]) == (302, "/ratings/")
        page = client.get("/ratings/", follow=True)
        assert "感谢您的评价" in text(page) and "本季度已评价（5 分）" in text(page)
        again = client.post(f"/ratings/cadres/{home.cadre.pk}/rate/", {"score": "1", "comment": "再评一次"})
    assert again.status_code == 200
    assert "本季度您已评价过这位团干部，2027-01-01 起可以再次评价" in text(again)
    assert list(CadreRating.objects.values_list("score", "comment")) == [(5, "很负责")]


def test_the_rate_form_refuses_a_missing_score(world):
    user, _ = bound(world.home)
    response = client_for(user).post(f"/ratings/cadres/{world.home.cadre.pk}/rate/", {"comment": "没有打分"})
    assert response.status_code == 200 and "请选择 1 到 5 分" in text(response)
    assert CadreRating.objects.count() == 0


def test_a_young_person_cannot_rate_a_cadre_they_have_no_relation_with(world):
    stranger, _ = youth(world.home.village)
    client = client_for(stranger)
    assert client.get(f"/ratings/cadres/{world.home.cadre.pk}/rate/").status_code == 404
    assert client.post(f"/ratings/cadres/{world.home.cadre.pk}/rate/", {"score": "5"}).status_code == 404
    assert "您还没有可以评价的团干部" in text(client.get("/ratings/"))
    assert CadreRating.objects.count() == 0


def _rated(world, comment="上门走访很用心"):
    home = world.home
    user, person = bound(home, )
    cadre_rate(actor=user, cadre=home.cadre, score=4, comment=comment)
    return user, person


def test_the_cadre_sees_the_average_and_the_comment_but_not_who_wrote_it(world):
    home = world.home
    user, person = _rated(world)
    for viewer, url in ((home.cadre, "/ratings/received/"), (home.cadre, f"/ratings/cadres/{home.cadre.pk}/"),
                        (home.admin, f"/ratings/cadres/{home.cadre.pk}/"),
                        (home.secretary, f"/ratings/cadres/{home.cadre.pk}/")):
        page = text(client_for(viewer).get(url))
        assert 'id="rating-average">4.00<' in page and "上门走访很用心" in page, (viewer, url)
        assert person.name not in page and user.display_name not in page and person.masked("mobile") not in page
    api = client_for(home.cadre).get("/api/ratings/received").json()
    assert (api["count"], api["average"], api["comments"][0]["text"]) == (1, 4.0, "上门走访很用心")
    dumped = json.dumps(api, ensure_ascii=False)
    assert person.name not in dumped and str(person.pk) not in [str(c.get("person_id")) for c in api["comments"]]
    assert set(api["comments"][0]) == {"quarter", "score", "text"}


def test_the_profile_section_shows_the_summary_to_the_cadre_and_superiors_only(world):
    home, other = world.home, world.other
    user, person = _rated(world)
    section = registry.PROFILE_SECTIONS["ratings.summary"]
    for viewer in (home.cadre, home.admin, home.secretary):
        context = section.context(viewer, home.cadre)
        html = render_to_string(section.template, context)
        assert "上门走访很用心" in html and "4.00" in html and person.name not in html
    for viewer in (home.micro, home.centre_staff, user, other.admin):
        assert section.context(viewer, home.cadre) is None


def test_menu_entries_by_role(world):
    home = world.home
    user, _ = bound(home)

    def menu(viewer) -> list[str]:
        page = text(client_for(viewer).get("/"))
        return [label for label in ("评价团干部", "我的评价", "满意度测评") if f">{label}<" in page]

    assert menu(user) == ["评价团干部"]
    assert menu(home.cadre) == ["我的评价"]
    assert menu(home.admin) == ["满意度测评"]
    assert menu(home.micro) == []
    from youthlink.accounts.services import user_create
    root = user_create(name="超级管理员", password="x-Admin-2026", username="root", is_superuser=True)
    assert menu(root) == []


def test_the_young_persons_home_card_counts_cadres_to_rate_and_links_open_surveys(world):
    home = world.home
    user, _ = bound(home)
    s = survey(home)
    page = text(client_for(user).get("/"))
    assert 'id="home-ratings"' in page and "有 1 位团干部本季度还没有评价" in page
    assert f'href="/ratings/s/{s.token}/"' in page
    stranger, _ = youth(home.village)
    assert 'id="home-ratings"' not in text(client_for(stranger).get("/"))


# --- surveys through the pages ----------------------------------------------------------------------

def test_a_county_admin_launches_a_survey_and_reads_its_results(world):
    home = world.home
    user, _ = bound(home)
    client = client_for(home.admin)
    today = dt.date.today()
    response = client.post("/ratings/surveys/new/", {
        "county": home.county.pk, "title": "冬季青年满意度测评", "intro": "", "starts_on": f"{today:%Y-%m-%d}",
        "ends_on": f"{today + dt.timedelta(days=7):%Y-%m-%d}", "questions": "\n".join(QUESTIONS) + "\n\n"})
    s = Survey.objects.get()
    assert (response.status_code, response["Location"]) == (302, f"/ratings/surveys/{s.pk}/")
    assert (s.title, s.eligible_count, s.questions.count()) == ("冬季青年满意度测评", 1, 3)
    survey_answer(actor=user, survey=s, scores=scores_for(s, 5, 4, 3))
    page = text(client.get(f"/ratings/surveys/{s.pk}/"))
    assert 'id="survey-eligible">1<' in page and 'id="survey-responded">1<' in page and "100.0%" in page
    assert f"/ratings/s/{s.token}/" in page and user.display_name not in page
    qr = client.get(f"/ratings/surveys/{s.pk}/qr.png")
    assert (qr["Content-Type"], qr.content[:8]) == ("image/png", b"\x89PNG\r\n\x1a\n")
    listing = text(client.get("/ratings/surveys/"))
    assert "冬季青年满意度测评" in listing and "1 / 1" in listing


def test_the_survey_form_offers_the_admins_county_and_dates_a_phone_can_show(world):
    page = text(client_for(world.home.admin).get("/ratings/surveys/new/"))
    today = dt.date.today()
    assert f'<option value="{world.home.county.pk}">{world.home.county.name}</option>' in page
    assert world.other.county.name not in page
    assert f'type="date" name="starts_on" value="{today:%Y-%m-%d}"' in page
    assert f'type="date" name="ends_on" value="{today + dt.timedelta(days=14):%Y-%m-%d}"' in page


def test_a_survey_form_with_an_error_keeps_what_was_typed(world):
    bound(world.home)
    response = client_for(world.home.admin).post("/ratings/surveys/new/", {
        "county": world.home.county.pk, "title": "测评", "starts_on": "2026-11-20", "ends_on": "2026-11-01",
        "questions": "总体满意度"})
    assert response.status_code == 200 and "结束日期不能早于开始日期" in text(response)
    assert "总体满意度" in text(response)
    assert Survey.objects.count() == 0


def test_an_invited_young_person_answers_through_the_link_once(world):
    home = world.home
    user, _ = bound(home)
    s = survey(home)
    client = client_for(user)
    url = f"/ratings/s/{s.token}/"
    form = text(client.get(url))
    assert 'id="answer-form"' in form and all(q in form for q in QUESTIONS)
    data = {f"q{pk}": "4" for pk in scores_for(s)} | {"comment": "希望多组织培训"}
    response = client.post(url, data)
    assert (response.status_code, response["Location"]) == (302, url)
    assert "您已提交本次测评" in text(client.get(url))
    again = client.post(url, data)
    assert again.status_code == 200 and "您已提交过本次测评，每人只能填写一次" in text(again)
    assert SurveyResponse.objects.count() == 1


def test_a_young_person_outside_the_scope_is_told_why_and_nothing_is_saved(world):
    home, other = world.home, world.other
    bound(home)
    s = survey(home)
    url = f"/ratings/s/{s.token}/"
    data = {f"q{pk}": "5" for pk in scores_for(s)}
    for user in (bound(other)[0], youth(home.village)[0]):
        client = client_for(user)
        page = client.get(url)
        assert page.status_code == 403
        assert "您不在本次测评的范围内" in text(page)
        assert client.post(url, data).status_code == 403
    staff = client_for(home.admin).get(url)
    assert staff.status_code == 403 and "满意度测评仅供受邀青年填写" in text(staff)
    assert client_for(home.youth_user).get("/ratings/s/no-such-token/").status_code == 404
    assert SurveyResponse.objects.count() == 0


def test_a_closed_survey_refuses_answers_on_the_page(world):
    home = world.home
    user, _ = bound(home)
    s = survey(home, days_left=2)
    client = client_for(user)
    url = f"/ratings/s/{s.token}/"
    data = {f"q{pk}": "5" for pk in scores_for(s)}
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=4), tick=False):
        assert "测评已于" in text(client.get(url)) and 'id="answer-form"' not in text(client.get(url))
        response = client.post(url, data)
    assert response.status_code == 200 and "不能再提交" in text(response)
    assert SurveyResponse.objects.count() == 0


# --- the API ----------------------------------------------------------------------------------------

def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_rating_through_the_api_once_a_quarter(world):
    home = world.home
    user, _ = bound(home)
    client = client_for(user)
    with time_machine.travel(at(2026, 11, 20), tick=False):
        assert client.get("/api/ratings/mine").json() == [{
            "cadre_id": home.cadre.pk, "name": home.cadre.name, "node_name": home.township.name,
            "reasons": ["青年之友"], "rated_this_quarter": False, "score_this_quarter": None}]
        first = _post(client, f"/api/ratings/cadres/{home.cadre.pk}", {"score": 5, "comment": "很好"})
        second = _post(client, f"/api/ratings/cadres/{home.cadre.pk}", {"score": 3})
        assert client.get("/api/ratings/mine").json()[0]["score_this_quarter"] == 5
    assert (first.status_code, first.json()) == (201, {"cadre_id": home.cadre.pk, "quarter": "2026Q4", "score": 5,
                                                       "comment": "很好"})
    assert (second.status_code, second.json()["errors"]) == (
        422, {"__all__": ["本季度您已评价过这位团干部，2027-01-01 起可以再次评价"]})
    bad = _post(client, f"/api/ratings/cadres/{home.cadre.pk}", {"score": 9})
    assert (bad.status_code, CadreRating.objects.count()) == (422, 1)


def test_surveys_through_the_api(world):
    home, other = world.home, world.other
    user, _ = bound(home)
    admin = client_for(home.admin)
    today = dt.date.today()
    created = _post(admin, "/api/ratings/surveys", {
        "county_id": home.county.pk, "title": "测评", "starts_on": f"{today:%Y-%m-%d}",
        "ends_on": f"{today + dt.timedelta(days=3):%Y-%m-%d}", "questions": ["总体满意度", "解决问题的效果"]})
    assert created.status_code == 201
    body = created.json()
    s = Survey.objects.get()
    assert (body["eligible"], body["responded"], body["status"], [q["text"] for q in body["questions"]]) == (
        1, 0, "open", ["总体满意度", "解决问题的效果"])
    assert body["url"].endswith(f"/ratings/s/{s.token}/")
    youth_client = client_for(user)
    assert [x["id"] for x in youth_client.get("/api/ratings/surveys/open").json()] == [s.pk]
    form = youth_client.get(f"/api/ratings/answer/{s.token}").json()
    scores = {str(q["id"]): 4 for q in form["questions"]}
    answered = _post(youth_client, f"/api/ratings/answer/{s.token}", {"scores": scores, "comment": ""})
    assert (answered.status_code, answered.json()) == (201, {"survey_id": s.pk, "submitted": True})
    again = _post(youth_client, f"/api/ratings/answer/{s.token}", {"scores": scores})
    assert (again.status_code, again.json()["errors"]) == (422, {"__all__": ["您已提交过本次测评，每人只能填写一次"]})
    outsider = client_for(bound(other)[0])
    refused = _post(outsider, f"/api/ratings/answer/{s.token}", {"scores": scores})
    assert (refused.status_code, refused.json()) == (
        403, {"detail": "您不在本次测评的范围内：只有发起时与本县/区团干部结为青年之友或三联的青年可以填写"})
    results = admin.get(f"/api/ratings/surveys/{s.pk}/results").json()
    assert (results["total"]["eligible"], results["total"]["responded"], results["total"]["rate"],
            results["total"]["averages"]) == (1, 1, 1.0, [4.0, 4.0])
    assert [(r["id"], r["eligible"], r["responded"]) for r in results["cadres"]] == [(home.cadre.pk, 1, 1)]
    assert user.display_name not in json.dumps(results, ensure_ascii=False)
    assert SurveyResponse.objects.count() == 1
