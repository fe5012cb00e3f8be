"""Handling a request (听结办): escalation, referral, replies, the result with photos, the young
person's confirmation and rating — exact results, and refusals that save nothing."""
import io
import re

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import Client
from PIL import Image

from youthlink.accounts.models import Role
from youthlink.appeals.deadlines import LOCAL_TZ
from youthlink.appeals.models import (Appeal, AppealPhoto, AppealReferral, AppealUpdate, Level, PartnerKind, Status,
                                      UpdateKind)
from youthlink.appeals.services.handling import (appeal_confirm, appeal_escalate, appeal_refer, appeal_resolve,
                                                 appeal_respond)
from youthlink.audit.models import AuditAction, AuditEvent
from youthlink.core.testing import make_person, make_staff, make_youth_user

from .handling_helpers import at, jpeg_with_gps, make_appeal, notifications, state, stored_files

pytestmark = pytest.mark.django_db
NOTE = "镇里联系了两家电商企业，对方要求县里统一组织培训，需县团委协调。"
CSRF = re.compile(rb"\b[A-Za-z0-9]{64}\b")  # a fresh masked token on every page
PUBLISHED = at(2026, 11, 2, 10, 0)  # a Monday
NOW = at(2026, 11, 4, 15, 30)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def appeal(world):
    return make_appeal(world.home, published_at=PUBLISHED)


@pytest.fixture
def city_admin(world):
    return make_staff("丽水团市委", world.city, Role.ADMIN)


def reload(appeal) -> Appeal:
    return Appeal.objects.select_related("category", "node", "handling_node", "person", "handler",
                                         "submitted_by").get(pk=appeal.pk)


def audit_rows(action) -> list[tuple]:
    return list(AuditEvent.objects.filter(action=action).order_by("id").values_list("actor_id", "target_id", "data"))


# --- escalate (上报) -------------------------------------------------------------------------------

def test_the_township_escalates_to_the_county_which_is_told(world, appeal, django_capture_on_commit_callbacks):
    home = world.home
    with django_capture_on_commit_callbacks(execute=True):
        result = appeal_escalate(actor=home.secretary, appeal=appeal, note=f"  {NOTE}  ")
    appeal = reload(appeal)
    assert (appeal.level, appeal.handling_node_id, appeal.handler_id, appeal.claimed_at, appeal.status) == (
        Level.COUNTY, home.county.pk, None, None, Status.OPEN)
    assert appeal.escalated_at == NOW and result.pk == appeal.pk
    # the deadlines stay: the young person has waited as long as they have
    assert (appeal.response_due_at, appeal.resolve_due_at) == (at(2026, 11, 3, 23, 59, 59), at(2026, 11, 9, 23, 59, 59))
    assert list(appeal.updates.values_list("kind", "body", "author_id")) == [
        (UpdateKind.ESCALATION, NOTE, home.secretary.pk)]
    assert audit_rows(AuditAction.APPEAL_ESCALATE) == [
        (home.secretary.pk, appeal.pk, {"from_level": 1, "to_level": 2, "handling_node_id": home.county.pk})]
    assert notifications("appeals.escalated") == [(home.admin.pk, "泰顺村 上报了一件诉求：想学茶叶电商，缺少技术指导")]


def test_the_county_escalates_to_the_city_and_the_city_cannot_go_higher(
        world, appeal, city_admin, django_capture_on_commit_callbacks):
    home = world.home
    appeal_escalate(actor=home.cadre, appeal=appeal, note=NOTE)  # the handler escalates
    with django_capture_on_commit_callbacks(execute=True):
        appeal_escalate(actor=home.admin, appeal=reload(appeal), note="县内资源不足，请市里协调电商平台。")
    appeal = reload(appeal)
    assert (appeal.level, appeal.handling_node_id, appeal.status) == (Level.CITY, world.city.pk, Status.OPEN)
    assert notifications("appeals.escalated") == [(city_admin.pk, "泰顺村 上报了一件诉求：想学茶叶电商，缺少技术指导")]
    before = state(appeal)
    with pytest.raises(PermissionDenied):
        appeal_escalate(actor=city_admin, appeal=appeal, note=NOTE)
    assert state(appeal) == before


