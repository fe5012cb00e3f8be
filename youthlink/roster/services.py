"""名册导入: a county committee brings the roster it keeps in Excel into the platform.

A job is created when the file passes every check that can be made up front (size, format, zip
bomb, header), then runs in the background: the sheet is streamed row by row, each batch of rows is
validated, matched against people already on record (by ID number, else by mobile) and written in
one transaction together with the job's progress, so the page's progress bar moves and the rows
already written stay written if a later batch fails. Bad rows are kept, encrypted, with their
reasons, to be downloaded, fixed and imported again."""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import queue
import threading
import uuid
from dataclasses import dataclass
from functools import lru_cache
from typing import IO, Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from youthlink.audit.models import AuditAction
from youthlink.audit.services import audit_record
from youthlink.core import crypto
from youthlink.core.pinyin import search_keys
from youthlink.people.models import PersonTag, YoungPerson

from . import permissions
from .bulk import BulkInserter
from .files import inspect_roster, open_roster
from .models import ImportJob, ImportStatus, RejectedRow
from .parsing import PersonRow, RowErrors, is_blank, parse_row, row_values

logger = logging.getLogger(__name__)

BATCH_SIZE = 1000
WRITER_THREAD = True  # write batch N while reading batch N+1 (see _BatchWriter)
Progress = Callable[[ImportJob], None]


@lru_cache(maxsize=65536)
def _search_keys(name: str) -> str:
    # Rosters repeat names a lot (张伟, 王芳 …): pinyin once per distinct name.
    return search_keys(name)


def _id_hash(number: str) -> str | None:
    return crypto.keyed_hash(number, purpose="id_number") if number else None


def _mobile_hash(mobile: str) -> str | None:
    return crypto.keyed_hash(mobile, purpose="mobile") if mobile else None


def import_job_create(*, actor, node, upload, run_in_background: bool = True,
                      check_permission: bool = True) -> ImportJob:
    """Accept a roster for `node` and queue its import. Everything that can refuse the file (too
    large, not an xlsx, a zip bomb, no 姓名 header) refuses here, before anything is written.

    `upload` is a django File (an UploadedFile from a form, or a File around an open file for the
    command). In the background (the web), the file is stored under MEDIA_ROOT until the job ends;
    otherwise the caller runs `import_job_run(job_id=…, fileobj=…)` itself and nothing is stored."""
    if check_permission and not permissions.can_import_at(actor, node):
        raise PermissionDenied
    # Read the header outside the transaction: on SQLite a transaction holds the write lock.
    sheet = inspect_roster(upload, size=upload.size)
    job = ImportJob(node=node, created_by=actor if getattr(actor, "pk", None) else None,
                    original_name=os.path.basename(upload.name or "")[:200], total_rows=sheet.total_rows)
    if run_in_background:
        upload.seek(0)
        # A random name: the original may name a village or a person, and the file is sensitive.
        job.file.save(f"{uuid.uuid4().hex}.xlsx", upload, save=False)
    try:
        with transaction.atomic():
            job.save()
            if run_in_background:
                from .tasks import import_job_run_task
                transaction.on_commit(lambda: import_job_run_task.delay(job.pk))
    except Exception:
        if job.file:
            job.file.delete(save=False)
        raise
    return job


