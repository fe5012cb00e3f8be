import io
import json

import pytest
from django.test import Client
from PIL import Image

from youthlink.diary.models import CheckIn, CheckInStatus, DiaryComment, DiaryEntry, DiaryPhoto, EntryStatus
from youthlink.notifications.models import Notification
from youthlink.visits.tests.helpers import jpeg_with_gps

from .helpers import check_in, near, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen(frozen):
    return frozen


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_hub_offers_a_cadre_to_check_in_then_to_write(world):
    client = client_for(world.home.cadre)
    page = client.get("/diary/").content.decode()
    assert 'href="/diary/checkin/"' in page and world.home.village.name in page
    checkin = check_in(world.home)
    page = client.get("/diary/").content.decode()
    assert f'href="/diary/checkins/{checkin.pk}/write/"' in page and "在岗报到" in page


def test_the_home_page_card_tells_a_cadre_what_to_do_today(world):
    client = client_for(world.home.cadre)
    assert "今天还没有报到。" in client.get("/").content.decode()
    checkin = check_in(world.home)
    page = client.get("/").content.decode()
    assert "今天已报到，还没写日记。" in page and f"/diary/checkins/{checkin.pk}/write/" in page
    assert "今天还没有报到" not in client_for(world.home.admin).get("/").content.decode()


def test_check_in_on_site_from_the_page(world):
    lat, lng = near(120)
    response = client_for(world.home.cadre).post("/diary/checkin/", {"latitude": str(lat), "longitude": str(lng),
                                                                      "accuracy": "18.4", "reason": ""})
    checkin = CheckIn.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/diary/checkins/{checkin.pk}/write/"
    assert (checkin.status, checkin.distance_m, checkin.accuracy_m) == (CheckInStatus.ON_SITE, 120, 18)


def test_check_in_off_site_without_a_reason_shows_the_error_and_saves_nothing(world):
    lat, lng = near(2000)
    response = client_for(world.home.cadre).post("/diary/checkin/", {"latitude": str(lat), "longitude": str(lng)})
    assert response.status_code == 200
    assert "超出 500 米的报到范围，请填写异地报到的原因" in response.content.decode()
    assert CheckIn.objects.count() == 0


def test_a_checked_in_cadre_is_sent_on_to_write(world):
    checkin = check_in(world.home)
    response = client_for(world.home.cadre).get("/diary/checkin/")
    assert (response.status_code, response["Location"]) == (302, f"/diary/checkins/{checkin.pk}/write/")


