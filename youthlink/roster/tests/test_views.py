"""The pages: who may open them, the upload, the job page and its htmx progress bar, and the two
downloads. A node or a job outside the viewer's area answers 404, exactly as a missing one."""
import datetime as dt
import io
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from youthlink.audit.models import AuditAction, AuditEvent
from youthlink.people.models import YoungPerson
from youthlink.roster.columns import LABELS
from youthlink.roster.models import ImportJob, ImportStatus, RejectedRow

from .xlsx import SYNONYM_HEADER, person_id, read_xlsx, row, upload, xlsx_bytes

pytestmark = pytest.mark.django_db
CSRF_TOKEN = re.compile(rb"\b[A-Za-z0-9]{64}\b")

ROSTER = [
    row("林小雨", "女", dt.datetime(2003, 5, 6), "+86-138-0013-8001", person_id(2003, 5, 6, serial=11, male=False),
        "困难青少年、团员"),
    row(None, None, None, "13700000002"),
    row("陈大川", None, "2001-02-30", 13900001111),
]


def normalised(response, url: str) -> bytes:
    """The page as any 404 shows it: the requested address (in the language switch) and the CSRF
    token are the only parts that may differ."""
    return CSRF_TOKEN.sub(b"<csrf>", response.content.replace(url.encode(), b"<url>"))


def login(client, user):
    client.force_login(user)
    return client


def post_roster(client, node, data=None, name="泰顺县团员名册.xlsx"):
    file = upload(data if data is not None else xlsx_bytes(ROSTER, header=SYNONYM_HEADER), name)
    return client.post(reverse("roster:list"), {"node": node.pk, "file": file})


def make_job(county, *, rejected=1, status=ImportStatus.DONE):
    job = ImportJob.objects.create(node=county.township, created_by=county.admin, original_name="名册.xlsx",
                                   status=status, total_rows=rejected + 2, processed_rows=rejected + 2,
                                   created_count=2, rejected_count=rejected)
    RejectedRow.objects.bulk_create([
        RejectedRow(job=job, row_number=3 + n, values=json.dumps(["", "", "", "13700000002", "", "", "", "", ""]),
                    reasons=[{"column": "姓名", "cell": f"A{3 + n}", "message": "请填写姓名"}])
        for n in range(rejected)])
    return job


# --- the upload page -------------------------------------------------------------------------------

@pytest.mark.parametrize("persona", ["admin", "secretary"])
def test_committee_staff_see_the_upload_form_with_their_own_nodes_only(client, world, persona):
    login(client, getattr(world.home, persona))
    response = client.get(reverse("roster:list"))
    assert response.status_code == 200
    names = [node.name for node, _indent in response.context["nodes"]]
    assert names == {"admin": ["泰顺县", "泰顺镇", "泰顺村"], "secretary": ["泰顺镇", "泰顺村"]}[persona]
    assert reverse("roster:template").encode() in response.content


@pytest.mark.parametrize("persona, status", [
    ("cadre", 403), ("micro", 403), ("centre_staff", 403), ("youth_user", 404)])
def test_others_cannot_open_the_upload_page(client, world, persona, status):
    login(client, getattr(world.home, persona))
    assert client.get(reverse("roster:list")).status_code == status
    assert client.get(reverse("roster:template")).status_code == status


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(reverse("roster:list"))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/roster/"


def test_upload_imports_in_the_background_and_shows_the_job(client, world, django_capture_on_commit_callbacks):
    login(client, world.home.secretary)
    before = YoungPerson.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = post_roster(client, world.home.village)
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("roster:job", kwargs={"job_id": job.pk})
    assert (job.status, job.node, job.created_by) == (ImportStatus.DONE, world.home.village, world.home.secretary)
    assert (job.created_count, job.rejected_count) == (1, 2)
    assert YoungPerson.objects.count() == before + 1
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert [(r.row_number, r.reasons[0]["message"]) for r in page.context["reasons"]] == [
        (3, "请填写姓名"), (4, "出生日期不存在（2001-02-30）")]
    assert "新建 1 人 · 已建档 0 人 · 未导入 2 行" in page.content.decode()


