"""Full-text search over requests (搜索), on SQLite (FTS5) and PostgreSQL (GIN, to_tsvector): the
suite runs on both. Two-character words find the longer words they are part of; nothing the viewer
may not see is found, and no word redaction hid finds a published request."""
from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Q

from youthlink.appeals.models import Status
from youthlink.appeals.search import (ensure_sqlite_index, index_fields, indexed_content_words, match_ids,
                                      query_terms, scope_tokens, search_appeals, tokenize)

from .search_helpers import make_appeal

pytestmark = pytest.mark.django_db

VENTURE = ("青年创业园入驻咨询", "我们村几个年轻人想在青年创业园开网店卖茶叶，不知道入驻要什么条件。")
COUNSEL = ("孩子需要心理咨询", "初三学生压力很大，晚上睡不着，家长想找心理咨询老师聊一聊。")
UNRELATED = ("村里路灯坏了", "村口到小学那段路晚上没有路灯，孩子放学不安全。")


def ids(results) -> list[int]:
    return [a.pk for a in results.appeals]


@pytest.fixture
def published(world):
    home = world.home
    return {
        "venture": make_appeal(home, title=VENTURE[0], body=VENTURE[1], category_key="entrepreneurship"),
        "counsel": make_appeal(home, title=COUNSEL[0], body=COUNSEL[1], category_key="psychology"),
        "unrelated": make_appeal(home, title=UNRELATED[0], body=UNRELATED[1]),
    }


def test_the_index_holds_the_short_words_inside_long_ones():
    assert tokenize("青年创业园").split() == ["青年", "创业", "创业园"]
    assert set(tokenize("心理咨询").split()) == {"心理", "咨询", "心理咨询"}


@pytest.mark.parametrize("q, key", [("创业", "venture"), ("心理", "counsel"), ("创业园", "venture"),
                                    ("心理咨询", "counsel"), ("茶叶 网店", "venture")])
def test_a_young_person_finds_published_requests_by_two_character_words(world, published, q, key):
    results = search_appeals(world.home.youth_user, q)
    assert ids(results) == [published[key].pk]
    assert results.appeals[0].search_full_access is False  # found on the public text


@pytest.mark.parametrize("user", ["admin", "secretary", "cadre"])
def test_staff_find_the_requests_of_their_area_in_full(world, published, user):
    results = search_appeals(getattr(world.home, user), "创业")
    assert ids(results) == [published["venture"].pk]
    assert results.appeals[0].search_full_access is True


def test_every_word_of_the_query_must_match(world, published):
    assert ids(search_appeals(world.home.admin, "创业 心理")) == []
    assert ids(search_appeals(world.home.admin, "心理 学生")) == [published["counsel"].pk]


def test_function_words_of_the_query_are_not_required(world, published):
    assert query_terms("我想创业") == ["创业"]
    assert ids(search_appeals(world.home.youth_user, "我想创业")) == [published["venture"].pk]


def test_the_other_countys_requests_are_not_found(world, published):
    other = make_appeal(world.other, title="云和青年创业补贴申请", body="想了解创业补贴怎么申请。",
                        category_key="entrepreneurship")
    assert ids(search_appeals(world.home.youth_user, "创业")) == [published["venture"].pk]
    assert ids(search_appeals(world.home.admin, "创业")) == [published["venture"].pk]
    for role in ("admin", "secretary", "cadre", "micro", "youth_user"):
        assert ids(search_appeals(getattr(world.other, role), "创业")) == [other.pk], role


def test_a_request_not_yet_published_is_found_by_staff_and_its_submitter_only(world, published):
    pending = make_appeal(world.home, title="想参加创业培训", body="希望镇里组织电商创业培训。", status=Status.PENDING)
    assert pending.public_search_tokens == scope_tokens(pending.node_path)  # the place words only
    assert ids(search_appeals(world.home.youth_user, "培训")) == []
    assert ids(search_appeals(world.home.centre_staff, "培训")) == []
    assert ids(search_appeals(world.home.cadre, "培训")) == [pending.pk]
    assert ids(search_appeals(world.home.micro, "培训")) == [pending.pk]  # they collected it


@pytest.mark.parametrize("status", [Status.REJECTED, Status.MERGED])
def test_rejected_and_merged_requests_leave_the_feed_search(world, status):
    appeal = make_appeal(world.home, title="创业贷款咨询", body="想贷款开民宿。")
    appeal.status = status
    appeal.save()
    assert ids(search_appeals(world.home.youth_user, "贷款")) == []
    assert ids(search_appeals(world.home.secretary, "贷款")) == [appeal.pk]


