"""Demo data for 三联 and 青年之友: links and bindings for most cadres, a QR invite for every cadre, and
young people who registered through a cadre's QR code (one of them the demo's 青年 login).

A few cadres are left unlinked and a few unbound on purpose, so the "not linked yet" list has
content and the binding rate reads about 90%, not a suspicious 100%."""
from __future__ import annotations

import datetime as dt

from youthlink.core.demo import FEATURED_MOBILES, person_name
from youthlink.core.registry import register_demo_builder
from youthlink.people.models import Gender, Tag

from .models import Binding, CadreLink
from .selectors import binding_rate
from .services import binding_create, invite_get_or_create, link_add, youth_register_via_invite

# Cadres are numbered in township order; these positions are left without something.
UNLINKED = (5, 17, 30)         # no 三联 at all
WITHOUT_TALENT = (9, 22)       # linked a social organisation and youth, but no local talent yet
UNBOUND = (5, 12, 26, 35)      # no 青年之友 yet


def _tags(person) -> set[str]:
    return {t.tag for t in person.tags.all()}


def build(context: dict, fake) -> None:
    rng = context["rng"]
    featured_cadre = context["featured"]["cadre"]
    position = 0
    for plan in context["townships"]:
        people = plan.people
        talents = [p for p in people if Tag.LOCAL_TALENT in _tags(p)]
        priority = [p for p in people if _tags(p) & {Tag.HARDSHIP, Tag.KEY}]
        for cadre in plan.cadres:
            invite_get_or_create(cadre=cadre)
            if position not in UNLINKED:
                link_add(actor=cadre, cadre=cadre, node=plan.node, kind="social_org",
                         social_org=rng.choice(plan.social_orgs))
                if position not in WITHOUT_TALENT:
                    link_add(actor=cadre, cadre=cadre, node=plan.node, kind="local_talent",
                             person=talents[position % len(talents)])
                # 联系一批青年: disadvantaged and key youth first, then others from the township.
                batch = priority[:2] + rng.sample([p for p in people if p not in priority], rng.randint(4, 10))
                for person in batch:
                    link_add(actor=cadre, cadre=cadre, node=plan.node, kind="youth", person=person)
            if position not in UNBOUND:
                for person in rng.sample(people, rng.randint(3, 12)):
                    binding_create(actor=cadre, person=person)
            position += 1

    # Young people who scanned a cadre's QR code and registered themselves (扫码绑定).
    first_township = context["townships"][0]
    registrations = [(featured_cadre, FEATURED_MOBILES["youth"], Gender.FEMALE, dt.date(2002, 9, 16))]
    registrations += [(cadre, context["mobiles"](), rng.choice((Gender.MALE, Gender.FEMALE)),
                       dt.date(rng.randint(1994, 2008), rng.randint(1, 12), rng.randint(1, 28)))
                      for cadre in first_township.cadres[1:3]]
    for cadre, mobile, gender, birth in registrations:
        person = youth_register_via_invite(
            invite=invite_get_or_create(cadre=cadre), name=person_name(fake, gender), mobile=mobile, password=None,
            birth_date=birth, gender=gender, agree_privacy=True)
        person.user.password = context["password_hash"]
        person.user.save(update_fields=["password"])
        if mobile == FEATURED_MOBILES["youth"]:
            context["featured"]["youth"] = person.user

    rate = binding_rate(context["city"])
    context["summary"] += [
        ("三联：已联系的团干部", CadreLink.objects.values("cadre").distinct().count()),
        ("三联：尚未联系的团干部", len(UNLINKED)),
        ("青年之友绑定", Binding.objects.count()),
        ("团干部青年之友绑定率", rate.percent),
    ]


register_demo_builder("liaison", build, order=20)
