import datetime as dt
import json

import pytest
import time_machine
from django.test import Client

from youthlink.appeals.deadlines import LOCAL_TZ

from youthlink.appeals.models import Appeal, AppealComment, Status

from .builders import category, collected, published

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(dt.datetime(2026, 11, 27, 15, 0, tzinfo=LOCAL_TZ), tick=False):
        yield


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client, url, data=None):
    return client.post(url, data=json.dumps(data or {}), content_type="application/json")


def test_feed_api_gives_the_public_text(world):
    appeal = published(world)
    items = client_for(world.home.youth_user).get("/api/appeals/feed").json()
    assert items == [{"id": appeal.pk, "kind": "request",
                      "category": {"id": appeal.category_id, "key": "entrepreneurship", "name": "创业"},
                      "title": "生姜滞销求销路", "body": "村里单某某家种的两亩生姜卖不出去，电话138****8000，希望帮忙联系销路",
                      "place": f"{world.home.township.name} · {world.home.village.name}", "status": "open", "status_label": "待认领",
                      "published_at": "2026-11-27T07:00:00Z", "comment_count": 0}]
    assert client_for(world.other.youth_user).get("/api/appeals/feed").json() == []


def test_a_young_person_reads_the_public_record_staff_the_full_one(world):
    appeal = published(world)
    public = client_for(world.home.youth_user).get(f"/api/appeals/{appeal.pk}").json()
    assert public["full"] is False and public["subject_name"] is None and "13800138000" not in json.dumps(public)
    full = client_for(world.home.cadre).get(f"/api/appeals/{appeal.pk}").json()
    assert (full["full"], full["subject_name"], full["body"]) == (True, "单雄信", appeal.body)
    assert client_for(world.other.admin).get(f"/api/appeals/{appeal.pk}").status_code == 404


def test_submit_review_claim_comment_and_timeline_through_the_api(world):
    home = world.home
    created = post(client_for(home.micro), "/api/appeals", {
        "source": "collected", "category_id": category("psychology").pk, "node_id": home.village.pk,
        "title": "高三学生考前焦虑", "body": "邻居家孩子高三，最近失眠不想上学，希望有心理老师疏导",
        "subject_name": "小周", "is_minor": True, "collected_from": "contacts", "consent_to_publish": True,
        "consent_note": "家长电话同意"})
    assert created.status_code == 201, created.content
    appeal_id = created.json()["id"]
    secretary = client_for(home.secretary)
    queue = secretary.get("/api/appeals/review-queue").json()
    assert [(q["id"], q["source"], q["waiting_long"]) for q in queue] == [(appeal_id, "collected", False)]
    preview = secretary.get(f"/api/appeals/{appeal_id}/preview").json()
    assert preview == {"public_title": "高三学生考前焦虑", "public_body": "邻居家孩子高三，最近失眠不想上学，希望有心理老师疏导"}
    refused = post(secretary, f"/api/appeals/{appeal_id}/publish", {**preview, "public_body": "小周同学最近失眠，希望疏导"})
    assert refused.status_code == 422
    assert refused.json()["errors"]["public_body"] == ["公开内容中仍含有：当事人姓名，请删除或打码"]
    assert post(secretary, f"/api/appeals/{appeal_id}/publish", preview).json()["status"] == "open"
    claimed = post(client_for(home.cadre), f"/api/appeals/{appeal_id}/claim")
    assert (claimed.json()["status"], claimed.json()["handler_name"]) == ("in_progress", "泰顺团干部")
    again = post(client_for(home.secretary), f"/api/appeals/{appeal_id}/claim")
    assert again.status_code == 422 and again.json()["errors"]["__all__"] == ["该诉求已被认领或不在待认领状态"]
    comment = post(client_for(home.youth_user), f"/api/appeals/{appeal_id}/comments", {"body": "学校有心理老师，可以先约"})
    assert comment.status_code == 201
    assert [c["body"] for c in client_for(home.admin).get(f"/api/appeals/{appeal_id}/comments").json()] == [
        "学校有心理老师，可以先约"]
    timeline = client_for(home.micro).get(f"/api/appeals/{appeal_id}/timeline").json()
    assert [(t["actor"], t["action"]) for t in timeline] == [
        ("泰顺微元素", "appeal.submit"), ("泰顺书记", "appeal.publish"), ("泰顺团干部", "appeal.claim"),
        ("泰顺青年", "appeal.comment")]
    assert client_for(home.youth_user).get(f"/api/appeals/{appeal_id}/timeline").status_code == 403
    # the minor's village never shows publicly
    public = client_for(home.youth_user).get(f"/api/appeals/{appeal_id}").json()
    assert public["place"] == home.township.name


def test_bad_json_input_gets_chinese_errors_and_saves_nothing(world):
    response = post(client_for(world.home.micro), "/api/appeals", {
        "source": "collected", "category_id": 999999, "node_id": world.home.village.pk, "title": "短",
        "body": "也很短", "collected_from": "wechat"})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"category", "title", "body", "collected_from", "subject_name"}
    assert Appeal.objects.count() == 0


def test_reject_and_merge_through_the_api(world):
    first = published(world)
    dup = collected(world, title="生姜卖不掉", body="同村另一户的生姜也卖不出去，想找销路")
    secretary = client_for(world.home.secretary)
    assert post(secretary, f"/api/appeals/{dup.pk}/reject", {"reason": ""}).status_code == 422
    merged = post(secretary, f"/api/appeals/{dup.pk}/merge", {"into_id": first.pk}).json()
    assert (merged["status"], merged["merged_into_id"]) == ("merged", first.pk)
    assert Appeal.objects.get(pk=dup.pk).status == Status.MERGED and AppealComment.objects.count() == 0
