"""python manage.py import_roster FILE --node CODE_OR_ID: the same import from the shell."""
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from youthlink.audit.models import AuditAction, AuditEvent
from youthlink.people.models import YoungPerson
from youthlink.roster.columns import LABELS
from youthlink.roster.models import ImportJob, ImportStatus

from .xlsx import SYNONYM_HEADER, person_id, row, xlsx_bytes

pytestmark = pytest.mark.django_db

ROSTER = [
    row("林小雨", None, None, "+86-138-0013-8001", person_id(2003, 5, 6, serial=11, male=False), "困难青少年"),
    row("陈大川", None, None, 13900001111),
    row(None, None, None, "13700000002"),
]


@pytest.fixture
def roster_file(tmp_path):
    path = tmp_path / "泰顺镇名册.xlsx"
    path.write_bytes(xlsx_bytes(ROSTER, header=SYNONYM_HEADER, title="泰顺镇团员青年名册"))
    return path


def import_roster(*args, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_roster", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_imports_into_the_node_named_by_its_code_with_a_progress_bar(world, roster_file):
    before = YoungPerson.objects.count()
    out, err = import_roster(str(roster_file), node=world.home.township.admin_code)
    job = ImportJob.objects.get()
    assert out == (f"导入完成（任务 #{job.pk}）：共 3 行，新建 2 人，已建档 0 人，未导入 1 行\n"
                   "用 --rejected 文件名.xlsx 可导出未导入的行及原因\n")
    assert "100%" in err and "3/3" in err
    assert (job.status, job.node, job.created_by, job.original_name, job.file.name) == (
        ImportStatus.DONE, world.home.township, None, "泰顺镇名册.xlsx", "")
    assert YoungPerson.objects.count() == before + 2
    assert AuditEvent.objects.get(action=AuditAction.ROSTER_IMPORT).actor_label == "系统"


def test_the_node_may_be_given_by_id_and_the_rejected_rows_written_out(world, roster_file, tmp_path):
    rejected = tmp_path / "未导入.xlsx"
    out, _err = import_roster(str(roster_file), node=str(world.home.village.pk), rejected=str(rejected),
                              no_progress=True)
    assert out.endswith(f"未导入的行及原因已写到 {rejected}，修改后可重新导入\n")
    sheet = load_workbook(rejected, read_only=True).worksheets[0]
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [
        [*LABELS, "原行号", "未导入原因"],
        [None, None, None, "13700000002", None, None, None, None, None, 5, "姓名：请填写姓名"]]
    assert ImportJob.objects.get().node == world.home.village


def test_importing_the_same_file_again_creates_nobody(world, roster_file):
    import_roster(str(roster_file), node=world.home.township.admin_code, no_progress=True)
    before = YoungPerson.objects.count()
    out, _err = import_roster(str(roster_file), node=world.home.township.admin_code, no_progress=True)
    assert "新建 0 人，已建档 2 人，未导入 1 行" in out
    assert YoungPerson.objects.count() == before


def test_a_user_may_be_named_for_the_audit_and_must_be_allowed_to_import(world, roster_file):
    import_roster(str(roster_file), node=world.home.township.admin_code, user=world.home.secretary.username,
                  no_progress=True)
    assert ImportJob.objects.get().created_by == world.home.secretary
    before = (YoungPerson.objects.count(), ImportJob.objects.count())
    with pytest.raises(CommandError) as exc:
        import_roster(str(roster_file), node=world.home.township.admin_code, user=world.home.cadre.username)
    assert str(exc.value) == f"{world.home.cadre} 不是“泰顺镇”的团委管理员或书记，不能导入"
    assert (YoungPerson.objects.count(), ImportJob.objects.count()) == before


@pytest.mark.parametrize("problem, message", [
    ("node", "找不到节点：999999999999"),
    ("file", "文件不存在："),
    ("csv", "文件不是 Excel 表格（.xlsx）：请下载名册模板，填写后上传"),
    ("user", "找不到用户：nobody"),
])
def test_what_cannot_be_imported_stops_before_anything_is_written(world, roster_file, tmp_path, problem, message):
    csv = tmp_path / "名册.csv"
    csv.write_text("姓名,手机号\n张三,13800138000\n", encoding="utf-8")
    args = {"node": (str(roster_file), "999999999999", ""), "file": (str(tmp_path / "无.xlsx"), "330329101000", ""),
            "csv": (str(csv), "330329101000", ""), "user": (str(roster_file), "330329101000", "nobody")}[problem]
    before = (YoungPerson.objects.count(), ImportJob.objects.count(), AuditEvent.objects.count())
    with pytest.raises(CommandError) as exc:
        import_roster(args[0], node=args[1], user=args[2], no_progress=True)
    assert str(exc.value).startswith(message)
    assert (YoungPerson.objects.count(), ImportJob.objects.count(), AuditEvent.objects.count()) == before