def test_autosave_keeps_the_draft_and_a_reload_restores_it(world):
    checkin = check_in(world.home)
    client = client_for(world.home.cadre)
    response = client.post(f"/diary/checkins/{checkin.pk}/draft/", {"work_log": "上午到梅竹村", "reflections": ""},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200 and "草稿已保存 09:30:00" in response.content.decode()
    page = client.get(f"/diary/checkins/{checkin.pk}/write/").content.decode()
    assert "上午到梅竹村</textarea>" in page
    assert f'hx-post="/diary/checkins/{checkin.pk}/draft/"' in page
    assert f'data-draft-key="diary-draft-{world.home.cadre.pk}-{checkin.pk}"' in page


def test_autosave_of_a_submitted_entry_answers_the_reason(world):
    entry = submitted(world.home)
    response = client_for(world.home.cadre).post(f"/diary/checkins/{entry.checkin_id}/draft/", {"work_log": "改"})
    assert response.status_code == 200 and "这篇日记已经提交，不能再修改" in response.content.decode()
    entry.refresh_from_db()
    assert entry.work_log == "上午走访梅竹村三户困难家庭"


def test_submit_with_a_photo_then_the_photo_is_served_without_gps_to_readers_only(world):
    home = world.home
    checkin = check_in(home)
    client = client_for(home.cadre)
    response = client.post(f"/diary/checkins/{checkin.pk}/write/", {
        "work_log": "走访三户困难家庭", "reflections": "入户比开会更能听到真话", "photos": [jpeg_with_gps(2000, 1500)]})
    entry = DiaryEntry.objects.get()
    assert (response.status_code, response["Location"]) == (302, f"/diary/{entry.pk}/")
    assert entry.status == EntryStatus.SUBMITTED
    photo = DiaryPhoto.objects.get()
    page = client.get(f"/diary/{entry.pk}/").content.decode()
    assert f'src="/diary/photos/{photo.pk}/"' in page and "/media/" not in page
    served = client_for(home.admin).get(f"/diary/photos/{photo.pk}/")
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    image = Image.open(io.BytesIO(served.content))
    assert image.size == (1600, 1200) and dict(image.getexif()) == {} and b"GPS" not in served.content
    assert client_for(world.other.admin).get(f"/diary/photos/{photo.pk}/").status_code == 404
    assert client_for(home.micro).get(f"/diary/photos/{photo.pk}/").status_code == 404


def test_a_failed_submit_keeps_the_typed_text_and_asks_for_the_photos_again(world):
    checkin = check_in(world.home)
    response = client_for(world.home.cadre).post(f"/diary/checkins/{checkin.pk}/write/", {
        "work_log": "", "reflections": "体会", "photos": [jpeg_with_gps(600, 400)]})
    page = response.content.decode()
    assert response.status_code == 200 and "请填写工作记录" in page and "体会</textarea>" in page
    assert "请重新选择照片" in page
    assert DiaryEntry.objects.count() == 0 and DiaryPhoto.objects.count() == 0


def test_reviewer_grades_from_the_entry_page_and_the_cadre_sees_grade_and_notification(
        world, django_capture_on_commit_callbacks):
    home = world.home
    entry = submitted(home)
    admin = client_for(home.admin)
    assert 'id="review-form"' in admin.get(f"/diary/{entry.pk}/").content.decode()
    assert 'id="review-form"' not in client_for(home.cadre).get(f"/diary/{entry.pk}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(f"/diary/{entry.pk}/review/", {"grade": "excellent", "comment": "记录详实，值得推广"})
    assert (response.status_code, response["Location"]) == (302, "/diary/queue/")
    cadre = client_for(home.cadre)
    page = cadre.get(f"/diary/{entry.pk}/").content.decode()
    assert "优秀" in page and "记录详实，值得推广" in page
    notes = cadre.get("/notifications/").content.decode()
    assert "您 11-20 的工作日记已点评：优秀" in notes
    assert Notification.objects.filter(user=home.cadre, kind="diary.reviewed").count() == 1


def test_a_second_review_from_the_page_is_refused_with_a_message(world):
    home = world.home
    entry = submitted(home)
    client_for(home.admin).post(f"/diary/{entry.pk}/review/", {"grade": "good", "comment": "好"})
    response = client_for(home.secretary).post(f"/diary/{entry.pk}/review/", {"grade": "fair", "comment": "一般"},
                                              follow=True)
    assert "这篇日记已经点评过了" in response.content.decode()
    entry.refresh_from_db()
    assert entry.grade == "good" and DiaryComment.objects.count() == 1


def test_comment_back_and_forth_from_the_page(world):
    home = world.home
    entry = submitted(home)
    client_for(home.secretary).post(f"/diary/{entry.pk}/comment/", {"body": "走访对象再写具体些"})
    response = client_for(home.cadre).post(f"/diary/{entry.pk}/comment/", {"body": "好的"})
    assert (response.status_code, response["Location"]) == (302, f"/diary/{entry.pk}/#comments")
    assert list(entry.comments.values_list("body", flat=True)) == ["走访对象再写具体些", "好的"]
    response = client_for(home.cadre).post(f"/diary/{entry.pk}/comment/", {"body": " "}, follow=True)
    assert "请填写评论内容" in response.content.decode()
    assert entry.comments.count() == 2


def test_the_profile_shows_grades_and_the_targets_card(world):
    home = world.home
    entry = submitted(home)
    client_for(home.admin).post(f"/diary/{entry.pk}/review/", {"grade": "good", "comment": "好"})
    page = client_for(home.secretary).get(f"/diary/cadres/{home.cadre.pk}/").content.decode()
    assert 'id="diary-grades"' in page and "已提交 1 篇，已点评 1 篇" in page
    assert 'id="profile-targets"' in page and "年度目标（三联双百）" in page


def test_contact_point_page_lists_only_nodes_with_coordinates_in_the_cadres_area(world):
    home = world.home
    page = client_for(home.cadre).get(f"/diary/cadres/{home.cadre.pk}/contact-point/").content.decode()
    assert f'<option value="{home.village.pk}" selected>' in page
    assert f'<option value="{home.township.pk}"' not in page  # no coordinates
    response = client_for(home.cadre).post(f"/diary/cadres/{home.cadre.pk}/contact-point/",
                                           {"node": world.other.village.pk})
    assert response.status_code == 200 and 'class="errorlist"' in response.content.decode()
    assert home.cadre.diary_contact_point.node == home.village


def test_summary_page_of_a_month(world):
    home = world.home
    submitted(home)
    page = client_for(home.admin).get(f"/diary/cadres/{home.cadre.pk}/summary/?month=2026-11").content.decode()
    assert "2026-11 点评汇总" in page and 'id="summary-figures"' in page


def test_api_check_in_draft_submit_review_and_comment(world, django_capture_on_commit_callbacks):
    home = world.home
    cadre, admin = client_for(home.cadre), client_for(home.admin)
    lat, lng = near(2000)
    response = cadre.post("/api/diary/checkins", json.dumps({"latitude": float(lat), "longitude": float(lng)}),
                          content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"]["reason"][0].endswith("请填写异地报到的原因")
    response = cadre.post("/api/diary/checkins", json.dumps({"latitude": float(lat), "longitude": float(lng),
                                                             "reason": "在县里开会"}), content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["distance_m"], body["reason"]) == ("off_site", 2000, "在县里开会")
    checkin_id = body["id"]
    assert cadre.put(f"/api/diary/checkins/{checkin_id}/draft", json.dumps({"work_log": "草稿"}),
                     content_type="application/json").json()["status"] == "draft"
    response = cadre.post(f"/api/diary/checkins/{checkin_id}/entry", json.dumps({"work_log": "到县里参加培训"}),
                          content_type="application/json")
    assert response.status_code == 201
    entry_id = response.json()["id"]
    assert [e["id"] for e in admin.get("/api/diary/queue").json()] == [entry_id]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(f"/api/diary/entries/{entry_id}/review",
                              json.dumps({"grade": "fair", "comment": "尽量到联系点报到"}), content_type="application/json")
    assert (response.status_code, response.json()["grade"], response.json()["grade_label"]) == (200, "fair", "一般")
    response = admin.post(f"/api/diary/entries/{entry_id}/review", json.dumps({"grade": "good", "comment": "再评"}),
                          content_type="application/json")
    assert response.status_code == 422
    response = cadre.post(f"/api/diary/entries/{entry_id}/comments", json.dumps({"body": "收到"}),
                          content_type="application/json")
    assert response.status_code == 201
    detail = cadre.get(f"/api/diary/entries/{entry_id}").json()
    assert [(c["body"], c["is_review"]) for c in detail["comments"]] == [("尽量到联系点报到", True), ("收到", False)]
    assert admin.get("/api/diary/queue").json() == []
    summary = admin.get(f"/api/diary/cadres/{home.cadre.pk}/summary?month=2026-11").json()
    assert (summary["checkins"], summary["submitted"], summary["reviewed"], summary["comments"]) == (1, 1, 1, 2)
    assert admin.get(f"/api/diary/cadres/{home.cadre.pk}/summary?month=2026-13").status_code == 422


def test_api_photos_are_added_to_a_draft(world):
    home = world.home
    checkin = check_in(home)
    cadre = client_for(home.cadre)
    entry_id = cadre.put(f"/api/diary/checkins/{checkin.pk}/draft", json.dumps({"work_log": "草稿"}),
                         content_type="application/json").json()["id"]
    response = cadre.post(f"/api/diary/entries/{entry_id}/photos", {"photos": [jpeg_with_gps(800, 600)]})
    assert response.status_code == 201
    [photo] = response.json()
    assert (photo["width"], photo["height"], photo["url"]) == (800, 600, f"/diary/photos/{photo['id']}/")
