import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from youthlink.accounts.models import Role
from youthlink.audit.models import AuditAction, AuditEvent
from youthlink.core import registry
from youthlink.core.testing import make_node, make_person, make_staff
from youthlink.notifications.models import Notification
from youthlink.orgs.models import NodeKind
from youthlink.orgs.services import social_organisation_create
from youthlink.visits import services
from youthlink.visits.models import (Visit, VisitDay, VisitParticipant, VisitPhoto, VisitProblem, VisitRuleSetting,
                                     YearlyTarget)
from youthlink.visits.periods import Month

from .helpers import GPS_LATITUDE, at, jpeg_with_gps, png, stored_files

pytestmark = pytest.mark.django_db

NOW = at(2026, 11, 20, 21, 0)


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def events():
    """What the "visit.logged" listeners receive (the pairing app is one of them)."""
    received = []

    def listener(**payload):
        received.append(payload)

    registry.register_listener("visit.logged", listener)
    yield received
    registry.LISTENERS["visit.logged"].remove(listener)


def counts() -> tuple:
    return (Visit.objects.count(), VisitParticipant.objects.count(), VisitProblem.objects.count(),
            VisitPhoto.objects.count(), Visit.people.through.objects.count(), Visit.social_orgs.through.objects.count(),
            AuditEvent.objects.filter(action=AuditAction.VISIT_LOG).count())


def log(world, **kw):
    home = world.home
    data = dict(actor=home.cadre, kind="home", visited_at=at(2026, 11, 19, 19, 30), place=home.village)
    data.update(kw)
    return services.visit_log(**data)


# --- recording a visit -------------------------------------------------------------------------------------

def test_a_cadre_logs_an_evening_home_visit_with_everything_on_it(world, events):
    home = world.home
    companion = make_staff("吴同行", home.township, Role.CADRE)
    visit = log(world, people=[home.person, home.youth, home.person], social_orgs=[home.social_org],
                companions=[companion, home.cadre], notes="  奶奶身体尚可  ",
                problems=["家里的茶叶卖不出去", "  ", "希望  有人辅导 功课"], latitude="27.834512", longitude=119.72)

    visit.refresh_from_db()
    assert (visit.kind, visit.place_id, visit.created_by_id, visit.notes) == ("home", home.village.pk, home.cadre.pk,
                                                                               "奶奶身体尚可")
    assert visit.visited_at == at(2026, 11, 19, 19, 30)
    assert (visit.local_date, visit.is_evening) == (dt.date(2026, 11, 19), True)
    assert (str(visit.latitude), str(visit.longitude)) == ("27.834512", "119.720000")
    assert sorted(visit.people.values_list("pk", flat=True)) == sorted([home.person.pk, home.youth.pk])
    assert list(visit.social_orgs.values_list("pk", flat=True)) == [home.social_org.pk]
    assert list(visit.participant_rows.order_by("id").values_list("user_id", "is_creator")) == [
        (home.cadre.pk, True), (companion.pk, False)]
    assert list(visit.problems.values_list("text", "position")) == [("家里的茶叶卖不出去", 0), ("希望 有人辅导 功课", 1)]
    audit = AuditEvent.objects.get(action=AuditAction.VISIT_LOG)
    assert (audit.actor_id, audit.target_type, audit.target_id, audit.node_path, audit.target_label) == (
        home.cadre.pk, "visits.visit", visit.pk, home.village.path, "入户走访 · 泰顺村")
    assert audit.data == {"kind": "home", "cadre_ids": [home.cadre.pk, companion.pk],
                          "person_ids": [home.person.pk, home.youth.pk], "social_org_ids": [home.social_org.pk],
                          "problems": 2, "photos": 0}
    assert events == [{"visit_id": visit.pk, "cadre_ids": [home.cadre.pk, companion.pk],
                       "person_ids": [home.person.pk, home.youth.pk], "node_id": home.village.pk,
                       "visited_at": at(2026, 11, 19, 19, 30)}]


