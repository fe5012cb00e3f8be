"""Demo data for handling requests (听结办), after the requests demo: of what was taken on, some get a
reply, some are routed to the best-suited resource partner (with the reasons), one per county is
escalated to the county committee, and some are resolved — most confirmed solved with a rating, one
in a while "not solved" and back with the handler, the rest waiting for the young person's answer.
Everything goes through the services, as a user would."""
from __future__ import annotations

from youthlink.core.registry import register_demo_builder

from .matching import partner_suggestions
from .models import Appeal, Status
from .permissions import confirmer_id
from .services.handling import appeal_confirm, appeal_escalate, appeal_refer, appeal_resolve, appeal_respond

REPLIES = ("已收到，正在联系相关单位，两天内回复您。", "已和村里对接，本周内上门了解情况。", "已联系县里相关部门，等对方答复。")
RESULTS = ("已联系县农商局，安排参加本月的电商培训班，并对接了两家收购商。",
           "志愿者已上门处理，拍照留存，后续每月回访一次。",
           "已协调青年之家开设相关课程，每周六上午上课，已报名。")
ESCALATION_NOTES = ("镇里缺少对口资源，需要县团委协调相关部门和企业。", "涉及跨乡镇协调，请县里统筹安排。")
COMMENTS = ("很及时，谢谢！", "问题解决了，感谢团委。", "效果不错，希望以后多组织。")


def build(context: dict, fake) -> None:
    from django.contrib.auth import get_user_model
    rng = context["rng"]
    users = get_user_model().objects
    resolved = solved = 0
    for county in context["counties"]:
        escalated = False
        for plan in (p for p in context["townships"] if p.node.path.startswith(county.path)):
            if plan.secretary is None:
                continue
            taken = list(Appeal.objects.filter(handling_node=plan.node, status=Status.IN_PROGRESS)
                         .select_related("category", "node", "handling_node", "person", "handler", "submitted_by")
                         .order_by("id"))
            for appeal in taken:
                handler = appeal.handler
                if not escalated:
                    appeal_escalate(actor=plan.secretary, appeal=appeal, note=rng.choice(ESCALATION_NOTES))
                    escalated = True
                    continue
                roll = rng.random()
                if roll < 0.3:
                    appeal_respond(actor=handler, appeal=appeal, body=rng.choice(REPLIES))
                suggestions = partner_suggestions(appeal, limit=3)
                if suggestions and roll < 0.5:
                    best = suggestions[0]
                    appeal_refer(actor=plan.secretary, appeal=appeal, partner_kind=best.kind,
                                 partner_id=best.partner_id, note="请协助对接")
                if roll < 0.65:
                    continue
                appeal_resolve(actor=handler, appeal=appeal, body=rng.choice(RESULTS))
                appeal = Appeal.objects.select_related("category", "node", "person").get(pk=appeal.pk)
                resolved += 1
                answer = rng.random()
                confirmer = users.get(pk=confirmer_id(appeal))
                if answer < 0.7:
                    appeal_confirm(actor=confirmer, appeal=appeal, solved=True, rating=rng.choice((4, 5, 5)),
                                   comment=rng.choice(COMMENTS))
                    solved += 1
                elif answer < 0.8:
                    appeal_confirm(actor=confirmer, appeal=appeal, solved=False, comment="问题还没有完全解决，希望继续跟进。")
    context["summary"] += [("已办结诉求", resolved), ("确认解决并评价", solved)]


# After the requests demo (70): it handles what was taken on there.
register_demo_builder("appeals.handling", build, order=75)
