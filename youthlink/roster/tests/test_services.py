"""The import service: what a roster creates, what it rejects and why, what it refuses outright,
and that running it again changes nothing."""
import datetime as dt
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from youthlink.audit.models import AuditAction, AuditEvent
from youthlink.core.identity import id_check_digit
from youthlink.people.models import PersonTag, YoungPerson
from youthlink.people.services import id_hash, mobile_hash
from youthlink.roster import services
from youthlink.roster.models import ImportJob, ImportStatus, RejectedRow

from .xlsx import SYNONYM_HEADER, not_xlsx_zip, person_id, row, upload, xlsx_bytes, zip_bomb

pytestmark = pytest.mark.django_db
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def run(world, data: bytes, *, node=None, actor=None, name="泰顺县团员名册.xlsx") -> ImportJob:
    return services.roster_import(actor=actor or world.home.admin, node=node or world.home.township,
                                  fileobj=io.BytesIO(data), name=name)


def counts():
    return (YoungPerson.objects.count(), PersonTag.objects.count(), ImportJob.objects.count(),
            RejectedRow.objects.count())


GOOD = [
    row("林 小雨", "女", dt.datetime(2003, 5, 6), "+86-138-0013-8000", person_id(2003, 5, 6, serial=11, male=False),
        "困难青少年、团员", None, "进行性肌营养不良，卧床", "父母双亡，靠奶奶抚养"),
    row("陈大川", None, "1999年12月1日", 13900001111, None, "青联委员（农业界），创业青年"),
    row("周一鸣", "男", None, None, person_id(1998, 1, 20, serial=23).translate(FULL_WIDTH), "青联委员", "科学技术界"),
    row("小石头", None, None, "１５９ ００００ ２２２２", person_id(2018, 8, 8, serial=35), "困难青少年"),
]


def test_good_rows_are_imported_with_normalised_values(world):
    before = YoungPerson.objects.count()
    job = run(world, xlsx_bytes(GOOD, header=SYNONYM_HEADER, title="泰顺县团员青年名册（2026年）"))
    assert (job.status, job.total_rows, job.processed_rows) == (ImportStatus.DONE, 4, 4)
    assert (job.created_count, job.existing_count, job.rejected_count) == (4, 0, 0)
    assert YoungPerson.objects.count() == before + 4
    people = {p.name: p for p in YoungPerson.objects.filter(home_node=world.home.township)}
    assert sorted(people) == ["周一鸣", "小石头", "林小雨", "陈大川"]
    lin = people["林小雨"]
    assert (lin.mobile, lin.id_number, lin.birth_date, lin.gender) == (
        "13800138000", person_id(2003, 5, 6, serial=11, male=False), dt.date(2003, 5, 6), "F")
    assert (lin.health_notes, lin.hardship_notes) == ("进行性肌营养不良，卧床", "父母双亡，靠奶奶抚养")
    assert (lin.mobile_hash, lin.id_hash, lin.mobile_tail) == (mobile_hash("13800138000"),
                                                               id_hash(lin.id_number), "8000")
    assert lin.search_keys == " linxiaoyu lxy "
    chen = people["陈大川"]
    assert (chen.mobile, chen.id_number, chen.id_hash, chen.birth_date, chen.gender) == (
        "13900001111", "", None, dt.date(1999, 12, 1), "U")
    assert people["周一鸣"].id_number == person_id(1998, 1, 20, serial=23)
    assert people["周一鸣"].mobile_hash is None
    child = people["小石头"]
    assert (child.mobile, child.is_under_14) == ("15900002222", True)
    assert sorted(PersonTag.objects.filter(person__home_node=world.home.township)
                  .values_list("person__name", "tag", "sector")) == [
        ("周一鸣", "federation", "science"), ("小石头", "hardship", ""), ("林小雨", "hardship", ""),
        ("林小雨", "league_member", ""), ("陈大川", "entrepreneur", ""), ("陈大川", "federation", "agriculture")]