def import_job_run(*, job_id: int, fileobj: IO[bytes] | None = None, progress: Progress | None = None) -> ImportJob:
    """Run a pending job to the end. Idempotent: a job already running, done or failed is left as
    it is (a retried or duplicated task does nothing), and matching by ID number / mobile means
    even a second run of the same file creates nobody twice."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportStatus.PENDING).update(
        status=ImportStatus.RUNNING, started_at=timezone.now())
    job = ImportJob.objects.select_related("node", "created_by").get(pk=job_id)
    if not claimed:
        return job
    importer = _RosterImport(job, progress)
    opened = None
    try:
        with translation.override("zh-hans"):
            try:
                if fileobj is None:
                    opened = fileobj = job.file.open("rb")
                importer.run(fileobj)
            except ValidationError as exc:
                importer.fail(exc.messages[0])
            except Exception:  # noqa: BLE001 - any failure ends the job visibly instead of leaving it "running"
                logger.exception("roster import job %s failed", job.pk)
                importer.fail(_("导入中断（系统错误）：已写入的行会保留，重新上传同一文件可继续，不会重复"))
    finally:
        if opened is not None:
            opened.close()
        _delete_stored_file(job)
    return job


def _delete_stored_file(job: ImportJob) -> None:
    """The uploaded roster holds ID numbers and health notes: it is kept only while the job runs."""
    if not job.file:
        return
    try:
        job.file.delete(save=False)
    except OSError:
        logger.warning("could not delete roster file of job %s", job.pk)
    ImportJob.objects.filter(pk=job.pk).update(file="")


@dataclass
class _Batch:
    people: list[PersonRow]
    rejected: list[RejectedRow]
    processed: int  # rows read so far, for the progress bar


class _BatchWriter:
    """Writes each batch on a second thread while the caller reads the next one from the sheet.

    Reading is openpyxl's pure Python and holds the GIL; writing is mostly the database (SQLite's
    C code or a PostgreSQL round trip), which does not. On two cores the writing then largely hides
    behind the reading. One batch is written at a time, on the caller's own connection, shared with
    the thread the way Django's LiveServerThread shares it: the caller does not touch the database
    until the writer is closed, so it is never used by two threads at once, and transactions (and
    tests wrapped in one) behave exactly as if everything ran on the caller's thread."""

    def __init__(self, write: Callable[[_Batch], None], *, threaded: bool = True):
        self.write = write
        self.threaded = threaded
        self.error: BaseException | None = None
        self.connection = connections[DEFAULT_DB_ALIAS]

    def __enter__(self):
        if self.threaded:
            self.queue: queue.Queue = queue.Queue(maxsize=1)
            self.connection.inc_thread_sharing()
            self.thread = threading.Thread(target=self._work, name="roster-writer", daemon=True)
            self.thread.start()
        return self

    def submit(self, batch: _Batch) -> None:
        if self.error is not None:
            raise self.error
        if self.threaded:
            self.queue.put(batch)
        else:
            self.write(batch)

    def _work(self) -> None:
        connections[DEFAULT_DB_ALIAS] = self.connection
        while (batch := self.queue.get()) is not None:
            if self.error is None:
                try:
                    self.write(batch)
                except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
                    self.error = exc

    def __exit__(self, exc_type, exc, tb):
        if self.threaded:
            self.queue.put(None)
            self.thread.join()
            self.connection.dec_thread_sharing()
        if exc_type is None and self.error is not None:
            raise self.error
        return False


