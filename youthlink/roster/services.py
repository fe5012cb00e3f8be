"""名册导入: a county committee brings the roster it keeps in Excel into the platform.

A job is created when the file passes every check that can be made up front (size, format, zip
bomb, header), then runs in the background: the sheet is streamed row by row and checked
(reading.py); each batch of checked rows is matched against people already on record (by ID
number, else by mobile) and written in one transaction together with the job's progress, so the
page's progress bar moves and the rows already written stay written if a later batch fails. Bad
rows are kept, encrypted, with their reasons, to be downloaded, fixed and imported again.
Performance notes and numbers: BENCHMARKS.md, "Roster import"."""
from __future__ import annotations

import datetime as dt
import logging
import os
import uuid
from contextlib import contextmanager, nullcontext
from typing import IO, Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from youthlink.audit.models import AuditAction
from youthlink.audit.services import audit_record
from youthlink.core.registry import emit
from youthlink.people.models import PersonTag, YoungPerson

from . import permissions
from .bulk import BulkInserter, chunks, max_query_params
from .files import RosterSheet, check_roster_file, inspect_roster, open_roster
from .models import ImportJob, ImportStatus, RejectedRow
from .reading import Batch, read_batches
from .tuning import quiet_gc, sqlite_bulk_pragmas

logger = logging.getLogger(__name__)

BATCH_SIZE = 2500  # rows per transaction: progress moves ~30 times on a 75,000-row roster
PERSON_COLUMNS = ("name", "gender", "birth_date", "home_node_id", "mobile", "mobile_hash", "mobile_tail",
                  "id_number", "id_hash", "health_notes", "hardship_notes", "search_keys")
TAG_COLUMNS = ("person_id", "tag", "sector")
Progress = Callable[[ImportJob], None]


def _lookup(column: str, select: str, values: list[str]) -> list[tuple]:
    """SELECT … FROM people WHERE column IN (…). Plain SQL: the ORM spent more time preparing
    thousand-value IN lists than the database spent answering them. PostgreSQL takes the whole
    list as one array parameter; SQLite takes chunks of sizes that keep its statement cache small."""
    if not values:
        return []
    table = connection.ops.quote_name(YoungPerson._meta.db_table)
    found = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT {select} FROM {table} WHERE {column} = ANY(%s)", [values])
            return cursor.fetchall()
        for chunk in chunks(values, min(4096, max_query_params(connection))):
            cursor.execute(f"SELECT {select} FROM {table} WHERE {column} IN ({', '.join(['%s'] * len(chunk))})", chunk)
            found.extend(cursor.fetchall())
    return found


def _new_job(*, actor, node, name: str, total_rows: int) -> ImportJob:
    return ImportJob(node=node, created_by=actor if getattr(actor, "pk", None) else None,
                     original_name=os.path.basename(name or "")[:200], total_rows=total_rows)


def import_job_create(*, actor, node, upload) -> ImportJob:
    """Accept an uploaded roster for `node` and queue its import (the web's way in). Everything
    that can refuse the file (too large, not an xlsx, a zip bomb, no 姓名 header) refuses here,
    before anything is written. The file is stored under MEDIA_ROOT, under a random name, only
    until the job ends."""
    if not permissions.can_import_at(actor, node):
        raise PermissionDenied
    # Read the header outside the transaction: on SQLite a transaction holds the write lock.
    sheet = inspect_roster(upload, size=upload.size)
    job = _new_job(actor=actor, node=node, name=upload.name, total_rows=sheet.total_rows)
    upload.seek(0)
    job.file.save(f"{uuid.uuid4().hex}.xlsx", upload, save=False)
    try:
        with transaction.atomic():
            job.save()
            from .tasks import import_job_run_task
            transaction.on_commit(lambda: import_job_run_task.delay(job.pk))
    except Exception:
        job.file.delete(save=False)
        raise
    return job