def test_sensitive_values_are_encrypted_at_rest(world):
    run(world, xlsx_bytes(GOOD[:1]))
    with connection.cursor() as cursor:
        cursor.execute("SELECT mobile, id_number, health_notes FROM people_youngperson WHERE name = %s", ["林小雨"])
        stored = cursor.fetchone()
    assert all(value.startswith("v1:") for value in stored)
    assert "13800138000" not in "".join(stored)


def test_each_bad_row_is_reported_and_the_good_rows_are_kept(world):
    good_id = person_id(2000, 1, 1, serial=41)
    rows = [
        row("甲", mobile="13700000001", id_number=good_id),                  # 2: good
        row(None, mobile="13700000002"),                                   # 3: no name
        row("乙", id_number=good_id[:17] + ("1" if good_id[17] != "1" else "2")),  # 4: check digit
        row("丙", mobile="1370000000"),                                    # 5: 10-digit mobile
        row("丁", mobile="13700000005", birth="2001-02-30"),               # 6: impossible date
        row("戊", id_number=good_id),                                      # 7: same ID as row 2
        row("己", mobile="137-0000-0001"),                                 # 8: same mobile as row 2
        row("庚", birth="2000-01-02", id_number=person_id(2000, 1, 1, serial=43)),  # 9: birth date mismatch
        row("辛", mobile="13700000009"),                                   # 10: good
    ]
    before = YoungPerson.objects.count()
    job = run(world, xlsx_bytes(rows))
    assert (job.status, job.created_count, job.existing_count, job.rejected_count) == (ImportStatus.DONE, 2, 0, 7)
    assert YoungPerson.objects.count() == before + 2
    names = YoungPerson.objects.filter(home_node=world.home.township).values_list("name", flat=True)
    assert sorted(names) == ["甲", "辛"]
    assert [(r.row_number, r.reasons) for r in job.rejected_rows.order_by("row_number")] == [
        (3, [{"column": "姓名", "cell": "A3", "message": "请填写姓名"}]),
        (4, [{"column": "身份证号", "cell": "E4", "message": "身份证号码校验位不正确"}]),
        (5, [{"column": "手机号", "cell": "D5", "message": "手机号码应为11位，以1开头"}]),
        (6, [{"column": "出生日期", "cell": "C6", "message": "出生日期不存在（2001-02-30）"}]),
        (7, [{"column": "身份证号", "cell": "E7", "message": "与第2行的身份证号码重复"}]),
        (8, [{"column": "手机号", "cell": "D8", "message": "与第2行的手机号重复"}]),
        (9, [{"column": "出生日期", "cell": "C9", "message": "出生日期与身份证号码不一致（身份证号码中为2000-01-01）"}]),
    ]
    assert json.loads(job.rejected_rows.get(row_number=8).values) == ["己", "", "", "137-0000-0001", "", "", "", "", ""]


def test_rejected_rows_are_encrypted_at_rest(world):
    first17 = person_id(serial=51)[:17]
    wrong = next(c for c in "0123456789X" if c != id_check_digit(first17))
    run(world, xlsx_bytes([row("乙", mobile="13512345678", id_number=first17 + wrong)]))
    with connection.cursor() as cursor:
        cursor.execute("SELECT \"values\" FROM roster_rejectedrow")
        (stored,) = cursor.fetchone()
    assert stored.startswith("v1:")
    assert "13512345678" not in stored


def test_reimporting_the_same_file_creates_no_duplicates(world):
    data = xlsx_bytes(GOOD + [row(None, mobile="13700000002")])
    first = run(world, data)
    people, tags = YoungPerson.objects.count(), PersonTag.objects.count()
    second = run(world, data)
    assert (first.created_count, first.existing_count, first.rejected_count) == (4, 0, 1)
    assert (second.created_count, second.existing_count, second.rejected_count) == (0, 4, 1)
    assert (YoungPerson.objects.count(), PersonTag.objects.count()) == (people, tags)


