"""The place words at the end of both token columns of every request (search.index_fields writes
them from now on): ylnode<id> for every node of its path, so a search matches inside the viewer's
area in the index itself. Appended to the stored words (no new word cut), by id in batches; the
SQLite triggers and the PostgreSQL generated columns bring the index along. The public column gets
them even when nothing is published (see search.py). Run again, it leaves the rows as they are."""
from django.db import migrations

PREFIX = "ylnode"
WIDTH = 9  # orgs.models.PATH_WIDTH when this was written
BATCH = 2000


def _words(tokens: str) -> list[str]:
    return [w for w in (tokens or "").split() if not w.startswith(PREFIX)]


def _place(node_path: str) -> list[str]:
    return [f"{PREFIX}{int(node_path[i:i + WIDTH])}" for i in range(0, len(node_path or ""), WIDTH)]


def _rewrite(apps, schema_editor, with_place: bool) -> None:
    Appeal = apps.get_model("appeals", "Appeal")
    using = schema_editor.connection.alias
    last = 0
    while True:
        rows = list(Appeal.objects.using(using).filter(pk__gt=last).order_by("pk")
                    .values_list("pk", "node_path", "search_tokens", "public_search_tokens")[:BATCH])
        if not rows:
            return
        changed = []
        for pk, node_path, tokens, public in rows:
            place = _place(node_path) if with_place else []
            new = (" ".join(_words(tokens) + place), " ".join(_words(public) + place))
            if new != (tokens, public):
                changed.append((*new, pk))
        if changed:
            with schema_editor.connection.cursor() as cursor:
                cursor.executemany("UPDATE appeals_appeal SET search_tokens = %s, public_search_tokens = %s "
                                   "WHERE id = %s", changed)
        last = rows[-1][0]


def add_place_words(apps, schema_editor):
    _rewrite(apps, schema_editor, True)


def remove_place_words(apps, schema_editor):
    _rewrite(apps, schema_editor, False)


class Migration(migrations.Migration):
    dependencies = [("appeals", "0004_published_index")]
    operations = [migrations.RunPython(add_place_words, remove_place_words)]
