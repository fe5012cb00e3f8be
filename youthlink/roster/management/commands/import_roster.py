"""python manage.py import_roster FILE --node CODE_OR_ID [--user USER] [--rejected OUT.xlsx]

Imports a county roster from the server's shell, the same way an upload does (same checks, same
job, same audit row), with a progress bar in the terminal instead of on the page."""
import sys
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from youthlink.accounts.models import User
from youthlink.orgs.selectors import node_by_code_or_id
from youthlink.roster.models import ImportStatus
from youthlink.roster.selectors import rejected_rows
from youthlink.roster.services import roster_import
from youthlink.roster.workbooks import write_rejected


class Command(BaseCommand):
    help = "导入名册（.xlsx）到一个组织节点"

    def add_arguments(self, parser):
        parser.add_argument("file", help="名册文件（.xlsx）")
        parser.add_argument("--node", required=True, help="节点的统计用区划代码（12位）或ID")
        parser.add_argument("--user", default="", help="以此用户（用户名或手机号）的名义导入并记入审计；须为该节点的团委管理员或书记")
        parser.add_argument("--rejected", default="", help="把未导入的行写到这个 .xlsx 文件，修改后可重新导入")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args, file, node, user, rejected, no_progress, **options):
        target = node_by_code_or_id(node)
        if target is None:
            raise CommandError(f"找不到节点：{node}")
        actor = None
        if user:
            actor = User.objects.filter(username=user).first() or _user_by_mobile(user)
            if actor is None:
                raise CommandError(f"找不到用户：{user}")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件不存在：{file}")
        bar = tqdm(total=None, unit="行", desc=f"导入到 {target}", disable=no_progress,
                   file=getattr(self.stderr, "_out", sys.stderr), mininterval=0.5)

        def progress(job):
            bar.total = job.total_rows or None
            bar.update(job.processed_rows - bar.n)

        with path.open("rb") as handle:
            try:
                job = roster_import(actor=actor, node=target, fileobj=handle, name=path.name, progress=progress,
                                    check_permission=actor is not None)
            except PermissionDenied:
                raise CommandError(f"{actor} 不是“{target}”的团委管理员或书记，不能导入") from None
            except ValidationError as exc:
                raise CommandError(exc.messages[0]) from None
            finally:
                bar.close()
        if job.status != ImportStatus.DONE:
            raise CommandError(f"导入失败（任务 #{job.pk}）：{job.error}")
        self.stdout.write(f"导入完成（任务 #{job.pk}）：共 {job.total_rows} 行，新建 {job.created_count} 人，"
                          f"已建档 {job.existing_count} 人，未导入 {job.rejected_count} 行")
        if job.rejected_count:
            if rejected:
                with open(rejected, "wb") as out:
                    write_rejected(out, rejected_rows(job))
                self.stdout.write(f"未导入的行及原因已写到 {rejected}，修改后可重新导入")
            else:
                self.stdout.write("用 --rejected 文件名.xlsx 可导出未导入的行及原因")


def _user_by_mobile(value):
    try:
        return User.objects.get_by_mobile(value)
    except User.DoesNotExist:
        return None