@pytest.mark.parametrize("persona", ["cadre", "micro"])
def test_cadres_and_micro_elements_cannot_import(client, world, persona, django_capture_on_commit_callbacks):
    login(client, getattr(world.home, persona))
    before = YoungPerson.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = post_roster(client, world.home.village)
    assert response.status_code == 403
    assert (YoungPerson.objects.count(), ImportJob.objects.count()) == (before, 0)


@pytest.mark.parametrize("node", ["other_township", "home_county_for_secretary", "missing"])
def test_a_node_outside_the_viewers_area_is_not_found(client, world, node, django_capture_on_commit_callbacks):
    login(client, world.home.secretary)
    target = {"other_township": world.other.township, "home_county_for_secretary": world.home.county,
              "missing": type(world.home.county)(pk=999999)}[node]
    before = YoungPerson.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = post_roster(client, target)
    assert response.status_code == 404
    assert (YoungPerson.objects.count(), ImportJob.objects.count()) == (before, 0)


def test_a_refused_file_is_explained_on_the_form_and_nothing_is_written(client, world):
    login(client, world.home.admin)
    before = YoungPerson.objects.count()
    response = post_roster(client, world.home.township, "姓名,手机号\n张三,13800138000\n".encode(), "名册.csv")
    assert response.status_code == 200
    assert response.context["form"].errors == {"file": ["文件不是 Excel 表格（.xlsx）：请下载名册模板，填写后上传"]}
    assert (YoungPerson.objects.count(), ImportJob.objects.count()) == (before, 0)


def test_a_post_without_node_or_file_is_answered_with_the_form(client, world):
    login(client, world.home.admin)
    response = client.post(reverse("roster:list"), {})
    assert response.status_code == 200
    assert response.context["form"].errors == {"node": ["请选择导入到哪个组织"], "file": ["请选择名册文件"]}
    assert ImportJob.objects.count() == 0


def test_recent_jobs_list_only_the_viewers_area(client, world):
    mine, theirs = make_job(world.home), make_job(world.other)
    login(client, world.home.admin)
    assert [job.pk for job in client.get(reverse("roster:list")).context["jobs"]] == [mine.pk]
    login(client, world.other.secretary)
    assert [job.pk for job in client.get(reverse("roster:list")).context["jobs"]] == [theirs.pk]


# --- the job page, its progress bar and the rejected rows -------------------------------------------

@pytest.mark.parametrize("name", ["roster:job", "roster:progress", "roster:rejected"])
def test_a_job_of_another_county_is_not_found_like_a_missing_one(client, world, name):
    job = make_job(world.home)
    audit = AuditEvent.objects.count()
    for persona in ("admin", "secretary", "cadre"):
        login(client, getattr(world.other, persona))
        forbidden_url, missing_url = reverse(name, kwargs={"job_id": job.pk}), reverse(name, kwargs={"job_id": 999999})
        forbidden, missing = client.get(forbidden_url), client.get(missing_url)
        assert (forbidden.status_code, missing.status_code) == (404, 404)
        assert normalised(forbidden, forbidden_url) == normalised(missing, missing_url)
    assert AuditEvent.objects.count() == audit


@pytest.mark.parametrize("persona", ["cadre", "micro", "youth_user"])
def test_staff_who_cannot_import_cannot_see_the_job(client, world, persona):
    job = make_job(world.home)
    login(client, getattr(world.home, persona))
    for name in ("roster:job", "roster:progress", "roster:rejected"):
        assert client.get(reverse(name, kwargs={"job_id": job.pk})).status_code == 404


def test_the_progress_bar_polls_while_the_job_runs_and_stops_when_it_is_done(client, world):
    job = make_job(world.home, status=ImportStatus.RUNNING)
    ImportJob.objects.filter(pk=job.pk).update(total_rows=200, processed_rows=50)
    login(client, world.home.admin)
    url = reverse("roster:progress", kwargs={"job_id": job.pk})
    running = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert f'hx-get="{url}" hx-trigger="every 1s" hx-swap="outerHTML"' in running
    assert 'aria-valuenow="25"' in running and 'style="width: 25%"' in running
    assert "已处理 50 / 200 行" in running
    assert "下载未导入的行" not in running
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.DONE, total_rows=3, processed_rows=3)
    done = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in done
    assert 'style="width: 100%"' in done
    assert reverse("roster:rejected", kwargs={"job_id": job.pk}) in done


