from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from youthlink.core.registry import PERIODIC


class Command(BaseCommand):
    help = "运行已登记的定时任务一次（嵌入式部署用 cron 调用；生产环境由 Celery beat 调度）。"

    def add_arguments(self, parser):
        parser.add_argument("keys", nargs="*", help="只运行这些任务（默认全部）")
        parser.add_argument("--list", action="store_true", help="列出已登记的定时任务")

    def handle(self, *args, keys, list, **options):
        if list:
            for job in PERIODIC.values():
                self.stdout.write(f"{job.key}\t{job.task}\t{job.description}")
            return
        unknown = [k for k in keys if k not in PERIODIC]
        if unknown:
            raise CommandError(f"未知的定时任务：{', '.join(unknown)}（用 --list 查看）")
        for job in PERIODIC.values():
            if keys and job.key not in keys:
                continue
            result = import_string(job.task)()  # the task's own function, run in this process
            self.stdout.write(f"{job.key}: {result}")
