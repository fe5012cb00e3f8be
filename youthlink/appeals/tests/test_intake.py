import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from youthlink.accounts.models import Role
from youthlink.appeals import services
from youthlink.appeals.models import Appeal, AppealComment, Category, Level, Source, Status
from youthlink.appeals.deadlines import LOCAL_TZ
from youthlink.appeals.search import scope_tokens
from youthlink.audit.models import AuditAction, AuditEvent
from youthlink.core.testing import make_person, make_staff
from youthlink.notifications.models import Notification

from .builders import category, claimed, collected, published

pytestmark = pytest.mark.django_db

# A Friday afternoon: the first response is due at the end of Monday.
NOW = dt.datetime(2026, 11, 27, 15, 0, tzinfo=LOCAL_TZ)


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


def snapshot() -> tuple:
    return (list(Appeal.objects.order_by("pk").values()), AppealComment.objects.count(),
            AuditEvent.objects.filter(action__startswith="appeal.").count())


# --- heard ---------------------------------------------------------------------------------------

def test_micro_element_records_a_collected_need_that_waits_for_review(world):
    appeal = collected(world)
    home = world.home
    assert (appeal.status, appeal.source, appeal.collected_from, appeal.is_public) == (
        Status.PENDING, Source.COLLECTED, "moments", False)
    assert (appeal.node, appeal.node_path, appeal.handling_node, appeal.level) == (
        home.village, home.village.path, home.township, Level.TOWNSHIP)
    assert (appeal.subject_name, appeal.consent_to_publish, appeal.consent_note) == ("单雄信", True, "本人微信同意")
    assert appeal.search_tokens.split()[:3] == ["生姜", "滞销", "求"]
    assert appeal.public_search_tokens == scope_tokens(appeal.node_path)  # no public words yet, the place only
    event = AuditEvent.objects.get(action=AuditAction.APPEAL_SUBMIT)
    assert (event.actor_id, event.target_id, event.node_path) == (home.micro.pk, appeal.pk, home.village.path)
    # the township secretary is told; nobody else
    assert list(Notification.objects.values_list("user_id", "kind")) == [(home.secretary.pk, "appeal.review")]


def test_young_person_submits_their_own_request_at_their_home(world):
    home = world.home
    appeal = services.appeal_submit(actor=home.youth_user, source=Source.SELF, category=category("employment"),
                                    title="想找一份电商运营的工作", body="大专毕业一年，会做短视频，想在县城找电商相关工作",
                                    node=world.other.village, consent_to_publish=True)
    assert (appeal.person, appeal.node, appeal.submitted_by, appeal.is_minor) == (
        home.youth, home.youth.home_node, home.youth_user, False)


def test_cadre_records_a_request_heard_on_a_visit_about_a_known_person(world):
    home = world.home
    appeal = services.appeal_submit(actor=home.cadre, source=Source.VISIT, category=category("health"),
                                    title="需要康复器材", body="卧床多年，家里需要一张护理床和轮椅",
                                    node=home.village, person=home.person)
    assert (appeal.person, appeal.subject_name, appeal.source) == (home.person, "", Source.VISIT)


@pytest.mark.parametrize("change, field", [
    ({"title": "求"}, "title"),
    ({"body": "太短"}, "body"),
    ({"body": "长" * 2001}, "body"),
    ({"collected_from": ""}, "collected_from"),
    ({"subject_name": ""}, "subject_name"),
    ({"consent_note": ""}, "consent_note"),
    ({"category": None}, "category"),
])
def test_bad_input_is_refused_with_a_reason_and_saves_nothing(world, change, field):
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        collected(world, **change)
    assert field in exc.value.message_dict
    assert snapshot() == before


def test_another_countys_category_and_place_are_refused(world):
    other_cat = Category.objects.create(key="tea", name="茶叶", county=world.other.county)
    with pytest.raises(ValidationError) as exc:
        collected(world, category=other_cat)
    assert list(exc.value.message_dict) == ["category"]
    with pytest.raises(ValidationError) as exc:
        collected(world, node=world.other.village)
    assert "node" in exc.value.message_dict
    assert Appeal.objects.count() == 0


