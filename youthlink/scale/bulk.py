"""Fast bulk writes for the scale generator: `COPY … FROM STDIN` on PostgreSQL, one multi-row
`executemany` per batch on SQLite. Rows arrive as dicts keyed by the model's attribute names and
already in their database form (see `Clock`); columns a row leaves out take the field's default.

Ids are given by the generator (so that rows can point at each other without reading anything
back); `reset_sequences` moves PostgreSQL's identity sequences past them afterwards (SQLite's
AUTOINCREMENT follows an explicit rowid by itself)."""
from __future__ import annotations

import datetime as dt
import json
from django.core.management.color import no_style
from django.db import connection, models, transaction

UTC = dt.timezone.utc


class Clock:
    """Datetimes and dates in the form each database takes them: SQLite stores naive UTC text, the
    way Django writes it; PostgreSQL takes aware datetimes."""

    def __init__(self, vendor: str):
        self.sqlite = vendor == "sqlite"

    def ts(self, utc_naive: dt.datetime | None):
        if utc_naive is None:
            return None
        return str(utc_naive) if self.sqlite else utc_naive.replace(tzinfo=UTC)

    def day(self, value: dt.date | None):
        if value is None:
            return None
        return value.isoformat() if self.sqlite else value


def _default(field: models.Field):
    if field.primary_key:
        return None
    value = field.get_default()
    if isinstance(value, (list, dict)):
        return json.dumps(value)
    return value


class Table:
    """One table, written in batches. `write(rows)` takes dicts keyed by attname."""

    def __init__(self, model, batch_size: int = 20000):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.attnames = [f.attname for f in self.fields]
        self.columns = [f.column for f in self.fields]
        self.defaults = [_default(f) for f in self.fields]
        self.table = model._meta.db_table
        self.batch_size = batch_size
        self.rows = 0

    def write(self, rows: list[dict]) -> int:
        """Write the rows (dicts keyed by attname). The primary key is written when the rows carry one,
        and left to the database otherwise."""
        if not rows:
            return 0
        keep = [i for i, f in enumerate(self.fields) if not f.primary_key or f.attname in rows[0]]
        names = [self.attnames[i] for i in keep]
        defaults = [self.defaults[i] for i in keep]
        columns = [self.columns[i] for i in keep]
        tuples = (tuple(row.get(name, default) for name, default in zip(names, defaults)) for row in rows)
        quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
        table = connection.ops.quote_name(self.table)
        written = 0
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                    for values in tuples:
                        copy.write_row(values)
                        written += 1
            else:
                sql = f"INSERT INTO {table} ({quoted}) VALUES ({', '.join('?' * len(columns))})"
                raw = connection.connection  # sqlite3 itself: no per-row placeholder rewriting
                batch = []
                for values in tuples:
                    batch.append(values)
                    if len(batch) >= self.batch_size:
                        with transaction.atomic():  # one transaction a batch: a bounded WAL
                            raw.executemany(sql, batch)
                        written += len(batch)
                        batch = []
                if batch:
                    with transaction.atomic():
                        raw.executemany(sql, batch)
                    written += len(batch)
        self.rows += written
        return written


def m2m_table(model, field_name: str):
    """The auto-created through model of a many-to-many field, as a model for `Table`."""
    return model._meta.get_field(field_name).remote_field.through


def next_id(model) -> int:
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def reset_sequences(models_: list) -> None:
    if connection.vendor != "postgresql":
        return
    statements = connection.ops.sequence_reset_sql(no_style(), models_)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def analyze() -> None:
    """Fresh planner statistics; on PostgreSQL outside a transaction also VACUUM, which sets the
    visibility map that index-only scans need (autovacuum would do it later, at its own pace)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
