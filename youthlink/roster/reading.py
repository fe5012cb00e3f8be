"""Reading a roster into batches of checked rows, in a separate process where it can be.

Reading the sheet (openpyxl) and checking its rows is pure Python and holds the GIL for about two
thirds of an import; writing is the rest. A thread cannot overlap the two (measured: the GIL
hand-offs made it slower), a forked process can: the reader process continues the very iterator
the caller opened (the workbook is already loaded, the header already found), checks the rows and
sends them in batches through a pipe, while the caller hashes, looks up and writes the previous
batch. The reader never touches the database; it ends with os._exit, so it runs no cleanup of
anything it inherited (the caller's database connection in particular)."""
from __future__ import annotations

import datetime as dt
import json
import os
import signal
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from multiprocessing import Pipe
from typing import Iterator

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from youthlink.core import crypto
from youthlink.core.pinyin import search_keys

from .columns import Layout
from .files import RosterSheet
from .parsing import PersonRow, RowErrors, is_blank, parse_row, row_values

# Forking is safe only where we know it is (Linux); elsewhere the caller's thread reads in turn.
READER_PROCESS = sys.platform.startswith("linux") and hasattr(os, "fork")


@dataclass
class Batch:
    people: list[PersonRow]
    rejected: list[tuple[int, str, list]]  # (row number, the row's cells as JSON, reasons)
    processed: int  # rows read so far, blank ones included: what the progress bar counts


@dataclass
class _Failed:
    messages: list[str] | None  # a ValidationError's messages; None for anything else
    description: str


_END = "end"


def read_batches(sheet: RosterSheet, *, today: dt.date, batch_size: int) -> Iterator[Batch]:
    """Check every row; a row repeating an ID number or mobile of an earlier row is rejected."""
    layout = sheet.layout
    seen_ids: dict[str, int] = {}
    seen_mobiles: dict[str, int] = {}
    people: list[PersonRow] = []
    rejected: list[tuple[int, str, list]] = []
    row_number = layout.header_row
    processed = 0
    for values in sheet.rows:
        row_number += 1
        processed += 1
        if not is_blank(values):
            person, errors = parse_row(values, layout, row_number, today)
            if person is not None:
                errors = _repeated(person, layout, seen_ids, seen_mobiles)
            if errors:
                rejected.append((row_number, json.dumps(row_values(values, layout), ensure_ascii=False), errors.items))
            else:
                people.append(with_keys(person))
        if processed % batch_size == 0:
            yield Batch(people, rejected, processed)
            people, rejected = [], []
    yield Batch(people, rejected, processed)


def with_keys(person: PersonRow) -> PersonRow:
    """The keyed hashes the database is searched by, and the pinyin keys: computed here, in the
    reader, to share the work evenly between the reader and the writer."""
    if person.id_number:
        person.id_hash = crypto.keyed_hash(person.id_number, purpose="id_number")
    if person.mobile:
        person.mobile_hash = crypto.keyed_hash(person.mobile, purpose="mobile")
    person.search_keys = _search_keys(person.name)
    return person


@lru_cache(maxsize=65536)
def _search_keys(name: str) -> str:
    # Rosters repeat names a lot (张伟, 王芳 …): pinyin once per distinct name.
    return search_keys(name)


def _repeated(person: PersonRow, layout: Layout, seen_ids: dict, seen_mobiles: dict) -> RowErrors | None:
    first = seen_ids.get(person.id_number) if person.id_number else None
    if first is not None:
        errors = RowErrors(layout, person.row_number)
        errors.add("id_number", _("与第%d行的身份证号码重复") % first)
        return errors
    first = seen_mobiles.get(person.mobile) if person.mobile else None
    if first is not None:
        errors = RowErrors(layout, person.row_number)
        errors.add("mobile", _("与第%d行的手机号重复") % first)
        return errors
    if person.id_number:
        seen_ids[person.id_number] = person.row_number
    if person.mobile:
        seen_mobiles[person.mobile] = person.row_number
    return None


@contextmanager
def batches_from(sheet: RosterSheet, *, today: dt.date, batch_size: int) -> Iterator[Iterator[Batch]]:
    """The batches of `sheet`, read in a forked process when READER_PROCESS, else in this thread.
    Until the context ends the caller must not read from the sheet's file itself."""
    if not READER_PROCESS:
        yield read_batches(sheet, today=today, batch_size=batch_size)
        return
    receiver, sender = Pipe(duplex=False)
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the reader process; its work is covered through the pipe
        _reader(sheet, sender, receiver, today=today, batch_size=batch_size)
    sender.close()
    finished = False
    try:
        yield _receive(receiver)
        finished = True
    finally:
        receiver.close()
        if not finished:
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def _reader(sheet, sender, receiver, *, today, batch_size) -> None:  # pragma: no cover - runs in the child
    code = 0
    try:
        receiver.close()
        for batch in read_batches(sheet, today=today, batch_size=batch_size):
            sender.send(batch)
        sender.send(_END)
    except BaseException as exc:  # noqa: BLE001 - everything goes back to the caller
        code = 1
        try:
            messages = exc.messages if isinstance(exc, ValidationError) else None
            sender.send(_Failed(messages=messages, description=f"{type(exc).__name__}: {exc}"))
        except BaseException:  # noqa: BLE001 - the caller has gone: nothing left to tell
            pass
    finally:
        os._exit(code)


def _receive(receiver) -> Iterator[Batch]:
    while True:
        try:
            item = receiver.recv()
        except EOFError:
            raise RuntimeError("the roster reader process ended without finishing") from None
        if isinstance(item, str) and item == _END:
            return
        if isinstance(item, _Failed):
            if item.messages is not None:
                raise ValidationError(item.messages)
            raise RuntimeError(f"the roster reader process failed: {item.description}")
        yield item