def test_a_county_category_is_offered_in_that_county(world):
    tea = Category.objects.create(key="tea", name="茶叶销售", county=world.home.county)
    appeal = collected(world, category=tea)
    assert appeal.category == tea


@pytest.mark.parametrize("role, source", [("youth_user", Source.VISIT), ("micro", Source.VISIT),
                                          ("cadre", Source.COLLECTED), ("centre_staff", Source.SELF)])
def test_a_source_the_user_does_not_have_is_forbidden(world, role, source):
    with pytest.raises(PermissionDenied):
        services.appeal_submit(actor=getattr(world.home, role), source=source, category=category(), title="想学直播带货",
                               body="想学习直播带货，把家里的高山蔬菜卖出去", node=world.home.village)
    assert Appeal.objects.count() == 0


# --- reviewed ------------------------------------------------------------------------------------

def test_preview_masks_mobile_id_number_and_name(world):
    appeal = collected(world, body="单雄信的电话 13800138000，身份证 330329200103041234，雄信家在半山腰")
    title, body = services.preview_public_text(appeal)
    assert body == "单某某的电话 138****8000，身份证 330329************，某某家在半山腰"


def test_secretary_publishes_with_deadlines_counted_in_working_days(world):
    appeal = published(world)
    home = world.home
    assert (appeal.status, appeal.is_public, appeal.reviewed_by, appeal.published_at) == (
        Status.OPEN, True, home.secretary, NOW)
    assert appeal.public_body == "村里单某某家种的两亩生姜卖不出去，电话138****8000，希望帮忙联系销路"
    # Friday → first response by the end of Monday, resolution by the end of the next Friday
    assert appeal.response_due_at == dt.datetime(2026, 11, 30, 23, 59, 59, tzinfo=LOCAL_TZ)
    assert appeal.resolve_due_at == dt.datetime(2026, 12, 4, 23, 59, 59, tzinfo=LOCAL_TZ)
    assert "生姜" in appeal.public_search_tokens.split() and "单雄信" not in appeal.public_search_tokens
    assert AuditEvent.objects.get(action=AuditAction.APPEAL_PUBLISH).data == {"edited": False}
    notified = set(Notification.objects.filter(kind="appeal.open").values_list("user_id", flat=True))
    assert notified == {home.secretary.pk, home.cadre.pk, home.admin.pk}
    assert Notification.objects.filter(kind="appeal.status", user=home.micro).count() == 1


def test_complex_request_gets_thirteen_working_days(world):
    appeal = collected(world)
    appeal = services.appeal_keep_private(actor=world.home.secretary, appeal=appeal, is_complex=True)
    assert (appeal.status, appeal.is_public, appeal.public_search_tokens) == (Status.OPEN, False, scope_tokens(appeal.node_path))
    assert appeal.resolve_due_at == dt.datetime(2026, 12, 16, 23, 59, 59, tzinfo=LOCAL_TZ)


@pytest.mark.parametrize("text, what", [
    ("单雄信的生姜卖不出去", "当事人姓名"), ("联系 13800138000 的生姜", "手机号"),
    ("证件 330329200103041234 的生姜", "身份证号"),
])
def test_a_name_or_number_typed_back_into_the_public_text_is_refused(world, text, what):
    appeal = collected(world)
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        services.appeal_publish(actor=world.home.secretary, appeal=appeal, public_title="生姜滞销求销路",
                                public_body=text + "，希望帮忙联系")
    assert what in exc.value.message_dict["public_body"][0]
    assert snapshot() == before


def test_a_minors_request_hides_the_village_too(world):
    appeal = collected(world, is_minor=True, consent_note="监护人微信同意",
                       body=f"{world.home.village.name}的单雄信今年15岁，想参加编程夏令营")
    title, body = services.preview_public_text(appeal)
    assert body == "某村的单某某今年15岁，想参加编程夏令营"
    with pytest.raises(ValidationError) as exc:
        services.appeal_publish(actor=world.home.secretary, appeal=appeal, public_title=title,
                                public_body=f"{world.home.village.name}的孩子想参加编程夏令营")
    assert "未成年人所在村或学校" in exc.value.message_dict["public_body"][0]
    services.appeal_publish(actor=world.home.secretary, appeal=appeal, public_title=title, public_body=body)


