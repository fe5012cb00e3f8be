import datetime as dt
import re

import pytest
import time_machine
from django.test import Client

from youthlink.appeals.deadlines import LOCAL_TZ
from youthlink.appeals.models import Appeal, AppealComment, Category, Status

from .builders import category, claimed, collected, published

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 27, 15, 0, tzinfo=LOCAL_TZ)


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_feed_shows_the_public_text_only_and_filters(world):
    appeal = published(world)
    collected(world, title="待审核的不显示", body="还没有审核的诉求不会出现在青联圈里")
    page = client_for(world.home.youth_user).get("/appeals/").content.decode()
    assert appeal.public_body in page and "单雄信" not in page and "13800138000" not in page
    assert "待审核的不显示" not in page
    assert page.count('class="excerpt"') == 1
    other = client_for(world.other.youth_user).get("/appeals/").content.decode()
    assert appeal.public_title not in other
    health = category("health").pk
    assert appeal.public_title not in client_for(world.home.youth_user).get(f"/appeals/?category={health}").content.decode()
    assert appeal.public_title in client_for(world.home.youth_user).get("/appeals/?status=open").content.decode()


def test_feed_township_filter_of_another_county_is_404(world):
    assert client_for(world.home.youth_user).get(f"/appeals/?township={world.other.township.pk}").status_code == 404
    assert client_for(world.home.youth_user).get(f"/appeals/?township={world.home.township.pk}").status_code == 200


def test_feed_pages_on_with_htmx(world):
    for i in range(22):
        published(world, title=f"第{i:02d}条诉求标题", body=f"这是第{i:02d}条诉求的详细内容，需要帮助")
    client = client_for(world.home.youth_user)
    first = client.get("/appeals/").content.decode()
    assert first.count('class="excerpt"') == 20 and "第21条诉求标题" in first and "第01条诉求标题" not in first
    last_shown = Appeal.objects.order_by("-published_at", "-id")[19].pk
    more = client.get(f"/appeals/?before={last_shown}", headers={"HX-Request": "true"}).content.decode()
    assert more.count('class="excerpt"') == 2 and "<html" not in more and "加载更多" not in more


def test_feed_counts_each_requests_own_comments_and_loads_no_private_text(world):
    from youthlink.appeals import selectors, services
    quiet, busy, other = (published(world, title=f"第{i}条诉求标题", body=f"第{i}条诉求的详细内容，需要帮助")
                          for i in range(3))
    for body in ("我也遇到过", "可以联系青年之家", "已转给团县委"):
        services.appeal_comment(actor=world.home.youth_user, appeal=busy, body=body)
    services.appeal_comment(actor=world.home.cadre, appeal=other, body="我来联系")
    items = selectors.feed_for(world.home.youth_user)
    assert [(a.pk, a.comment_count) for a in items] == [(other.pk, 1), (busy.pk, 3), (quiet.pk, 0)]
    assert {"title", "body", "search_tokens", "subject_name", "consent_note"} <= items[0].get_deferred_fields()
    page = client_for(world.home.youth_user).get("/appeals/").content.decode()
    assert re.findall(r"(\d+) 条评论", page) == ["1", "3", "0"]


def test_micro_element_submits_a_collected_need_through_the_form(world):
    client = client_for(world.home.micro)
    form = client.get("/appeals/new/").content.decode()
    assert 'name="collected_from"' in form and 'name="subject_name"' in form
    response = client.post("/appeals/new/", {
        "source": "collected", "kind": "request", "category": category().pk, "node": world.home.village.pk,
        "collected_from": "moments", "subject_name": "李阿姨", "title": "土鸡蛋滞销", "consent_to_publish": "on",
        "consent_note": "本人微信同意", "body": "李阿姨家养的土鸡下的蛋卖不出去，想找销路"})
    appeal = Appeal.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/appeals/{appeal.pk}/"
    assert (appeal.source, appeal.subject_name, appeal.status) == ("collected", "李阿姨", Status.PENDING)


def test_the_form_shows_chinese_errors_and_keeps_what_was_typed(world):
    client = client_for(world.home.micro)
    response = client.post("/appeals/new/", {
        "source": "collected", "kind": "request", "category": category().pk, "node": world.home.village.pk,
        "collected_from": "", "subject_name": "", "title": "土鸡蛋滞销", "body": "太短"})
    page = response.content.decode()
    assert response.status_code == 200 and Appeal.objects.count() == 0
    for message in ("请选择收集渠道", "请填写当事人", "详细情况至少 10 个字"):
        assert message in page
    assert 'value="土鸡蛋滞销"' in page