def test_people_already_on_record_are_matched_by_id_number_else_by_mobile(world):
    home = world.home  # home.person: 单雄信, mobile 13800138000, with an ID number
    on_record_id = home.person.id_number
    rows = [
        row("单雄信", id_number=on_record_id.lower()),          # same ID number
        row("单雄信", mobile="+86 138 0013 8000"),              # no ID number: same mobile
        row("单小妹", mobile="13800138000", id_number=person_id(2012, 2, 2, serial=61, male=False)),
    ]
    before = YoungPerson.objects.count()
    job = run(world, xlsx_bytes(rows[:1]))
    assert (job.created_count, job.existing_count) == (0, 1)
    job = run(world, xlsx_bytes(rows[1:2]))
    assert (job.created_count, job.existing_count) == (0, 1)
    # A sibling with her own ID number who gives the family's phone is a different person.
    job = run(world, xlsx_bytes(rows[2:]))
    assert (job.created_count, job.existing_count) == (1, 0)
    assert YoungPerson.objects.count() == before + 1


def test_a_person_recorded_by_mobile_only_is_found_when_the_roster_adds_the_id_number(world):
    run(world, xlsx_bytes([row("陈大川", mobile="13900001111")]))
    before = YoungPerson.objects.count()
    job = run(world, xlsx_bytes([row("陈大川", mobile="13900001111", id_number=person_id(1999, 12, 1, serial=71))]))
    assert (job.created_count, job.existing_count) == (0, 1)
    assert YoungPerson.objects.count() == before


def test_a_person_of_another_county_is_not_recorded_twice_nor_moved(world):
    other = world.other.person
    job = run(world, xlsx_bytes([row("单雄信", id_number=other.id_number)]))
    assert (job.created_count, job.existing_count) == (0, 1)
    other.refresh_from_db()
    assert other.home_node == world.other.village


def test_each_job_writes_one_audit_row_with_counts_only(world):
    job = run(world, xlsx_bytes(GOOD[:2] + [row(None, mobile="13700000002")]))
    events = AuditEvent.objects.filter(action=AuditAction.ROSTER_IMPORT)
    assert [(e.actor_id, e.target_type, e.target_id, e.node_path, e.data) for e in events] == [
        (world.home.admin.pk, "roster.importjob", job.pk, world.home.township.path,
         {"status": "done", "rows": 3, "created": 2, "existing": 0, "rejected": 1})]


@pytest.mark.parametrize("kind", ["zip_bomb", "csv", "xls", "docx", "corrupt", "empty", "no_header"])
def test_files_that_are_not_a_sane_roster_are_refused_before_anything_is_written(world, kind):
    data = {
        "zip_bomb": zip_bomb(10),
        "csv": "姓名,手机号\n张三,13800138000\n".encode("utf-8"),
        "xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000,
        "docx": not_xlsx_zip(),
        "corrupt": b"PK\x03\x04" + b"\x00" * 200,
        "empty": b"",
        "no_header": xlsx_bytes([["1", "13800138000"]], header=["序号", "手机号"]),
    }[kind]
    message = {
        "zip_bomb": "文件解压后有 10.0 MB，远超文件本身的 10 KB，疑似“压缩炸弹”，已拒绝",
        "csv": "文件不是 Excel 表格（.xlsx）：请下载名册模板，填写后上传",
        "xls": "这是旧版 Excel（.xls）或设置了打开密码的文件：请取消密码，在 Excel 或 WPS 中“另存为” .xlsx 后再上传",
        "docx": "文件不是 Excel 表格（.xlsx）：请下载名册模板，填写后上传",
        "corrupt": "文件已损坏，无法打开：请在 Excel 或 WPS 中重新保存为 .xlsx",
        "empty": "文件是空的",
        "no_header": "没有找到“姓名”列：请使用名册模板，表头需在前10行内",
    }[kind]
    before, audit = counts(), AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        run(world, data)
    assert exc.value.messages == [message]
    assert (counts(), AuditEvent.objects.count()) == (before, audit)
    with pytest.raises(ValidationError) as exc:
        services.import_job_create(actor=world.home.admin, node=world.home.township, upload=upload(data))
    assert exc.value.messages == [message]
    assert (counts(), AuditEvent.objects.count()) == (before, audit)


