"""Chinese full-text search over requests: jieba segments the text into words, stored space-separated
in `search_tokens` (title and body, for readers of the full text) and `public_search_tokens` (the
public text only, for everyone else).

The index is vendor-specific (migration 0003_search): an FTS5 table kept by triggers on SQLite,
stored generated tsvector columns (to_tsvector('simple', …)) with GIN indexes on PostgreSQL. A
query is segmented by the same jieba call as the texts, so a two-character word (创业, 心理) is an
indexed word of its own, also inside longer ones (青年创业园 → 青年 创业 创业园). What reaches the
database is built only from the word characters of those words, each quoted: whatever a user types
(quotes, AND/OR/NOT, NEAR, *, ^, -, parentheses, colons) never becomes query syntax.

Both token columns also end with the request's place: one word per node of its path (ylnode1
ylnode77 ylnode78 ylnode99), a form no text or query is cut into (_words drops it). A search ANDs
the query with the viewer's nodes, so the index itself only walks the viewer's area instead of
ranking every match of the city before the permission filter drops most of them; that filter
stays, for exactness. The public column carries the place words even when nothing is published:
on SQLite the place is matched in the other column than the query, whose bm25 weight is 0, so
the place words never change a rank. (Ranks still see the row a few words longer.)"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import jieba
from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection, connections
from django.db.models import Q
from django.db.models.sql.compiler import SQLCompiler

_WORD = re.compile(r"\w", re.UNICODE)
# The pieces of a word that reach the database: letters and digits only (underscore is not one).
_PIECE = re.compile(r"[^\W_]+", re.UNICODE)

FTS_TABLE = "appeals_appeal_fts"
TSV_COLUMNS = {"search_tokens": "search_tsv", "public_search_tokens": "public_search_tsv"}  # PostgreSQL
SCOPE_PREFIX = "ylnode"  # the place words: ylnode<node id>, one per node of the request's path
NO_NODE = f"{SCOPE_PREFIX}0"  # node ids start at 1: a place word no request has
MAX_QUERY_CHARS = 100
MAX_QUERY_WORDS = 12
SEARCH_PAGE_SIZE = 20

# Function words (虚词) and fillers that say nothing about what a request is about: dropped from
# queries (unless nothing else is left) and from the word sets compared for similar requests.
STOP_WORDS = frozenset("""
的 地 得 了 着 过 吗 呢 吧 啊 呀 嘛 哦 哈 么 之 与 及 和 跟 同 或 而 且 并 也 又 都 就 才 还 再 很 太 更 最 挺
是 在 有 没 没有 不 不是 把 被 让 给 对 向 从 到 为 为了 以 于 由 比 等 等等 之类 一个 一些 一下 一点 这个 那个
这些 那些 这样 那样 这里 那里 这么 那么 什么 怎么 怎么办 怎样 如何 为什么 哪里 哪个 谁 我 你 他 她 它 我们 你们
他们 她们 咱们 自己 大家 人家 想 要 想要 需要 希望 能 能够 可以 会 应该 请 请问 帮 帮忙 帮助 一 个 些 如果 但是
但 因为 所以 然后 或者 还是 以及 已经 正在 现在 非常 比较 目前 一直 可能 觉得 知道 问题 情况 事情 东西
""".split())


def tokenize(text: str) -> str:
    """Words of a text for the index, lower-cased, de-duplicated in order of appearance. Search mode
    (cut_for_search) also emits the short words inside long ones: 心理咨询 → 心理 咨询 心理咨询."""
    return " ".join(_words(text))


def _words(text: str) -> list[str]:
    seen, words = set(), []
    for word in jieba.cut_for_search(text or ""):
        word = word.strip().lower()
        if word and _WORD.search(word) and word not in seen and not _is_place_like(word):
            seen.add(word)
            words.append(word)
    return words


def _is_place_like(word: str) -> bool:
    # A word of a text or a query that could be (or contain, split at an underscore) a place word.
    return SCOPE_PREFIX in unicodedata.normalize("NFKC", word).lower()


def scope_tokens(node_path: str) -> str:
    """The place words of a request: ylnode<id> for every node of its path, root first."""
    from youthlink.orgs.models import PATH_WIDTH

    return " ".join(f"{SCOPE_PREFIX}{int(node_path[i:i + PATH_WIDTH])}"
                    for i in range(0, len(node_path or ""), PATH_WIDTH))


def with_scope(tokens: str, node_path: str) -> str:
    """A token column: the words, then the place words."""
    return " ".join(part for part in (tokens, scope_tokens(node_path)) if part)


def load_dictionary() -> None:
    """Load jieba's dictionary now (about a second and 70 MB, once per process) rather than on the
    first word cut, which may come inside a write transaction: on SQLite the write lock is held from
    BEGIN IMMEDIATE, and every other writer of the site would queue behind the load."""
    jieba.initialize()


def index_fields(appeal) -> None:
    """Fill the two token columns from the appeal's texts (the caller saves). Call it whenever the
    title, body, public text or publication changes; the database index follows the columns. Both
    end with the place words of `node_path` (set it first); the public one holds only those when
    the request is not published."""
    appeal.search_tokens = with_scope(tokenize(f"{appeal.title} {appeal.body}"), appeal.node_path)
    public = tokenize(f"{appeal.public_title} {appeal.public_body}") if appeal.is_public else ""
    appeal.public_search_tokens = with_scope(public, appeal.node_path)


def query_terms(q: str) -> list[str]:
    """The words a query must match, each reduced to its letter-and-digit pieces joined by a space
    (a word like c++ becomes c). Function words are dropped unless the query is nothing else.
    Empty when the query has no word at all (only punctuation or operators)."""
    words = _words((q or "")[:MAX_QUERY_CHARS])
    terms = [" ".join(_PIECE.findall(word)) for word in words]
    terms = [t for t in terms if t]
    content = [t for t in terms if t not in STOP_WORDS]
    return (content or terms)[:MAX_QUERY_WORDS]


def content_words(text: str) -> set[str]:
    """The words of a text that carry meaning: the word set similar requests are compared on."""
    return {w for w in _words(text) if w not in STOP_WORDS and not w.isdigit()}


def indexed_content_words(tokens: str) -> set[str]:
    """The same word set, read back from a stored token column."""
    return {w for w in tokens.split() if w not in STOP_WORDS and not w.isdigit() and not w.startswith(SCOPE_PREFIX)}


# --- the database side ---------------------------------------------------------------------------

def _fts5_query(terms: list[str], *, column: str, any_term: bool) -> str:
    # Every piece is letters and digits only, wrapped in double quotes: an FTS5 string, never syntax.
    phrases = [f'"{term}"' for term in terms]
    return f"{{{column}}} : ({(' OR ' if any_term else ' AND ').join(phrases)})"


def _tsquery(terms: list[str], *, any_term: bool) -> str:
    # Quoted lexemes of letters and digits (no quote or backslash can occur) for to_tsquery; a
    # multi-piece term is a phrase of its pieces, as the parser makes one from c++ or app2.0.
    lexemes = ["(" + " <-> ".join(f"'{piece}'" for piece in term.split()) + ")" for term in terms]
    return (" | " if any_term else " & ").join(lexemes)


def _where_sql(q: Q) -> tuple[str, list] | None:
    """The SQL of a Q over appeals_appeal (columns named "appeals_appeal"."…"); None when it can
    match nothing."""
    from .models import Appeal

    query = Appeal.objects.filter(q).query
    compiler = SQLCompiler(query, connection, "default")
    try:
        sql, params = query.where.as_sql(compiler, connection)
    except EmptyResultSet:
        return None
    except FullResultSet:
        return "1 = 1", []
    return (sql or "1 = 1"), list(params)


@dataclass(frozen=True)
class Match:
    id: int
    rank: float  # lower is better (negated ts_rank on PostgreSQL, bm25 on SQLite)
    full_access: bool  # matched on the private text, by a viewer who reads it in full


@dataclass(frozen=True)
class Area:
    """Where a branch's requests can be, for the index: under one of `node_ids`, or anywhere for
    requests of `also_q` (few: the viewer's own outside their subtrees), whose nodes the query
    looks up. Only narrows the index's walk; the branch's Q still decides."""
    node_ids: tuple[int, ...] = ()
    also_q: Q | None = field(default=None, compare=False)


def match_ids(terms: list[str], *, full_q: Q, public_q: Q, any_term: bool = False, limit: int,
              offset: int = 0, full_area: Area | None = None, public_area: Area | None = None) -> list[Match]:
    """One query: the ids of requests whose private words match among `full_q`, or whose public
    words match among `public_q`, best rank first, then newest. A request both ways counts once,
    as full access. An area, when given, must hold every row of its branch's Q: the index then
    reads only the matches inside it."""
    query = match_sql(terms, full_q=full_q, public_q=public_q, any_term=any_term, limit=limit, offset=offset,
                      full_area=full_area, public_area=public_area)
    if query is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(*query)
        return [Match(id=row[0], rank=float(row[1]), full_access=bool(row[2])) for row in cursor.fetchall()]


def _area_sql(area: Area, *, vendor: str) -> tuple[str, str, list] | None:
    """The place words of an area as (start, SQL tail, params): the start is a string of the
    static words, the tail an SQL expression appending the words of `also_q`'s nodes. None when
    the area is everything."""
    words = [NO_NODE, *(f"{SCOPE_PREFIX}{int(pk)}" for pk in area.node_ids)]  # never an empty list
    if vendor == "sqlite":
        start, quote, sep = " OR ".join(f'"{w}"' for w in words), '"', " OR "
        agg = "group_concat"
    else:
        start, quote, sep = " | ".join(f"'{w}'" for w in words), "'", " | "
        agg = "string_agg"
    if area.also_q is None:
        return start, "", []
    where = _where_sql(area.also_q)
    if where is None:
        return start, "", []
    if where[0] == "1 = 1":
        return None
    quoted = quote.replace("'", "''")
    tail = (f" || (SELECT COALESCE({agg}('{sep}{quoted}{SCOPE_PREFIX}' || node_id || '{quoted}', ''), '') "
            f'FROM (SELECT DISTINCT "appeals_appeal"."node_id" AS node_id FROM "appeals_appeal" WHERE {where[0]}) AS own)')
    return start, tail, where[1]


def match_sql(terms: list[str], *, full_q: Q, public_q: Q, any_term: bool = False, limit: int,
              offset: int = 0, full_area: Area | None = None,
              public_area: Area | None = None) -> tuple[str, list] | None:
    """The SQL and parameters of match_ids; None when nothing can match."""
    if not terms:
        return None
    vendor = connection.vendor
    table = '"appeals_appeal"'
    branches, params, ctes, cte_params = [], [], [], []
    for column, q, full, area in (("search_tokens", full_q, 1, full_area),
                                  ("public_search_tokens", public_q, 0, public_area)):
        where = _where_sql(q)
        if where is None:
            continue
        where_sql, where_params = where
        place = _area_sql(area, vendor=vendor) if area is not None else None
        if vendor == "sqlite":
            # bm25() only works where FTS5 runs the MATCH itself: rank in a materialised step of
            # its own, or the planner may look rows up by rowid and refuse the function.
            match = _fts5_query(terms, column=column, any_term=any_term)
            if place is None:
                ctes.append(f"fts{full} AS MATERIALIZED (SELECT rowid AS id, bm25({FTS_TABLE}) AS rank "
                            f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)")
                cte_params.append(match)
            else:
                # The place in the other column, weighted 0: it narrows the match, never the rank.
                start, tail, tail_params = place
                other = "public_search_tokens" if full else "search_tokens"
                weights = "1.0, 0.0" if full else "0.0, 1.0"
                ctes.append(f"fts{full} AS MATERIALIZED (SELECT rowid AS id, bm25({FTS_TABLE}, {weights}) AS rank "
                            f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH (%s{tail} || ')'))")
                cte_params += [f"{match} AND {{{other}}} : ({start}", *tail_params]
            branches.append(
                f"SELECT {table}.id AS id, fts{full}.rank AS rank, {full} AS full_access, "
                f"{table}.created_at AS created_at FROM fts{full} "
                f"JOIN {table} ON {table}.id = fts{full}.id WHERE ({where_sql})")
            params += where_params
        elif vendor == "postgresql":
            vector = f"{table}.{TSV_COLUMNS[column]}"  # stored generated columns (migration 0003)
            tsquery = _tsquery(terms, any_term=any_term)
            if place is None:
                narrowed, narrowed_params = "tsq.q", []
                tsq = "(SELECT to_tsquery('simple'::regconfig, %s) AS q) AS tsq"
            else:
                # matched with the place (one GIN lookup), ranked on the words alone
                start, tail, tail_params = place
                narrowed = "tsq.s"
                tsq = (f"(SELECT to_tsquery('simple'::regconfig, %s) AS q, "
                       f"to_tsquery('simple'::regconfig, %s{tail} || ')') AS s) AS tsq")
                narrowed_params = [f"({tsquery}) & ({start}", *tail_params]
            branches.append(
                f"SELECT {table}.id AS id, -ts_rank({vector}, tsq.q, 1) AS rank, {full} AS full_access, "
                f"{table}.created_at AS created_at FROM {table}, {tsq} "
                f"WHERE {vector} @@ {narrowed} AND ({where_sql})")
            params += [tsquery, *narrowed_params, *where_params]
        else:
            raise RuntimeError(f"no full-text search on {vendor}")
    if not branches:
        return None
    with_sql = f"WITH {', '.join(ctes)} " if ctes else ""
    params = cte_params + params
    sql = (f"{with_sql}SELECT id, MIN(rank) AS best, MAX(full_access) AS full_access, MAX(created_at) AS created_at "
           f"FROM ({' UNION ALL '.join(branches)}) AS hits GROUP BY id "
           f"ORDER BY best, created_at DESC, id DESC LIMIT %s OFFSET %s")
    params += [limit, offset]
    return sql, params


# --- keeping the SQLite index's triggers --------------------------------------------------------

# Django remakes a SQLite table for some schema changes (new table, copy, drop, rename): the drop
# takes the table's triggers with it. After every migrate, put back what is missing and rebuild the
# index from the columns, so a later migration of appeals_appeal cannot silently stop the indexing.
SQLITE_TRIGGERS = {
    "appeals_appeal_fts_insert": f"""CREATE TRIGGER IF NOT EXISTS appeals_appeal_fts_insert
        AFTER INSERT ON appeals_appeal BEGIN
        INSERT INTO {FTS_TABLE}(rowid, search_tokens, public_search_tokens)
        VALUES (new.id, new.search_tokens, new.public_search_tokens);
    END""",
    "appeals_appeal_fts_delete": f"""CREATE TRIGGER IF NOT EXISTS appeals_appeal_fts_delete
        AFTER DELETE ON appeals_appeal BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_tokens, public_search_tokens)
        VALUES ('delete', old.id, old.search_tokens, old.public_search_tokens);
    END""",
    "appeals_appeal_fts_update": f"""CREATE TRIGGER IF NOT EXISTS appeals_appeal_fts_update
        AFTER UPDATE OF search_tokens, public_search_tokens ON appeals_appeal
        WHEN old.search_tokens IS NOT new.search_tokens OR old.public_search_tokens IS NOT new.public_search_tokens
    BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_tokens, public_search_tokens)
        VALUES ('delete', old.id, old.search_tokens, old.public_search_tokens);
        INSERT INTO {FTS_TABLE}(rowid, search_tokens, public_search_tokens)
        VALUES (new.id, new.search_tokens, new.public_search_tokens);
    END""",
}


def ensure_sqlite_index(using: str = "default") -> list[str]:
    """Recreate missing triggers of the FTS5 index (and rebuild it if any was missing); the names
    of the triggers put back. Nothing to do on PostgreSQL or before migration 0003 ran."""
    conn = connections[using]
    if conn.vendor != "sqlite":
        return []
    with conn.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = %s", [FTS_TABLE])
        if cursor.fetchone() is None:
            return []
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'appeals_appeal'")
        missing = sorted(set(SQLITE_TRIGGERS) - {row[0] for row in cursor.fetchall()})
        for name in missing:
            cursor.execute(SQLITE_TRIGGERS[name])
        if missing:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    return missing


def on_post_migrate(sender, using="default", **kwargs) -> None:
    ensure_sqlite_index(using)


# --- what the pages and the API call -----------------------------------------------------------------

@dataclass
class SearchResults:
    query: str
    terms: list[str]
    appeals: list  # Appeal, each with .search_full_access (matched on the text the viewer reads in full)
    offset: int
    has_more: bool

    @property
    def next_offset(self) -> int:
        return self.offset + len(self.appeals)


def search_appeals(user, q: str, *, limit: int = SEARCH_PAGE_SIZE, offset: int = 0) -> SearchResults:
    """Full-text search over the requests the viewer may see: those they read in full (their area as
    staff, their own) on the private text, the published ones of their feed on the public text only,
    so no one finds a request by a word that redaction hid. Ranked, then newest first; a constant
    number of queries (the match, then the rows). Pages by offset: ranked results have no key to
    page on, and a few pages of twenty is all a phone reader turns."""
    from youthlink.accounts.access import scope_nodes, scope_q

    from .models import Appeal
    from .permissions import READ_ROLES
    from .selectors import _feed_q, _own_q, feed_roots, full_access_q

    limit = max(1, min(int(limit), 50))
    offset = max(0, min(int(offset), 1000))
    terms = query_terms(q)
    if not terms or not getattr(user, "is_authenticated", False):
        return SearchResults(query=q or "", terms=terms, appeals=[], offset=offset, has_more=False)
    full_q = full_access_q(user)
    # what the viewer reads in full is matched on the private words only: no second, public pass
    # The index reads the matches of the viewer's nodes only (and of their own requests' nodes
    # outside them), not of the whole city; the Qs stay the rule of who sees what.
    staff_roles = set(READ_ROLES)
    full_area = Area(tuple(n.pk for n in scope_nodes(user, staff_roles)),
                     also_q=_own_q(user) & ~scope_q(user, "node_", staff_roles))
    public_area = Area(tuple(n.pk for n in feed_roots(user)))
    matches = match_ids(terms, full_q=full_q, public_q=_feed_q(user) & ~full_q, limit=limit + 1, offset=offset,
                        full_area=full_area, public_area=public_area)
    has_more = len(matches) > limit
    matches = matches[:limit]
    rows = Appeal.objects.select_related("category", "node__parent").in_bulk([m.id for m in matches])
    appeals = []
    for m in matches:
        appeal = rows.get(m.id)
        if appeal is not None:  # deleted between the two queries
            appeal.search_full_access = m.full_access
            appeals.append(appeal)
    return SearchResults(query=q, terms=terms, appeals=appeals, offset=offset, has_more=has_more)