def test_the_companion_is_told_after_the_commit(world, django_capture_on_commit_callbacks):
    companion = make_staff("吴同行", world.home.township, Role.CADRE)
    with django_capture_on_commit_callbacks(execute=True):
        visit = log(world, companions=[companion])
    assert list(Notification.objects.values_list("user_id", "kind", "title", "url")) == [
        (companion.pk, "visits.companion", "泰顺团干部 记录了一次与您同行的走访", f"/visits/{visit.pk}/")]


@pytest.mark.parametrize(("hour", "minute", "evening"), [
    (17, 59, False), (18, 0, True), (22, 59, True), (23, 0, True), (23, 1, False), (6, 30, False)])
def test_evening_is_18_to_23_local_time(world, hour, minute, evening):
    visit = log(world, visited_at=at(2026, 11, 19, hour, minute))
    assert visit.is_evening is evening


def test_the_local_date_is_chinas_even_when_utc_is_still_the_day_before(world):
    # 00:30 in Shanghai is 16:30 UTC of the previous day.
    visit = log(world, visited_at=dt.datetime(2026, 11, 18, 16, 30, tzinfo=dt.UTC))
    assert (visit.local_date, visit.is_evening) == (dt.date(2026, 11, 19), False)


def test_a_naive_time_is_taken_as_local_time(world):
    visit = log(world, visited_at=dt.datetime(2026, 11, 19, 20, 15))
    assert visit.visited_at == at(2026, 11, 19, 20, 15)
    assert visit.is_evening is True


def test_a_visit_in_the_future_is_refused_and_nothing_is_saved(world):
    before = counts()
    with pytest.raises(ValidationError) as exc:
        log(world, visited_at=at(2026, 11, 20, 21, 10), problems=["问题"], photos=[png()])
    assert exc.value.message_dict == {"visited_at": ["走访时间不能晚于现在"]}
    assert counts() == before
    assert stored_files() == set()


def test_a_phone_clock_a_few_minutes_ahead_is_accepted(world):
    assert log(world, visited_at=at(2026, 11, 20, 21, 4)).local_date == dt.date(2026, 11, 20)


def test_a_young_person_outside_the_cadres_subtree_is_refused(world):
    before = counts()
    with pytest.raises(ValidationError) as exc:
        log(world, people=[world.home.person, world.other.person], problems=["问题"])
    assert exc.value.message_dict == {"people": ["所选青年不在您的辖区内"]}
    assert counts() == before


def test_a_young_person_of_a_neighbouring_township_is_refused(world):
    neighbour = make_node("罗阳镇", NodeKind.TOWNSHIP, world.home.county)
    person = make_person(make_node("洲岭村", NodeKind.VILLAGE, neighbour), "罗青年")
    with pytest.raises(ValidationError) as exc:
        log(world, people=[person])
    assert exc.value.message_dict == {"people": ["所选青年不在您的辖区内"]}
    assert log(world, actor=world.home.admin, people=[person]).people.get() == person


def test_an_organisation_outside_the_cadres_subtree_is_refused(world):
    before = counts()
    with pytest.raises(ValidationError) as exc:
        log(world, social_orgs=[world.other.social_org])
    assert exc.value.message_dict == {"social_orgs": ["所选社会组织不在您的辖区内"]}
    assert counts() == before


def test_a_place_outside_the_cadres_subtree_is_refused(world):
    before = counts()
    for place in (world.other.village, world.home.county, None):
        with pytest.raises(ValidationError) as exc:
            log(world, place=place)
        assert exc.value.message_dict == {"place": ["请选择您辖区内的走访地点"]}
    assert counts() == before


def test_a_companion_must_work_over_the_place(world):
    home = world.home
    county_cadre = make_staff("县团委干部", home.county, Role.CADRE)
    assert log(world, companions=[county_cadre]).participant_rows.count() == 2
    before = counts()
    for companion in (world.other.cadre, home.micro, home.centre_staff):
        with pytest.raises(ValidationError) as exc:
            log(world, companions=[companion])
        assert exc.value.message_dict == {"companions": ["同行人员须是负责该走访地点的团干部"]}
    assert counts() == before