def test_a_file_over_the_size_limit_is_refused_before_anything_is_written(world, settings):
    settings.ROSTER_MAX_UPLOAD_BYTES = 2048
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.import_job_create(actor=world.home.admin, node=world.home.township, upload=upload(xlsx_bytes(GOOD)))
    assert exc.value.messages[0].startswith("文件太大（")
    assert exc.value.messages[0].endswith("），上限为 2 KB：请分成几个文件上传")
    assert counts() == before


def test_a_file_unpacking_past_the_absolute_limit_is_refused(world, settings):
    settings.ROSTER_MAX_UNPACKED_BYTES = 10_000
    before = counts()
    with pytest.raises(ValidationError) as exc:
        run(world, xlsx_bytes(GOOD))
    assert "疑似“压缩炸弹”，已拒绝" in exc.value.messages[0]
    assert counts() == before


@pytest.mark.parametrize("persona", ["cadre", "micro", "centre_staff", "youth_user"])
def test_only_committee_admins_and_secretaries_may_import(world, persona):
    before = counts()
    with pytest.raises(PermissionDenied):
        services.import_job_create(actor=getattr(world.home, persona), node=world.home.village,
                                   upload=upload(xlsx_bytes(GOOD)))
    with pytest.raises(PermissionDenied):
        run(world, xlsx_bytes(GOOD), actor=getattr(world.home, persona), node=world.home.village)
    assert counts() == before


def test_a_secretary_cannot_import_above_their_township_nor_into_another_county(world):
    before = counts()
    for node in (world.home.county, world.other.township):
        with pytest.raises(PermissionDenied):
            services.import_job_create(actor=world.home.secretary, node=node, upload=upload(xlsx_bytes(GOOD)))
    assert counts() == before


# --- the background job --------------------------------------------------------------------------