def import_job_run(*, job_id: int, progress: Progress | None = None) -> ImportJob:
    """Run a queued job to the end (the Celery task). Idempotent: a job already running, done or
    failed is left as it is, so a retried or duplicated task does nothing; and matching by ID
    number / mobile means even a second job with the same file creates nobody twice."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportStatus.PENDING).update(
        status=ImportStatus.RUNNING, started_at=timezone.now())
    job = ImportJob.objects.select_related("node", "created_by").get(pk=job_id)
    if not claimed:
        return job

    @contextmanager
    def stored_sheet():
        with job.file.open("rb") as stored, open_roster(stored) as sheet:
            yield sheet

    try:
        _execute(_RosterImport(job, progress), stored_sheet)
    finally:
        _delete_stored_file(job)
    return job


def roster_import(*, actor, node, fileobj: IO[bytes], name: str, progress: Progress | None = None,
                  check_permission: bool = True) -> ImportJob:
    """Import a roster now, in this process (the import_roster command): the same checks, job,
    rejected rows and audit row as an upload, reading the file once and storing no copy of it."""
    if check_permission and not permissions.can_import_at(actor, node):
        raise PermissionDenied
    fileobj.seek(0, os.SEEK_END)
    check_roster_file(fileobj, size=fileobj.tell())
    with open_roster(fileobj) as sheet:  # a sheet without a 姓名 header is refused here, too
        job = _new_job(actor=actor, node=node, name=name, total_rows=sheet.total_rows)
        job.status, job.started_at = ImportStatus.RUNNING, timezone.now()
        job.save()
        _execute(_RosterImport(job, progress), lambda: nullcontext(sheet))
    return job


def _execute(importer: "_RosterImport", open_sheet: Callable) -> None:
    with translation.override("zh-hans"):  # the reasons are stored, and read in Chinese
        try:
            with open_sheet() as sheet:
                importer.run(sheet)
        except ValidationError as exc:
            importer.fail(exc.messages[0])
        except Exception:  # noqa: BLE001 - any failure ends the job visibly instead of leaving it "running"
            logger.exception("roster import job %s failed", importer.job.pk)
            importer.fail(_("导入中断（系统错误）：已写入的行会保留，重新上传同一文件可继续，不会重复"))


def _delete_stored_file(job: ImportJob) -> None:
    """The uploaded roster holds ID numbers and health notes: it is kept only while the job runs."""
    if not job.file:
        return
    try:
        job.file.delete(save=False)
    except OSError:
        logger.warning("could not delete roster file of job %s", job.pk)
    ImportJob.objects.filter(pk=job.pk).update(file="")


class _RosterImport:
    """One run of one job: writes the batches the reader sends and keeps the job's counts."""

    def __init__(self, job: ImportJob, progress: Progress | None):
        self.job = job
        self.progress = progress
        self.today = dt.date.today()
        self.created = self.existing = self.rejected = 0
        self.inserters: dict = {}

    def run(self, sheet: RosterSheet) -> None:
        if sheet.total_rows != self.job.total_rows:
            self.job.total_rows = sheet.total_rows
            ImportJob.objects.filter(pk=self.job.pk).update(total_rows=sheet.total_rows)
        with quiet_gc(), sqlite_bulk_pragmas():
            for batch in read_batches(sheet, today=self.today, batch_size=BATCH_SIZE):
                self._write_batch(batch)
        self._finish()

    def _write_batch(self, batch: Batch) -> None:
        hashed = [(row, row.id_hash, row.mobile_hash) for row in batch.people]
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
        known_ids = {h for h, in _lookup("id_hash", "id_hash", id_hashes)}
        mobile_hashes = [m for _row, h, m in hashed if m and h not in known_ids]
        known_mobiles: dict[str, bool] = {}  # mobile hash -> only people without ID number have it
        for mobile, has_id in _lookup("mobile_hash", "mobile_hash, id_hash IS NOT NULL", mobile_hashes):
            known_mobiles[mobile] = known_mobiles.get(mobile, True) and not has_id
        new = []
        for row, id_hash, mobile_hash in hashed:
            if id_hash and id_hash in known_ids:
                continue
            if mobile_hash in known_mobiles and (id_hash is None or known_mobiles[mobile_hash]):
                continue
            new.append((row, id_hash, mobile_hash))
        return new

    def _write(self, new, existing: int, batch: Batch) -> None:
        node_id = self.job.node_id
        people = [(row.name, row.gender, row.birth_date, node_id, row.mobile, mobile_hash, row.mobile[-4:],
                   row.id_number, id_hash, row.health_notes, row.hardship_notes, row.search_keys)
                  for row, id_hash, mobile_hash in new]
        ids = self._inserter(YoungPerson, PERSON_COLUMNS).insert(people)
        tags = [(pk, tag, sector) for pk, (row, _h, _m) in zip(ids, new) for tag, sector in row.tags]
        if tags:
            self._inserter(PersonTag, TAG_COLUMNS).insert(tags)
        if batch.rejected:
            RejectedRow.objects.bulk_create([
                RejectedRow(job_id=self.job.pk, row_number=number, values=values, reasons=reasons)
                for number, values, reasons in batch.rejected])
        created = self.created + len(ids)
        existing = self.existing + existing
        rejected = self.rejected + len(batch.rejected)
        ImportJob.objects.filter(pk=self.job.pk).update(
            processed_rows=batch.processed, created_count=created, existing_count=existing, rejected_count=rejected)
        self.created, self.existing, self.rejected = created, existing, rejected
        job = self.job
        job.processed_rows, job.created_count, job.existing_count, job.rejected_count = (
            batch.processed, created, existing, rejected)

    def _inserter(self, model, columns) -> BulkInserter:
        if model not in self.inserters:
            self.inserters[model] = BulkInserter(model, columns)
        return self.inserters[model]

    @transaction.atomic
    def _finish(self) -> None:
        job = self.job
        counted = self.created + self.existing + self.rejected
        job.status = ImportStatus.DONE
        job.total_rows = job.processed_rows = counted  # blank rows are not rows of the roster
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "total_rows", "processed_rows", "finished_at"])
        self._audit()
        if self.created:
            # people were inserted in bulk (no post_save): the figures that count them recount the node
            emit("records.changed", node_ids=[job.node_id])

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