def test_young_person_form_has_no_place_or_subject(world):
    page = client_for(world.home.youth_user).get("/appeals/new/").content.decode()
    assert 'name="node"' not in page and 'name="subject_name"' not in page
    assert 'type="hidden" name="source" value="self"' in page


def test_cadre_switches_source_fields_follow(world):
    """A cadre who is also a micro-element elsewhere picks the source; the form reloads with it."""
    from youthlink.accounts.models import Role
    from youthlink.accounts.services import membership_grant
    membership_grant(user=world.home.cadre, node=world.home.village, role=Role.MICRO)
    client = client_for(world.home.cadre)
    assert 'name="collected_from"' not in client.get("/appeals/new/").content.decode()
    page = client.get("/appeals/new/?source=collected&title=%E5%9C%9F%E9%B8%A1").content.decode()
    assert 'name="collected_from"' in page and 'value="土鸡"' in page


def test_review_page_shows_original_and_redacted_preview_and_publishes(world):
    appeal = collected(world)
    client = client_for(world.home.secretary)
    queue = client.get("/appeals/review/").content.decode()
    assert appeal.title in queue and "微元素收集 · 微信朋友圈" in queue and "已等待" in queue
    page = client.get(f"/appeals/{appeal.pk}/review/").content.decode()
    assert "电话13800138000" in page  # the original, for the reviewer
    assert "村里单某某家种的两亩生姜卖不出去，电话138****8000，希望帮忙联系销路</textarea>" in page
    response = client.post(f"/appeals/{appeal.pk}/review/", {
        "action": "publish", "public_title": "生姜滞销求销路", "public_body": "村民家的两亩生姜卖不出去，希望帮忙联系销路"})
    assert response.status_code == 302 and response["Location"] == f"/appeals/{appeal.pk}/"
    appeal.refresh_from_db()
    assert (appeal.status, appeal.public_body) == (Status.OPEN, "村民家的两亩生姜卖不出去，希望帮忙联系销路")
    assert client.get(f"/appeals/{appeal.pk}/review/").status_code == 302  # already reviewed


def test_review_refusal_keeps_the_typed_public_text(world):
    appeal = collected(world)
    page = client_for(world.home.secretary).post(f"/appeals/{appeal.pk}/review/", {
        "action": "publish", "public_title": "生姜滞销求销路", "public_body": "单雄信家的生姜卖不出去，请联系"}).content.decode()
    assert "公开内容中仍含有：当事人姓名，请删除或打码" in page and "单雄信家的生姜卖不出去，请联系</textarea>" in page
    assert Appeal.objects.get(pk=appeal.pk).status == Status.PENDING


def test_reject_without_reason_is_shown_and_with_reason_goes_back_to_the_queue(world):
    appeal = collected(world)
    client = client_for(world.home.secretary)
    page = client.post(f"/appeals/{appeal.pk}/review/", {"action": "reject", "reason": ""}).content.decode()
    assert "请填写不通过的原因" in page
    response = client.post(f"/appeals/{appeal.pk}/review/", {"action": "reject", "reason": "重复提交，已在办理"})
    assert response["Location"] == "/appeals/review/"
    page = client_for(world.home.micro).get(f"/appeals/{appeal.pk}/").content.decode()
    assert "未通过审核：重复提交，已在办理" in page


def test_detail_for_a_young_person_shows_public_text_and_no_timeline(world):
    appeal = published(world)
    page = client_for(world.home.youth_user).get(f"/appeals/{appeal.pk}/").content.decode()
    assert appeal.public_body in page and appeal.body not in page and "时间线" not in page
    assert "我来认领" not in page


def test_detail_for_staff_has_timeline_claim_and_assign(world):
    appeal = published(world)
    page = client_for(world.home.secretary).get(f"/appeals/{appeal.pk}/").content.decode()
    assert appeal.body in page and "我来认领" in page and 'name="assignee"' in page
    assert page.index("提交诉求") < page.index("审核发布")


def test_claim_then_timeline_shows_it(world):
    appeal = published(world)
    client = client_for(world.home.cadre)
    response = client.post(f"/appeals/{appeal.pk}/claim/", follow=True)
    page = response.content.decode()
    assert "已认领，请尽快联系当事人" in page and "泰顺团干部 · 认领诉求" in page
    again = client_for(world.home.secretary).post(f"/appeals/{appeal.pk}/claim/", follow=True).content.decode()
    assert "该诉求已被认领或不在待认领状态" in again


def test_comment_with_htmx_returns_the_comments_only(world):
    appeal = published(world)
    response = client_for(world.home.youth_user).post(f"/appeals/{appeal.pk}/comments/", {"body": "加油！"},
                                                     headers={"HX-Request": "true"})
    page = response.content.decode()
    assert response.status_code == 200 and page.startswith('<section id="comments">') and "加油！" in page
    assert AppealComment.objects.count() == 1