def test_a_young_person_cannot_find_a_request_by_the_name_redaction_hid(world):
    home = world.home
    appeal = make_appeal(home, title="单雄信家的茶叶卖不出去", body="单雄信卧床，奶奶种的茶叶卖不出去，电话13800138000。",
                         person=home.person, subject_name="单雄信")
    assert "单雄信" not in appeal.public_title + appeal.public_body
    for q in ("单雄信", "13800138000"):
        assert ids(search_appeals(home.youth_user, q)) == [], q
        assert ids(search_appeals(home.micro, q)) == [appeal.pk], q  # they collected it: full text
        assert ids(search_appeals(home.cadre, q)) == [appeal.pk], q
    assert ids(search_appeals(home.centre_staff, "单雄信")) == []  # reads the feed, not the private text
    assert ids(search_appeals(home.youth_user, "茶叶")) == [appeal.pk]


@pytest.mark.parametrize("q", [
    '"创业', '创业"', '创业*', '*', '-创业', 'NEAR(创业 园)', '"创业" OR "心理"', "创业' OR '1'='1", "创业; DROP TABLE x",
    "(创业", "创业)", "^创业", "{search_tokens}: 单雄信", "search_tokens:单雄信", "public_search_tokens : 创业",
    "创业 & 心理 | 茶叶", "!创业", "创业:*", "\\创业", "'", "''", "--", "创业 AND", "NOT 创业", "创业 NOT 心理",
])
def test_query_syntax_characters_are_plain_text_and_never_an_error(world, published, q):
    """Whatever is typed is segmented into words and quoted: operators become words (found nowhere)
    and the rest is searched as the words it holds."""
    results = search_appeals(world.home.youth_user, q)
    words = query_terms(q)
    expected = ids(search_appeals(world.home.youth_user, " ".join(words))) if words else []
    assert ids(results) == expected
    assert all(a.search_full_access is False for a in results.appeals)


@pytest.mark.parametrize("q, expected", [
    ("创业*", ["venture"]), ("-创业", ["venture"]), ('"创业"', ["venture"]), ("(心理)", ["counsel"]),
    ("^心理", ["counsel"]), ("创业 OR 心理", []), ("NEAR(创业 心理)", []), ("*", []), ('"', []), ("", []),
    ("{search_tokens}: 单雄信", []),
])
def test_what_syntax_characters_find(world, published, q, expected):
    assert ids(search_appeals(world.home.youth_user, q)) == [published[k].pk for k in expected]


