import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from youthlink.audit.models import AuditAction, AuditEvent
from youthlink.core import registry
from youthlink.diary import services
from youthlink.diary.models import (CheckIn, CheckInStatus, ContactPoint, DiaryComment, DiaryEntry, DiaryPhoto,
                                    DiarySetting, EntryStatus, Grade)
from youthlink.diary.selectors import DAY_ITEMS_PROVIDER, distance_m
from youthlink.notifications.models import Notification
from youthlink.orgs.models import Node
from youthlink.visits.tests.helpers import GPS_LATITUDE, jpeg_with_gps, stored_files

from .conftest import NOW, VILLAGE
from .helpers import check_in, near, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen(frozen):
    return frozen


def diary_counts() -> tuple:
    return (CheckIn.objects.count(), DiaryEntry.objects.count(), DiaryPhoto.objects.count(),
            DiaryComment.objects.count(), Notification.objects.count(),
            AuditEvent.objects.filter(action__startswith="diary.").count())


# --- distance ----------------------------------------------------------------------------------------

def test_haversine_distance_between_two_points_in_metres():
    assert round(distance_m(27.55, 119.72, 27.553, 119.72)) == 334
    assert round(distance_m(27.55, 119.72, 27.55, 119.73)) == 986  # a degree of longitude is shorter at 27.5°
    assert distance_m(27.55, 119.72, 27.55, 119.72) == 0


# --- check-in ----------------------------------------------------------------------------------------

def test_check_in_within_the_radius_is_on_site(world):
    home = world.home
    checkin = check_in(home, north_m=300)
    assert (checkin.status, checkin.distance_m, checkin.radius_m, checkin.node, checkin.local_date, checkin.reason) == (
        CheckInStatus.ON_SITE, 300, 500, home.village, dt.date(2026, 11, 20), "")
    assert (checkin.latitude, checkin.longitude, checkin.accuracy_m) == (near(300)[0], VILLAGE[1], 20)
    assert checkin.checked_at == NOW
    event = AuditEvent.objects.get(action=AuditAction.DIARY_CHECKIN)
    assert (event.actor_id, event.target_id, event.node_path, event.data) == (
        home.cadre.pk, checkin.pk, home.village.path, {"status": "on_site", "distance_m": 300, "radius_m": 500})


def test_check_in_beyond_the_radius_without_a_reason_is_refused_and_saves_nothing(world):
    before = diary_counts()
    with pytest.raises(ValidationError) as exc:
        check_in(world.home, north_m=1200)
    assert exc.value.message_dict == {"reason": [
        f"您距联系点“{world.home.village.name}”约 1,200 米，超出 500 米的报到范围，请填写异地报到的原因"]}
    assert diary_counts() == before


def test_check_in_beyond_the_radius_with_a_reason_is_off_site(world):
    checkin = check_in(world.home, north_m=1200, reason="  上午在镇里\n参加例会 ")
    assert (checkin.status, checkin.distance_m, checkin.reason) == (CheckInStatus.OFF_SITE, 1200, "上午在镇里 参加例会")


def test_a_check_in_without_a_position_is_unlocated(world):
    checkin = services.checkin_create(actor=world.home.cadre)
    assert (checkin.status, checkin.latitude, checkin.longitude, checkin.distance_m, checkin.reason) == (
        CheckInStatus.UNLOCATED, None, None, None, "")


def test_a_contact_point_without_coordinates_gives_an_unlocated_check_in(world):
    home = world.home
    ContactPoint.objects.filter(cadre=home.cadre).delete()  # back to the township, which has no coordinates
    lat, lng = near(10)
    checkin = services.checkin_create(actor=home.cadre, latitude=lat, longitude=lng)
    assert (checkin.node, checkin.status, checkin.latitude, checkin.distance_m) == (
        home.township, CheckInStatus.UNLOCATED, lat, None)