def test_without_consent_it_can_only_be_kept_private(world):
    appeal = collected(world, consent=False)
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        services.appeal_publish(actor=world.home.secretary, appeal=appeal, public_title="生姜滞销求销路",
                                public_body="村民家的生姜卖不出去，希望帮忙联系销路")
    assert exc.value.messages == ["当事人未同意公开，只能选择“不公开办理”"]
    assert snapshot() == before


@pytest.mark.parametrize("who", ["cadre", "micro", "centre_staff", "youth_user"])
def test_only_secretaries_and_admins_review(world, who):
    appeal = collected(world)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.appeal_keep_private(actor=getattr(world.home, who), appeal=appeal)
    with pytest.raises(PermissionDenied):
        services.appeal_keep_private(actor=world.other.secretary, appeal=appeal)
    assert snapshot() == before


def test_a_second_review_is_told_it_was_already_reviewed(world):
    appeal = collected(world)
    stale = Appeal.objects.get(pk=appeal.pk)
    services.appeal_keep_private(actor=world.home.secretary, appeal=appeal)
    with pytest.raises(ValidationError) as exc:
        services.appeal_reject(actor=world.home.admin, appeal=stale, reason="信息不全，请补充")
    assert exc.value.messages == ["该诉求已由他人审核，请刷新页面"]
    assert Appeal.objects.get(pk=appeal.pk).status == Status.OPEN


def test_reject_needs_a_reason_the_submitter_reads(world):
    appeal = collected(world)
    with pytest.raises(ValidationError):
        services.appeal_reject(actor=world.home.secretary, appeal=appeal, reason=" ")
    appeal = services.appeal_reject(actor=world.home.secretary, appeal=appeal, reason="已由民政部门解决，无需重复办理")
    assert (appeal.status, appeal.reject_reason) == (Status.REJECTED, "已由民政部门解决，无需重复办理")
    note = Notification.objects.get(user=world.home.micro, kind="appeal.status")
    assert (note.title, note.body) == ("您的诉求未通过审核：生姜滞销求销路", "已由民政部门解决，无需重复办理")


def test_merge_into_an_open_request_of_the_area(world):
    first = published(world)
    dup = collected(world, title="生姜卖不掉", body="同村另一户的生姜也卖不出去，想找销路")
    dup = services.appeal_merge(actor=world.home.secretary, appeal=dup, into=first)
    assert (dup.status, dup.merged_into) == (Status.MERGED, first)
    assert AuditEvent.objects.get(action=AuditAction.APPEAL_MERGE).data == {"into": first.pk}


def test_merge_into_itself_or_a_pending_one_is_refused(world):
    a = collected(world)
    b = collected(world, title="生姜卖不掉", body="同村另一户的生姜也卖不出去，想找销路")
    for into in (a, b):
        with pytest.raises(ValidationError):
            services.appeal_merge(actor=world.home.secretary, appeal=a, into=into)
    assert Appeal.objects.get(pk=a.pk).status == Status.PENDING


# --- taken on ------------------------------------------------------------------------------------

def test_cadre_claims_and_the_first_response_is_recorded(world):
    appeal = claimed(world)
    assert (appeal.status, appeal.handler, appeal.claimed_at, appeal.first_response_at) == (
        Status.IN_PROGRESS, world.home.cadre, NOW, NOW)
    assert AuditEvent.objects.filter(action=AuditAction.APPEAL_CLAIM, target_id=appeal.pk).count() == 1


def test_a_second_claim_gets_a_clear_message(world):
    appeal = published(world)
    stale = Appeal.objects.get(pk=appeal.pk)
    services.appeal_claim(actor=world.home.cadre, appeal=appeal)
    with pytest.raises(ValidationError) as exc:
        services.appeal_claim(actor=world.home.secretary, appeal=stale)
    # the stale copy still looked open: the conditional update tells who was first
    assert exc.value.messages == ["该诉求刚刚已被泰顺团干部认领"]
    with pytest.raises(ValidationError) as exc:
        services.appeal_claim(actor=world.home.secretary, appeal=Appeal.objects.get(pk=appeal.pk))
    assert exc.value.messages == ["该诉求已被认领或不在待认领状态"]
    assert Appeal.objects.get(pk=appeal.pk).handler == world.home.cadre