def test_a_query_of_punctuation_only_makes_no_query(world, published, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert search_appeals(world.home.youth_user, "“”！？…*") .appeals == []


def test_anonymous_finds_nothing(world, published):
    from django.contrib.auth.models import AnonymousUser
    assert ids(search_appeals(AnonymousUser(), "创业")) == []


def test_the_index_follows_an_edit_and_a_delete(world, published):
    appeal = published["venture"]
    appeal.title, appeal.body = "农村电商直播培训", "想学直播卖土特产。"
    appeal.public_title, appeal.public_body = appeal.title, appeal.body
    index_fields(appeal)
    appeal.save()
    assert ids(search_appeals(world.home.youth_user, "创业")) == []
    assert ids(search_appeals(world.home.youth_user, "直播")) == [appeal.pk]
    assert ids(search_appeals(world.home.admin, "茶叶")) == []
    published["counsel"].delete()
    assert ids(search_appeals(world.home.admin, "心理")) == []


def test_unpublishing_takes_the_public_words_out(world, published):
    appeal = published["counsel"]
    appeal.is_public = False
    index_fields(appeal)
    appeal.save()
    assert appeal.public_search_tokens == scope_tokens(appeal.node_path)  # the place words only
    # the public column of every request, nothing else: the word is gone from it
    assert match_ids(["心理"], full_q=Q(pk__in=[]), public_q=Q(), limit=5) == []
    assert [m.id for m in match_ids(["心理"], full_q=Q(), public_q=Q(pk__in=[]), limit=5)] == [appeal.pk]
    assert ids(search_appeals(world.home.youth_user, "心理")) == []


def test_the_more_focused_request_ranks_first_then_the_newest(world):
    home = world.home
    long_one = make_appeal(home, title="青年创业园", body="想了解青年创业园的政策、补贴、场地租金、水电费用、培训课程和导师安排等情况。")
    short_one = make_appeal(home, title="创业补贴", body="创业补贴怎么申请")
    newest = make_appeal(home, title="创业补贴", body="创业补贴怎么申请")
    assert ids(search_appeals(home.youth_user, "创业")) == [newest.pk, short_one.pk, long_one.pk]


def test_results_page_by_offset(world):
    made = [make_appeal(world.home, title=f"创业补贴{i}", body="创业补贴怎么申请") for i in range(5)]
    newest_first = [a.pk for a in reversed(made)]
    first = search_appeals(world.home.youth_user, "补贴", limit=2)
    assert (ids(first), first.has_more, first.next_offset) == (newest_first[:2], True, 2)
    second = search_appeals(world.home.youth_user, "补贴", limit=2, offset=2)
    assert ids(second) == newest_first[2:4]
    last = search_appeals(world.home.youth_user, "补贴", limit=2, offset=4)
    assert (ids(last), last.has_more) == (newest_first[4:], False)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 triggers are SQLite's")
def test_lost_triggers_are_put_back_and_the_index_rebuilt(world, published):
    """A table remake in a later migration drops the triggers; post_migrate puts them back."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER appeals_appeal_fts_insert")
    missed = make_appeal(world.home, title="返乡创业", body="返乡创业贷款")
    assert missed.pk not in ids(search_appeals(world.home.admin, "返乡"))
    assert ensure_sqlite_index() == ["appeals_appeal_fts_insert"]
    assert ids(search_appeals(world.home.admin, "返乡")) == [missed.pk]
    assert ensure_sqlite_index() == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN indexes are PostgreSQL's")
def test_on_postgresql_the_gin_indexes_serve_the_match(world, published):
    """With sequential scans forbidden and no other filter, the plan reads both token columns
    through their GIN indexes: the match is written the way the indexes can answer it. (On a few
    rows the planner prefers the place indexes when the viewer's area narrows the search.)"""
    from youthlink.appeals.search import match_sql

    sql, params = match_sql(["创业"], full_q=Q(), public_q=Q(), limit=20)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "appeal_search_tsv" in plan and "appeal_public_search_tsv" in plan, plan


# --- the place words: the index reads the viewer's area only -------------------------------------

def test_both_token_columns_end_with_the_place_words(world, published):
    appeal = published["venture"]
    place = [f"ylnode{pk}" for pk in appeal.node.ancestor_ids()]
    assert appeal.search_tokens.split()[-len(place):] == place
    assert appeal.public_search_tokens.split()[-len(place):] == place
    assert "ylnode" not in " ".join(indexed_content_words(appeal.search_tokens))


def test_a_request_outside_the_area_is_not_found_even_ranking_first(world, published):
    """The other county's request is the shortest match (bm25 would rank it first): it neither
    shows nor takes a place of the page."""
    other = make_appeal(world.other, title="创业", body="创业")
    for user in (world.home.admin, world.home.cadre, world.home.youth_user):
        assert ids(search_appeals(user, "创业", limit=1)) == [published["venture"].pk]
    assert ids(search_appeals(world.other.admin, "创业", limit=1)) == [other.pk]


def test_a_viewers_own_request_outside_their_subtree_is_found(world, published):
    """A cadre of one county who collected a request in the other county reads it in full."""
    own = make_appeal(world.other, title="返乡创业补贴", body="返乡创业补贴怎么申请", status=Status.PENDING,
                      submitted_by=world.home.cadre)
    results = search_appeals(world.home.cadre, "返乡")
    assert ids(results) == [own.pk]
    assert results.appeals[0].search_full_access is True
    assert ids(search_appeals(world.home.admin, "返乡")) == []


def test_a_typed_place_word_finds_nothing_more(world, published):
    village = world.home.village
    for q in (f"ylnode{village.pk}", f"YLNODE{village.pk}", f"ｙｌｎｏｄｅ{village.pk}", f"x_ylnode{village.pk}"):
        assert all("ylnode" not in term for term in query_terms(q)), q
        assert ids(search_appeals(world.home.admin, q)) == [], q
    assert ids(search_appeals(world.home.admin, f"创业 ylnode{village.pk}")) == [published["venture"].pk]
    assert "ylnode" not in tokenize(f"创业 ylnode{village.pk} a_ylnode1")


def test_the_data_migration_gives_existing_rows_their_place_words(world, published):
    import importlib
    from types import SimpleNamespace

    from django.apps import apps

    from youthlink.appeals.models import Appeal

    migration = importlib.import_module("youthlink.appeals.migrations.0005_search_place_words")
    before = {a.pk: (a.search_tokens, a.public_search_tokens) for a in Appeal.objects.all()}
    editor = SimpleNamespace(connection=connection)
    migration.remove_place_words(apps, editor)  # the rows as migration 0004 left them
    stripped = {a.pk: (a.search_tokens, a.public_search_tokens) for a in Appeal.objects.all()}
    assert all("ylnode" not in s + p for s, p in stripped.values())
    assert ids(search_appeals(world.home.admin, "创业")) == []  # no place word, nothing in the area
    migration.add_place_words(apps, editor)
    assert {a.pk: (a.search_tokens, a.public_search_tokens) for a in Appeal.objects.all()} == before
    assert ids(search_appeals(world.home.admin, "创业")) == [published["venture"].pk]
    migration.add_place_words(apps, editor)  # again: nothing changes
    assert {a.pk: (a.search_tokens, a.public_search_tokens) for a in Appeal.objects.all()} == before
