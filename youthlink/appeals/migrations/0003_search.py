"""The full-text index over the two jieba token columns of requests, one per database.

SQLite: an FTS5 external-content table (the text lives once, in appeals_appeal) kept in step by
triggers, so every write path (services, admin, bulk updates of the token columns) keeps the index
right. Tokenizer unicode61 with remove_diacritics 0: it splits on the spaces jieba's words are joined
with and keeps a run of CJK characters as one token, so 创业 is the indexed word 创业 and a query for
it is an exact word match; nothing is folded beyond case.

PostgreSQL: a stored generated tsvector column per token column (to_tsvector('simple', …), kept
by PostgreSQL itself on every write) with a GIN index on each. The 'simple' configuration only
lower-cases (no stemming, no stop words: jieba already made the words). A GIN index on the bare
expression would keep the table smaller, but ranking (ts_rank) then re-parses every matching row's
text: on 100,000 requests a two-character word matching 28,000 of them ranked in 180-195 ms that
way against 34-36 ms from the stored column (same data, same query). The columns are not in the
Django model: Django never writes them and never reads them outside the search query."""
from django.db import migrations

FTS_TABLE = "appeals_appeal_fts"

SQLITE_FORWARD = [
    f"""CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(
        search_tokens, public_search_tokens,
        content='appeals_appeal', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0')""",
    f"""CREATE TRIGGER appeals_appeal_fts_insert AFTER INSERT ON appeals_appeal BEGIN
        INSERT INTO {FTS_TABLE}(rowid, search_tokens, public_search_tokens)
        VALUES (new.id, new.search_tokens, new.public_search_tokens);
    END""",
    f"""CREATE TRIGGER appeals_appeal_fts_delete AFTER DELETE ON appeals_appeal BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_tokens, public_search_tokens)
        VALUES ('delete', old.id, old.search_tokens, old.public_search_tokens);
    END""",
    # Django's save() writes every column: skip the index work when the words did not change.
    f"""CREATE TRIGGER appeals_appeal_fts_update AFTER UPDATE OF search_tokens, public_search_tokens
        ON appeals_appeal
        WHEN old.search_tokens IS NOT new.search_tokens OR old.public_search_tokens IS NOT new.public_search_tokens
    BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_tokens, public_search_tokens)
        VALUES ('delete', old.id, old.search_tokens, old.public_search_tokens);
        INSERT INTO {FTS_TABLE}(rowid, search_tokens, public_search_tokens)
        VALUES (new.id, new.search_tokens, new.public_search_tokens);
    END""",
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS appeals_appeal_fts_update",
    "DROP TRIGGER IF EXISTS appeals_appeal_fts_delete",
    "DROP TRIGGER IF EXISTS appeals_appeal_fts_insert",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]
POSTGRES_FORWARD = [
    "ALTER TABLE appeals_appeal ADD COLUMN search_tsv tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_tokens)) STORED",
    "ALTER TABLE appeals_appeal ADD COLUMN public_search_tsv tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, public_search_tokens)) STORED",
    "CREATE INDEX appeal_search_tsv ON appeals_appeal USING gin (search_tsv)",
    "CREATE INDEX appeal_public_search_tsv ON appeals_appeal USING gin (public_search_tsv)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS appeal_public_search_tsv",
    "DROP INDEX IF EXISTS appeal_search_tsv",
    "ALTER TABLE appeals_appeal DROP COLUMN IF EXISTS public_search_tsv",
    "ALTER TABLE appeals_appeal DROP COLUMN IF EXISTS search_tsv",
]
STATEMENTS = {
    "sqlite": (SQLITE_FORWARD, SQLITE_BACKWARD),
    "postgresql": (POSTGRES_FORWARD, POSTGRES_BACKWARD),
}


def _run(schema_editor, forward: bool) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in STATEMENTS:
        raise RuntimeError(f"no full-text index for the {vendor} database (SQLite and PostgreSQL only)")
    for sql in STATEMENTS[vendor][0 if forward else 1]:
        schema_editor.execute(sql)


def create_index(apps, schema_editor):
    _run(schema_editor, True)


def drop_index(apps, schema_editor):
    _run(schema_editor, False)


class Migration(migrations.Migration):
    dependencies = [("appeals", "0002_builtin_categories")]
    operations = [migrations.RunPython(create_index, drop_index)]