class _RosterImport:
    def __init__(self, job: ImportJob, progress: Progress | None):
        self.job = job
        self.progress = progress
        self.today = dt.date.today()
        self.created = self.existing = self.rejected = 0
        # First row number of each ID number / mobile seen in this file (normalised values).
        self.seen_ids: dict[str, int] = {}
        self.seen_mobiles: dict[str, int] = {}
        self.inserters: dict = {}

    def run(self, fileobj) -> None:
        with open_roster(fileobj) as sheet:
            layout = sheet.layout
            if sheet.total_rows != self.job.total_rows:
                self.job.total_rows = sheet.total_rows
                ImportJob.objects.filter(pk=self.job.pk).update(total_rows=sheet.total_rows)
            # From here until the writer is closed this thread reads and checks rows only: the
            # database belongs to the writer.
            with _BatchWriter(self._write_batch, threaded=WRITER_THREAD) as writer:
                people: list[PersonRow] = []
                rejected: list[RejectedRow] = []
                row_number = layout.header_row
                processed = 0  # rows read below the header, blank ones included (what the progress bar counts)
                for values in sheet.rows:
                    row_number += 1
                    processed += 1
                    if not is_blank(values):
                        person, errors = parse_row(values, layout, row_number, self.today)
                        if person is not None:
                            self._check_repeat(person, errors)
                        if errors:
                            rejected.append(self._rejected_row(values, layout, row_number, errors))
                        else:
                            people.append(person)
                    if processed % BATCH_SIZE == 0:
                        writer.submit(_Batch(people, rejected, processed))
                        people, rejected = [], []
                writer.submit(_Batch(people, rejected, processed))
        self._finish()

    def _check_repeat(self, person: PersonRow, errors: RowErrors) -> None:
        """The same person twice in one file: the later row is the duplicate."""
        first = self.seen_ids.get(person.id_number) if person.id_number else None
        if first is not None:
            errors.add("id_number", _("与第%d行的身份证号码重复") % first)
            return
        first = self.seen_mobiles.get(person.mobile) if person.mobile else None
        if first is not None:
            errors.add("mobile", _("与第%d行的手机号重复") % first)
            return
        if person.id_number:
            self.seen_ids[person.id_number] = person.row_number
        if person.mobile:
            self.seen_mobiles[person.mobile] = person.row_number

    def _rejected_row(self, values, layout, row_number: int, errors: RowErrors) -> RejectedRow:
        return RejectedRow(job_id=self.job.pk, row_number=row_number,
                           values=json.dumps(row_values(values, layout), ensure_ascii=False), reasons=errors.items)

    def _write_batch(self, batch: _Batch) -> None:
        hashed = [(row, _id_hash(row.id_number), _mobile_hash(row.mobile)) for row in batch.people]
        for attempt in (1, 2):
            try:
                with transaction.atomic():
                    # Look up inside the transaction: on SQLite that holds the write lock, so no
                    # other import can record the same person in between.
                    new = self._not_on_record(hashed)
                    self._write(new, len(hashed) - len(new), batch)
            except IntegrityError:
                # Someone else recorded one of these people between our lookup and our insert
                # (two imports of overlapping rosters): look again and write the rest.
                if attempt == 2:
                    raise
                continue
            break
        if self.progress:
            self.progress(self.job)

    @staticmethod
    def _not_on_record(hashed):
        """Match by ID number; a row without one (or whose ID number is new) matches by mobile a
        person recorded without an ID number, or, if the row has no ID number, anyone."""
        id_hashes = [h for _row, h, _m in hashed if h]
        known_ids = set(YoungPerson.objects.filter(id_hash__in=id_hashes).values_list("id_hash", flat=True)) \
            if id_hashes else set()
        mobile_hashes = [m for _row, h, m in hashed if m and h not in known_ids]
        known_mobiles: dict[str, bool] = {}  # mobile hash -> only people without ID number have it
        if mobile_hashes:
            for mobile, has_id in (YoungPerson.objects.filter(mobile_hash__in=mobile_hashes)
                                   .values_list("mobile_hash", "id_hash")):
                known_mobiles[mobile] = known_mobiles.get(mobile, True) and has_id is None
        new = []
        for row, id_hash, mobile_hash in hashed:
            if id_hash and id_hash in known_ids:
                continue
            if mobile_hash in known_mobiles and (id_hash is None or known_mobiles[mobile_hash]):
                continue
            new.append((row, id_hash, mobile_hash))
        return new

    def _write(self, new, existing: int, batch: _Batch) -> None:
        node_id = self.job.node_id
        people = [{
            "name": row.name, "gender": row.gender, "birth_date": row.birth_date, "home_node_id": node_id,
            "mobile": row.mobile, "mobile_hash": mobile_hash, "mobile_tail": row.mobile[-4:],
            "id_number": row.id_number, "id_hash": id_hash, "health_notes": row.health_notes,
            "hardship_notes": row.hardship_notes, "search_keys": _search_keys(row.name),
        } for row, id_hash, mobile_hash in new]
        ids = self._insert(YoungPerson, people)
        tags = [{"person_id": pk, "tag": tag, "sector": sector}
                for pk, (row, _h, _m) in zip(ids, new) for tag, sector in row.tags]
        if tags:
            self._insert(PersonTag, tags)
        if batch.rejected:
            RejectedRow.objects.bulk_create(batch.rejected)
        created = self.created + len(ids)
        existing = self.existing + existing
        rejected = self.rejected + len(batch.rejected)
        ImportJob.objects.filter(pk=self.job.pk).update(
            processed_rows=batch.processed, created_count=created, existing_count=existing, rejected_count=rejected)
        self.created, self.existing, self.rejected = created, existing, rejected
        job = self.job
        job.processed_rows, job.created_count, job.existing_count, job.rejected_count = (
            batch.processed, created, existing, rejected)

    def _insert(self, model, rows: list[dict]) -> list[int]:
        inserter = self.inserters.get(model)
        if inserter is None:
            inserter = self.inserters[model] = BulkInserter(model)
        if inserter.supported:
            return inserter.insert(rows)
        return [obj.pk for obj in model.objects.bulk_create([model(**row) for row in rows])]

    @transaction.atomic
    def _finish(self) -> None:
        job = self.job
        counted = self.created + self.existing + self.rejected
        job.status = ImportStatus.DONE
        job.total_rows = job.processed_rows = counted  # blank rows are not rows of the roster
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "total_rows", "processed_rows", "finished_at"])
        self._audit()

    @transaction.atomic
    def fail(self, message: str) -> None:
        job = self.job
        job.status = ImportStatus.FAILED
        job.error = message
        job.finished_at = timezone.now()
        ImportJob.objects.filter(pk=job.pk).update(status=job.status, error=message, finished_at=job.finished_at)
        self._audit()

    def _audit(self) -> None:
        job = self.job
        # Counts only: the audit log never holds the roster's contents.
        audit_record(actor=job.created_by, action=AuditAction.ROSTER_IMPORT, target=job, node=job.node,
                     target_label=_("名册导入 #%d") % job.pk,
                     data={"status": job.status, "rows": job.processed_rows, "created": job.created_count,
                           "existing": job.existing_count, "rejected": job.rejected_count})


@transaction.atomic
def rejected_rows_download(*, actor, job: ImportJob) -> None:
    """The rejected rows hold ID numbers and mobiles in the clear: every download is audited."""
    if not permissions.can_view_job(actor, job):
        raise PermissionDenied
    audit_record(actor=actor, action=AuditAction.REVEAL, target=job, node=job.node, field="rejected_rows",
                 reason=_("下载未导入的行以修改后重新导入"), target_label=_("名册导入 #%d") % job.pk,
                 data={"rows": job.rejected_count})