def test_escalating_without_a_note_saves_nothing(world, appeal):
    before = state(appeal)
    with pytest.raises(ValidationError) as exc:
        appeal_escalate(actor=world.home.secretary, appeal=appeal, note="   ")
    assert exc.value.message_dict == {"note": ["请填写上报说明：为什么需要上级协调"]}
    assert state(appeal) == before


@pytest.mark.parametrize("who", ["micro", "centre_staff", "youth_user", "other_admin", "other_secretary"])
def test_who_does_not_handle_the_request_cannot_escalate_it(world, appeal, who):
    user = getattr(world.other, who.removeprefix("other_")) if who.startswith("other_") else getattr(world.home, who)
    before = state(appeal)
    with pytest.raises(PermissionDenied):
        appeal_escalate(actor=user, appeal=appeal, note=NOTE)
    assert state(appeal) == before


def test_another_cadre_of_the_township_who_is_not_the_handler_cannot_escalate(world, appeal):
    colleague = make_staff("泰顺另一团干部", world.home.township, Role.CADRE)
    with pytest.raises(PermissionDenied):
        appeal_escalate(actor=colleague, appeal=appeal, note=NOTE)


def test_once_escalated_the_township_no_longer_handles_it(world, appeal):
    home = world.home
    appeal_escalate(actor=home.secretary, appeal=appeal, note=NOTE)
    appeal = reload(appeal)
    before = state(appeal)
    for user in (home.secretary, home.cadre):
        with pytest.raises(PermissionDenied):
            appeal_escalate(actor=user, appeal=appeal, note=NOTE)
        with pytest.raises(PermissionDenied):
            appeal_respond(actor=user, appeal=appeal, body="还在联系")
    assert state(appeal) == before


def test_a_resolved_request_is_not_escalated(world):
    appeal = make_appeal(world.home, published_at=PUBLISHED, status=Status.RESOLVED)
    with pytest.raises(PermissionDenied):
        appeal_escalate(actor=world.home.admin, appeal=appeal, note=NOTE)


# --- refer (资源对接) -------------------------------------------------------------------------------

@pytest.fixture
def mentor(world):
    """An entrepreneurship mentor of the home township, with an account."""
    user, person = make_youth_user(world.home.township, "季导师")
    person.tags.create(tag="mentor")
    return person


def test_referring_to_a_mentor_keeps_the_reason_and_tells_the_mentor(
        world, appeal, mentor, django_capture_on_commit_callbacks):
    home = world.home
    with django_capture_on_commit_callbacks(execute=True):
        referral = appeal_refer(actor=home.secretary, appeal=appeal, partner_kind=PartnerKind.MENTOR,
                                partner_id=mentor.pk, note="请指导开网店")
    assert (referral.partner_kind, referral.person_id, referral.social_org_id, referral.centre_id, referral.note,
            referral.reason, referral.created_by_id) == (
        "mentor", mentor.pk, None, None, "请指导开网店", "创业导师，对口创业类别", home.secretary.pk)
    assert list(appeal.updates.values_list("kind", "body")) == [("referral", "转交青年创业导师：季导师\n请指导开网店")]
    assert [(a, t, d["partner_kind"], d["partner_id"]) for a, t, d in audit_rows(AuditAction.APPEAL_REFER)] == [
        (home.secretary.pk, appeal.pk, "mentor", mentor.pk)]
    assert notifications("appeals.referred") == [(mentor.user_id, "泰顺镇 请您协助一件诉求：想学茶叶电商，缺少技术指导")]
    assert reload(appeal).status == Status.IN_PROGRESS  # referring does not change who handles it