def test_the_county_radius_decides_on_site(world):
    home = world.home
    services.diary_radius_set(actor=home.admin, county=home.county, radius_m=1500)
    checkin = check_in(home, north_m=1200)
    assert (checkin.status, checkin.radius_m) == (CheckInStatus.ON_SITE, 1500)


@pytest.mark.parametrize(("latitude", "longitude", "accuracy"), [
    ("91", "119.7", None), ("27.5", "-181", None), ("abc", "119.7", None), ("27.5", "", None),
    ("NaN", "119.7", None), ("Infinity", "119.7", None), ("27.5", "119.7", "-5"), ("27.5", "119.7", "x"),
])
def test_invalid_coordinates_are_refused_with_a_clear_error(world, latitude, longitude, accuracy):
    before = diary_counts()
    with pytest.raises(ValidationError) as exc:
        services.checkin_create(actor=world.home.cadre, latitude=latitude, longitude=longitude, accuracy=accuracy)
    assert exc.value.message_dict == {"location": ["定位数据无效，请重新定位，或不带位置报到"]}
    assert diary_counts() == before


def test_a_second_check_in_the_same_day_is_refused(world, frozen):
    check_in(world.home)
    before = diary_counts()
    with pytest.raises(ValidationError) as exc:
        check_in(world.home)
    assert exc.value.messages == ["您今天已经报到过了"]
    assert diary_counts() == before
    frozen.shift(dt.timedelta(days=1))
    assert check_in(world.home).local_date == dt.date(2026, 11, 21)


def test_the_day_is_the_local_day_in_china(world):
    with time_machine.travel(dt.datetime(2026, 11, 20, 16, 30, tzinfo=dt.timezone.utc), tick=False):
        assert check_in(world.home).local_date == dt.date(2026, 11, 21)  # 00:30 in Beijing


@pytest.mark.parametrize("role", ["admin", "secretary", "micro", "centre_staff", "youth_user"])
def test_only_a_cadre_checks_in(world, role):
    before = diary_counts()
    with pytest.raises(PermissionDenied):
        services.checkin_create(actor=getattr(world.home, role))
    assert diary_counts() == before


# --- contact point and radius --------------------------------------------------------------------

def test_the_cadre_sets_a_contact_point_among_their_nodes_with_coordinates(world):
    home = world.home
    Node.objects.filter(pk=home.township.pk).update(latitude=Decimal("27.5"), longitude=Decimal("119.7"))
    home.township.refresh_from_db()
    point = services.contact_point_set(actor=home.cadre, cadre=home.cadre, cadre_node=home.township,
                                       node=home.township)
    assert (point.node, point.set_by) == (home.township, home.cadre)


def test_a_contact_point_outside_the_cadres_area_or_without_coordinates_is_refused(world):
    home = world.home
    for node in (world.other.village, home.township):  # other county; no coordinates
        with pytest.raises(ValidationError) as exc:
            services.contact_point_set(actor=home.secretary, cadre=home.cadre, cadre_node=home.township, node=node)
        assert exc.value.message_dict == {"node": ["联系点须是该团干部负责范围内、已标注坐标的组织"]}
    assert ContactPoint.objects.get(cadre=home.cadre).node == home.village


def test_a_cadre_moved_elsewhere_checks_in_where_they_now_work(world):
    from youthlink.accounts.models import Membership, Role, User
    home, other = world.home, world.other
    Membership.objects.filter(user=home.cadre).update(node=other.township)
    cadre = User.objects.get(pk=home.cadre.pk)  # memberships are cached per user object
    checkin = services.checkin_create(actor=cadre)
    assert (checkin.node, checkin.status) == (other.township, CheckInStatus.UNLOCATED)
    assert Membership.objects.filter(user=cadre, role=Role.CADRE).count() == 1


@pytest.mark.parametrize("who", ["micro", "centre_staff", "other_admin", "other_secretary"])
def test_others_cannot_set_a_cadres_contact_point(world, who):
    actor = getattr(world.other, who.removeprefix("other_")) if who.startswith("other_") else getattr(world.home, who)
    with pytest.raises(PermissionDenied):
        services.contact_point_set(actor=actor, cadre=world.home.cadre, cadre_node=world.home.township,
                                   node=world.home.village)