def test_an_upload_is_stored_queued_run_on_commit_and_its_file_deleted(world, media_root,
                                                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = services.import_job_create(actor=world.home.secretary, node=world.home.township,
                                         upload=upload(xlsx_bytes(GOOD)))
        stored = media_root / job.file.name
        assert job.status == ImportStatus.PENDING
        assert job.file.name.startswith("roster/") and job.file.name.endswith(".xlsx")
        assert "泰顺" not in job.file.name
        assert stored.exists()
    # the import, queued on commit; the import then queues the recount of the dashboard figures
    assert [c.__qualname__.split(".")[0] for c in callbacks] == ["import_job_create", "mark_changed"]
    job.refresh_from_db()
    assert (job.status, job.created_count, job.original_name, job.created_by) == (
        ImportStatus.DONE, 4, "泰顺县团员名册.xlsx", world.home.secretary)
    assert job.file.name == ""
    assert not stored.exists()


def test_running_a_job_again_does_nothing(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.import_job_create(actor=world.home.admin, node=world.home.township,
                                         upload=upload(xlsx_bytes(GOOD)))
    people, audit = YoungPerson.objects.count(), AuditEvent.objects.count()
    again = services.import_job_run(job_id=job.pk)
    assert (again.status, again.created_count, again.existing_count) == (ImportStatus.DONE, 4, 0)
    assert (YoungPerson.objects.count(), AuditEvent.objects.count()) == (people, audit)


def test_a_job_already_running_is_not_started_twice(world):
    job = services.import_job_create(actor=world.home.admin, node=world.home.township, upload=upload(xlsx_bytes(GOOD)))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)
    before = YoungPerson.objects.count()
    assert services.import_job_run(job_id=job.pk).status == ImportStatus.RUNNING
    assert YoungPerson.objects.count() == before


def test_progress_is_recorded_after_every_batch(world, monkeypatch):
    monkeypatch.setattr(services, "BATCH_SIZE", 2)
    seen = []
    rows = GOOD + [row(None, mobile="13700000002")]
    job = services.roster_import(actor=world.home.admin, node=world.home.township, fileobj=io.BytesIO(xlsx_bytes(rows)),
                                 name="x.xlsx", progress=lambda j: seen.append(
                                     ImportJob.objects.values_list("processed_rows", "total_rows", "created_count",
                                                                   "rejected_count").get(pk=j.pk)))
    assert seen == [(2, 5, 2, 0), (4, 5, 4, 0), (5, 5, 4, 1)]
    assert (job.processed_rows, job.total_rows, job.percent) == (5, 5, 100)


def test_a_failure_midway_keeps_the_batches_already_written_and_says_so(world, monkeypatch):
    monkeypatch.setattr(services, "BATCH_SIZE", 2)
    real_write = services._RosterImport._write
    calls = []

    def flaky(self, *args):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real_write(self, *args)

    monkeypatch.setattr(services._RosterImport, "_write", flaky)
    before = YoungPerson.objects.count()
    job = run(world, xlsx_bytes(GOOD))
    assert (job.status, job.created_count, job.error) == (
        ImportStatus.FAILED, 2, "导入中断（系统错误）：已写入的行会保留，重新上传同一文件可继续，不会重复")
    assert YoungPerson.objects.count() == before + 2
    assert AuditEvent.objects.get(action=AuditAction.ROSTER_IMPORT).data == {
        "status": "failed", "rows": 2, "created": 2, "existing": 0, "rejected": 0}
    monkeypatch.setattr(services._RosterImport, "_write", real_write)
    job = run(world, xlsx_bytes(GOOD))
    assert (job.status, job.created_count, job.existing_count) == (ImportStatus.DONE, 2, 2)


def test_blank_rows_and_other_sheets_are_ignored(world):
    rows = [GOOD[0], [None] * 9, ["", " ", None], GOOD[1]]
    job = run(world, xlsx_bytes(rows, sheets=2))
    assert (job.total_rows, job.created_count, job.rejected_count) == (2, 2, 0)


def test_rejected_rows_download_is_audited(world):
    job = run(world, xlsx_bytes([row(None, mobile="13700000002")]))
    services.rejected_rows_download(actor=world.home.admin, job=job)
    event = AuditEvent.objects.get(action=AuditAction.REVEAL)
    assert (event.actor_id, event.target_id, event.field, event.data) == (
        world.home.admin.pk, job.pk, "rejected_rows", {"rows": 1})
    with pytest.raises(PermissionDenied):
        services.rejected_rows_download(actor=world.other.admin, job=job)
    assert AuditEvent.objects.filter(action=AuditAction.REVEAL).count() == 1


def test_a_sheet_saved_without_its_size_still_shows_a_total(world):
    """Some writers leave out <dimension>: the total then comes from counting the sheet's rows."""
    from openpyxl import Workbook
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("名册")
    sheet.append(["泰顺县名册"])
    sheet.append(SYNONYM_HEADER)
    for item in GOOD:
        sheet.append(item)
    out = io.BytesIO()
    workbook.save(out)
    totals = []
    services.roster_import(actor=world.home.admin, node=world.home.township, fileobj=io.BytesIO(out.getvalue()),
                           name="x.xlsx", progress=lambda j: totals.append(j.total_rows))
    assert totals == [4]


def sqlite_cache_size():
    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        return cursor.fetchone()[0]


def test_the_job_leaves_the_garbage_collector_and_the_connection_as_it_found_them(world):
    import gc
    threshold, cache_size = gc.get_threshold(), sqlite_cache_size()
    run(world, xlsx_bytes(GOOD))
    assert (gc.get_threshold(), gc.get_freeze_count(), sqlite_cache_size()) == (threshold, 0, cache_size)