def test_referring_to_the_same_partner_twice_is_refused(world, appeal, mentor):
    appeal_refer(actor=world.home.secretary, appeal=appeal, partner_kind=PartnerKind.MENTOR, partner_id=mentor.pk)
    before = state(appeal)
    with pytest.raises(ValidationError) as exc:
        appeal_refer(actor=world.home.secretary, appeal=appeal, partner_kind=PartnerKind.MENTOR, partner_id=mentor.pk)
    assert exc.value.message_dict == {"partner_id": ["已经转交给这位资源方"]}
    assert state(appeal) == before


@pytest.mark.parametrize("case", ["other_county_person", "wrong_kind", "no_tag", "unknown_kind", "not_a_number"])
def test_a_partner_outside_the_area_or_of_the_wrong_kind_is_refused(world, appeal, mentor, case):
    other_mentor = make_person(world.other.township, "外县导师", tags=["mentor"])
    plain = make_person(world.home.village, "普通青年")
    kind, pk = {"other_county_person": (PartnerKind.MENTOR, other_mentor.pk),
                "wrong_kind": (PartnerKind.FEDERATION, mentor.pk),
                "no_tag": (PartnerKind.LOCAL_TALENT, plain.pk),
                "unknown_kind": ("friend", mentor.pk),
                "not_a_number": (PartnerKind.MENTOR, "abc")}[case]
    before = state(appeal)
    with pytest.raises(ValidationError) as exc:
        appeal_refer(actor=world.home.secretary, appeal=appeal, partner_kind=kind, partner_id=pk)
    expected = {"partner_kind": ["请选择资源方类型"]} if case == "unknown_kind" else {
        "partner_id": ["所选资源方不在本级辖区内"]}
    assert exc.value.message_dict == expected
    assert state(appeal) == before


def test_a_social_organisation_and_a_youth_centre_can_be_referred_to(world, appeal):
    from youthlink.core.testing import make_node
    home = world.home
    centre = make_node("泰顺镇青年之家", "youth_centre", home.township)
    org = appeal_refer(actor=home.cadre, appeal=appeal, partner_kind=PartnerKind.SOCIAL_ORG,
                       partner_id=home.social_org.pk)
    hub = appeal_refer(actor=home.cadre, appeal=appeal, partner_kind=PartnerKind.YOUTH_CENTRE, partner_id=centre.pk)
    assert (org.social_org_id, org.person_id, hub.centre_id) == (home.social_org.pk, None, centre.pk)
    assert hub.reason == "青年之家，就近提供服务"
    assert AppealReferral.objects.filter(appeal=appeal).count() == 2


def test_the_micro_element_cannot_refer(world, appeal, mentor):
    with pytest.raises(PermissionDenied):
        appeal_refer(actor=world.home.micro, appeal=appeal, partner_kind=PartnerKind.MENTOR, partner_id=mentor.pk)
    assert AppealReferral.objects.count() == 0


# --- respond (答复) --------------------------------------------------------------------------------

def test_the_first_reply_answers_the_request_and_later_ones_are_progress(world, django_capture_on_commit_callbacks):
    home = world.home
    appeal = make_appeal(home, published_at=PUBLISHED, status=Status.OPEN)
    with django_capture_on_commit_callbacks(execute=True):
        first = appeal_respond(actor=home.secretary, appeal=appeal, body="已收到，正在联系农商局。")
    assert reload(appeal).first_response_at == NOW
    with time_machine.travel(at(2026, 11, 5, 9, 0), tick=False):
        second = appeal_respond(actor=home.secretary, appeal=reload(appeal), body="培训定在下周三。")
    assert (first.kind, second.kind) == (UpdateKind.RESPONSE, UpdateKind.PROGRESS)
    assert reload(appeal).first_response_at == NOW
    assert [d["first"] for _a, _t, d in audit_rows(AuditAction.APPEAL_RESPOND)] == [True, False]
    assert notifications("appeals.response") == [(home.youth_user.pk, "您的诉求有了新答复：想学茶叶电商，缺少技术指导")]