def test_a_failed_job_shows_its_error(client, world):
    job = make_job(world.home, status=ImportStatus.FAILED)
    ImportJob.objects.filter(pk=job.pk).update(error="导入中断（系统错误）：已写入的行会保留，重新上传同一文件可继续，不会重复")
    login(client, world.home.secretary)
    page = client.get(reverse("roster:job", kwargs={"job_id": job.pk})).content.decode()
    assert "导入中断（系统错误）" in page
    assert "hx-trigger" not in page


def test_the_job_page_costs_the_same_queries_however_many_rows_were_rejected(client, world):
    few, many = make_job(world.home, rejected=1), make_job(world.home, rejected=60)
    login(client, world.home.admin)
    client.get(reverse("roster:job", kwargs={"job_id": few.pk}))  # session warm-up
    counts = []
    for job in (few, many):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("roster:job", kwargs={"job_id": job.pk}))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts == [6, 6]
    assert len(response.context["reasons"]) == 60


def test_the_upload_page_costs_the_same_queries_however_many_jobs_there_are(client, world):
    login(client, world.home.admin)
    client.get(reverse("roster:list"))
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("roster:list")).status_code == 200
        counts.append(len(queries))
        for _ in range(5):
            make_job(world.home)
    assert counts == [6, 6]


def test_rejected_rows_download_as_a_workbook_to_fix_and_import_again(client, world,
                                                                      django_capture_on_commit_callbacks):
    login(client, world.home.admin)
    with django_capture_on_commit_callbacks(execute=True):
        post_roster(client, world.home.township)
    job = ImportJob.objects.get()
    response = client.get(reverse("roster:rejected", kwargs={"job_id": job.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    assert read_xlsx(data) == [
        [*LABELS, "原行号", "未导入原因"],
        [None, None, None, "13700000002", None, None, None, None, None, 3, "姓名：请填写姓名"],
        ["陈大川", None, "2001-02-30", "13900001111", None, None, None, None, None, 4,
         "出生日期：出生日期不存在（2001-02-30）"],
    ]
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet["A2"].fill.fgColor.rgb.endswith("FFC7CE")  # the bad cell is marked
    assert sheet["D2"].number_format == "@"  # numbers stay text when edited
    event = AuditEvent.objects.get(action=AuditAction.REVEAL)
    assert (event.actor_id, event.target_id, event.field) == (world.home.admin.pk, job.pk, "rejected_rows")

    # Fix the two rows in the downloaded file and import it again: both come in.
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.worksheets[0]
    sheet["A2"] = "王小二"
    sheet["C3"] = "2001-02-28"
    fixed = io.BytesIO()
    workbook.save(fixed)
    with django_capture_on_commit_callbacks(execute=True):
        post_roster(client, world.home.township, fixed.getvalue(), "未导入的行.xlsx")
    again = ImportJob.objects.latest("pk")
    assert (again.status, again.created_count, again.existing_count, again.rejected_count) == (
        ImportStatus.DONE, 2, 0, 0)


def test_the_template_downloads_with_the_columns_and_imports_as_an_empty_roster(client, world):
    login(client, world.home.secretary)
    response = client.get(reverse("roster:template"))
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["名册", "填写说明"]
    assert [c.value for c in workbook["名册"][1]] == LABELS
    assert workbook["名册"].column_dimensions["E"].number_format == "@"
    notes = {r[0]: r[1] for r in workbook["填写说明"].iter_rows(values_only=True) if r[0]}
    assert notes["标签可选"] == "困难青少年、重点青少年、创业青年、农村/务农青年、学生、团员、青联委员、青企协会员、创业导师、本土能人"
    filled = xlsx_bytes([row("王小二", mobile="13700000002")])
    assert read_xlsx(filled)[0] == LABELS


@pytest.mark.parametrize("name", ["roster:job", "roster:progress", "roster:rejected", "roster:template"])
def test_downloads_and_job_pages_answer_get_only(client, world, name):
    job = make_job(world.home)
    login(client, world.home.admin)
    kwargs = {} if name == "roster:template" else {"job_id": job.pk}
    assert client.post(reverse(name, kwargs=kwargs)).status_code == 405