@pytest.mark.parametrize("who", ["micro", "centre_staff", "youth_user"])
def test_only_cadres_over_the_handling_level_claim(world, who):
    appeal = published(world)
    for actor in (getattr(world.home, who), world.other.cadre):
        with pytest.raises(PermissionDenied):
            services.appeal_claim(actor=actor, appeal=appeal)
    assert Appeal.objects.get(pk=appeal.pk).handler is None


def test_secretary_assigns_and_reassigns(world):
    home = world.home
    appeal = published(world)
    appeal = services.appeal_assign(actor=home.secretary, appeal=appeal, assignee=home.cadre)
    assert (appeal.status, appeal.handler) == (Status.IN_PROGRESS, home.cadre)
    second = make_staff("李干部", home.township, Role.CADRE)
    appeal = services.appeal_assign(actor=home.secretary, appeal=appeal, assignee=second)
    assert appeal.handler == second
    assert Notification.objects.filter(kind="appeal.assigned").count() == 2
    event = AuditEvent.objects.filter(action=AuditAction.APPEAL_ASSIGN).order_by("-id").first()
    assert event.data == {"assignee": second.pk, "assignee_name": "李干部", "previous": home.cadre.pk}


def test_assign_to_someone_outside_the_level_is_refused(world):
    appeal = published(world)
    for assignee in (world.home.micro, world.other.cadre, world.home.youth_user):
        with pytest.raises(ValidationError):
            services.appeal_assign(actor=world.home.secretary, appeal=appeal, assignee=assignee)
    with pytest.raises(PermissionDenied):
        services.appeal_assign(actor=world.home.cadre, appeal=appeal, assignee=world.home.cadre)
    assert Appeal.objects.get(pk=appeal.pk).handler is None


# --- comments ------------------------------------------------------------------------------------

def test_young_people_comment_on_published_requests_only(world):
    appeal = published(world)
    comment = services.appeal_comment(actor=world.home.youth_user, appeal=appeal, body="我家有冷库，可以先帮忙存放")
    assert (comment.author, comment.body) == (world.home.youth_user, "我家有冷库，可以先帮忙存放")
    private = collected(world, title="家里困难需要帮助")
    with pytest.raises(PermissionDenied):
        services.appeal_comment(actor=world.home.cadre, appeal=private, body="关注")
    for body in ("", "长" * 501):
        with pytest.raises(ValidationError):
            services.appeal_comment(actor=world.home.youth_user, appeal=appeal, body=body)
    assert AppealComment.objects.count() == 1


def test_a_registered_young_person_is_found_by_mobile_and_follows_the_request(world):
    home = world.home
    appeal = collected(world, subject_name="", subject_mobile=f" {home.youth.mobile[:3]} {home.youth.mobile[3:]}")
    assert (appeal.person, appeal.subject_name) == (home.youth, "")
    published_appeal = services.appeal_publish(actor=home.secretary, appeal=appeal, public_title="生姜滞销求销路",
                                               public_body="村民家的两亩生姜卖不出去，希望帮忙联系销路")
    assert Notification.objects.filter(user=home.youth_user, kind="appeal.status").count() == 1
    assert published_appeal.person == home.youth


@pytest.mark.parametrize("mobile, message", [
    ("1380013", "手机号格式不正确"),
    ("13912345678", "您的辖区内没有用这个手机号登记的青年；可不填手机号，只写当事人姓名"),
])
def test_an_unknown_or_foreign_mobile_is_refused(world, mobile, message):
    with pytest.raises(ValidationError) as exc:
        collected(world, subject_name="", subject_mobile=mobile)
    assert exc.value.message_dict["subject_mobile"] == [message]
    with pytest.raises(ValidationError) as exc:  # the other county's young person is not in reach
        collected(world, subject_name="", subject_mobile=world.other.youth.mobile)
    assert "subject_mobile" in exc.value.message_dict
    assert Appeal.objects.count() == 0
