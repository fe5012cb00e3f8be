"""Demo data for 结对帮扶 and 三必到三必访: in every township the secretary pairs two or three young
people in difficulty with the township's cadres and micro-elements; the featured cadre has two
pairings, one with a hospital stay they have not visited in time (overdue, escalated to the
secretary) and one with an exam coming up. One pairing has been ended, and the first county has
shortened its exam deadline, so the rules page shows a county's own setting next to the defaults."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from youthlink.core.registry import register_demo_builder
from youthlink.people.models import PersonTag, Tag

from .models import EventType, MustVisitTask, Pairing, TaskStatus
from .selectors import helper_membership_over
from .services import (must_visit_escalate_overdue, must_visit_event_record, must_visit_rules_set, pairing_create,
                       pairing_end)

PAIRS_PER_TOWNSHIP = 3


def build(context: dict, fake) -> None:
    rng = context["rng"]
    now = timezone.now()
    featured_cadre = context["featured"].get("cadre")
    hardship = set(PersonTag.objects.filter(tag=Tag.HARDSHIP).values_list("person_id", flat=True))
    must_visit_rules_set(actor=context["county_admins"][0], county=context["counties"][0],
                         rules={EventType.EXAM: {"deadline_days": 5, "enabled": True}})
    first_pairings = []
    for t_index, plan in enumerate(context["townships"]):
        people = [p for p in plan.people if p.pk in hardship][:PAIRS_PER_TOWNSHIP]
        helpers = list(plan.cadres) + list(plan.micros)
        if not people or not helpers or plan.secretary is None:
            continue
        for index, person in enumerate(people):
            # Helpers whose area reaches the young person's home: the township's cadres, the village's volunteers.
            eligible = [h for h in helpers if helper_membership_over(h, person.home_node)] or list(plan.cadres)
            helper = eligible[index % len(eligible)]
            if t_index == 0 and index < 2 and featured_cadre is not None:
                helper = featured_cadre
            pairing = pairing_create(actor=plan.secretary, person=person, helper=helper)
            if t_index == 0:
                first_pairings.append(pairing)
            elif index == 0:
                # A second helper for the same young person: a micro-element from their village area.
                second = [m for m in plan.micros if m != helper and helper_membership_over(m, person.home_node)]
                if second:
                    pairing_create(actor=plan.secretary, person=person, helper=second[0])
        if t_index == 3:
            pairing_end(actor=plan.secretary, pairing=Pairing.objects.filter(person=people[-1], is_active=True).first(),
                        reason="青年已外出务工，改由务工地团组织联系")
        elif t_index > 0 and rng.random() < 0.5:
            must_visit_event_record(actor=plan.secretary, person=people[0], event_type=EventType.HOLIDAY,
                                    occurred_at=now - dt.timedelta(days=rng.randint(1, 4)), note="春节前走访慰问")

    if len(first_pairings) >= 2:
        secretary = context["townships"][0].secretary
        must_visit_event_record(actor=secretary, person=first_pairings[0].person, event_type=EventType.HOSPITALISED,
                                occurred_at=now - dt.timedelta(days=5, hours=2), note="肺炎住院，县人民医院")
        must_visit_event_record(actor=secretary, person=first_pairings[1].person, event_type=EventType.EXAM,
                                occurred_at=now - dt.timedelta(days=1), note="下周参加学考")
    escalated = must_visit_escalate_overdue()

    context["summary"] += [
        ("结对帮扶（结对中）", Pairing.objects.filter(is_active=True).count()),
        ("三必到任务（待走访）", MustVisitTask.objects.filter(status=TaskStatus.OPEN).count()),
        ("三必到任务（已逾期上报）", escalated),
    ]


# After the visits builder (if any): its visits must not close the tasks made here.
register_demo_builder("pairing", build, order=60)
