"""Demo data for requests (诉求): what micro-elements collected from their WeChat moments, what cadres
heard on visits and what young people asked for themselves, across the demo city, in every state of
the loop: waiting for review (the featured secretary has some), published in the 青联圈 feed, kept
private, merged, rejected, taken on. Everything goes through the services, as a user would."""
from __future__ import annotations

from youthlink.core.registry import register_demo_builder

from . import services
from .models import Appeal, Category, Source, Status
from .selectors import PUBLIC_STATUSES

# (category key, title, body with a name placeholder {name}, is it sensitive: kept private)
NEEDS = (
    ("entrepreneurship", "生姜滞销，求销路", "{name}家今年种了三亩生姜，收购商压价，堆在家里卖不出去，想找电商或单位食堂的销路。", False),
    ("entrepreneurship", "家庭农场想请专家做技术培训", "{name}经营一家家庭农场，想请农业方面的专家来讲讲病虫害防治和品种改良。", False),
    ("employment", "返乡青年想在本地找工作", "{name}在外打工多年，今年回乡照顾老人，会开叉车，想在县城附近找份工作。", False),
    ("dating", "希望组织青年联谊活动", "村里大龄未婚青年不少，{name}希望团委组织一次正规的青年交友联谊活动。", False),
    ("health", "孤儿患病需要帮扶", "{name}父母双亡，跟奶奶生活，最近查出肾病，需要长期治疗，家里负担很重。", True),
    ("psychology", "高三学生考前焦虑", "{name}高三，最近失眠、不想上学，家长很着急，希望有心理老师疏导。", True),
    ("assistance", "独居老人家里屋顶漏雨", "{name}的奶奶一个人住，老房子屋顶漏雨，希望志愿者帮忙修一修。", False),
    ("study", "留守儿童暑假需要辅导", "村里十几个留守孩子暑假没人辅导作业，{name}希望能开一个四点半课堂。", False),
    ("volunteering", "想加入应急救援志愿队", "{name}退伍回乡，会急救，想加入县里的青年应急救援志愿队。", False),
    ("entrepreneurship", "民宿想做线上推广", "{name}在村里开了民宿，客人少，想学怎么在网上推广、做短视频。", False),
    ("employment", "大学生想找暑期实习", "{name}在读大二，学会计，想暑假在县里企业实习。", False),
    ("other", "村口路灯坏了", "村口到学校的路灯坏了两个月，晚上孩子放学不安全，{name}希望尽快修好。", False),
)
SUGGESTIONS = (
    ("other", "建议青年之家周末也开放", "{name}说平时要上班，青年之家只有工作日开放，建议周末也开。"),
    ("study", "建议开设电商直播培训班", "不少青年想学直播带货，{name}建议团县委联系企业开一期培训班。"),
)


def build(context: dict, fake) -> None:
    rng = context["rng"]
    featured = context["featured"]
    categories = {c.key: c for c in Category.objects.filter(county=None)}

    for t_index, plan in enumerate(context["townships"]):
        if plan.secretary is None:
            continue
        pending_wanted = 3 if plan.secretary == featured.get("secretary") else rng.randint(0, 1)
        items = []
        for micro in plan.micros:
            for key, title, body, sensitive in rng.sample(NEEDS, rng.randint(1, 3)):
                name = fake.name()
                appeal = services.appeal_submit(
                    actor=micro, source=Source.COLLECTED, category=categories[key], title=title,
                    body=body.format(name=name) + f"联系电话{context['mobiles']()}。", node=micro_node(micro, plan),
                    subject_name=name, collected_from=rng.choice(("moments", "moments", "contacts")),
                    consent_to_publish=not sensitive, consent_note="" if sensitive else "本人微信同意")
                items.append((appeal, sensitive))
        for cadre in plan.cadres[:2]:
            key, title, body, sensitive = rng.choice(NEEDS)
            person = rng.choice(plan.people) if plan.people else None
            items.append((services.appeal_submit(
                actor=cadre, source=Source.VISIT, category=categories[key], title=title,
                body=body.format(name=person.name if person else fake.name()), node=person.home_node if person else plan.node,
                person=person, consent_to_publish=not sensitive, consent_note="" if sensitive else "走访时本人同意"),
                sensitive))
        youths = [p for p in plan.people if p.user_id]
        for person in youths[:1]:
            key, title, body = rng.choice(SUGGESTIONS)
            items.append((services.appeal_submit(actor=person.user, source=Source.SELF, kind="suggestion",
                                                 category=categories[key], title=title,
                                                 body=body.format(name="我"), consent_to_publish=True), False))
        open_ones = []
        for i, (appeal, sensitive) in enumerate(items):
            if i >= len(items) - pending_wanted:
                continue  # left for the secretary to review
            roll = rng.random()
            if sensitive or roll < 0.12:
                appeal = services.appeal_keep_private(actor=plan.secretary, appeal=appeal, is_complex=sensitive)
            elif roll < 0.17 and open_ones:
                services.appeal_merge(actor=plan.secretary, appeal=appeal, into=open_ones[0])
                continue
            elif roll < 0.21:
                services.appeal_reject(actor=plan.secretary, appeal=appeal, reason="信息不全，请补充具体情况后再提交")
                continue
            else:
                title, body = services.preview_public_text(appeal)
                appeal = services.appeal_publish(actor=plan.secretary, appeal=appeal, public_title=title,
                                                 public_body=body)
            open_ones.append(appeal)
            if plan.cadres and rng.random() < 0.6:
                cadre = plan.cadres[0] if t_index == 0 and len(open_ones) % 2 else rng.choice(plan.cadres)
                services.appeal_claim(actor=cadre, appeal=appeal)
            elif plan.cadres and rng.random() < 0.3:
                services.appeal_assign(actor=plan.secretary, appeal=appeal, assignee=rng.choice(plan.cadres))
            if appeal.is_public and plan.people and rng.random() < 0.5:
                commenter = rng.choice([p.user for p in plan.people if p.user_id] or [plan.secretary])
                services.appeal_comment(actor=commenter, appeal=appeal,
                                        body=rng.choice(("我认识做这行的朋友，可以帮忙问问", "支持！", "我也遇到过，已经转给村里了")))


    context["summary"] += [
        ("诉求", Appeal.objects.count()),
        ("青联圈公开诉求", Appeal.objects.filter(is_public=True, status__in=PUBLIC_STATUSES).count()),
        ("待审核诉求", Appeal.objects.filter(status=Status.PENDING).count()),
    ]


def micro_node(micro, plan):
    """Where a micro-element works: their village (the first of their memberships in this township)."""
    for m in micro.memberships.filter(is_active=True).select_related("node"):
        if m.node.path.startswith(plan.node.path):
            return m.node
    return plan.node


# After visits (40) and pairing (60): requests come from what cadres heard.
register_demo_builder("appeals", build, order=70)
