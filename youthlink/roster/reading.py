"""Reading a roster into batches of checked rows: each row parsed and normalised, rows repeating
an earlier row's ID number or mobile rejected, and the lookup keys (keyed hashes, pinyin) of the
good rows computed, so that the writer only matches and writes.

Two ways of overlapping this with the writing were built and measured on the project's 2-core
machine (BENCHMARKS.md, "Roster import"): a writer thread was slower (the GIL hand-offs cost more
than the overlap won), and a forked reader process sending batches through a pipe cost 1.4 s more
CPU and gained no wall-clock time while other work shared the cores. Reading and writing therefore
take turns in one thread; the generator below is the seam where a reader process would go."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

from django.utils.translation import gettext as _

from youthlink.core import crypto
from youthlink.core.pinyin import search_keys

from .columns import Layout
from .files import RosterSheet
from .parsing import PersonRow, RowErrors, is_blank, parse_row, row_values


@dataclass
class Batch:
    people: list[PersonRow]
    rejected: list[tuple[int, str, list]]  # (row number, the row's cells as JSON, reasons)
    processed: int  # rows read so far, blank ones included: what the progress bar counts




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