def test_an_empty_or_too_long_reply_is_refused(world, appeal):
    before = state(appeal)
    for body, message in (("  ", "请填写答复内容"), ("长" * 5001, "不超过 5000 字")):
        with pytest.raises(ValidationError) as exc:
            appeal_respond(actor=world.home.cadre, appeal=appeal, body=body)
        assert exc.value.message_dict == {"body": [message]}
    assert state(appeal) == before


# --- resolve (办结) --------------------------------------------------------------------------------

def test_the_handler_resolves_with_photos_stripped_of_gps(world, appeal, django_capture_on_commit_callbacks):
    home = world.home
    with django_capture_on_commit_callbacks(execute=True):
        update = appeal_resolve(actor=home.cadre, appeal=appeal, body="安排参加县电商培训班，已开通网店。",
                                photos=[jpeg_with_gps(), jpeg_with_gps(name="IMG_2032.jpg")])
    appeal = reload(appeal)
    assert (appeal.status, appeal.resolved_at) == (Status.RESOLVED, NOW)
    assert (update.kind, update.body, update.author_id) == (UpdateKind.RESOLUTION, "安排参加县电商培训班，已开通网店。",
                                                            home.cadre.pk)
    photos = list(AppealPhoto.objects.filter(update=update).order_by("position"))
    assert [(p.position, p.width, p.height) for p in photos] == [(0, 1600, 1200), (1, 1600, 1200)]
    assert {p.image.name for p in photos} == stored_files()
    assert all(p.image.name.startswith("appeals/2026/11/") for p in photos)
    for photo in photos:
        with default_storage.open(photo.image.name, "rb") as handle:
            data = handle.read()
        image = Image.open(io.BytesIO(data))
        assert dict(image.getexif()) == {} and b"Exif" not in data and b"iPhone" not in data
    assert audit_rows(AuditAction.APPEAL_RESOLVE) == [(home.cadre.pk, appeal.pk, {"update_id": update.pk, "photos": 2})]
    assert notifications("appeals.resolved") == [
        (home.youth_user.pk, "您的诉求已办结，请确认并评价：想学茶叶电商，缺少技术指导")]


def test_the_cadre_who_recorded_it_is_not_told_of_their_own_result(world, django_capture_on_commit_callbacks):
    home = world.home  # heard on a visit, about someone without an account: the cadre confirms for them
    appeal = make_appeal(home, published_at=PUBLISHED, person=home.person, submitted_by="cadre")
    with django_capture_on_commit_callbacks(execute=True):
        appeal_respond(actor=home.cadre, appeal=appeal, body="已联系农商局")
        appeal_resolve(actor=home.cadre, appeal=appeal, body="已处理")
    assert notifications("appeals.response") == [] and notifications("appeals.resolved") == []


def test_a_broken_photo_or_an_empty_result_stores_nothing(world, appeal):
    broken = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    before = state(appeal)
    with pytest.raises(ValidationError) as exc:
        appeal_resolve(actor=world.home.cadre, appeal=appeal, body="", photos=[jpeg_with_gps(), broken])
    assert exc.value.message_dict == {"body": ["请填写办理结果：做了什么、结果如何"],
                                      "photos": ["“x.jpg”不是图片文件，或文件已损坏"]}
    assert state(appeal) == before and stored_files() == set()


def test_a_request_nobody_took_on_cannot_be_resolved(world):
    appeal = make_appeal(world.home, published_at=PUBLISHED, status=Status.OPEN)
    with pytest.raises(PermissionDenied):
        appeal_resolve(actor=world.home.admin, appeal=appeal, body="已处理")
    assert reload(appeal).status == Status.OPEN


def test_resolving_twice_is_refused(world, appeal):
    appeal_resolve(actor=world.home.cadre, appeal=appeal, body="已处理")
    with pytest.raises(PermissionDenied):
        appeal_resolve(actor=world.home.cadre, appeal=appeal, body="已处理")  # the stale object: checked again
    assert AppealUpdate.objects.filter(kind=UpdateKind.RESOLUTION).count() == 1


