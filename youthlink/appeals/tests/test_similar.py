"""Similar open requests nearby (相似诉求): shown while a request is written, and to the reviewer who
merges duplicates."""
from __future__ import annotations

import pytest

from youthlink.appeals.models import Status
from youthlink.appeals.similar import SAME_CATEGORY_BONUS, THRESHOLD, cosine, similar_open_appeals
from youthlink.orgs.models import NodeKind
from youthlink.core.testing import make_node

from .search_helpers import category, make_appeal

pytestmark = pytest.mark.django_db

GINGER = ("生姜滞销求销路", "村里种的两亩生姜卖不出去，希望帮忙联系收购商或者电商平台。")
GINGER_AGAIN = ("生姜卖不出去", "今年生姜滞销，想找收购商，也可以在电商平台上卖。")
LIGHTS = ("村口路灯坏了", "村口到小学那段路晚上没有路灯，孩子放学不安全。")
JOBS = ("想找一份工作", "刚毕业，想在县城找一份会计的工作。")


@pytest.fixture
def ginger(world):
    return make_appeal(world.home, title=GINGER[0], body=GINGER[1], category_key="entrepreneurship")


def found(results) -> list[int]:
    return [s.appeal.pk for s in results]


def test_the_same_need_written_again_finds_the_open_request(world, ginger):
    make_appeal(world.home, title=LIGHTS[0], body=LIGHTS[1])
    make_appeal(world.home, title=JOBS[0], body=JOBS[1], category_key="employment")
    results = similar_open_appeals(world.home.youth_user, title=GINGER_AGAIN[0], body=GINGER_AGAIN[1],
                                   node=world.home.village)
    assert found(results) == [ginger.pk]
    assert THRESHOLD <= results[0].score <= 1
    assert results[0].full_access is False  # a young person compares with the public text


def test_unrelated_requests_sharing_common_words_are_not_shown(world, ginger):
    results = similar_open_appeals(world.home.admin, title="村里路灯坏了", body="希望村里帮忙修一下路灯。",
                                   node=world.home.village)
    assert results == []


def test_most_similar_first_with_scores(world, ginger):
    near = make_appeal(world.home, title="生姜滞销", body="两亩生姜卖不出去，想联系收购商。")
    results = similar_open_appeals(world.home.secretary, title=GINGER[0], body=GINGER[1], node=world.home.village)
    assert found(results) == [ginger.pk, near.pk]
    assert results[0].score == pytest.approx(1.0)
    assert results[0].score > results[1].score >= THRESHOLD


def test_only_open_requests_not_merged(world, ginger):
    for status in (Status.PENDING, Status.RESOLVED, Status.SOLVED, Status.REJECTED):
        make_appeal(world.home, title=GINGER_AGAIN[0], body=GINGER_AGAIN[1], status=status)
    merged = make_appeal(world.home, title=GINGER_AGAIN[0], body=GINGER_AGAIN[1], status=Status.IN_PROGRESS)
    merged.merged_into = ginger
    merged.save()
    in_progress = make_appeal(world.home, title=GINGER_AGAIN[0], body=GINGER_AGAIN[1], status=Status.IN_PROGRESS)
    results = similar_open_appeals(world.home.admin, title=GINGER[0], body=GINGER[1], node=world.home.village)
    assert sorted(found(results)) == sorted([ginger.pk, in_progress.pk])


def test_only_the_same_township(world, ginger):
    home = world.home
    elsewhere = make_node("石溪镇", NodeKind.TOWNSHIP, home.county, admin_code="330329102000")
    village = make_node("石溪村", NodeKind.VILLAGE, elsewhere, admin_code="330329102201")
    there = make_appeal(home, title=GINGER[0], body=GINGER[1], node=village)
    assert found(similar_open_appeals(home.admin, title=GINGER[0], body=GINGER[1], node=home.village)) == [ginger.pk]
    assert found(similar_open_appeals(home.admin, title=GINGER[0], body=GINGER[1], node=village)) == [there.pk]
    # the township itself stands for its area
    assert found(similar_open_appeals(home.admin, title=GINGER[0], body=GINGER[1], node=home.township)) == [ginger.pk]


def test_the_other_county_and_what_the_viewer_may_not_see_are_not_shown(world, ginger):
    pending = make_appeal(world.home, title=GINGER[0], body=GINGER[1], status=Status.PENDING)
    pending.status = Status.OPEN  # open but never published: kept private (不公开) by the reviewer
    pending.save()
    assert not pending.is_public
    other = similar_open_appeals(world.other.admin, title=GINGER[0], body=GINGER[1], node=world.home.village)
    assert found(other) == []
    assert found(similar_open_appeals(world.home.youth_user, title=GINGER[0], body=GINGER[1],
                                      node=world.home.village)) == [ginger.pk]
    assert sorted(found(similar_open_appeals(world.home.cadre, title=GINGER[0], body=GINGER[1],
                                             node=world.home.village))) == sorted([ginger.pk, pending.pk])


def test_the_hidden_name_does_not_make_a_request_similar_for_the_feed(world):
    home = world.home
    appeal = make_appeal(home, title="单雄信家生姜滞销", body="单雄信家种的生姜卖不出去。", person=home.person,
                         subject_name="单雄信")
    text = ("单雄信", "单雄信")
    assert found(similar_open_appeals(home.youth_user, title=text[0], body=text[1], node=home.village)) == []
    assert found(similar_open_appeals(home.cadre, title=text[0], body=text[1], node=home.village)) == [appeal.pk]


def test_the_request_under_review_is_left_out(world, ginger):
    again = make_appeal(world.home, title=GINGER_AGAIN[0], body=GINGER_AGAIN[1])
    results = similar_open_appeals(world.home.secretary, title=GINGER[0], body=GINGER[1], node=world.home.village,
                                   exclude_id=ginger.pk)
    assert found(results) == [again.pk]


def test_the_same_category_adds_a_little(world, ginger):
    plain = similar_open_appeals(world.home.secretary, title=GINGER_AGAIN[0], body=GINGER_AGAIN[1],
                                 node=world.home.village)
    same = similar_open_appeals(world.home.secretary, title=GINGER_AGAIN[0], body=GINGER_AGAIN[1],
                                node=world.home.village, category=category("entrepreneurship"))
    other = similar_open_appeals(world.home.secretary, title=GINGER_AGAIN[0], body=GINGER_AGAIN[1],
                                 node=world.home.village, category=category("assistance").pk)
    assert plain[0].score < 1
    assert same[0].score == pytest.approx(plain[0].score + SAME_CATEGORY_BONUS)
    assert other[0].score == plain[0].score


def test_nothing_to_compare(world, ginger, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert similar_open_appeals(world.home.admin, title="", body="  ！！ ", node=world.home.village) == []
        assert similar_open_appeals(world.home.admin, title="的了吗", body="", node=world.home.village) == []


def test_cosine_of_word_sets():
    assert cosine({"生姜", "滞销"}, {"生姜", "滞销"}) == 1
    assert cosine({"生姜", "滞销"}, {"路灯"}) == 0
    assert cosine(set(), {"路灯"}) == 0
    assert cosine({"a", "b", "c", "d"}, {"a"}) == pytest.approx(0.5)
