"""A lean multi-row INSERT … RETURNING for the roster import.

Measured on the 75,215-row benchmark roster, Django's bulk_create spent about 80% of its time in
per-value Python (pre_save, get_db_prep_save, placeholder assembly) and 20% in the database; that
alone took longer than reading the file. Here each field's preparation is decided once from the
model's fields, values the database driver takes as they are pass straight through, and a row's
parameters come from one small function built for the given column order. Fields the caller does
not give get their model default (or the time, for auto_now fields), and any field type not known
here goes through its own get_db_prep_save, so a field added to the model later still gets a
correct value; the import's tests read the rows back through the ORM."""
from __future__ import annotations

import sqlite3
from typing import Callable, Sequence

from django.db import connections, models
from django.utils import timezone

from youthlink.core import crypto
from youthlink.core.fields import EncryptedTextField

# Field classes whose get_db_prep_save leaves a value of the right Python type unchanged.
_PLAIN_FIELDS = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.ForeignKey)


def max_query_params(connection) -> int:
    """Django assumes SQLite's old limit of 999 variables; SQLite 3.32+ allows 32,766, and a few
    large statements cost measurably less than many small ones."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        try:
            return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        except AttributeError:  # Python < 3.11
            return connection.features.max_query_params
    return connection.features.max_query_params or 65535


def chunks(items: list, largest: int):
    """Split into pieces of `largest` and then powers of two (1000 → 512, 256, 128, 64, 32, 8).

    The database driver keeps prepared statements by their text (SQLite's module keeps 128), and
    a statement's text depends on how many rows it carries: with arbitrary remainders every batch
    prepared new statements of thousands of parameters, which cost time and ~100 MB of memory.
    With these sizes only a dozen different statements ever exist."""
    largest = 1 << (max(1, largest).bit_length() - 1)  # a power of two as well
    start = 0
    while len(items) - start >= largest:
        yield items[start:start + largest]
        start += largest
    size = largest
    while start < len(items):
        size >>= 1
        if len(items) - start >= size:
            yield items[start:start + size]
            start += size


def _encrypt(value):
    # Mirrors EncryptedTextField.get_prep_value: empty stays empty, anything else is sealed.
    return crypto.encrypt(value) if value else value


def _is_plain(field) -> bool:
    if isinstance(field, models.ForeignKey):
        return True
    if not isinstance(field, _PLAIN_FIELDS) or isinstance(field, EncryptedTextField):
        return False
    own = type(field).get_db_prep_save, type(field).get_db_prep_value, type(field).get_prep_value
    return (own[0] is models.Field.get_db_prep_save and own[1] is models.Field.get_db_prep_value
            and own[2] in {c.get_prep_value for c in (models.CharField, models.TextField, models.IntegerField,
                                                      models.BooleanField)})


class BulkInserter:
    """insert(rows) for tuples whose items are the model attributes named in `attnames`, in order."""

    def __init__(self, model: type[models.Model], attnames: Sequence[str], *, using: str = "default"):
        self.model = model
        self.attnames = tuple(attnames)
        self.connection = connections[using]
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        unknown = set(self.attnames) - {f.attname for f in self.fields}
        if unknown:
            raise ValueError(f"{model.__name__} has no field {', '.join(sorted(unknown))}")
        quote = self.connection.ops.quote_name
        placeholders = "(" + ", ".join(["%s"] * len(self.fields)) + ")"
        self._head = (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in self.fields)}) "
                      "VALUES ")
        self._placeholders = placeholders
        self._tail = f" RETURNING {quote(model._meta.pk.column)}"
        self.rows_per_statement = max(1, min(1024, max_query_params(self.connection) // len(self.fields)))

    @property
    def supported(self) -> bool:
        return self.connection.features.can_return_rows_from_bulk_insert

    def _row_function(self) -> Callable[[tuple], tuple]:
        """Build `lambda r: (r[0], enc(r[3]), <default>, …)` in the table's column order."""
        ops, connection, now = self.connection.ops, self.connection, timezone.now()
        namespace: dict = {}
        items = []
        for n, field in enumerate(self.fields):
            if isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add):
                namespace[f"c{n}"] = ops.adapt_datetimefield_value(now)
                items.append(f"c{n}")
                continue
            if field.attname not in self.attnames:
                namespace[f"c{n}"] = field.get_db_prep_save(field.get_default(), connection)
                items.append(f"c{n}")
                continue
            source = f"r[{self.attnames.index(field.attname)}]"
            if isinstance(field, EncryptedTextField):
                prepare = _encrypt
            elif isinstance(field, models.DateTimeField):
                prepare = ops.adapt_datetimefield_value
            elif isinstance(field, models.DateField):
                prepare = ops.adapt_datefield_value
            elif _is_plain(field):
                prepare = None
            else:
                prepare = (lambda value, f=field: f.get_db_prep_save(value, connection))
            if prepare is None:
                items.append(source)
            else:
                namespace[f"p{n}"] = prepare
                items.append(f"p{n}({source})")
        # The source is built from this model's field list only, never from data.
        return eval(f"lambda r: ({', '.join(items)},)", namespace)  # noqa: S307

    def insert(self, rows: list[tuple]) -> list[int]:
        """Insert the rows; return their new primary keys in the same order."""
        if not rows:
            return []
        if self.connection.vendor == "postgresql":
            return self._copy(rows)
        if not self.supported:
            objs = [self.model(**dict(zip(self.attnames, row))) for row in rows]
            return [obj.pk for obj in self.model.objects.bulk_create(objs)]
        make = self._row_function()
        ids: list[int] = []
        with self.connection.cursor() as cursor:
            for chunk in chunks(rows, self.rows_per_statement):
                params = [value for row in chunk for value in make(row)]
                sql = self._head + ", ".join([self._placeholders] * len(chunk)) + self._tail
                cursor.execute(sql, params)
                ids.extend(r[0] for r in cursor.fetchall())
        return ids

    def _copy(self, rows: list[tuple]) -> list[int]:
        """PostgreSQL: take the ids from the table's sequence, then COPY the rows in with them.
        A multi-row INSERT spent most of its time quoting parameters on the client (psycopg's
        client-side binding, Django's default); COPY streams them instead."""
        quote = self.connection.ops.quote_name
        table, pk = self.model._meta.db_table, self.model._meta.pk.column
        make = self._row_function()
        self.connection.ensure_connection()
        with self.connection.wrap_database_errors, self.connection.connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [quote(table), pk, len(rows)])
            ids = [r[0] for r in cursor.fetchall()]
            columns = ", ".join(quote(f.column) for f in self.fields)
            with cursor.copy(f"COPY {quote(table)} ({quote(pk)}, {columns}) FROM STDIN") as copy:
                for pk_value, row in zip(ids, rows):
                    copy.write_row((pk_value, *make(row)))
        return ids