def test_an_unknown_kind_and_every_other_mistake_are_reported_together(world):
    with pytest.raises(ValidationError) as exc:
        log(world, kind="party", visited_at=None, problems=["长" * 501], latitude="91", longitude="10")
    assert exc.value.message_dict == {"kind": ["请选择走访类型"], "visited_at": ["请填写走访时间"],
                                      "problems": ["每个问题不超过 500 字"], "location": ["定位数据无效，请重新定位或不附位置"]}
    assert Visit.objects.count() == 0


@pytest.mark.parametrize("persona", ["centre_staff", "youth_user"])
def test_youth_centre_workers_and_young_people_do_not_log_visits(world, persona):
    with pytest.raises(PermissionDenied):
        log(world, actor=getattr(world.home, persona))
    assert counts() == (0, 0, 0, 0, 0, 0, 0)


# --- a micro-element (微元素) logs the visits of the young people they help -----------------------------------

def test_a_micro_element_logs_a_visit_to_a_young_person_of_their_village(world, events):
    home = world.home
    village_org = social_organisation_create(node=home.village, name="泰顺村青年志愿服务队")
    visit = log(world, actor=home.micro, people=[home.person], social_orgs=[village_org], companions=[home.cadre],
                problems=["想学电商"])
    assert (visit.created_by_id, visit.place_id, visit.kind, visit.is_evening) == (
        home.micro.pk, home.village.pk, "home", True)
    assert list(visit.people.values_list("pk", flat=True)) == [home.person.pk]
    assert list(visit.social_orgs.values_list("pk", flat=True)) == [village_org.pk]
    assert list(visit.participant_rows.order_by("id").values_list("user_id", "is_creator")) == [
        (home.micro.pk, True), (home.cadre.pk, False)]
    audit = AuditEvent.objects.get(action=AuditAction.VISIT_LOG)
    assert (audit.actor_id, audit.target_id, audit.node_path, audit.data["cadre_ids"]) == (
        home.micro.pk, visit.pk, home.village.path, [home.micro.pk, home.cadre.pk])
    assert events == [{"visit_id": visit.pk, "cadre_ids": [home.micro.pk, home.cadre.pk],
                       "person_ids": [home.person.pk], "node_id": home.village.pk,
                       "visited_at": at(2026, 11, 19, 19, 30)}]


def test_a_micro_element_cannot_log_a_visit_for_a_young_person_outside_their_village(world):
    home = world.home
    neighbour = make_person(make_node("泰顺二村", NodeKind.VILLAGE, home.township), "罗青年")
    before = counts()
    for person in (neighbour, world.other.person):
        with pytest.raises(ValidationError) as exc:
            log(world, actor=home.micro, people=[home.person, person], problems=["问题"])
        assert exc.value.message_dict == {"people": ["所选青年不在您的辖区内"]}
    assert counts() == before
    assert log(world, actor=home.cadre, people=[neighbour]).people.get() == neighbour


def test_a_micro_element_logs_only_in_their_village_and_names_only_its_organisations(world):
    home = world.home
    before = counts()
    for place in (home.township, home.county, world.other.village):
        with pytest.raises(ValidationError) as exc:
            log(world, actor=home.micro, place=place)
        assert exc.value.message_dict == {"place": ["请选择您辖区内的走访地点"]}
    with pytest.raises(ValidationError) as exc:
        log(world, actor=home.micro, social_orgs=[home.social_org])  # the township's
    assert exc.value.message_dict == {"social_orgs": ["所选社会组织不在您的辖区内"]}
    assert counts() == before


def test_a_micro_element_does_not_go_along_as_a_companion(world):
    other_micro = make_staff("村志愿者", world.home.village, Role.MICRO)
    with pytest.raises(ValidationError) as exc:
        log(world, actor=world.home.micro, companions=[other_micro])
    assert exc.value.message_dict == {"companions": ["同行人员须是负责该走访地点的团干部"]}
    assert counts() == (0, 0, 0, 0, 0, 0, 0)