def test_only_the_county_admin_sets_the_radius_within_bounds(world):
    home = world.home
    with pytest.raises(PermissionDenied):
        services.diary_radius_set(actor=home.secretary, county=home.county, radius_m=800)
    with pytest.raises(PermissionDenied):
        services.diary_radius_set(actor=world.other.admin, county=home.county, radius_m=800)
    for bad in (49, 10_001):
        with pytest.raises(ValidationError) as exc:
            services.diary_radius_set(actor=home.admin, county=home.county, radius_m=bad)
        assert exc.value.message_dict == {"radius_m": ["报到范围应在 50 到 10000 米之间"]}
    assert DiarySetting.objects.count() == 0
    assert services.diary_radius_set(actor=home.admin, county=home.county, radius_m=800).radius_m == 800


# --- drafts and entries ------------------------------------------------------------------------------

def test_a_draft_is_saved_and_replaced_as_the_cadre_types(world):
    home = world.home
    checkin = check_in(home)
    first = services.diary_draft_save(actor=home.cadre, checkin=checkin, work_log="上午走访")
    second = services.diary_draft_save(actor=home.cadre, checkin=checkin, work_log="上午走访三户", reflections="体会")
    assert first.pk == second.pk
    entry = DiaryEntry.objects.get()
    assert (entry.status, entry.work_log, entry.reflections, entry.node, entry.local_date, entry.submitted_at) == (
        EntryStatus.DRAFT, "上午走访三户", "体会", home.township, dt.date(2026, 11, 20), None)
    assert AuditEvent.objects.filter(action=AuditAction.DIARY_ENTRY).count() == 0


def test_submitting_turns_the_draft_into_the_entry(world):
    home = world.home
    checkin = check_in(home)
    draft = services.diary_draft_save(actor=home.cadre, checkin=checkin, work_log="草稿")
    entry = services.diary_entry_submit(actor=home.cadre, checkin=checkin, work_log="走访了三户困难家庭",
                                        reflections="要多听")
    assert entry.pk == draft.pk
    entry.refresh_from_db()
    assert (entry.status, entry.work_log, entry.reflections, entry.submitted_at) == (
        EntryStatus.SUBMITTED, "走访了三户困难家庭", "要多听", NOW)
    event = AuditEvent.objects.get(action=AuditAction.DIARY_ENTRY)
    assert (event.actor_id, event.target_id, event.data) == (home.cadre.pk, entry.pk, {"photos": 0, "links": []})


def test_a_submitted_entry_cannot_be_changed_or_submitted_again(world):
    home = world.home
    entry = submitted(home)
    before = diary_counts()
    for call in (lambda: services.diary_draft_save(actor=home.cadre, checkin=entry.checkin, work_log="改"),
                 lambda: services.diary_entry_submit(actor=home.cadre, checkin=entry.checkin, work_log="改")):
        with pytest.raises(ValidationError) as exc:
            call()
        assert exc.value.messages == ["这篇日记已经提交，不能再修改"]
    assert diary_counts() == before
    entry.refresh_from_db()
    assert entry.work_log == "上午走访梅竹村三户困难家庭"


def test_an_empty_work_log_is_refused(world):
    home = world.home
    checkin = check_in(home)
    before = diary_counts()
    with pytest.raises(ValidationError) as exc:
        services.diary_entry_submit(actor=home.cadre, checkin=checkin, work_log="   ")
    assert exc.value.message_dict == {"work_log": ["请填写工作记录"]}
    assert diary_counts() == before


def test_someone_elses_check_in_cannot_be_written(world):
    checkin = check_in(world.home)
    for actor in (world.home.admin, world.other.cadre):
        with pytest.raises(PermissionDenied):
            services.diary_draft_save(actor=actor, checkin=checkin, work_log="x")
        with pytest.raises(PermissionDenied):
            services.diary_entry_submit(actor=actor, checkin=checkin, work_log="x")
    assert DiaryEntry.objects.count() == 0


