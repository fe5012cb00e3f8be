"""Factories and named personas shared by every app's tests (healthchecks' alice/bob, Zulip's hamlet/iago).

Two counties under one city. In each: a county admin, a township secretary, a cadre, a micro-element
(volunteer), a youth-centre worker and a young person with an account. The `other_*` personas are the
same roles in the other county: whatever they ask for in the first county must answer 404."""
from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from youthlink.accounts.models import Role, User
from youthlink.accounts.services import membership_grant, user_create
from youthlink.orgs.models import Node, NodeKind
from youthlink.orgs.services import node_create, social_organisation_create
from youthlink.people.services import person_create

_counter = itertools.count(1)
PASSWORD = "Qlq-test-2026"


def unique_mobile() -> str:
    return f"139{next(_counter):08d}"


def valid_id_number(birth: dt.date, serial: int = 1, male: bool = True) -> str:
    from youthlink.core.identity import id_check_digit
    seq = f"{serial:03d}"[:3]
    # Last digit of the sequence encodes sex: odd for male.
    seq = seq[:2] + str((int(seq[2]) | 1) if male else (int(seq[2]) & ~1))
    first17 = f"330329{birth:%Y%m%d}{seq}"
    return first17 + id_check_digit(first17)


def make_node(name: str, kind: str, parent: Node | None = None, **kw) -> Node:
    return node_create(name=name, kind=kind, parent=parent, **kw)


def make_staff(name: str, node: Node, role: str, mobile: str | None = None) -> User:
    user = user_create(name=name, password=PASSWORD, mobile=mobile or unique_mobile())
    membership_grant(user=user, node=node, role=role)
    return user


def make_person(node: Node, name: str = "张三丰", actor=None, **kw):
    kw.setdefault("mobile", unique_mobile())
    return person_create(actor=actor, home_node=node, name=name, check_permission=False, **kw)


def make_youth_user(node: Node, name: str) -> tuple[User, object]:
    mobile = unique_mobile()
    user = user_create(name=name, password=PASSWORD, mobile=mobile)
    person = make_person(node, name, mobile=mobile, user=user, birth_date=dt.date(2004, 5, 1))
    return user, person


@dataclass
class County:
    county: Node
    township: Node
    village: Node
    admin: User
    secretary: User
    cadre: User
    micro: User
    centre_staff: User
    youth_user: User
    youth: object
    person: object
    social_org: object


def build_county(city: Node, label: str, code_prefix: str) -> County:
    county = make_node(f"{label}县", NodeKind.COUNTY, city, admin_code=f"{code_prefix}000000")
    township = make_node(f"{label}镇", NodeKind.TOWNSHIP, county, admin_code=f"{code_prefix}101000")
    village = make_node(f"{label}村", NodeKind.VILLAGE, township, admin_code=f"{code_prefix}101201")
    youth_user, youth = make_youth_user(village, f"{label}青年")
    return County(
        county=county, township=township, village=village,
        admin=make_staff(f"{label}团县委", county, Role.ADMIN),
        secretary=make_staff(f"{label}书记", township, Role.SECRETARY),
        cadre=make_staff(f"{label}团干部", township, Role.CADRE),
        micro=make_staff(f"{label}微元素", village, Role.MICRO),
        centre_staff=make_staff(f"{label}社工", township, Role.CENTRE_STAFF),
        youth_user=youth_user, youth=youth,
        person=make_person(village, "单雄信", mobile="13800138000",
                           id_number=valid_id_number(dt.date(2001, 3, 4), serial=next(_counter) % 1000),
                           health_notes="进行性肌营养不良，卧床", hardship_notes="父母双亡，靠奶奶抚养",
                           tags=["hardship", ("federation", "agriculture")]),
        social_org=social_organisation_create(node=township, name=f"{label}义工协会", service_area="志愿服务"),
    )


@dataclass
class World:
    city: Node
    home: County
    other: County


def build_world() -> World:
    city = make_node("丽水市", NodeKind.CITY, admin_code="331100000000")
    return World(city=city, home=build_county(city, "泰顺", "330329"),
                 other=build_county(city, "云和", "331125"))