def test_a_paired_micro_elements_visit_closes_their_must_visit_task(world):
    """End to end through the real services: the secretary pairs the village's micro-element with a
    young person in difficulty (困难青少年), records that they are in hospital (三必到), and the
    micro-element's visit closes their task."""
    from youthlink.pairing.models import EventType, MustVisitTask, TaskStatus
    from youthlink.pairing.services import must_visit_event_record, pairing_create
    home = world.home
    person = make_person(home.village, "林小梅", tags=["hardship"])
    pairing = pairing_create(actor=home.secretary, person=person, helper=home.micro)
    assert (pairing.helper_role, pairing.helper_node_id) == (Role.MICRO, home.village.pk)
    event = must_visit_event_record(actor=home.secretary, person=person, event_type=EventType.HOSPITALISED,
                                    occurred_at=at(2026, 11, 18, 9, 0))
    task = MustVisitTask.objects.get()
    assert (task.event_id, task.helper_id, task.person_id, task.status, task.due_at) == (
        event.pk, home.micro.pk, person.pk, TaskStatus.OPEN, at(2026, 11, 21, 9, 0))

    visit = log(world, actor=home.micro, people=[person], notes="到医院探望，恢复得不错")

    task.refresh_from_db()
    assert (task.status, task.visit_id, task.closed_at) == (TaskStatus.DONE, visit.pk, at(2026, 11, 19, 19, 30))


def test_a_county_admin_logs_a_visit_anywhere_in_the_county(world):
    visit = log(world, actor=world.home.admin, kind="organisation", place=world.home.township)
    assert (visit.created_by_id, visit.place_id) == (world.home.admin.pk, world.home.township.pk)


def test_a_secretary_cannot_log_a_visit_above_the_township(world):
    with pytest.raises(ValidationError) as exc:
        log(world, actor=world.home.secretary, place=world.home.county)
    assert exc.value.message_dict == {"place": ["请选择您辖区内的走访地点"]}


# --- photos ------------------------------------------------------------------------------------------------

def test_a_phone_photo_is_stored_small_upright_and_without_exif_or_gps(world):
    upload = jpeg_with_gps(width=4000, height=3000, orientation=6)
    original = Image.open(upload)
    assert original.getexif().get_ifd(0x8825)[2] == GPS_LATITUDE  # the phone's photo does carry a position
    assert original.getexif()[0x0110] == "iPhone 15"
    upload.seek(0)
    visit = log(world, photos=[upload])
    photo = visit.photos.get()
    assert stored_files() == {photo.image.name}
    assert photo.image.name.startswith("visits/2026/11/") and photo.image.name.endswith(".jpg")
    with default_storage.open(photo.image.name, "rb") as handle:
        data = handle.read()
    image = Image.open(io.BytesIO(data))
    # Orientation 6 (rotate 90° clockwise) applied before the EXIF was dropped: portrait, 1200 × 1600.
    assert (image.format, image.mode, image.size) == ("JPEG", "RGB", (1200, 1600))
    assert (photo.width, photo.height, photo.size) == (1200, 1600, len(data))
    assert dict(image.getexif()) == {}
    assert image.getexif().get_ifd(0x8825) == {}
    assert [key for key in image.info if key in ("exif", "icc_profile", "xmp", "comment", "photoshop")] == []
    assert b"Exif" not in data and b"iPhone" not in data and b"GPS" not in data and b"secret comment" not in data
    # The yellow block that was top-left is now top-right: the picture was turned upright.
    assert image.getpixel((1100, 100))[2] < 60 and image.getpixel((100, 100))[2] > 150