@pytest.fixture
def day_items():
    """A provider like the visits' and requests': the cadre's items of a day."""
    def provider(user, day):
        if day != dt.date(2026, 11, 20):
            return []
        return [("visit", 7, "入户走访 · 梅竹村 · 19:30", "/visits/7/"), ("appeal", 3, "想学茶叶种植新技术", "/appeals/3/")]
    registry.register_listener(DAY_ITEMS_PROVIDER, provider)
    yield provider
    registry.LISTENERS[DAY_ITEMS_PROVIDER].remove(provider)


def test_links_to_the_days_items_are_stored_as_offered(world, day_items):
    home = world.home
    entry = submitted(home, links=["appeal:3", "visit:7", "appeal:3"])
    assert entry.links == [{"kind": "appeal", "id": 3, "label": "想学茶叶种植新技术", "url": "/appeals/3/"},
                           {"kind": "visit", "id": 7, "label": "入户走访 · 梅竹村 · 19:30", "url": "/visits/7/"}]


def test_a_link_the_providers_do_not_offer_is_refused(world, day_items):
    home = world.home
    checkin = check_in(home)
    with pytest.raises(ValidationError) as exc:
        services.diary_entry_submit(actor=home.cadre, checkin=checkin, work_log="走访", links=["visit:8"])
    assert exc.value.message_dict == {"links": ["只能关联您当天的走访和诉求"]}
    assert DiaryEntry.objects.count() == 0


def test_the_visits_provider_offers_the_cadres_visits_of_that_day(world):
    from youthlink.diary.selectors import day_items
    from youthlink.visits.services import visit_log
    home = world.home
    visit = visit_log(actor=home.cadre, kind="home", place=home.village,
                      visited_at=dt.datetime(2026, 11, 20, 8, 0, tzinfo=NOW.tzinfo))
    visit_log(actor=home.secretary, kind="home", place=home.village,
              visited_at=dt.datetime(2026, 11, 20, 8, 30, tzinfo=NOW.tzinfo))  # not the cadre's
    assert day_items(home.cadre, dt.date(2026, 11, 20)) == [
        ("visit", visit.pk, f"入户走访 · {home.village.name} · 08:00", f"/visits/{visit.pk}/")]
    assert day_items(home.cadre, dt.date(2026, 11, 19)) == []


# --- photos ---------------------------------------------------------------------------------------

def test_a_stored_photo_has_no_gps_or_other_metadata(world):
    upload = jpeg_with_gps(width=3200, height=2400)
    assert Image.open(io.BytesIO(upload.read())).getexif().get_ifd(0x8825)[2] == GPS_LATITUDE
    upload.seek(0)
    entry = submitted(world.home, photos=[upload])
    photo = DiaryPhoto.objects.get(entry=entry)
    assert photo.image.name.startswith("diary/2026/11/")
    with default_storage.open(photo.image.name, "rb") as handle:
        data = handle.read()
    image = Image.open(io.BytesIO(data))
    assert (image.format, image.size, photo.width, photo.height, photo.size) == ("JPEG", (1600, 1200), 1600, 1200,
                                                                                  len(data))
    assert dict(image.getexif()) == {}
    assert image.getexif().get_ifd(0x8825) == {}
    assert b"GPS" not in data and b"iPhone" not in data and b"Exif" not in data


