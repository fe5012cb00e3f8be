"""The demo city that `manage.py seed_demo` builds (Zulip's populate_db, Saleor's populatedb).

丽水市 with two of its real counties, 云和县 and 景宁畲族自治县, their townships, villages, youth centres,
schools, firms and social organisations; staff in every role; about 400 young people with tags and,
for some, the sensitive fields (ID number, health and hardship notes) that the platform protects.

Everything goes through the services, so the demo holds exactly what the product would have written
(encrypted fields, lookup hashes, audit rows). Randomness comes from one seeded Faker and one seeded
Random, so two runs build the same city. Features add their own part through
`youthlink.core.registry.register_demo_builder`; this module builds what they all stand on.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
import random
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count

from youthlink.accounts.models import Membership, Role, User
from youthlink.accounts.services import membership_grant, user_create
from youthlink.core import crypto
from youthlink.core.identity import id_check_digit
from youthlink.orgs.models import Node, NodeKind, SocialOrganisation
from youthlink.orgs.services import node_create, social_organisation_create
from youthlink.people.models import Gender, Sector, Tag, YoungPerson
from youthlink.people.services import consent_record, person_create

DEMO_PASSWORD = "Demo-2026"
SUPERUSER_USERNAME = "admin"
SEED = 2026
CITY_CODE = "331100000000"
YOUNG_PEOPLE = 400
# The persona anyone trying the demo logs in as, one per role. Memorable numbers on purpose; every
# other generated mobile avoids the 1880000 block.
FEATURED_MOBILES = {
    "city_admin": "18800000001",
    "county_admin": "18800000002",
    "secretary": "18800000003",
    "cadre": "18800000004",
    "micro": "18800000005",
    "centre_staff": "18800000006",
    "youth": "18800000007",
}
FEATURED_LABELS = {
    "city_admin": "团市委管理员",
    "county_admin": "团县委管理员",
    "secretary": "乡镇团委书记",
    "cadre": "团干部",
    "micro": "微元素",
    "centre_staff": "青年之家工作人员",
    "youth": "青年",
}


@dataclass(frozen=True)
class Place:
    name: str
    code: str  # 12-digit 统计用区划代码
    lat: float
    lng: float
    villages: tuple[str, ...] = ()


# Townships and villages of the two counties, with codes in the national scheme (county + 3-digit
# township: 0xx streets, 1xx towns, 2xx townships; + 3-digit village: 2xx villages) and coordinates
# near the real places. Villages get codes <township>201, 202 … in the order listed.
COUNTIES: tuple[tuple[Place, tuple[Place, ...]], ...] = (
    (Place("云和县", "331125000000", 28.1157, 119.5733), (
        Place("崇头镇", "331125100000", 28.0664, 119.5126, ("梅竹村", "坑根村", "黄处村", "下垟村", "沙铛村")),
        Place("紧水滩镇", "331125101000", 28.1747, 119.4542, ("紧水滩村", "规溪村", "大坪村", "石浦村")),
        Place("石塘镇", "331125102000", 28.1983, 119.5329, ("石塘村", "长汀村", "小顺村", "朱村村")),
        Place("赤石乡", "331125200000", 28.0351, 119.6302, ("赤石村", "黄家畲村", "季山头村")),
        Place("雾溪畲族乡", "331125201000", 28.0127, 119.5435, ("雾溪村", "坪垟岗村", "上坪村")),
        Place("安溪畲族乡", "331125202000", 28.1402, 119.6941, ("安溪村", "黄水碓村", "下武村", "都源村")),
    )),
    (Place("景宁畲族自治县", "331127000000", 27.9731, 119.6353), (
        Place("鹤溪街道", "331127001000", 27.9804, 119.6376, ("东弄村", "周湖村", "双后岗村", "敕木山村")),
        Place("东坑镇", "331127100000", 27.8598, 119.5327, ("东坑村", "深垟村", "桃源村", "白鹤村", "黄山头村")),
        Place("英川镇", "331127102000", 27.7036, 119.4327, ("英川村", "大张坑村", "库头村")),
        Place("大均乡", "331127200000", 28.0476, 119.5806, ("大均村", "伏叶村", "李宝村", "泉坑村")),
        Place("澄照乡", "331127201000", 27.9204, 119.6815, ("澄照村", "金丘村", "漈头村", "三石村", "惠明寺村", "梧桐坑村")),
    )),
)
# A school and a firm per county; social organisations registered at each township.
COUNTY_SCHOOLS = {"云和县": "云和中学", "景宁畲族自治县": "景宁畲族自治县职业高级中学"}
COUNTY_FIRMS = {"云和县": ("云和梯田木玩有限公司", 0), "景宁畲族自治县": ("景宁惠明茶业有限公司", 4)}
SOCIAL_ORG_KINDS = (
    ("青年志愿者协会", "志愿服务"),
    ("青年创业联谊会", "创业就业"),
    ("巾帼志愿服务队", "关爱帮扶"),
    ("心理健康服务社", "心理健康"),
    ("乡贤联谊会", "乡村振兴"),
)
HEALTH_NOTES = (
    "进行性肌营养不良，长期卧床",
    "先天性心脏病术后，需定期复查",
    "1型糖尿病，每日注射胰岛素",
    "听力二级残疾，佩戴助听器",
    "抑郁情绪，正在接受心理辅导",
)
HARDSHIP_NOTES = (
    "父母双亡，由奶奶抚养，低保户",
    "父亲因病去世，母亲务农，家庭年收入不足2万元",
    "留守儿童，父母在外务工，与祖父母同住",
    "单亲家庭，母亲残疾，靠低保生活",
    "家中房屋受台风损毁，正在重建",
    "孤儿，由叔叔监护",
)


@dataclass
class TownshipPlan:
    node: Node
    villages: list[Node] = field(default_factory=list)
    centre: Node | None = None
    social_orgs: list[SocialOrganisation] = field(default_factory=list)
    secretary: User | None = None
    cadres: list[User] = field(default_factory=list)
    micros: list[User] = field(default_factory=list)
    centre_staff: list[User] = field(default_factory=list)
    people: list[YoungPerson] = field(default_factory=list)


class MobileSource:
    """Unique, plausible mainland mobiles, never in the featured 1880000xxxx block."""

    PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152",
                "157", "158", "159", "177", "180", "181", "182", "183", "187", "189", "199")

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used = set(FEATURED_MOBILES.values())

    def __call__(self) -> str:
        while True:
            number = self.rng.choice(self.PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self.used:
                self.used.add(number)
                return number


def id_number_for(county_code: str, birth: dt.date, gender: str, rng: random.Random) -> str:
    """A GB 11643 number: county code, birth date, sequence with the sex digit, check digit."""
    sex = rng.randrange(0, 10, 2) + (1 if gender == Gender.MALE else 0)
    first17 = f"{county_code[:6]}{birth:%Y%m%d}{rng.randrange(100):02d}{sex}"
    return first17 + id_check_digit(first17)


def _with_demo_password(ctx: dict, user: User) -> User:
    # One Argon2 hash for the whole demo: hashing each account separately would take most of the run.
    user.password = ctx["password_hash"]
    user.save(update_fields=["password"])
    return user


def _staff(ctx: dict, *, name: str, node: Node, role: str, mobile: str) -> User:
    user = _with_demo_password(ctx, user_create(name=name, password=None, mobile=mobile))
    membership_grant(user=user, node=node, role=role)
    return user


def _coord(value: float) -> Decimal:
    # A float such as 28.4676 becomes 28.4676000 at the field's 9-digit precision and fails its
    # 6-decimal check; six places is about 10 cm, plenty for a village.
    return Decimal(f"{value:.6f}")


def person_name(fake, gender: str) -> str:
    # zh_CN's name_male()/name_female() draw from one pool of given names; these lists are gendered.
    given = fake.first_name_male() if gender == Gender.MALE else fake.first_name_female()
    return fake.last_name() + given


def _birth_date(rng: random.Random, today: dt.date, low: int, high: int) -> dt.date:
    """A birthday for someone aged between low and high (inclusive) today."""
    def years_before(years: int) -> dt.date:
        try:
            return today.replace(year=today.year - years)
        except ValueError:  # 29 February
            return today.replace(year=today.year - years, day=28)

    start = years_before(high + 1) + dt.timedelta(days=1)
    end = years_before(low)
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def _tags_for(rng: random.Random, age: int) -> list:
    tags: list = []
    if age < 23 and rng.random() < (0.9 if age < 18 else 0.5):
        tags.append(Tag.STUDENT)
    if 14 <= age <= 28 and rng.random() < 0.45:
        tags.append(Tag.LEAGUE_MEMBER)
    if age >= 18 and rng.random() < 0.35:
        tags.append(Tag.RURAL)
    if age >= 20 and rng.random() < 0.12:
        tags.append(Tag.ENTREPRENEUR)
    if rng.random() < 0.08:
        tags.append(Tag.HARDSHIP)
    if 12 <= age <= 25 and rng.random() < 0.04:
        tags.append(Tag.KEY)
    if age >= 24 and rng.random() < 0.07:
        tags.append((Tag.FEDERATION, rng.choice(Sector.values)))
    if age >= 24 and rng.random() < 0.05:
        tags.append(Tag.ENTERPRISE_ASSOC)
    if age >= 25 and rng.random() < 0.1:
        tags.append(Tag.MENTOR)
    return tags


def _build_tree(ctx: dict) -> None:
    fake, rng = ctx["fake"], ctx["rng"]
    for county_place, township_places in COUNTIES:
        county = node_create(name=county_place.name, kind=NodeKind.COUNTY, parent=ctx["city"],
                             admin_code=county_place.code, latitude=_coord(county_place.lat), longitude=_coord(county_place.lng))
        ctx["counties"].append(county)
        school = node_create(name=COUNTY_SCHOOLS[county.name], kind=NodeKind.SCHOOL, parent=county,
                             latitude=_coord(county_place.lat + 0.004), longitude=_coord(county_place.lng - 0.003))
        ctx["schools"].append(school)
        county_org = node_create(name=f"{county.name}青年志愿者联合会", kind=NodeKind.SOCIAL_ORG, parent=county)
        social_organisation_create(node=county_org, name=county_org.name, service_area="志愿服务",
                                   contact_name=fake.name(), contact_phone="0578-" + f"{rng.randrange(10**7):07d}")
        firm_name, firm_township = COUNTY_FIRMS[county.name]
        for t_index, place in enumerate(township_places):
            township = node_create(name=place.name, kind=NodeKind.TOWNSHIP, parent=county, admin_code=place.code,
                                   latitude=_coord(place.lat), longitude=_coord(place.lng))
            plan = TownshipPlan(node=township)
            for v_index, village_name in enumerate(place.villages, start=1):
                plan.villages.append(node_create(
                    name=village_name, kind=NodeKind.VILLAGE, parent=township,
                    admin_code=f"{place.code[:9]}{200 + v_index:03d}",
                    latitude=_coord(place.lat + rng.uniform(-0.03, 0.03)),
                    longitude=_coord(place.lng + rng.uniform(-0.03, 0.03))))
            plan.centre = node_create(name=f"{place.name}青年之家", kind=NodeKind.YOUTH_CENTRE, parent=township,
                                      latitude=_coord(place.lat + 0.001), longitude=_coord(place.lng + 0.001))
            if t_index == firm_township:
                ctx["firms"].append(node_create(
                    name=firm_name, kind=NodeKind.ENTERPRISE, parent=township,
                    latitude=_coord(place.lat - 0.002), longitude=_coord(place.lng + 0.002)))
            short = place.name.removesuffix("畲族乡").removesuffix("街道").removesuffix("乡").removesuffix("镇")
            for org_name, area in rng.sample(SOCIAL_ORG_KINDS, 2):
                plan.social_orgs.append(social_organisation_create(
                    node=township, name=f"{short}{org_name}", service_area=area,
                    contact_name=fake.name(), contact_phone=ctx["mobiles"]()))
            ctx["townships"].append(plan)


def _build_staff(ctx: dict) -> None:
    fake, mobiles = ctx["fake"], ctx["mobiles"]
    for index, county in enumerate(ctx["counties"]):
        admin = _staff(ctx, name=fake.name(), node=county, role=Role.ADMIN,
                       mobile=FEATURED_MOBILES["county_admin"] if index == 0 else mobiles())
        ctx["county_admins"].append(admin)
    ctx["featured"]["county_admin"] = ctx["county_admins"][0]
    for t_index, plan in enumerate(ctx["townships"]):
        first = t_index == 0
        plan.secretary = _staff(ctx, name=fake.name(), node=plan.node, role=Role.SECRETARY,
                                mobile=FEATURED_MOBILES["secretary"] if first else mobiles())
        # Three or four cadres per township (several are 兼挂职, part-time): 3, 4, 3, 4 …
        for c_index in range(3 + t_index % 2):
            plan.cadres.append(_staff(ctx, name=fake.name(), node=plan.node, role=Role.CADRE,
                                      mobile=FEATURED_MOBILES["cadre"] if first and c_index == 0 else mobiles()))
        # Micro-elements live in the villages: one in each of the first two.
        for m_index, village in enumerate(plan.villages[:2]):
            plan.micros.append(_staff(ctx, name=fake.name(), node=village, role=Role.MICRO,
                                      mobile=FEATURED_MOBILES["micro"] if first and m_index == 0 else mobiles()))
        plan.centre_staff.append(_staff(ctx, name=fake.name(), node=plan.centre, role=Role.CENTRE_STAFF,
                                        mobile=FEATURED_MOBILES["centre_staff"] if first else mobiles()))
        if first:
            ctx["featured"].update(secretary=plan.secretary, cadre=plan.cadres[0], micro=plan.micros[0],
                                centre_staff=plan.centre_staff[0])


def _build_people(ctx: dict) -> None:
    fake, rng, mobiles = ctx["fake"], ctx["rng"], ctx["mobiles"]
    today = dt.date.today()
    homes: list[tuple[TownshipPlan, Node, Node]] = []  # (township, home node, county)
    for plan in ctx["townships"]:
        county = next(c for c in ctx["counties"] if plan.node.parent_id == c.pk)
        homes += [(plan, village, county) for village in plan.villages]
    schools = {s.parent_id: s for s in ctx["schools"]}
    talents: Counter = Counter()
    for index in range(YOUNG_PEOPLE):
        plan, home, county = homes[index % len(homes)]
        gender = Gender.MALE if rng.random() < 0.52 else Gender.FEMALE
        # Mostly 14–35; one in eight a child (the under-14 rules apply to them).
        age_band = (6, 13) if index % 8 == 3 else (14, 35)
        birth = _birth_date(rng, today, *age_band)
        age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
        tags = _tags_for(rng, age)
        # Two local talents (本土能人) in every township, so every cadre there can link one.
        if age >= 22 and talents[plan.node.pk] < 2:
            tags.append(Tag.LOCAL_TALENT)
            talents[plan.node.pk] += 1
        # Some older students live at the county school: its own League branch, out of the township's reach.
        at_school = age >= 16 and Tag.STUDENT in tags and Tag.LOCAL_TALENT not in tags and rng.random() < 0.3
        if at_school:
            home = schools[county.pk]
        hardship = Tag.HARDSHIP in tags
        person = person_create(
            actor=ctx["actor"], home_node=home, name=person_name(fake, gender), gender=gender, birth_date=birth,
            mobile=mobiles() if age >= 14 and rng.random() < 0.75 else "",
            id_number=id_number_for(county.admin_code, birth, gender, rng) if rng.random() < 0.3 else "",
            health_notes=rng.choice(HEALTH_NOTES) if hardship and rng.random() < 0.5 else "",
            hardship_notes=rng.choice(HARDSHIP_NOTES) if hardship else "",
            tags=tags,
        )
        if age < 14:
            consent_record(person=person, guardian_name=fake.name(), guardian_relation=rng.choice(("父亲", "母亲", "祖母", "祖父")))
        (ctx["school_people"] if at_school else plan.people).append(person)


def build_core(ctx: dict) -> None:
    """The city, its staff and its young people: what every feature builder stands on."""
    fake = ctx["fake"]
    ctx["city"] = node_create(name="丽水市", kind=NodeKind.CITY, admin_code=CITY_CODE,
                              latitude=_coord(28.4676), longitude=_coord(119.9229))
    _with_demo_password(ctx, user_create(name="系统管理员", password=None, username=SUPERUSER_USERNAME,
                                         is_superuser=True))
    ctx["actor"] = _staff(ctx, name=fake.name(), node=ctx["city"], role=Role.ADMIN,
                          mobile=FEATURED_MOBILES["city_admin"])
    ctx["featured"]["city_admin"] = ctx["actor"]
    _build_tree(ctx)
    _build_staff(ctx)
    _build_people(ctx)


def core_summary() -> list[tuple[str, object]]:
    roles = dict(Membership.objects.values_list("role").annotate(n=Count("id")))
    people = YoungPerson.objects.all()
    return [
        ("组织节点", Node.objects.count()),
        ("社会组织", SocialOrganisation.objects.count()),
        *((label, roles.get(role, 0)) for role, label in Role.choices),
        ("青年", people.count()),
        ("其中未满14周岁", sum(1 for p in people.only("birth_date") if p.is_under_14)),
        ("其中登记身份证号", people.exclude(id_hash=None).count()),
    ]


def new_context(*, seed: int = SEED) -> dict:
    """The context every builder receives (registry.DemoBuilder: `build(context, fake)`).

    Keys the core builder fills: city, counties, county_admins, townships (TownshipPlan: node, villages,
    centre, social_orgs, secretary, cadres, micros, centre_staff, people), schools, school_people
    (students living at a county school), firms, actor (the
    city admin), featured (role key → User, see FEATURED_MOBILES). Builders use rng (seeded) and
    mobiles() for anything random, make accounts with `password`, and append (label, value) lines to
    summary. A builder may add keys of its own for later builders."""
    from faker import Faker

    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    return {"fake": fake, "rng": rng, "password": DEMO_PASSWORD, "password_hash": make_password(DEMO_PASSWORD),
            "mobiles": MobileSource(rng), "counties": [], "county_admins": [], "townships": [], "schools": [],
            "school_people": [], "firms": [], "featured": {}, "summary": []}


def build_demo(*, seed: int = SEED) -> dict:
    """Build the whole demo in one transaction: the core, then every registered feature builder."""
    from youthlink.core.registry import demo_builders

    ctx = new_context(seed=seed)
    with transaction.atomic():
        build_core(ctx)
        for builder in demo_builders():
            builder.build(ctx, ctx["fake"])
        ctx["summary"][:0] = core_summary()  # counted last, so it includes what the features added
    return ctx


def demo_exists() -> bool:
    return Node.objects.filter(admin_code=CITY_CODE).exists()


def _user_by_mobile(mobile: str) -> User | None:
    return User.objects.filter(mobile_hash=crypto.keyed_hash(mobile, purpose="mobile")).first()


def _node_label(node: Node | None) -> str:
    if node is None:
        return "—"
    names = dict(Node.objects.filter(pk__in=node.ancestor_ids()).values_list("pk", "name"))
    return " / ".join(names[pk] for pk in node.ancestor_ids() if pk in names)


def login_rows() -> list[tuple[str, str, str, str]]:
    """(role, login, password, node) for each featured persona, read back from the database, so a
    second run of seed_demo can print them without building anything."""
    rows = []
    for key, mobile in FEATURED_MOBILES.items():
        user = _user_by_mobile(mobile)
        if user is None:
            continue
        membership = user.memberships.select_related("node").order_by("id").first()
        if membership is not None:
            node = membership.node
        else:
            node = getattr(YoungPerson.objects.filter(user=user).select_related("home_node").first(), "home_node", None)
        rows.append((FEATURED_LABELS[key], mobile, DEMO_PASSWORD, _node_label(node)))
    if User.objects.filter(username=SUPERUSER_USERNAME, is_superuser=True).exists():
        rows.append(("超级管理员（/admin/）", SUPERUSER_USERNAME, DEMO_PASSWORD, "—"))
    return rows
