"""`manage.py seed_scale --preset county|city`: a city of synthetic records for benchmarks."""
import json

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from youthlink.core.demo import CITY_CODE, DEMO_PASSWORD
from youthlink.orgs.models import Node
from youthlink.scale.generator import PRESETS, Builder, ScaleError

ROLE_LABELS = {"county_admin": "团县委管理员", "secretary": "乡镇团委书记", "cadre": "团干部", "micro": "微元素",
               "youth": "青年"}


class Command(BaseCommand):
    help = "生成县级或市级规模的模拟数据（批量写入），用于性能测试；在示例数据之上增加丽水市的其他县区"

    def add_arguments(self, parser):
        parser.add_argument("--preset", choices=sorted(PRESETS), required=True,
                            help="county：莲都区约7.5万名青年；city：7个县区约50万名青年、200万次走访、50万件诉求")
        parser.add_argument("--factor", type=float, default=1.0, help="按比例缩小（0–1，测试用）")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--json", dest="json_path", default="", help="把用时和行数写入此 JSON 文件")

    def handle(self, *args, preset, factor, seed, json_path, **options):
        if not 0 < factor <= 1:
            raise CommandError("--factor 应在 0 到 1 之间")
        if not Node.objects.filter(admin_code=CITY_CODE).exists():
            self.stdout.write("示例数据不存在，先运行 seed_demo …")
            call_command("seed_demo", stdout=self.stdout)
        self.stdout.write(f"生成规模数据：{preset}（×{factor}）")
        try:
            result = Builder(preset, factor=factor, seed=seed, log=self.stdout.write).run()
        except ScaleError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(result["rows"].values())
        self.stdout.write(self.style.SUCCESS(f"完成：{rows:,} 行，用时 {result['seconds']['total']} 秒"))
        for label, count in sorted(result["rows"].items(), key=lambda kv: -kv[1]):
            self.stdout.write(f"  {label:<28} {count:>10,}")
        self.stdout.write(f"登录（密码 {DEMO_PASSWORD}；团市委管理员同示例数据）：")
        for role, mobile in result["logins"].items():
            self.stdout.write(f"  {ROLE_LABELS.get(role, role)}: {mobile}")
        if json_path:
            with open(json_path, "w", encoding="utf-8") as fh:
                json.dump(result, fh, ensure_ascii=False, indent=2)