def test_a_bad_photo_refuses_the_whole_entry_and_stores_no_file(world):
    home = world.home
    checkin = check_in(home)
    services.diary_draft_save(actor=home.cadre, checkin=checkin, work_log="草稿")
    files_before = stored_files("diary")
    broken = SimpleUploadedFile("broken.jpg", b"not an image", content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        services.diary_entry_submit(actor=home.cadre, checkin=checkin, work_log="走访",
                                    photos=[jpeg_with_gps(600, 400), broken])
    assert exc.value.message_dict == {"photos": ["“broken.jpg”不是图片文件，或文件已损坏"]}
    entry = DiaryEntry.objects.get()
    assert (entry.status, entry.work_log, entry.photos.count()) == (EntryStatus.DRAFT, "草稿", 0)
    assert stored_files("diary") == files_before


def test_photos_are_added_to_a_draft_and_counted_against_the_limit(world, settings):
    settings.PHOTO_MAX_COUNT = 2
    home = world.home
    checkin = check_in(home)
    draft = services.diary_draft_save(actor=home.cadre, checkin=checkin, work_log="草稿")
    added = services.diary_photos_add(actor=home.cadre, entry=draft, photos=[jpeg_with_gps(600, 400)])
    assert [p.position for p in added] == [0]
    with pytest.raises(ValidationError) as exc:
        services.diary_entry_submit(actor=home.cadre, checkin=checkin, work_log="走访",
                                    photos=[jpeg_with_gps(600, 400), jpeg_with_gps(600, 400)])
    assert exc.value.message_dict == {"photos": ["每篇日记最多 2 张照片"]}
    entry = services.diary_entry_submit(actor=home.cadre, checkin=checkin, work_log="走访",
                                        photos=[jpeg_with_gps(600, 400)])
    assert list(entry.photos.values_list("position", flat=True)) == [0, 1]
    with pytest.raises(ValidationError):
        services.diary_photos_add(actor=home.cadre, entry=entry, photos=[jpeg_with_gps(600, 400)])
    with pytest.raises(PermissionDenied):
        services.diary_photos_add(actor=home.admin, entry=entry, photos=[jpeg_with_gps(600, 400)])
    assert DiaryPhoto.objects.count() == 2


# --- review ---------------------------------------------------------------------------------------

def test_the_county_admin_grades_and_comments_and_the_cadre_is_notified(world, django_capture_on_commit_callbacks):
    home = world.home
    entry = submitted(home)
    with django_capture_on_commit_callbacks(execute=True):
        reviewed = services.diary_entry_review(actor=home.admin, entry=entry, grade=Grade.GOOD,
                                               comment=" 内容完整，建议写上办理结果。 ")
    assert (reviewed.status, reviewed.grade, reviewed.reviewed_by, reviewed.reviewed_at) == (
        EntryStatus.REVIEWED, "good", home.admin, NOW)
    comment = DiaryComment.objects.get()
    assert (comment.author, comment.body, comment.is_review) == (home.admin, "内容完整，建议写上办理结果。", True)
    note = Notification.objects.get()
    assert (note.user, note.kind, note.title, note.body, note.url) == (
        home.cadre, "diary.reviewed", "您 11-20 的工作日记已点评：良好",
        f"{home.admin.display_name}：内容完整，建议写上办理结果。", f"/diary/{entry.pk}/")
    assert AuditEvent.objects.get(action=AuditAction.DIARY_REVIEW).data == {"grade": "good"}


def test_the_township_secretary_reviews_their_cadres(world):
    entry = submitted(world.home)
    assert services.diary_entry_review(actor=world.home.secretary, entry=entry, grade=Grade.EXCELLENT,
                                       comment="很好").grade == "excellent"


def test_a_second_review_is_refused(world):
    home = world.home
    entry = submitted(home)
    services.diary_entry_review(actor=home.admin, entry=entry, grade=Grade.GOOD, comment="好")
    before = diary_counts()
    with pytest.raises(ValidationError) as exc:
        services.diary_entry_review(actor=home.secretary, entry=entry, grade=Grade.IMPROVE, comment="差")
    assert exc.value.messages == ["这篇日记已经点评过了"]
    assert diary_counts() == before
    entry.refresh_from_db()
    assert (entry.grade, entry.reviewed_by) == ("good", home.admin)


@pytest.mark.parametrize(("grade", "comment", "errors"), [
    ("great", "好", {"grade": ["请选择评定等级"]}),
    ("good", "  ", {"comment": ["请填写点评意见"]}),
    ("", "x" * 1001, {"grade": ["请选择评定等级"], "comment": ["点评意见不超过 1000 字"]}),
])
def test_a_review_needs_a_grade_and_advice(world, grade, comment, errors):
    entry = submitted(world.home)
    before = diary_counts()
    with pytest.raises(ValidationError) as exc:
        services.diary_entry_review(actor=world.home.admin, entry=entry, grade=grade, comment=comment)
    assert exc.value.message_dict == errors
    assert diary_counts() == before
    entry.refresh_from_db()
    assert (entry.status, entry.grade) == (EntryStatus.SUBMITTED, "")


@pytest.mark.parametrize("who", ["cadre", "micro", "centre_staff", "other_admin", "other_secretary"])
def test_only_the_committees_over_the_cadre_review(world, who):
    actor = getattr(world.other, who.removeprefix("other_")) if who.startswith("other_") else getattr(world.home, who)
    entry = submitted(world.home)
    before = diary_counts()
    with pytest.raises(PermissionDenied):
        services.diary_entry_review(actor=actor, entry=entry, grade=Grade.GOOD, comment="好")
    assert diary_counts() == before


def test_a_draft_cannot_be_reviewed(world):
    home = world.home
    draft = services.diary_draft_save(actor=home.cadre, checkin=check_in(home), work_log="草稿")
    with pytest.raises(PermissionDenied):
        services.diary_entry_review(actor=home.admin, entry=draft, grade=Grade.GOOD, comment="好")


# --- comments -------------------------------------------------------------------------------------

def test_cadre_and_reviewer_comment_back_and_forth(world, django_capture_on_commit_callbacks):
    home = world.home
    entry = submitted(home)
    services.diary_entry_review(actor=home.admin, entry=entry, grade=Grade.FAIR, comment="请写清走访对象")
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.diary_comment_add(actor=home.cadre, entry=entry, body="收到，下次补充")
    assert list(Notification.objects.values_list("user_id", "kind", "title")) == [
        (home.admin.pk, "diary.comment", f"{home.cadre.display_name} 评论了 11-20 的工作日记")]
    with django_capture_on_commit_callbacks(execute=True):
        services.diary_comment_add(actor=home.secretary, entry=entry, body="镇里也会跟进")
    with django_capture_on_commit_callbacks(execute=True):
        services.diary_comment_add(actor=home.cadre, entry=entry, body="谢谢")
    assert list(entry.comments.values_list("author_id", "body", "is_review")) == [
        (home.admin.pk, "请写清走访对象", True), (home.cadre.pk, "收到，下次补充", False),
        (home.secretary.pk, "镇里也会跟进", False), (home.cadre.pk, "谢谢", False)]
    assert sorted(Notification.objects.values_list("user_id", flat=True)) == sorted(
        [home.admin.pk, home.cadre.pk, home.admin.pk, home.secretary.pk])
    assert AuditEvent.objects.filter(action=AuditAction.DIARY_COMMENT).count() == 3


def test_an_empty_or_long_comment_is_refused(world):
    entry = submitted(world.home)
    for body, message in (("  ", "请填写评论内容"), ("评" * 1001, "评论不超过 1000 字")):
        with pytest.raises(ValidationError) as exc:
            services.diary_comment_add(actor=world.home.cadre, entry=entry, body=body)
        assert exc.value.messages == [message]
    assert DiaryComment.objects.count() == 0


@pytest.mark.parametrize("who", ["micro", "centre_staff", "youth_user", "other_admin", "other_cadre"])
def test_outsiders_cannot_comment(world, who):
    actor = getattr(world.other, who.removeprefix("other_")) if who.startswith("other_") else getattr(world.home, who)
    entry = submitted(world.home)
    with pytest.raises(PermissionDenied):
        services.diary_comment_add(actor=actor, entry=entry, body="路过")
    assert DiaryComment.objects.count() == 0


def test_nobody_comments_on_a_draft(world):
    home = world.home
    draft = services.diary_draft_save(actor=home.cadre, checkin=check_in(home), work_log="草稿")
    for actor in (home.cadre, home.admin):
        with pytest.raises(PermissionDenied):
            services.diary_comment_add(actor=actor, entry=draft, body="x")


# --- the month summary to the groups ------------------------------------------------------------------

@pytest.fixture
def township_group(world):
    from youthlink.notifications.models import ChannelKind
    from youthlink.notifications.services import channel_create
    home = world.home
    return channel_create(actor=home.admin, node=home.township, kind=ChannelKind.DINGTALK, name="泰顺镇团干部群",
                          url="https://oapi.dingtalk.com/robot/send?access_token=4f2d0c1e9b7a", secret="SECb1c2d3e4")


def test_the_month_summary_goes_to_the_groups_the_cadre_serves_once(world, township_group,
                                                                     django_capture_on_commit_callbacks):
    from youthlink.diary.selectors import Month
    from youthlink.notifications.models import Delivery
    home = world.home
    entry = submitted(home)
    services.diary_entry_review(actor=home.admin, entry=entry, grade=Grade.EXCELLENT, comment="很好")
    services.diary_comment_add(actor=home.cadre, entry=entry, body="谢谢")
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=False):
        sent = services.diary_summary_send(actor=home.secretary, cadre=home.cadre, cadre_node=home.township,
                                           month=Month(2026, 11))
    assert sent == 1
    delivery = Delivery.objects.get()
    name = home.cadre.display_name
    assert (delivery.channel, delivery.kind, delivery.title, delivery.body, delivery.url, delivery.dedupe_key) == (
        township_group, "diary.summary", f"工作日记点评汇总 · {name} · 2026年11月",
        f"{name} 2026年11月：报到 1 次，提交工作日记 1 篇，已点评 1 篇（优秀 1、良好 0、一般 0、需改进 0），评论互动 2 条。",
        f"/diary/cadres/{home.cadre.pk}/summary/?month=2026-11", f"diary.summary:{home.cadre.pk}:2026-11")
    assert "单雄信" not in delivery.body
    event = AuditEvent.objects.get(action=AuditAction.DIARY_SUMMARY)
    assert (event.actor_id, event.target_id, event.data) == (
        home.secretary.pk, home.cadre.pk, {"month": "2026-11", "channels": 1, "submitted": 1, "reviewed": 1})
    with pytest.raises(ValidationError) as exc:
        services.diary_summary_send(actor=home.admin, cadre=home.cadre, cadre_node=home.township,
                                    month=Month(2026, 11))
    assert exc.value.messages == [f"没有可发送的渠道：{home.village.name}及其上级未设置通知渠道，或本月汇总已经发送过"]
    assert (Delivery.objects.count(), AuditEvent.objects.filter(action=AuditAction.DIARY_SUMMARY).count()) == (1, 1)


def test_without_a_channel_the_summary_is_refused(world):
    from youthlink.diary.selectors import Month
    with pytest.raises(ValidationError):
        services.diary_summary_send(actor=world.home.admin, cadre=world.home.cadre, cadre_node=world.home.township,
                                    month=Month(2026, 11))
    assert AuditEvent.objects.filter(action=AuditAction.DIARY_SUMMARY).count() == 0


@pytest.mark.parametrize("who", ["cadre", "micro", "other_admin"])
def test_only_the_committees_over_the_cadre_send_the_summary(world, township_group, who):
    from youthlink.diary.selectors import Month
    from youthlink.notifications.models import Delivery
    actor = getattr(world.other, who.removeprefix("other_")) if who.startswith("other_") else getattr(world.home, who)
    with pytest.raises(PermissionDenied):
        services.diary_summary_send(actor=actor, cadre=world.home.cadre, cadre_node=world.home.township,
                                    month=Month(2026, 11))
    assert Delivery.objects.count() == 0
