"""Demo data for ratings and surveys: young people's ratings of the cadres they are bound to or
linked with, over this quarter and the three before it (mostly 4s and 5s, a few lower, some with
a comment), and one satisfaction survey in the featured county admin's county, started ten days
ago, about half answered. The featured young person has rated nobody this quarter and has not
answered the survey, so their login can do both."""
from __future__ import annotations

import datetime as dt

from youthlink.core.registry import register_demo_builder

from .models import CadreRating, SurveyAnswer, SurveyInvitee, SurveyResponse
from .periods import local_today, quarter_key
from .services import eligible_pairs, survey_create

COMMENTS = (
    "每次有困难都能及时联系上，很负责。",
    "帮我联系了电商培训，学到了很多。",
    "上门走访很用心，家里人都很感谢。",
    "活动组织得很好，希望以后多办几次。",
    "回复有点慢，希望能更及时一些。",
    "帮忙解决了孩子暑假托管的问题。",
    "很耐心地听我们说，建议都记下来了。",
    "创业贷款的事情跟进得很到位。",
    "希望多来村里看看。",
    "",
)
SURVEY_COMMENTS = (
    "希望多组织一些青年联谊和技能培训活动。",
    "团干部很亲切，有事都愿意找他们。",
    "网络上的回复可以再快一点。",
    "建议在村里多设几个青年之家活动点。",
)
QUESTIONS = ("团干部联系您是否及时", "团干部帮助解决问题的效果", "您对团干部工作的总体满意度")


def _score(rng) -> int:
    return rng.choices((5, 4, 3, 2, 1), weights=(50, 32, 11, 5, 2))[0]


def build(context: dict, fake) -> None:
    rng = context["rng"]
    featured_youth = context["featured"].get("youth")
    featured_person_id = getattr(getattr(featured_youth, "young_person", None), "pk", None)
    today = local_today()
    quarters = [quarter_key(today - dt.timedelta(days=91 * i)) for i in range(4)]
    ratings = []
    for county in context["counties"]:
        _cadres, pairs = eligible_pairs(county)
        for cadre_id, person_id in pairs:
            if person_id == featured_person_id:
                continue
            for quarter in quarters:
                if rng.random() < 0.3:
                    ratings.append(CadreRating(cadre_id=cadre_id, person_id=person_id, quarter=quarter,
                                               score=_score(rng), comment=rng.choice(COMMENTS)))
    CadreRating.objects.bulk_create(ratings, batch_size=1000, ignore_conflicts=True)

    admin = context["featured"]["county_admin"]
    county = context["counties"][context["county_admins"].index(admin)]
    survey = survey_create(actor=admin, county=county, title=f"{today.year}年第{(today.month - 1) // 3 + 1}季度青年满意度测评",
                           intro="请根据与团干部的接触情况如实打分，答卷匿名统计。",
                           starts_on=today - dt.timedelta(days=10), ends_on=today + dt.timedelta(days=20),
                           questions=QUESTIONS)
    questions = list(survey.questions.all())
    invitees = list(SurveyInvitee.objects.filter(survey=survey).exclude(person_id=featured_person_id).order_by("id"))
    answering = [i for i in invitees if rng.random() < 0.55]
    SurveyResponse.objects.bulk_create([
        SurveyResponse(survey=survey, invitee=i, comment=rng.choice(SURVEY_COMMENTS) if rng.random() < 0.2 else "")
        for i in answering])
    responses = list(SurveyResponse.objects.filter(survey=survey).order_by("id"))
    SurveyAnswer.objects.bulk_create([SurveyAnswer(response=r, question=q, score=_score(rng))
                                      for r in responses for q in questions], batch_size=1000)
    context["summary"] += [
        ("青年评价团干部", CadreRating.objects.count()),
        ("满意度测评答卷", f"{len(responses)} / {survey.eligible_count}"),
    ]


register_demo_builder("ratings", build, order=60)