def test_area_list_for_staff_and_mine_for_a_young_person(world):
    appeal = claimed(world)
    mine = client_for(world.home.youth_user).get("/appeals/list/").content.decode()
    assert appeal.title not in mine and "我的诉求" in mine
    area = client_for(world.home.admin).get("/appeals/list/?status=in_progress").content.decode()
    assert appeal.title in area and "承办：泰顺团干部" in area
    assert appeal.title not in client_for(world.home.admin).get("/appeals/list/?status=open").content.decode()
    assert appeal.title in client_for(world.home.micro).get("/appeals/list/").content.decode()


@pytest.mark.parametrize("viewer", ["admin", "secretary", "micro", "cadre"])
def test_area_list_of_a_large_area_walks_the_same_rows(world, viewer, monkeypatch):
    from youthlink.appeals import selectors
    for i in range(7):
        collected(world, title=f"本地诉求{i}")
    other = collected(world, title="外县诉求")
    Appeal.objects.filter(pk=other.pk).update(node=world.other.village, node_path=world.other.village.path,
                                              submitted_by=world.other.micro)
    user = getattr(world.home, viewer)
    mine_elsewhere = collected(world, title="本人提交的外县诉求")
    Appeal.objects.filter(pk=mine_elsewhere.pk).update(node=world.other.village, node_path=world.other.village.path,
                                                       submitted_by=user)
    small = list(selectors.area_appeals_for(user))
    assert list(selectors.area_appeals_for(user, large=True)) == small and small
    assert other not in small and mine_elsewhere in small
    monkeypatch.setattr(selectors, "AREA_WALK_FROM", 1)
    page = client_for(user).get("/appeals/list/")
    assert [a.pk for a in page.context["page"].object_list] == [a.pk for a in small[:len(page.context["page"].object_list)]]


def test_county_categories_show_in_that_county_only(world):
    Category.objects.create(key="tea", name="茶叶销售", county=world.home.county)
    assert "茶叶销售" in client_for(world.home.micro).get("/appeals/new/").content.decode()
    assert "茶叶销售" not in client_for(world.other.micro).get("/appeals/new/").content.decode()


def test_review_page_suggests_the_similar_open_request_for_merging(world):
    first = published(world)
    dup = collected(world, title="生姜卖不出去想找销路", body="同村另一户种的生姜也卖不出去，希望帮忙联系销路")
    page = client_for(world.home.secretary).get(f"/appeals/{dup.pk}/review/").content.decode()
    assert "本乡镇正在办理的诉求中有相似的" in page
    assert f'<option value="{first.pk}" selected>' in page


def test_feed_has_a_search_box(world):
    page = client_for(world.home.youth_user).get("/appeals/").content.decode()
    assert 'action="/appeals/search/"' in page


def test_home_card_for_a_young_person_and_for_a_secretary(world):
    from youthlink.appeals import services
    appeal = services.appeal_submit(actor=world.home.youth_user, source="self", category=category("study"),
                                    title="想报名成人高考", body="想报名成人高考，不知道去哪里报名、怎么复习")
    youth = client_for(world.home.youth_user).get("/").content.decode()
    assert "我的诉求在办" in youth and "我要提诉求" in youth
    secretary = client_for(world.home.secretary).get("/").content.decode()
    assert "待我审核" in secretary and appeal.title not in secretary


def test_a_problem_heard_on_a_visit_opens_the_form_filled_in(world):
    """走访中收集的问题 → 诉求: the visit page links each problem to the form, as a request recorded on a visit."""
    import datetime as dt_

    from youthlink.visits.services import visit_log
    visit = visit_log(actor=world.home.cadre, kind="home", place=world.home.village, people=[world.home.person],
                      visited_at=NOW - dt_.timedelta(days=1), problems=["家里的茶叶卖不出去，想找销路"])
    client = client_for(world.home.cadre)
    page = client.get(f"/visits/{visit.pk}/").content.decode()
    link = re.search(r'href="(/appeals/new/\?[^"]+)">转为诉求跟进</a>', page).group(1).replace("&amp;", "&")
    form = client.get(link).content.decode()
    assert 'value="家里的茶叶卖不出去，想找销路"' in form, re.findall(r"<input[^>]*id_title[^>]*>", form)
    assert ">\n家里的茶叶卖不出去，想找销路</textarea>" in form
    assert f'<option value="{world.home.village.pk}" selected>' in form


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_status_label_reads_as_the_status_display_in_each_language(language):
    from django.utils import translation
    with translation.override(language):
        for status in Status:
            appeal = Appeal(status=status)
            assert appeal.status_label == appeal.get_status_display()
            assert type(appeal.status_label) is str