def test_a_small_png_with_transparency_becomes_a_jpeg_of_the_same_size(world):
    visit = log(world, photos=[png(width=400, height=300, alpha=True)])
    photo = visit.photos.get()
    with default_storage.open(photo.image.name, "rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
    assert (image.format, image.size, photo.width, photo.height) == ("JPEG", (400, 300), 400, 300)


def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_saved(world):
    before = counts()
    fake = SimpleUploadedFile("报名表.jpg", b"%PDF-1.7 not a picture at all", content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        log(world, people=[world.home.person], problems=["问题"], photos=[png(), fake])
    assert exc.value.message_dict == {"photos": ["“报名表.jpg”不是图片文件，或文件已损坏"]}
    assert counts() == before
    assert stored_files() == set()


def test_a_truncated_image_is_refused(world):
    data = jpeg_with_gps(width=600, height=400).read()
    broken = SimpleUploadedFile("broken.jpg", data[: len(data) // 2], content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        log(world, photos=[broken])
    assert exc.value.message_dict == {"photos": ["“broken.jpg”不是图片文件，或文件已损坏"]}
    assert Visit.objects.count() == 0


def test_a_50_mb_photo_is_refused_before_it_is_read_and_nothing_is_saved(world):
    before = counts()
    huge = SimpleUploadedFile("IMG_9999.JPG", b"\xff\xd8\xff" + b"\0" * (50 * 1024 * 1024), content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        log(world, problems=["问题"], photos=[huge])
    assert exc.value.message_dict == {"photos": ["照片“IMG_9999.JPG”太大（50.0 MB），每张不能超过 10 MB"]}
    assert counts() == before
    assert stored_files() == set()


def test_the_photo_limit_is_a_setting(world, settings):
    settings.PHOTO_MAX_BYTES = 1024 * 1024
    with pytest.raises(ValidationError) as exc:
        log(world, photos=[SimpleUploadedFile("big.jpg", b"\0" * (2 * 1024 * 1024))])
    assert exc.value.message_dict == {"photos": ["照片“big.jpg”太大（2.0 MB），每张不能超过 1 MB"]}


def test_at_most_nine_photos_a_visit(world):
    with pytest.raises(ValidationError) as exc:
        log(world, photos=[png(width=20, height=20) for _ in range(10)])
    assert exc.value.message_dict == {"photos": ["每次最多上传 9 张照片"]}
    assert stored_files() == set()


def test_stored_photos_are_removed_when_the_transaction_rolls_back(world):
    def failing_listener(**payload):
        raise RuntimeError("pairing is down")

    registry.register_listener("visit.logged", failing_listener)
    try:
        with pytest.raises(RuntimeError):
            log(world, photos=[png(), jpeg_with_gps(width=800, height=600)], problems=["问题"])
    finally:
        registry.LISTENERS["visit.logged"].remove(failing_listener)
    assert counts() == (0, 0, 0, 0, 0, 0, 0)
    assert stored_files() == set()


def test_photos_are_added_later_by_a_cadre_who_made_the_visit(world):
    companion = make_staff("吴同行", world.home.township, Role.CADRE)
    visit = log(world, companions=[companion], photos=[png()])
    added = services.visit_photos_add(actor=companion, visit=visit, photos=[jpeg_with_gps(width=800, height=600)])
    assert [(p.position, p.width, p.height) for p in visit.photos.order_by("position")] == [
        (0, 400, 300), (1, 800, 600)]
    assert len(stored_files()) == 2
    audit = AuditEvent.objects.filter(action=AuditAction.VISIT_LOG).order_by("id").last()
    assert (audit.actor_id, audit.target_id, audit.data) == (companion.pk, visit.pk, {"photos_added": [added[0].pk]})


@pytest.mark.parametrize("persona", ["admin", "secretary"])
def test_no_one_else_adds_photos_to_a_visit(world, persona):
    visit = log(world)
    with pytest.raises(PermissionDenied):
        services.visit_photos_add(actor=getattr(world.home, persona), visit=visit, photos=[png()])
    assert (VisitPhoto.objects.count(), stored_files()) == (0, set())


def test_adding_no_photo_or_a_bad_one_changes_nothing(world):
    visit = log(world)
    audits = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.visit_photos_add(actor=world.home.cadre, visit=visit, photos=[])
    assert exc.value.message_dict == {"photos": ["请选择要上传的照片"]}
    with pytest.raises(ValidationError) as exc:
        services.visit_photos_add(actor=world.home.cadre, visit=visit,
                                  photos=[png(), SimpleUploadedFile("a.txt", b"hello")])
    assert exc.value.message_dict == {"photos": ["“a.txt”不是图片文件，或文件已损坏"]}
    assert (VisitPhoto.objects.count(), AuditEvent.objects.count(), stored_files()) == (0, audits, set())


# --- 集中夜访日 and rules --------------------------------------------------------------------------------------

def test_a_secretary_sets_the_evenings_of_a_month(world):
    home = world.home
    month = Month(2026, 12)
    assert services.visit_days_set(actor=home.secretary, node=home.township, month=month,
                                   dates=[dt.date(2026, 12, 8), dt.date(2026, 12, 1), dt.date(2026, 12, 8)]) == [
        dt.date(2026, 12, 1), dt.date(2026, 12, 8)]
    services.visit_days_set(actor=home.admin, node=home.township, month=month,
                            dates=[dt.date(2026, 12, 8), dt.date(2026, 12, 15)])
    assert list(VisitDay.objects.order_by("date").values_list("node_id", "date", "created_by_id")) == [
        (home.township.pk, dt.date(2026, 12, 8), home.secretary.pk),
        (home.township.pk, dt.date(2026, 12, 15), home.admin.pk)]


def test_setting_a_month_leaves_other_months_and_nodes_alone(world):
    home = world.home
    VisitDay.objects.create(node=home.township, date=dt.date(2026, 11, 24))
    VisitDay.objects.create(node=home.county, date=dt.date(2026, 12, 3))
    services.visit_days_set(actor=home.admin, node=home.township, month=Month(2026, 12), dates=[])
    assert VisitDay.objects.count() == 2


def test_a_date_outside_the_month_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.visit_days_set(actor=world.home.secretary, node=world.home.township, month=Month(2026, 12),
                                dates=[dt.date(2026, 12, 1), dt.date(2027, 1, 5)])
    assert exc.value.message_dict == {"dates": ["日期须在 2026-12 之内"]}
    assert VisitDay.objects.count() == 0


@pytest.mark.parametrize("persona", ["cadre", "micro", "centre_staff", "youth_user"])
def test_only_admins_and_secretaries_set_visit_days(world, persona):
    with pytest.raises(PermissionDenied):
        services.visit_days_set(actor=getattr(world.home, persona), node=world.home.township, month=Month(2026, 12),
                                dates=[dt.date(2026, 12, 1)])
    assert VisitDay.objects.count() == 0


def test_the_other_county_cannot_set_our_days(world):
    with pytest.raises(PermissionDenied):
        services.visit_days_set(actor=world.other.admin, node=world.home.township, month=Month(2026, 12), dates=[])


def test_a_county_admin_sets_the_rules_and_the_years_targets(world):
    county = world.home.county
    services.visit_rules_set(actor=world.home.admin, county=county, year=2026, min_evenings_per_month=5,
                             visited=120, collected=90, solved=60)
    services.visit_rules_set(actor=world.home.admin, county=county, year=2026, min_evenings_per_month=6,
                             visited=130, collected=90, solved=60)
    assert list(VisitRuleSetting.objects.values_list("county_id", "min_evenings_per_month")) == [(county.pk, 6)]
    assert list(YearlyTarget.objects.values_list("county_id", "year", "visited", "collected", "solved")) == [
        (county.pk, 2026, 130, 90, 60)]


def test_rules_out_of_range_are_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.visit_rules_set(actor=world.home.admin, county=world.home.county, year=2026,
                                 min_evenings_per_month=0, visited=-1, collected=100, solved=100_001)
    assert exc.value.message_dict == {"min_evenings_per_month": ["每月访谈夜应在 1 到 31 晚之间"],
                                      "visited": ["目标应在 0 到 100000 之间"], "solved": ["目标应在 0 到 100000 之间"]}
    assert (VisitRuleSetting.objects.count(), YearlyTarget.objects.count()) == (0, 0)


@pytest.mark.parametrize(("persona", "node"), [("secretary", "county"), ("admin", "township"), ("cadre", "county")])
def test_rules_are_a_county_admins(world, persona, node):
    with pytest.raises(PermissionDenied):
        services.visit_rules_set(actor=getattr(world.home, persona), county=getattr(world.home, node), year=2026,
                                 min_evenings_per_month=5, visited=100, collected=100, solved=100)
    assert (VisitRuleSetting.objects.count(), YearlyTarget.objects.count()) == (0, 0)


def test_a_second_person_in_the_village_can_be_met(world):
    person = make_person(world.home.village, "黄小梅")
    assert list(log(world, people=[person]).people.all()) == [person]
