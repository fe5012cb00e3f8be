"""Demo data for visits: a year of 走访 by every cadre of the demo city, so the month view, the
organisations visited and the targets table have something to show.

Cadres visit villages, youth centres and social organisations, by day and in the evening, alone or
with a colleague, and write down what young people asked for. Each township sets four 集中夜访日 this
month and next; the first township (the featured cadre's) has held more than four evenings this
month, most others fewer, so the month view shows both colours. 景宁 asks for five evenings a month
and sets its own targets for the year. Everything goes through the services; no photos (no files)."""
from __future__ import annotations

import datetime as dt

from youthlink.core.registry import register_demo_builder

from .models import Visit, VisitDay, VisitKind
from .periods import LOCAL_TZ, Month, local_now
from .selectors import evening_talks_count, organisations_visited_count
from .services import visit_days_set, visit_log, visit_rules_set

PROBLEMS = (
    "家里种的生姜卖不出去，想找销路",
    "想参加电商直播培训",
    "孩子暑假没人看管，希望有托管班",
    "在外务工返乡，想找本地工作",
    "想申请创业担保贷款，不清楚流程",
    "村里缺少青年活动场地",
    "希望组织青年联谊活动",
    "母亲长期生病，医药费负担重",
    "高考志愿填报需要指导",
    "想学茶叶种植新技术",
    "民宿想做线上推广",
    "希望开设四点半课堂",
    "网络不好，孩子上网课困难",
    "想考驾照，希望有补贴信息",
)
NOTES = (
    "在村文化礼堂与青年座谈，听取大家对活动安排的想法。",
    "入户了解家庭近况，奶奶身体尚可，孩子学习努力。",
    "与返乡青年交流创业打算，约定下周再联系。",
    "和青年之家社工一起走访，登记了需求。",
    "晚上在农家院里聊天，青年们对电商培训很感兴趣。",
    "了解到几户家庭的困难，已记下跟进。",
)
EVENING_HOURS = (18, 19, 19, 20, 20, 21)
DAY_HOURS = (9, 10, 14, 15, 16)


def _moment(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LOCAL_TZ)


def _set_days(month: Month) -> list[dt.date]:
    """Four evenings spread over the month: the Tuesday or Thursday nearest the 5th, 12th, 19th, 26th."""
    days = []
    for target in (5, 12, 19, 26):
        day = dt.date(month.year, month.month, target)
        while day.weekday() not in (1, 3):
            day += dt.timedelta(days=1)
        days.append(day)
    return days


def build(context: dict, fake) -> None:
    rng = context["rng"]
    now = local_now()
    today = now.date()
    this_month = Month.of(today)
    start_of_year = dt.date(today.year, 1, 1)
    # Past days only (today's evening may not have come yet); in January, December's too.
    span = max(1, (today - start_of_year).days) if today.month > 1 else 60
    first_day = start_of_year if today.month > 1 else today - dt.timedelta(days=60)
    past_days_this_month = [d for d in this_month.days if d < today]

    counties = context["counties"]
    if len(counties) > 1:
        visit_rules_set(actor=context["actor"], county=counties[1], year=today.year, min_evenings_per_month=5,
                        visited=120, collected=100, solved=80)

    for t_index, plan in enumerate(context["townships"]):
        if plan.secretary is not None:
            for month in (this_month, this_month.next):
                visit_days_set(actor=plan.secretary, node=plan.node, month=month, dates=_set_days(month))
        by_village = {v.pk: [p for p in plan.people if p.home_node_id == v.pk] for v in plan.villages}
        # Evenings held this month, mostly on the set days: the first township more than the rule asks
        # (every set day so far and a few more), the others some of the set days and perhaps one more.
        set_days = [d for d in _set_days(this_month) if d < today]
        others = [d for d in past_days_this_month if d not in set_days]
        if t_index == 0:
            evening_days = set_days + rng.sample(others, min(len(others), 7 - len(set_days)))
        else:
            evening_days = rng.sample(set_days, rng.randint(0, len(set_days)))
            evening_days += rng.sample(others, min(len(others), rng.randint(0, 1)))
            evening_days = evening_days or past_days_this_month[:1]
        evening_days = sorted(evening_days)
        for c_index, cadre in enumerate(plan.cadres):
            featured = cadre == context["featured"].get("cadre")
            planned = []
            # This month's evenings are shared out among the township's cadres.
            planned += [(day, True) for i, day in enumerate(evening_days) if i % len(plan.cadres) == c_index]
            for _ in range(rng.randint(14, 18) if featured else rng.randint(5, 9)):
                day = first_day + dt.timedelta(days=rng.randrange(span))
                planned.append((day, rng.random() < 0.55))
            for day, evening in planned:
                if day >= today:
                    continue
                roll = rng.random()
                if roll < 0.6 or plan.centre is None:
                    village = rng.choice(plan.villages)
                    talk = evening and rng.random() < 0.5
                    place, kind = village, (VisitKind.EVENING_TALK if talk else VisitKind.HOME)
                    pool = by_village.get(village.pk) or plan.people
                    people = rng.sample(pool, min(len(pool), rng.randint(1, 3)))
                    orgs = []
                elif roll < 0.8:
                    place, kind = plan.centre, VisitKind.YOUTH_CENTRE
                    people = rng.sample(plan.people, min(len(plan.people), rng.randint(2, 5)))
                    orgs = []
                else:
                    place, kind = plan.node, VisitKind.ORGANISATION
                    people = []
                    orgs = rng.sample(plan.social_orgs, 1) if plan.social_orgs else []
                    if plan.villages and rng.random() < 0.5:
                        place = rng.choice(plan.villages)
                hour = rng.choice(EVENING_HOURS if evening else DAY_HOURS)
                companions = [c for c in plan.cadres if c != cadre and rng.random() < 0.25][:1]
                visit_log(actor=cadre, kind=kind, visited_at=_moment(day, hour, rng.choice((0, 10, 20, 30, 40))),
                          place=place, people=people, social_orgs=orgs, companions=companions,
                          notes=rng.choice(NOTES) if rng.random() < 0.7 else "",
                          problems=rng.sample(PROBLEMS, rng.choice((0, 0, 1, 1, 2))))

    # The county admins visit their schools and firms (a county-level 走访基层组织).
    for county, admin in zip(counties, context["county_admins"]):
        for place in [n for n in context["schools"] + context["firms"] if n.path.startswith(county.path)]:
            day = first_day + dt.timedelta(days=rng.randrange(span))
            if day < today:
                visit_log(actor=admin, kind=VisitKind.ORGANISATION, visited_at=_moment(day, 15, 0), place=place,
                          notes="与学校（企业）团组织负责人交流青年工作。")

    year = (dt.date(today.year, 1, 1), dt.date(today.year, 12, 31))
    context["summary"] += [
        ("走访记录", Visit.objects.count()),
        ("本年度访谈夜", evening_talks_count(context["city"], *year)),
        ("本年度走访基层组织", organisations_visited_count(context["city"], *year)),
        ("集中夜访日", VisitDay.objects.count()),
    ]


# After 三联/青年之友 (20), before pairing (60): pairing's open tasks must not be closed by these visits.
register_demo_builder("visits", build, order=40)
