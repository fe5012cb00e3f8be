"""Demo data for the work diary: two weeks of check-ins and diaries by every cadre of the demo city,
graded and commented by their county, so the review queue, the grades and the cadre profile have
something to show.

Each cadre's contact point is a village of their township. On about half the past working days a
cadre checked in (mostly on site, a few off site with a reason, one or two unlocated) and wrote the
day's diary; diaries older than three days are graded by the county admin with advice, and some have
a reply from the cadre. The last three days wait in the queue. The featured cadre has not checked in
today, so the demo login can try it.

The rows are written directly, not through the services: those stamp "now" on every check-in,
submission and review, and a history needs its own dates. Nothing here has photos (no files)."""
from __future__ import annotations

import datetime as dt

from youthlink.core.registry import register_demo_builder

from .models import CheckIn, CheckInStatus, ContactPoint, DiaryComment, DiaryEntry, EntryStatus, Grade
from .selectors import LOCAL_TZ, distance_m, local_today

DAYS = 14
WORK_LOGS = (
    "上午到村里走访了三户困难家庭，了解孩子暑期托管需求；下午和村团支部书记商量青年之家活动安排。",
    "参加镇里的青年工作例会，汇报本月访谈夜开展情况；晚上在村文化礼堂和返乡青年座谈。",
    "协助村里对接农业技术培训，联系了县青联农业界委员，初定下周二上课。",
    "整理近期收集的青年诉求，逐条电话回访，两条已办结，一条转县团委协调。",
    "走访辖区企业团支部，了解青年职工住房和婚恋需求，登记了联谊活动意向。",
    "到青年之家值班，接待来咨询创业贷款的青年两人，帮助准备申请材料。",
    "陪同社工入户看望一名困难青少年，送去学习用品，约定每月回访。",
    "组织志愿者开展河道清理，二十余名青年参加，拍照留存。",
)
REFLECTIONS = (
    "青年最关心的是就业和技能，下一步要把培训做得更贴近实际。",
    "入户比开会更能听到真话，今后每周至少安排两个晚上走访。",
    "有的问题需要多部门配合，要及时上报，不能拖。",
    "",
    "活动报名很踊跃，但通知渠道还要再拓宽，年纪大些的青年看不到群消息。",
)
ADVICE = {
    Grade.EXCELLENT: ("记录详实，问题跟进到位，值得推广。", "走访扎实，回访及时，继续保持。"),
    Grade.GOOD: ("内容完整，建议把诉求的办理结果也写进来。", "工作到位，心得可以再具体一些。"),
    Grade.FAIR: ("记录偏简单，请写清走访对象和发现的问题。", "建议多到联系点实地报到。"),
    Grade.IMPROVE: ("日记内容过于笼统，请补充具体工作和下一步打算。",),
}
REPLIES = ("收到，下次补充办理结果。", "谢谢指导，会继续跟进。", "好的，本周会再去回访。")
OFF_SITE_REASONS = ("上午在镇里参加例会", "到县里参加青年工作培训", "陪同困难青年到县医院复查")


def _at(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LOCAL_TZ)


def build(context: dict, fake) -> None:
    rng = context["rng"]
    today = local_today()
    days = [today - dt.timedelta(days=n) for n in range(DAYS, 0, -1)]
    days = [d for d in days if d.weekday() < 5] or days
    admins = {county.path: admin for county, admin in zip(context["counties"], context["county_admins"])}
    entries = comments = 0
    for plan in context["townships"]:
        villages = [v for v in plan.villages if v.latitude is not None] or [plan.node]
        reviewer = next((admin for path, admin in admins.items() if plan.node.path.startswith(path)), None)
        for c_index, cadre in enumerate(plan.cadres):
            point = villages[c_index % len(villages)]
            ContactPoint.objects.update_or_create(cadre=cadre, defaults={"node": point, "set_by": plan.secretary})
            featured = cadre == context["featured"].get("cadre")
            for day in days:
                if rng.random() > (0.8 if featured else 0.5):
                    continue
                checked_at = _at(day, rng.choice((8, 9, 14, 15)), rng.choice((5, 20, 40)))
                roll = rng.random()
                lat = lng = distance = None
                reason = ""
                if roll < 0.8 and point.latitude is not None:
                    lat, lng = point.latitude, point.longitude
                    status, distance = CheckInStatus.ON_SITE, rng.randint(15, 320)
                elif roll < 0.93 and point.latitude is not None:
                    lat = float(point.latitude) + 0.02
                    lng = float(point.longitude)
                    status = CheckInStatus.OFF_SITE
                    distance = round(distance_m(lat, lng, point.latitude, point.longitude))
                    reason = rng.choice(OFF_SITE_REASONS)
                else:
                    status = CheckInStatus.UNLOCATED
                checkin = CheckIn.objects.create(
                    cadre=cadre, node=point, checked_at=checked_at, local_date=day, status=status,
                    latitude=None if lat is None else round(float(lat), 6),
                    longitude=None if lng is None else round(float(lng), 6),
                    accuracy_m=None if lat is None else rng.choice((12, 25, 40)), distance_m=distance, radius_m=500,
                    reason=reason)
                submitted_at = checked_at + dt.timedelta(hours=rng.randint(3, 8))
                entry = DiaryEntry.objects.create(
                    checkin=checkin, cadre=cadre, node=plan.node, local_date=day, status=EntryStatus.SUBMITTED,
                    work_log=rng.choice(WORK_LOGS), reflections=rng.choice(REFLECTIONS), submitted_at=submitted_at)
                entries += 1
                if (today - day).days <= 3 or reviewer is None:
                    continue
                grade = rng.choices(Grade.values, weights=(3, 5, 2, 1))[0]
                reviewed_at = submitted_at + dt.timedelta(days=1, hours=rng.randint(0, 6))
                DiaryEntry.objects.filter(pk=entry.pk).update(status=EntryStatus.REVIEWED, grade=grade,
                                                              reviewed_by=reviewer, reviewed_at=reviewed_at)
                review = DiaryComment.objects.create(entry=entry, author=reviewer, is_review=True,
                                                     body=rng.choice(ADVICE[grade]))
                DiaryComment.objects.filter(pk=review.pk).update(created_at=reviewed_at)
                comments += 1
                if rng.random() < 0.35:
                    reply = DiaryComment.objects.create(entry=entry, author=cadre, body=rng.choice(REPLIES))
                    DiaryComment.objects.filter(pk=reply.pk).update(created_at=reviewed_at + dt.timedelta(hours=2))
                    comments += 1
    context["summary"] += [("工作日记", entries), ("日记点评与评论", comments)]


# After visits (40): the diaries of the last two weeks sit beside their visits.
register_demo_builder("diary", build, order=45)
