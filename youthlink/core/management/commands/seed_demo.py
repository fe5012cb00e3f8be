"""Build the demo city (丽水市) with staff in every role and about 400 young people, then print one
login per role. Running it again on a database that already has the demo only prints the logins."""
import time
import unicodedata

from django.core.management.base import BaseCommand, CommandError

from youthlink.core import demo


def _width(text: str) -> int:
    # CJK characters take two columns in a terminal.
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    widths = [max(_width(str(cell)) for cell in column) for column in zip(header, *rows)]
    lines = ["  ".join(_pad(str(cell), w) for cell, w in zip(row, widths)).rstrip() for row in (header, *rows)]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


class Command(BaseCommand):
    help = "生成演示数据（丽水市：两个县、乡镇、村、青年之家、各角色账号和约400名青年），并打印各角色登录账号。"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=demo.SEED, help="随机种子（默认 %(default)s）")

    def handle(self, *args, seed: int, **options):
        if demo.demo_exists():
            if not demo.login_rows():
                raise CommandError("数据库中已有“丽水市”节点，但不是演示数据：请使用空数据库运行 seed_demo。")
            self.stdout.write("演示数据已存在，未做改动。")
        else:
            started = time.monotonic()
            ctx = demo.build_demo(seed=seed)
            self.stdout.write(self.style.SUCCESS(f"演示数据已生成（{time.monotonic() - started:.1f} 秒）："))
            self.stdout.write(format_table(("项目", "数量"), [(label, str(value)) for label, value in ctx["summary"]]))
        self.stdout.write("")
        self.stdout.write("登录账号（手机号登录，密码相同）：")
        self.stdout.write(format_table(("角色", "登录名", "密码", "所属节点"), demo.login_rows()))