# --- confirm and rate (确认并评价) -------------------------------------------------------------------

@pytest.fixture
def resolved(world, appeal):
    appeal_resolve(actor=world.home.cadre, appeal=appeal, body="已开通网店。")
    return reload(appeal)


def test_the_young_person_confirms_it_solved_with_five_stars(world, resolved, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        appeal_confirm(actor=world.home.youth_user, appeal=resolved, solved=True, rating=5, comment="很及时，谢谢！")
    appeal = reload(resolved)
    assert (appeal.status, appeal.closed_at, appeal.rating, appeal.rating_comment) == (
        Status.SOLVED, NOW, 5, "很及时，谢谢！")
    assert audit_rows(AuditAction.APPEAL_CONFIRM) == [(world.home.youth_user.pk, appeal.pk, {"rating": 5})]
    assert notifications("appeals.confirmed") == [
        (world.home.cadre.pk, "诉求已确认解决，评价 5 星：想学茶叶电商，缺少技术指导")]


def test_not_solved_reopens_it_for_the_handler(world, resolved, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        appeal_confirm(actor=world.home.youth_user, appeal=resolved, solved=False, rating=None,
                       comment="网店开了但没有人教运营")
    appeal = reload(resolved)
    assert (appeal.status, appeal.reopen_count, appeal.resolved_at, appeal.rating, appeal.handler_id) == (
        Status.IN_PROGRESS, 1, None, None, world.home.cadre.pk)
    assert appeal.resolve_due_at == at(2026, 11, 11, 23, 59, 59)  # 5 working days from the reopening
    assert list(appeal.updates.filter(kind=UpdateKind.REOPEN).values_list("body", "author_id")) == [
        ("网店开了但没有人教运营", world.home.youth_user.pk)]
    assert audit_rows(AuditAction.APPEAL_REOPEN) == [(world.home.youth_user.pk, appeal.pk, {"reopen_count": 1})]
    assert notifications("appeals.reopened") == [
        (world.home.cadre.pk, "青年反馈诉求未解决，请继续办理：想学茶叶电商，缺少技术指导")]


@pytest.mark.parametrize(("solved", "rating", "comment", "errors"), [
    (True, None, "", {"rating": ["请打 1 到 5 星"]}),
    (True, 0, "", {"rating": ["请打 1 到 5 星"]}),
    (True, 6, "", {"rating": ["请打 1 到 5 星"]}),
    (True, True, "", {"rating": ["请打 1 到 5 星"]}),
    (True, 4, "好" * 501, {"comment": ["不超过 500 字"]}),
    (False, None, "  ", {"comment": ["请说明哪里还没有解决"]}),
])
def test_a_confirmation_with_bad_input_saves_nothing(world, resolved, solved, rating, comment, errors):
    before = state(resolved)
    with pytest.raises(ValidationError) as exc:
        appeal_confirm(actor=world.home.youth_user, appeal=resolved, solved=solved, rating=rating, comment=comment)
    assert exc.value.message_dict == errors
    assert state(resolved) == before


@pytest.mark.parametrize("who", ["cadre", "secretary", "admin", "micro"])
def test_only_the_young_person_confirms(world, resolved, who):
    before = state(resolved)
    with pytest.raises(PermissionDenied):
        appeal_confirm(actor=getattr(world.home, who), appeal=resolved, solved=True, rating=5)
    assert state(resolved) == before


def test_confirming_twice_is_refused(world, resolved):
    appeal_confirm(actor=world.home.youth_user, appeal=resolved, solved=True, rating=4)
    with pytest.raises(PermissionDenied):
        appeal_confirm(actor=world.home.youth_user, appeal=resolved, solved=False, comment="再试一次")
    assert reload(resolved).status == Status.SOLVED and reload(resolved).rating == 4


def test_without_an_account_for_the_person_the_submitter_confirms(world):
    home = world.home
    appeal = make_appeal(home, published_at=PUBLISHED, person=home.person, submitted_by="micro")
    appeal_resolve(actor=home.cadre, appeal=appeal, body="已帮忙联系销路。")
    appeal = reload(appeal)
    with pytest.raises(PermissionDenied):
        appeal_confirm(actor=home.youth_user, appeal=appeal, solved=True, rating=5)
    appeal_confirm(actor=home.micro, appeal=appeal, solved=True, rating=4, comment="生姜卖出去了")
    assert (reload(appeal).status, reload(appeal).rating) == (Status.SOLVED, 4)


# --- pages ----------------------------------------------------------------------------------------

def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_panel_offers_the_handler_their_actions_and_the_young_person_none(world, appeal):
    home = world.home
    html = render_to_string("appeals/_handling_panel.html", {"appeal": reload(appeal), "user": home.cadre})
    for url in (f"/appeals/{appeal.pk}/resolve/", f"/appeals/{appeal.pk}/partners/", f"/appeals/{appeal.pk}/escalate/",
                f"/appeals/{appeal.pk}/respond/"):
        assert url in html
    html = render_to_string("appeals/_handling_panel.html", {"appeal": reload(appeal), "user": home.youth_user})
    assert "/resolve/" not in html and "/escalate/" not in html and "/respond/" not in html


def test_the_young_person_sees_the_records_but_not_the_reasons_a_partner_was_picked(world, appeal, mentor):
    home = world.home
    appeal_refer(actor=home.secretary, appeal=appeal, partner_kind=PartnerKind.MENTOR, partner_id=mentor.pk)
    staff = render_to_string("appeals/_handling_panel.html", {"appeal": reload(appeal), "user": home.admin})
    youth = render_to_string("appeals/_handling_panel.html", {"appeal": reload(appeal), "user": home.youth_user})
    assert "推荐理由：创业导师，对口创业类别" in staff and "转交青年创业导师：季导师" in staff
    assert "推荐理由" not in youth and "转交青年创业导师：季导师" in youth


def test_the_detail_page_shows_the_panel_and_the_result_photos(world, appeal):
    home = world.home
    appeal_resolve(actor=home.cadre, appeal=appeal, body="已开通网店。", photos=[jpeg_with_gps()])
    photo = AppealPhoto.objects.get()
    response = client_for(home.youth_user).get(f"/appeals/{appeal.pk}/")
    text = response.content.decode()
    assert response.status_code == 200
    assert f"/appeals/{appeal.pk}/confirm/" in text and f"/appeals/photos/{photo.pk}/" in text and "已开通网店。" in text


def test_the_escalate_page_keeps_what_was_typed_when_refused(world, appeal):
    response = client_for(world.home.secretary).post(f"/appeals/{appeal.pk}/escalate/", {"note": ""})
    assert response.status_code == 200
    assert "请填写上报说明：为什么需要上级协调" in response.content.decode()
    assert reload(appeal).level == Level.TOWNSHIP


def test_the_escalate_page_sends_it_up(world, appeal):
    response = client_for(world.home.secretary).post(f"/appeals/{appeal.pk}/escalate/", {"note": NOTE})
    assert (response.status_code, response["Location"]) == (302, f"/appeals/{appeal.pk}/")
    assert reload(appeal).level == Level.COUNTY


def test_the_young_person_confirms_on_the_phone_page(world, resolved):
    client = client_for(world.home.youth_user)
    page = client.get(f"/appeals/{resolved.pk}/confirm/")
    assert page.status_code == 200 and "已开通网店。" in page.content.decode()
    refused = client.post(f"/appeals/{resolved.pk}/confirm/", {"solved": "yes", "comment": "好"})
    assert refused.status_code == 200 and "请打 1 到 5 星" in refused.content.decode()
    assert reload(resolved).status == Status.RESOLVED
    done = client.post(f"/appeals/{resolved.pk}/confirm/", {"solved": "yes", "rating": "5", "comment": "好"})
    assert (done.status_code, done["Location"]) == (302, f"/appeals/{resolved.pk}/")
    assert (reload(resolved).status, reload(resolved).rating) == (Status.SOLVED, 5)


def test_the_resolve_page_stores_the_photos(world, appeal):
    response = client_for(world.home.cadre).post(f"/appeals/{appeal.pk}/resolve/",
                                                 {"body": "已开通网店。", "photos": [jpeg_with_gps()]})
    assert response.status_code == 302
    assert reload(appeal).status == Status.RESOLVED and len(stored_files()) == 1


def test_the_photo_is_served_to_readers_and_is_missing_for_everyone_else(world, appeal):
    home = world.home
    appeal_resolve(actor=home.cadre, appeal=appeal, body="已开通网店。", photos=[jpeg_with_gps()])
    photo = AppealPhoto.objects.get()
    for user in (home.youth_user, home.cadre, home.secretary, home.admin):
        response = client_for(user).get(f"/appeals/photos/{photo.pk}/")
        assert (response.status_code, response["Content-Type"]) == (200, "image/jpeg")
        assert b"iPhone" not in response.content
    for user in (home.micro, home.centre_staff, world.other.admin):
        client = client_for(user)
        url, missing_url = f"/appeals/photos/{photo.pk}/", "/appeals/photos/999999/"
        response, missing = client.get(url), client.get(missing_url)
        assert (response.status_code, missing.status_code) == (404, 404)
        # the same page, but for the CSRF token and the language switcher's own path
        assert (CSRF.sub(b"", response.content.replace(url.encode(), b"<url>"))
                == CSRF.sub(b"", missing.content.replace(missing_url.encode(), b"<url>")))


def test_respond_from_the_panel_with_nothing_typed_is_refused(world, appeal):
    before = state(appeal)
    response = client_for(world.home.cadre).post(f"/appeals/{appeal.pk}/respond/", {"body": ""}, follow=True)
    assert "请填写答复内容" in response.content.decode()
    assert state(appeal) == before


# --- API ------------------------------------------------------------------------------------------

def test_the_api_escalates_refers_and_confirms(world, appeal, mentor):
    import json
    home = world.home
    staff = client_for(home.secretary)
    response = staff.post(f"/api/appeals/{appeal.pk}/referrals", json.dumps(
        {"partner_kind": "mentor", "partner_id": mentor.pk}), content_type="application/json")
    assert response.status_code == 201
    assert (response.json()["partner_name"], response.json()["reason"]) == ("季导师", "创业导师，对口创业类别")
    response = staff.post(f"/api/appeals/{appeal.pk}/resolution", {"body": "已开通网店。", "photos": [jpeg_with_gps()]})
    assert response.status_code == 201 and len(response.json()["photos"]) == 1
    youth = client_for(home.youth_user)
    response = youth.post(f"/api/appeals/{appeal.pk}/confirmation", json.dumps({"solved": True, "rating": 7}),
                          content_type="application/json")
    assert response.status_code == 422 and response.json()["errors"] == {"rating": ["请打 1 到 5 星"]}
    response = youth.post(f"/api/appeals/{appeal.pk}/confirmation", json.dumps({"solved": True, "rating": 5}),
                          content_type="application/json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["rating"], response.json()["deadline_state"]) == (
        "solved", 5, "")


# session, user, memberships, own record (none), the county, the request with its joins, the menu's unread
# count, the handling panel (records, their photos, referrals), comments, timeline; no assignees once resolved
DETAIL_WITH_HANDLING_QUERIES = 12


def test_the_detail_page_with_handling_records_takes_the_same_queries_however_many(world, appeal):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from youthlink.core.testing import make_node
    home = world.home
    client = client_for(home.secretary)
    url = f"/appeals/{appeal.pk}/"

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    appeal_refer(actor=home.cadre, appeal=appeal, partner_kind=PartnerKind.SOCIAL_ORG, partner_id=home.social_org.pk)
    update = appeal_resolve(actor=home.cadre, appeal=reload(appeal), body="已开通网店。", photos=[jpeg_with_gps()])
    client.get(url)  # warm the per-process caches out of the count
    small = count()
    for i in range(1, 8):  # more records with photos, more referrals
        more = AppealUpdate.objects.create(appeal=appeal, author=home.cadre, kind=UpdateKind.PROGRESS, body=f"进展{i}")
        for photo in update.photos.all():
            AppealPhoto.objects.create(update=more, image=photo.image.name, width=1, height=1, size=1)
        centre = make_node(f"泰顺镇青年之家{i}", "youth_centre", home.township)
        AppealReferral.objects.create(appeal=appeal, partner_kind=PartnerKind.YOUTH_CENTRE, centre=centre,
                                      created_by=home.cadre)
    html = client.get(url).content.decode()
    assert html.count("/appeals/photos/") == 2 * 8 and "进展7" in html and "泰顺镇青年之家7" in html
    assert (small, count()) == (DETAIL_WITH_HANDLING_QUERIES, DETAIL_WITH_HANDLING_QUERIES)


def test_escalation_is_posted_to_the_upper_committees_group_without_private_text(world):
    """听结办: the upper committee's group robot hears of the escalation; for a request handled
    privately only its category leaves the platform."""
    from youthlink.appeals import services
    from youthlink.appeals.tests.builders import collected
    from youthlink.notifications.models import Channel, Delivery
    county_group = Channel.objects.create(node=world.home.county, kind="webhook", name="县团委干部群",
                                          url="http://127.0.0.1:9/hook", include_descendants=False)
    appeal = collected(world, title="单雄信的肾病治疗费用", body="单雄信父母双亡，最近查出肾病，需要长期治疗")
    appeal = services.appeal_keep_private(actor=world.home.secretary, appeal=appeal)
    assert Delivery.objects.filter(channel=county_group).count() == 0  # the township's news stays there
    services.appeal_escalate(actor=world.home.secretary, appeal=appeal, note="治疗费用需要县里协调")
    delivery = Delivery.objects.get(channel=county_group)
    assert (delivery.title, delivery.body, delivery.url) == (
        "下级上报诉求，请协调：一件创业类诉求（不公开办理）", "创业 · 县（区）", f"/appeals/{appeal.pk}/")


def test_closed_requests_count_as_problems_solved_in_the_cadres_targets(world):
    """三联双百: the visits' targets table reads problems solved from the requests feature's provider."""
    from youthlink.appeals import services
    from youthlink.appeals.tests.builders import claimed
    from youthlink.core import registry
    appeal = claimed(world)
    services.appeal_resolve(actor=world.home.cadre, appeal=appeal, body="已联系电商平台，生姜全部卖出")
    assert [p(cadre_ids=[world.home.cadre.pk], year=2026) for p in registry.LISTENERS["targets.solved_count"]] == [{}]
    services.appeal_confirm(actor=world.home.micro, appeal=Appeal.objects.get(pk=appeal.pk), solved=True, rating=5,
                            comment="谢谢")
    year = Appeal.objects.get(pk=appeal.pk).closed_at.astimezone(LOCAL_TZ).year
    assert [p(cadre_ids=[world.home.cadre.pk], year=year) for p in registry.LISTENERS["targets.solved_count"]] == [
        {world.home.cadre.pk: 1}]


def test_the_diary_links_to_the_requests_of_the_cadres_day(world):
    from youthlink.appeals.tests.builders import claimed
    from youthlink.core import registry
    appeal = claimed(world)
    today = appeal.claimed_at.astimezone(LOCAL_TZ).date()
    items = [item for provider in registry.LISTENERS["diary.day_items"] for item in provider(world.home.cadre, today)]
    assert ("appeal", appeal.pk, "生姜滞销求销路（办理中）", f"/appeals/{appeal.pk}/") in items
    assert [i for p in registry.LISTENERS["diary.day_items"] for i in p(world.other.cadre, today)] == []
