"""A city of synthetic records for benchmarks and capacity planning (`manage.py seed_scale`).

It stands on the demo (丽水市 with 云和县 and 景宁畲族自治县, built by `seed_demo` if missing) and adds
the city's other counties with their real names and codes, each with uneven townships and villages
and people, staff, visits, requests, diaries, pairs and ratings in proportion to its young people:

    preset   counties                                  young people  cadres  visits     requests
    county   莲都区                                     75,000        750     300,000    75,000
    city     莲都区 青田县 缙云县 遂昌县 松阳县 庆元县 龙泉市   500,000       5,000   2,000,000  500,000

(diary entries: one per ten young people; `--factor` scales everything, for tests.) The county
preset's county is built the same way in the city preset, so a page of 莲都区 can be compared
between the two.

Rows go in by COPY on PostgreSQL and batched multi-row inserts on SQLite (`bulk.py`), with the
derived fields the services would write: encrypted mobiles and ID numbers with their keyed hashes,
pinyin search keys, the requests' search tokens (the FTS5 triggers and the tsvector columns index
them), local dates and evening flags of visits. Dates run from 2025-01-01 to now, with seasonal
peaks (visits around the Spring Festival and in summer, requests after the Spring Festival and at
graduation) and growing use. Randomness comes from one seed: two runs build the same records
(except the ciphertexts, whose nonces are random).

At the end the dashboards' cells are rebuilt through `emit("records.bulk_loaded")`, as any bulk
loader must, and both databases are analysed.
"""
from __future__ import annotations

import calendar
import datetime as dt
import itertools
import math
import random
import time
from dataclasses import dataclass, field
from functools import lru_cache

from django.contrib.auth.hashers import make_password
from django.db import connection

from youthlink.accounts.models import Membership, Role, User
from youthlink.appeals.models import Appeal, AppealUpdate, Category, Kind, Level, Source, Status, UpdateKind
from youthlink.appeals.search import scope_tokens, tokenize
from youthlink.core import crypto
from youthlink.core.demo import CITY_CODE, DEMO_PASSWORD
from youthlink.core.identity import id_check_digit
from youthlink.core.pinyin import search_keys
from youthlink.core.registry import emit
from youthlink.diary.models import CheckIn, CheckInStatus, ContactPoint, DiaryEntry, EntryStatus, Grade
from youthlink.liaison.models import Binding, BindingSource, CadreLink, LinkKind
from youthlink.orgs.models import Node, NodeKind, SocialOrganisation
from youthlink.pairing.models import Pairing
from youthlink.people.models import Consent, ConsentKind, Gender, PersonTag, Sector, Tag, YoungPerson
from youthlink.ratings.models import CadreRating
from youthlink.visits.models import Visit, VisitKind, VisitParticipant, VisitProblem
from youthlink.visits.periods import EVENING_END, EVENING_START

from .bulk import Clock, Table, analyze, m2m_table, next_id, reset_sequences

SEED = 2026
START = dt.date(2025, 1, 1)
LOCAL_OFFSET = dt.timedelta(hours=8)  # Asia/Shanghai, no daylight saving


@dataclass(frozen=True)
class CountySpec:
    name: str
    code: str
    lat: float
    lng: float
    youth: int


# The city's counties that the demo does not build, with their codes and seats.
LIANDU = CountySpec("莲都区", "331102000000", 28.4463, 119.9228, 75_000)
COUNTIES = (
    LIANDU,
    CountySpec("青田县", "331121000000", 28.1393, 120.2897, 90_000),
    CountySpec("缙云县", "331122000000", 28.6594, 120.0912, 80_000),
    CountySpec("遂昌县", "331123000000", 28.5925, 119.2760, 60_000),
    CountySpec("松阳县", "331124000000", 28.4491, 119.4822, 65_000),
    CountySpec("庆元县", "331126000000", 27.6192, 119.0625, 50_000),
    CountySpec("龙泉市", "331181000000", 28.0743, 119.1416, 80_000),
)
PRESETS = {"county": (LIANDU,), "city": COUNTIES}

# Per young person of a county.
CADRES_PER_YOUTH = 0.01
MICRO_PER_YOUTH = 0.0066
VISITS_PER_YOUTH = 4.0
REQUESTS_PER_YOUTH = 1.0
DIARY_PER_YOUTH = 0.1
ACCOUNTS_PER_YOUTH = 0.05  # young people who signed in with WeChat/mobile and have an account

PLACE_CHARS = "大小东西南北上下新黄石白双高岩溪竹梅桃云龙凤碧湖松杨柳金银塘坑源口坪岭山港洋桥林田湾头后前里庄"
NEEDS = [
    ("想在青年创业园开网店", "entrepreneurship"), ("返乡创业缺少启动资金", "entrepreneurship"),
    ("创业贷款怎么申请", "entrepreneurship"), ("想学农村电商直播", "entrepreneurship"),
    ("民宿开业需要办哪些证", "entrepreneurship"), ("想养蜂不懂技术", "entrepreneurship"),
    ("家里种的生姜滞销卖不出去", "assistance"), ("茶叶今年卖不出去想找销路", "assistance"),
    ("果园的杨梅滞销", "assistance"), ("奶奶生病住院缺医药费", "assistance"),
    ("残疾证怎么办理", "assistance"), ("低保申请需要什么材料", "assistance"),
    ("孩子需要心理咨询", "psychology"), ("初三学生考试压力大睡不着", "psychology"),
    ("留守儿童性格孤僻需要陪伴", "psychology"), ("失恋后情绪低落想找人聊聊", "psychology"),
    ("刚毕业想在县城找工作", "employment"), ("想找一份会计的工作", "employment"),
    ("工厂招工信息哪里看", "employment"), ("想参加技能培训考电工证", "employment"),
    ("茶园需要采茶工", "employment"), ("想学厨师", "employment"), ("廊桥旅游想当讲解员", "employment"),
    ("想参加青年联谊活动", "dating"), ("大龄青年想找对象", "dating"),
    ("村里缺少青年活动场地", "volunteering"), ("想报名做志愿者", "volunteering"), ("想组织篮球比赛", "volunteering"),
    ("想考专升本不知道怎么报名", "study"), ("孩子辍学在家想回学校", "study"), ("助学贷款怎么办理", "study"),
    ("英语成绩差想找人辅导", "study"), ("希望开展四点半课堂", "study"), ("高考志愿不会填", "study"),
    ("腰椎间盘突出想咨询医生", "health"), ("想做免费体检", "health"),
    ("村口路灯坏了晚上不安全", "other"), ("村里网络信号不好", "other"), ("小学放学没人接孩子", "other"),
]
SUGGESTIONS = ["建议村里多办青年夜校", "建议在村文化礼堂开设电商培训", "建议增加到县城的公交班次",
               "建议青年之家周末也开放", "建议多组织青年志愿服务活动", "建议设立返乡创业青年交流群"]
VISIT_NOTES = ["了解家庭生产生活情况，宣传返乡创业政策。", "与青年交流就业意向，介绍县里的招聘会。",
               "看望留守青少年，了解学习情况。", "座谈了解村里青年的急难愁盼。", "宣传青年之家活动安排。",
               "了解种植养殖情况和销售困难。", "与村两委交流青年工作。", "了解企业青年员工的需求。"]
PROBLEMS = ["农产品销路不畅", "缺少技能培训机会", "孩子放学无人看管", "创业资金紧张", "家中老人看病难", "找工作缺少信息"]
WORK_LOGS = ["上午到联系村报到，入户走访青年3户，收集诉求1件。", "参加乡镇团委例会，部署本月夜访工作。",
             "在青年之家组织青年座谈，听取意见建议。", "跟进上周收集的诉求，联系县就业局答复。",
             "整理走访台账，更新青年之友名单。", "到学校了解留守儿童情况，对接志愿者辅导。"]
REFLECTIONS = ["走进青年身边才能听到真实需求。", "诉求办理要及时回复，让青年看到进展。",
               "夜访时间更适合在外务工的青年。", "要多联系本土能人带动青年创业。"]
RESOLUTIONS = ["已联系相关部门解决，青年表示满意。", "已对接资源方，问题已解决。", "已协调办理完毕。"]
RESPONSES = ["已收到，正在联系相关部门。", "已认领，三个工作日内答复。", "已转交对口资源方跟进。"]
OFF_SITE_REASONS = ["到县团委参加培训", "陪同走访外村青年", "参加乡镇集中办公"]
GUARDIAN_RELATIONS = ["父亲", "母亲", "祖父", "祖母"]
RATING_COMMENTS = ["很热心", "办事效率高", "经常来看望我们", "回复及时", ""]
MOBILE_PREFIXES = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
                   "156", "157", "158", "159", "166", "170", "176", "177", "178", "180", "181", "182", "183",
                   "185", "186", "187", "189", "191", "198", "199"]  # not 188: the demo's featured block
SECONDS_PER_DAY = 86400


@dataclass
class Township:
    id: int
    path: str
    name: str
    lat: float
    lng: float
    villages: list = field(default_factory=list)  # (id, lat, lng)
    others: list = field(default_factory=list)  # schools and enterprises: (id, lat, lng)
    centre: tuple | None = None
    social_orgs: list = field(default_factory=list)
    people: list = field(default_factory=list)
    hardship: list = field(default_factory=list)
    account_people: list = field(default_factory=list)  # (person id, user id)
    cadres: list = field(default_factory=list)  # (user id, node id)
    micro: list = field(default_factory=list)
    secretary: int = 0


@dataclass
class County:
    spec: CountySpec
    id: int
    path: str
    townships: list = field(default_factory=list)
    admins: list = field(default_factory=list)
    youth: int = 0  # young people to build (the preset's figure times --factor)


class ScaleError(Exception):
    pass


class Builder:
    def __init__(self, preset: str, *, factor: float = 1.0, seed: int = SEED, log=print):
        if preset not in PRESETS:
            raise ScaleError(f"未知的规模：{preset}（可选 county、city）")
        if not 0 < factor <= 1:
            raise ScaleError("--factor 应在 0 到 1 之间")
        self.preset, self.factor, self.log = preset, factor, log
        self.seed = seed
        self.rng = random.Random(seed)
        self.clock = Clock(connection.vendor)
        now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
        self.now = now  # naive UTC
        self.today = (now + LOCAL_OFFSET).date()
        self.tables: dict = {}
        self.timings: dict[str, float] = {}
        self.counts: dict[str, int] = {}
        self.person_village: dict[int, int] = {}
        self.person_birth: dict[int, dt.date] = {}
        self.mobile_counter = itertools.count(1)
        self.id_seq: dict[str, int] = {}
        self.password = make_password(DEMO_PASSWORD)
        self.logins: dict[str, str] = {}
        self.youth_mobiles: dict[int, str] = {}

    # --- helpers ---------------------------------------------------------------------------------

    def reseed(self, step: str, county: "County | CountySpec | None" = None) -> None:
        """One random stream per step and county, so that a county comes out the same whichever
        preset builds it and whatever is built before it (莲都区 in the county and the city preset)."""
        code = county.code if isinstance(county, CountySpec) else county.spec.code if county else "-"
        self.rng = random.Random(f"{self.seed}:{step}:{code}")

    def table(self, model) -> Table:
        if model not in self.tables:
            self.tables[model] = Table(model)
        return self.tables[model]

    def ids(self, model):
        start = next_id(model)
        return itertools.count(start)

    def n(self, value: float) -> int:
        return max(1, round(value * self.factor))

    def mobile(self) -> str:
        k = next(self.mobile_counter)
        return MOBILE_PREFIXES[k % len(MOBILE_PREFIXES)] + f"{(k * 7919 + 24681357) % 10 ** 8:08d}"

    def ts(self, utc: dt.datetime | None):
        return self.clock.ts(utc)

    def utc_of_local(self, local: dt.datetime) -> dt.datetime:
        return local - LOCAL_OFFSET

    def months(self):
        out, m = [], START
        while m <= self.today:
            out.append(m)
            m = (m.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return out

    def month_weights(self, peaks: dict[int, float]) -> tuple[list, list]:
        months = self.months()
        weights = []
        for i, m in enumerate(months):
            w = (1 + peaks.get(m.month, 0)) * (1 + 0.6 * i / max(1, len(months) - 1))  # use grows
            if m.year == self.today.year and m.month == self.today.month:
                w *= self.today.day / calendar.monthrange(m.year, m.month)[1]
            weights.append(w)
        return months, list(itertools.accumulate(weights))

    def local_moment(self, months, cum, hour_lo: float, hour_hi: float) -> dt.datetime:
        """A local wall-clock moment: a month by the weights, a day in it (not after today), an hour."""
        month = self.rng.choices(months, cum_weights=cum)[0]
        last = calendar.monthrange(month.year, month.month)[1]
        if month.year == self.today.year and month.month == self.today.month:
            last = self.today.day
        day = month.replace(day=self.rng.randint(1, last))
        seconds = int(self.rng.uniform(hour_lo, hour_hi) * 3600)
        moment = dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=seconds)
        latest = self.now + LOCAL_OFFSET
        return min(moment, latest - dt.timedelta(minutes=self.rng.randint(1, 600)))

    def step(self, name: str, fn) -> None:
        started = time.perf_counter()
        fn()
        self.timings[name] = round(time.perf_counter() - started, 1)
        self.log(f"  {name}: {self.timings[name]} s")

    def count(self, model) -> None:
        self.counts[model._meta.label] = self.table(model).rows

    # --- the run -----------------------------------------------------------------------------------

    def run(self) -> dict:
        self.city = Node.objects.filter(admin_code=CITY_CODE).first()
        if self.city is None:
            raise ScaleError("没有找到示例城市（丽水市），请先运行 seed_demo")
        specs = PRESETS[self.preset]
        taken = set(Node.objects.filter(admin_code__in=[s.code for s in COUNTIES]).values_list("admin_code", flat=True))
        if taken:
            raise ScaleError("规模数据已经生成过（已有莲都区等县区）；请在新的数据库上运行")
        self.categories = {c.key: c for c in Category.objects.filter(county=None)}
        started = time.perf_counter()
        if connection.vendor == "sqlite" and not connection.in_atomic_block:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous = OFF")  # a generator's own connection: rebuilt, not recovered
                cursor.execute("PRAGMA cache_size = -262144")
        self.counties = []
        self.step("nodes", lambda: self.build_nodes(specs))
        self.step("people", self.build_people)
        self.step("staff", self.build_staff)
        self.step("bindings", self.build_bindings)
        self.step("visits", self.build_visits)
        self.step("requests", self.build_appeals)
        self.step("diary", self.build_diary)
        self.step("pairs and ratings", self.build_pairs_and_ratings)
        self.step("sequences and analyse", self.finish)
        self.step("dashboard cells", lambda: emit("records.bulk_loaded"))
        if connection.vendor == "sqlite" and not connection.in_atomic_block:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.timings["total"] = round(time.perf_counter() - started, 1)
        for model in self.tables:
            self.count(model)
        return {"preset": self.preset, "factor": self.factor, "seconds": self.timings, "rows": self.counts,
                "logins": self.logins}

    # --- nodes -------------------------------------------------------------------------------------

    def place_stem(self, taken: set) -> str:
        """Two characters for a place name, not yet among `taken` (the siblings' names)."""
        while True:
            stem = "".join(self.rng.sample(PLACE_CHARS, 2))
            if stem not in taken:
                taken.add(stem)
                return stem

    def build_nodes(self, specs) -> None:
        node_ids = self.ids(Node)
        org_ids = self.ids(SocialOrganisation)
        rows, orgs = [], []
        created = self.ts(self.now)

        def node(name, kind, parent_path, depth, lat, lng, code=None):
            pk = next(node_ids)
            path = Node.make_path(parent_path, pk)
            rows.append({"id": pk, "parent_id": int(parent_path[-9:]), "name": name, "kind": kind, "admin_code": code,
                         "latitude": round(lat, 6), "longitude": round(lng, 6), "path": path, "depth": depth})
            return pk, path

        for spec in specs:
            self.reseed("nodes", spec)
            youth = self.n(spec.youth)
            pk, path = node(spec.name, NodeKind.COUNTY, self.city.path, self.city.depth + 1, spec.lat, spec.lng, spec.code)
            county = County(spec, pk, path, youth=youth)
            self.counties.append(county)
            n_townships = max(2, round(spec.youth / 5000 * max(self.factor, 0.2)))
            names = set()
            for t in range(n_townships):
                stem = self.place_stem(names)
                suffix, number = (("街道", t + 1) if t < 2 else ("镇", 100 + t) if t < n_townships * 0.7 else ("乡", 200 + t))
                lat, lng = spec.lat + self.rng.uniform(-0.2, 0.2), spec.lng + self.rng.uniform(-0.2, 0.2)
                code = f"{spec.code[:6]}{number:03d}000"
                tid, tpath = node(stem + suffix, NodeKind.TOWNSHIP, path, self.city.depth + 2, lat, lng, code)
                township = Township(tid, tpath, stem + suffix, lat, lng)
                county.townships.append(township)
                n_villages = self.rng.randint(6, 18) if self.factor >= 0.2 else self.rng.randint(2, 4)
                vnames = set()
                for v in range(n_villages):
                    vstem = self.place_stem(vnames)
                    vlat, vlng = lat + self.rng.uniform(-0.05, 0.05), lng + self.rng.uniform(-0.05, 0.05)
                    vid, _ = node(vstem + ("社区" if suffix == "街道" else "村"), NodeKind.VILLAGE, tpath,
                                  self.city.depth + 3, vlat, vlng, f"{code[:9]}{201 + v:03d}")
                    township.villages.append((vid, vlat, vlng))
                for kind, label in ((NodeKind.SCHOOL, "中学" if t % 3 == 0 else "小学"), (NodeKind.ENTERPRISE, "茶业有限公司")):
                    olat, olng = lat + self.rng.uniform(-0.02, 0.02), lng + self.rng.uniform(-0.02, 0.02)
                    oid, _ = node(f"{stem}{label}", kind, tpath, self.city.depth + 3, olat, olng)
                    township.others.append((oid, olat, olng))
                if t % 3 != 2:
                    clat, clng = lat + self.rng.uniform(-0.01, 0.01), lng + self.rng.uniform(-0.01, 0.01)
                    cid, _ = node(f"{stem}青年之家", NodeKind.YOUTH_CENTRE, tpath, self.city.depth + 3, clat, clng)
                    township.centre = (cid, clat, clng)
                for label, area in (("青年志愿者协会", "志愿服务"), ("农村电商协会", "创业就业")):
                    oid = next(org_ids)
                    orgs.append({"id": oid, "node_id": tid, "name": f"{stem}{label}", "service_area": area,
                                 "contact_name": self.name(), "contact_phone": self.mobile(), "created_at": created})
                    township.social_orgs.append(oid)
        self.table(Node).write(rows)
        self.table(SocialOrganisation).write(orgs)

    # --- people ------------------------------------------------------------------------------------

    @lru_cache(maxsize=None)  # noqa: B019 - one builder per process
    def _surnames(self):
        from faker.providers.person.zh_CN import Provider
        names = list(Provider.last_names)
        weights = list(Provider.last_names.values())
        return names, list(itertools.accumulate(weights))

    @lru_cache(maxsize=None)  # noqa: B019
    def _given(self):
        from faker.providers.person.zh_CN import Provider
        return list(Provider.first_names_male), list(Provider.first_names_female)

    @lru_cache(maxsize=None)  # noqa: B019
    def _singles(self, gender: str) -> list[str]:
        male, female = self._given()
        pool = male if gender == Gender.MALE else female if gender == Gender.FEMALE else male + female
        return [g for g in pool if len(g) == 1]

    def name(self, gender: str = "") -> str:
        surnames, cum = self._surnames()
        male, female = self._given()
        pool = male if gender == Gender.MALE else female if gender == Gender.FEMALE else male + female
        given = self.rng.choice(pool)
        if len(given) == 1 and self.rng.random() < 0.7:  # most given names have two characters
            given += self.rng.choice(self._singles(gender))
        return self.rng.choices(surnames, cum_weights=cum)[0] + given

    def id_number(self, county: County, birth: dt.date, gender: str) -> str:
        prefix = f"{county.spec.code[:6]}{birth:%Y%m%d}"
        seq = self.id_seq.get(prefix, 0) + 1
        self.id_seq[prefix] = seq
        # The 17th digit is odd for men, even for women; the three digits run 001–999 per place and day.
        order = (seq * 2 - 1) if gender == Gender.MALE else seq * 2
        body = f"{prefix}{order % 1000:03d}"
        return body + id_check_digit(body)

    def build_people(self) -> None:
        person_ids, user_ids = self.ids(YoungPerson), self.ids(User)
        people, users, tags, consents = [], [], [], []
        keys = lru_cache(maxsize=None)(search_keys)
        enc, hashed = crypto.encrypt, crypto.keyed_hash
        imported = dt.datetime(2025, 2, 20, 2, 0)  # the roster the county imported, early in 2025
        span = (self.now - imported).total_seconds()
        for county in self.counties:
            self.reseed("build_people", county)
            # Townships differ (a town centre against a mountain township): lognormal weights.
            tw = [self.rng.lognormvariate(0, 0.6) for _ in county.townships]
            per_township = self._split(county.youth, tw)
            for township, n in zip(county.townships, per_township):
                vw = [self.rng.lognormvariate(0, 0.7) for _ in township.villages]
                for (vid, _lat, _lng), m in zip(township.villages, self._split(n, vw)):
                    for _ in range(m):
                        pk = next(person_ids)
                        gender = Gender.MALE if self.rng.random() < 0.52 else Gender.FEMALE
                        age_days = int(self.rng.triangular(13.5, 35, 24) * 365.25)
                        birth = self.today - dt.timedelta(days=age_days)
                        name = self.name(gender)
                        mobile = self.mobile() if age_days > 16 * 365 or self.rng.random() < 0.3 else ""
                        has_id = self.rng.random() < 0.6
                        number = self.id_number(county, birth, gender) if has_id else ""
                        created = imported if self.rng.random() < 0.6 else imported + dt.timedelta(
                            seconds=self.rng.random() * span)
                        hardship = self.rng.random() < 0.03
                        row = {"id": pk, "name": name, "gender": gender, "birth_date": self.clock.day(birth),
                               "home_node_id": vid, "mobile": enc(mobile) if mobile else "",
                               "mobile_hash": hashed(mobile, purpose="mobile") if mobile else None,
                               "mobile_tail": mobile[-4:], "id_number": enc(number) if number else "",
                               "id_hash": hashed(number, purpose="id_number") if number else None,
                               "hardship_notes": enc("父母务工在外，与祖父母同住，家庭收入低") if hardship else "",
                               "health_notes": "", "search_keys": keys(name), "user_id": None,
                               "created_at": self.ts(created), "updated_at": self.ts(created)}
                        if mobile and self.rng.random() < ACCOUNTS_PER_YOUTH:
                            uid = next(user_ids)
                            users.append(self.user_row(uid, name, mobile, created))
                            row["user_id"] = uid
                            if len(self.youth_mobiles) < 100:
                                self.youth_mobiles[uid] = mobile
                            township.account_people.append((pk, uid))
                        people.append(row)
                        self.person_village[pk] = vid
                        self.person_birth[pk] = birth
                        township.people.append(pk)
                        person_tags = self.tags_for(age_days, hardship)
                        if hardship:
                            township.hardship.append(pk)
                        for tag, sector in person_tags:
                            tags.append({"person_id": pk, "tag": tag, "sector": sector})
                        if age_days < 18 * 365:
                            consents.append({"person_id": pk, "kind": ConsentKind.GUARDIAN, "notice_version": "2025-01",
                                             "guardian_name": self.name(), "guardian_relation": self.rng.choice(GUARDIAN_RELATIONS),
                                             "given_at": self.ts(created)})
                        if len(people) >= 20000:
                            self._flush_people(people, users, tags, consents)
        self._flush_people(people, users, tags, consents)
        first = self.counties[0].townships[0]
        if first.account_people:
            self.logins["youth"] = self.youth_mobiles[first.account_people[0][1]]

    def _flush_people(self, people, users, tags, consents) -> None:
        self.table(User).write(users)
        self.table(YoungPerson).write(people)
        self.table(PersonTag).write(tags)
        self.table(Consent).write(consents)
        for rows in (people, users, tags, consents):
            rows.clear()

    def tags_for(self, age_days: int, hardship: bool) -> list:
        r = self.rng.random
        out = []
        if hardship:
            out.append((Tag.HARDSHIP, ""))
        if r() < 0.2:
            out.append((Tag.RURAL, ""))
        if age_days < 22 * 365 and r() < 0.6:
            out.append((Tag.STUDENT, ""))
        if r() < 0.1:
            out.append((Tag.LEAGUE_MEMBER, ""))
        if r() < 0.01:
            out.append((Tag.KEY, ""))
        if age_days > 22 * 365:
            if r() < 0.02:
                out.append((Tag.ENTREPRENEUR, ""))
            if r() < 0.003:
                out.append((Tag.FEDERATION, self.rng.choice(Sector.values)))
            if r() < 0.003:
                out.append((Tag.LOCAL_TALENT, ""))
            if r() < 0.002:
                out.append((Tag.MENTOR, ""))
            if r() < 0.003:
                out.append((Tag.ENTERPRISE_ASSOC, ""))
        return out

    def _split(self, total: int, weights: list) -> list[int]:
        s = sum(weights)
        counts = [int(total * w / s) for w in weights]
        for i in range(total - sum(counts)):
            counts[i % len(counts)] += 1
        return counts

    def user_row(self, uid: int, name: str, mobile: str, joined: dt.datetime) -> dict:
        return {"id": uid, "password": self.password, "last_login": None, "is_superuser": False,
                "username": f"m{mobile}", "first_name": "", "last_name": "", "email": "", "is_staff": False,
                "is_active": True, "date_joined": self.ts(joined), "name": name, "mobile": crypto.encrypt(mobile),
                "mobile_hash": crypto.keyed_hash(mobile, purpose="mobile"), "language": ""}

    # --- staff -------------------------------------------------------------------------------------

    def build_staff(self) -> None:
        user_ids = self.ids(User)
        users, members, points = [], [], []
        self._mobiles = {}
        joined = dt.datetime(2024, 12, 20, 1, 0)

        def person(name, node_id, role, when=joined):
            uid = next(user_ids)
            mobile = self.mobile()
            self._mobiles[uid] = mobile
            users.append(self.user_row(uid, name, mobile, when))
            members.append({"user_id": uid, "node_id": node_id, "role": role, "is_active": True,
                            "created_at": self.ts(when)})
            return uid

        for county in self.counties:
            self.reseed("build_staff", county)
            for k in range(2):
                county.admins.append(person(self.name(), county.id, Role.ADMIN))
            weights = [len(t.people) or 1 for t in county.townships]
            cadres = self._split(self.n(county.spec.youth * CADRES_PER_YOUTH), weights)
            micro = self._split(self.n(county.spec.youth * MICRO_PER_YOUTH), weights)
            for township, n_cadres, n_micro in zip(county.townships, cadres, micro):
                township.secretary = person(self.name(), township.id, Role.SECRETARY)
                for _ in range(max(1, n_cadres)):
                    at_village = township.villages and self.rng.random() < 0.3
                    node_id = self.rng.choice(township.villages)[0] if at_village else township.id
                    # Cadres joined through the year as the platform spread; 2% joined this month.
                    when = joined if self.rng.random() < 0.7 else joined + dt.timedelta(
                        seconds=self.rng.random() * (self.now - joined).total_seconds())
                    uid = person(self.name(), node_id, Role.CADRE, when)
                    township.cadres.append((uid, node_id))
                    contact = self.rng.choice(township.villages)[0] if township.villages else township.id
                    points.append({"cadre_id": uid, "node_id": contact, "set_by_id": township.secretary,
                                   "updated_at": self.ts(when)})
                for _ in range(n_micro):
                    vid = self.rng.choice(township.villages)[0]
                    township.micro.append(person(self.name(), vid, Role.MICRO))
                if township.centre:
                    person(self.name(), township.centre[0], Role.CENTRE_STAFF)
        self.table(User).write(users)
        self.table(Membership).write(members)
        self.table(ContactPoint).write(points)
        first = self.counties[0]
        self.logins.update({"county_admin": self._mobiles[first.admins[0]],
                            "secretary": self._mobiles[first.townships[0].secretary],
                            "cadre": self._mobiles[first.townships[0].cadres[0][0]]})
        if first.townships[0].micro:
            self.logins["micro"] = self._mobiles[first.townships[0].micro[0]]

    # --- bindings and links ----------------------------------------------------------------------------

    def build_bindings(self) -> None:
        bindings, links = [], []
        self.bound: dict[int, list[int]] = {}
        for county in self.counties:
            self.reseed("build_bindings", county)
            for township in county.townships:
                people = township.people
                for uid, node_id in township.cadres:
                    # 98% of cadres have bound at least one 青年之友; most have tens, a few hundreds.
                    k = 0 if self.rng.random() < 0.02 else min(len(people), int(self.rng.lognormvariate(3.8, 0.6)))
                    chosen = self.rng.sample(people, k) if k else []
                    self.bound[uid] = chosen
                    for pid in chosen:
                        when = self.now - dt.timedelta(seconds=self.rng.random() * (self.now - dt.datetime(2025, 1, 5)).total_seconds())
                        bindings.append({"cadre_id": uid, "node_id": node_id, "person_id": pid,
                                         "source": BindingSource.QR if self.rng.random() < 0.8 else self.rng.choice(BindingSource.values),
                                         "created_at": self.ts(when)})
                    for pid in chosen[:3]:
                        links.append({"cadre_id": uid, "node_id": node_id, "kind": LinkKind.YOUTH, "person_id": pid,
                                      "social_org_id": None, "created_at": self.ts(self.now - dt.timedelta(days=30))})
                    if township.social_orgs:
                        links.append({"cadre_id": uid, "node_id": node_id, "kind": LinkKind.SOCIAL_ORG, "person_id": None,
                                      "social_org_id": self.rng.choice(township.social_orgs),
                                      "created_at": self.ts(self.now - dt.timedelta(days=60))})
                if len(bindings) > 50000:
                    self.table(Binding).write(bindings)
                    bindings.clear()
        self.table(Binding).write(bindings)
        self.table(CadreLink).write(links)

    # --- visits ------------------------------------------------------------------------------------

    def build_visits(self) -> None:
        visit_ids = self.ids(Visit)
        people_through = m2m_table(Visit, "people")
        orgs_through = m2m_table(Visit, "social_orgs")
        months, cum = self.month_weights({1: 0.8, 2: 1.0, 7: 0.5, 8: 0.5})
        visits, participants, people, orgs, problems = [], [], [], [], []
        kinds = [VisitKind.HOME] * 55 + [VisitKind.EVENING_TALK] * 15 + [VisitKind.ORGANISATION] * 20 + \
            [VisitKind.YOUTH_CENTRE] * 10

        def flush():
            self.table(Visit).write(visits)
            self.table(VisitParticipant).write(participants)
            self.table(people_through).write(people)
            self.table(orgs_through).write(orgs)
            self.table(VisitProblem).write(problems)
            for rows in (visits, participants, people, orgs, problems):
                rows.clear()

        self.village_geo = {v[0]: v for c in self.counties for t in c.townships for v in t.villages}
        for county in self.counties:
            self.reseed("build_visits", county)
            cadres = [(c, t) for t in county.townships for c in t.cadres]
            if not cadres:
                continue
            # Some cadres visit far more than others.
            cum_cadres = list(itertools.accumulate(self.rng.paretovariate(2.0) for _ in cadres))
            for _ in range(self.n(county.spec.youth * VISITS_PER_YOUTH)):
                (uid, _node), township = self.rng.choices(cadres, cum_weights=cum_cadres)[0]
                kind = self.rng.choice(kinds)
                if kind == VisitKind.YOUTH_CENTRE and not township.centre:
                    kind = VisitKind.ORGANISATION
                if kind == VisitKind.EVENING_TALK:
                    local = self.local_moment(months, cum, 18.5, 21.5)
                elif kind == VisitKind.HOME:
                    local = self.local_moment(months, cum, 8.5, 21.5)
                else:
                    local = self.local_moment(months, cum, 8.5, 17.5)
                pk = next(visit_ids)
                visited_people = []
                if kind == VisitKind.HOME:
                    pool = self.bound.get(uid) or township.people
                    visited_people = [self.rng.choice(pool)] if pool else []
                    place = self.village_geo[self.person_village[visited_people[0]]] if visited_people \
                        else township.villages[0]
                elif kind == VisitKind.EVENING_TALK:
                    place = self.rng.choice(township.villages)
                    if township.people:
                        visited_people = self.rng.sample(township.people, min(len(township.people), self.rng.randint(2, 5)))
                elif kind == VisitKind.YOUTH_CENTRE:
                    place = township.centre
                else:
                    place = self.rng.choice(township.others + township.villages[:2])
                wall = local.time().replace(second=0, microsecond=0)
                utc = self.utc_of_local(local)
                visits.append({"id": pk, "created_by_id": uid, "kind": kind, "visited_at": self.ts(utc),
                               "local_date": self.clock.day(local.date()),
                               "is_evening": EVENING_START <= wall <= EVENING_END, "place_id": place[0],
                               "latitude": round(place[1] + self.rng.uniform(-0.002, 0.002), 6),
                               "longitude": round(place[2] + self.rng.uniform(-0.002, 0.002), 6),
                               "notes": self.rng.choice(VISIT_NOTES),
                               "created_at": self.ts(utc + dt.timedelta(minutes=self.rng.randint(20, 180)))})
                participants.append({"visit_id": pk, "user_id": uid, "is_creator": True})
                if self.rng.random() < 0.15 and len(township.cadres) > 1:
                    other = self.rng.choice(township.cadres)[0]
                    if other != uid:
                        participants.append({"visit_id": pk, "user_id": other, "is_creator": False})
                for pid in dict.fromkeys(visited_people):
                    people.append({"visit_id": pk, "youngperson_id": pid})
                if kind == VisitKind.ORGANISATION and township.social_orgs and self.rng.random() < 0.3:
                    orgs.append({"visit_id": pk, "socialorganisation_id": self.rng.choice(township.social_orgs)})
                if self.rng.random() < 0.08:
                    problems.append({"visit_id": pk, "text": self.rng.choice(PROBLEMS), "position": 0})
                if len(visits) >= 50000:
                    flush()
        flush()

    # --- requests ------------------------------------------------------------------------------------

    def texts(self) -> list[dict]:
        self.reseed("texts")
        pool = []
        for i in range(300 if self.factor < 0.2 else 3000):
            need, category = NEEDS[i % len(NEEDS)]
            name = self.name()
            masked = name[0] + "某" * (len(name) - 1)
            place = "".join(self.rng.sample(PLACE_CHARS, 2))
            body = f"我是{place}村的{name}，{need}，{self.rng.choice(['希望团委帮忙', '不知道找谁', '麻烦帮忙问问', '急需帮助'])}。"
            public_body = body.replace(name, masked)
            title = need[:20]
            pool.append({"kind": Kind.REQUEST, "category": category, "title": title, "body": body,
                         "public_body": public_body, "tokens": tokenize(f"{title} {body}"),
                         "public_tokens": tokenize(f"{title} {public_body}")})
        for text in SUGGESTIONS:
            pool.append({"kind": Kind.SUGGESTION, "category": "other", "title": text[:20], "body": text + "。",
                         "public_body": text + "。", "tokens": tokenize(f"{text[:20]} {text}"),
                         "public_tokens": tokenize(f"{text[:20]} {text}")})
        return pool

    def build_appeals(self) -> None:
        appeal_ids = self.ids(Appeal)
        texts = self.texts()
        requests = [t for t in texts if t["kind"] == Kind.REQUEST]
        suggestions = [t for t in texts if t["kind"] == Kind.SUGGESTION]
        months, cum = self.month_weights({2: 0.6, 3: 0.6, 7: 0.7, 8: 0.4})
        rows, updates = [], []
        now = self.now
        hour = dt.timedelta(hours=1)
        day = dt.timedelta(days=1)

        def flush():
            self.table(Appeal).write(rows)
            self.table(AppealUpdate).write(updates)
            rows.clear()
            updates.clear()

        for county in self.counties:
            self.reseed("build_appeals", county)
            weights = list(itertools.accumulate(len(t.people) + 1 for t in county.townships))
            for _ in range(self.n(county.spec.youth * REQUESTS_PER_YOUTH)):
                township = self.rng.choices(county.townships, cum_weights=weights)[0]
                if not township.cadres:
                    continue
                is_suggestion = self.rng.random() < 0.1
                text = self.rng.choice(suggestions if is_suggestion else requests)
                category = self.categories[text["category"]]
                r = self.rng.random()
                person_id, submitted_by, collected_from = None, None, ""
                if r < 0.2 and township.account_people:
                    source = Source.SELF
                    person_id, submitted_by = self.rng.choice(township.account_people)
                elif r < 0.6:
                    source = Source.VISIT
                    submitted_by = self.rng.choice(township.cadres)[0]
                    person_id = self.rng.choice(township.people) if township.people else None
                else:
                    source = Source.COLLECTED
                    collected_from = self.rng.choice(["moments", "contacts", "other"])
                    submitted_by = self.rng.choice(township.micro) if township.micro else township.cadres[0][0]
                    person_id = self.rng.choice(township.people) if township.people and self.rng.random() < 0.5 else None
                node_id = self.person_village.get(person_id) or self.rng.choice(township.villages)[0]
                birth = self.person_birth.get(person_id)
                minor = bool(birth and (self.today - birth).days < 18 * 365)
                created = self.utc_of_local(self.local_moment(months, cum, 7, 23.5))
                age = now - created
                r = self.rng.random()
                if age < 2 * day:
                    status = Status.PENDING if r < 0.4 else Status.OPEN if r < 0.75 else Status.IN_PROGRESS
                elif age < 20 * day:
                    status = (Status.PENDING if r < 0.03 else Status.REJECTED if r < 0.06 else Status.OPEN if r < 0.16
                              else Status.IN_PROGRESS if r < 0.56 else Status.RESOLVED if r < 0.76 else Status.SOLVED)
                else:
                    status = (Status.REJECTED if r < 0.04 else Status.IN_PROGRESS if r < 0.06
                              else Status.SOLVED if r < 0.82 else Status.SOLVED_UNCONFIRMED)
                complex_ = self.rng.random() < 0.05
                row = {"id": next(appeal_ids), "kind": text["kind"], "source": source, "collected_from": collected_from,
                       "category_id": category.pk, "title": text["title"], "body": text["body"], "node_id": node_id,
                       "node_path": f"{township.path}{node_id:09d}" if node_id != township.id else township.path,
                       "handling_node_id": township.id, "level": Level.TOWNSHIP, "person_id": person_id,
                       "subject_name": "", "is_minor": minor, "consent_to_publish": not minor and self.rng.random() < 0.8,
                       "consent_note": "", "submitted_by_id": submitted_by, "visit_id": None, "status": status,
                       "is_public": False, "is_complex": complex_, "public_title": "", "public_body": "",
                       "reviewed_by_id": None, "reviewed_at": None, "published_at": None, "reject_reason": "",
                       "merged_into_id": None, "handler_id": None, "claimed_at": None, "escalated_at": None,
                       "response_due_at": None, "resolve_due_at": None, "first_response_at": None,
                       "overdue_escalated_at": None, "resolved_at": None, "closed_at": None, "rating": None,
                       "rating_comment": "", "reopen_count": 0, "search_tokens": text["tokens"],
                       "public_search_tokens": "", "created_at": self.ts(created), "updated_at": self.ts(created)}
                # the place words end both columns, as index_fields writes them
                place = scope_tokens(row["node_path"])
                row.update(search_tokens=f"{text['tokens']} {place}", public_search_tokens=place)
                updated = created
                if status != Status.PENDING:
                    reviewed = min(created + hour * self.rng.lognormvariate(1.4, 0.8), now - dt.timedelta(minutes=5))
                    row.update(reviewed_by_id=township.secretary, reviewed_at=self.ts(reviewed))
                    updated = reviewed
                    if status == Status.REJECTED:
                        row["reject_reason"] = "内容不属于团委受理范围，已告知当事人向有关部门反映"
                    else:
                        resolve_days = category.complex_resolve_days if complex_ else category.resolve_days
                        # Deadlines count working days: about 7 calendar days for 5.
                        row.update(response_due_at=self.ts(reviewed + day * math.ceil(category.response_days * 1.4)),
                                   resolve_due_at=self.ts(reviewed + day * math.ceil(resolve_days * 1.4)))
                        if row["consent_to_publish"] and self.rng.random() < 0.8:
                            row.update(is_public=True, public_title=text["title"], public_body=text["public_body"],
                                       published_at=self.ts(reviewed),
                                       public_search_tokens=f"{text['public_tokens']} {place}")
                        if status != Status.OPEN:
                            handler = self.rng.choice(township.cadres)[0]
                            claimed = min(reviewed + hour * self.rng.lognormvariate(1.6, 0.9), now - dt.timedelta(minutes=2))
                            row.update(handler_id=handler, claimed_at=self.ts(claimed), first_response_at=self.ts(claimed))
                            updates.append({"appeal_id": row["id"], "author_id": handler, "kind": UpdateKind.RESPONSE,
                                            "body": self.rng.choice(RESPONSES), "created_at": self.ts(claimed)})
                            updated = claimed
                            due = reviewed + day * math.ceil(resolve_days * 1.4)
                            if status in (Status.RESOLVED, Status.SOLVED, Status.SOLVED_UNCONFIRMED):
                                resolved = claimed + day * self.rng.lognormvariate(0.92, 0.7)
                                limit = now - (day * 7 if status == Status.SOLVED_UNCONFIRMED else dt.timedelta(minutes=1))
                                if resolved > limit:
                                    resolved = claimed + (limit - claimed) * self.rng.random()
                                row["resolved_at"] = self.ts(resolved)
                                updates.append({"appeal_id": row["id"], "author_id": handler, "kind": UpdateKind.RESOLUTION,
                                                "body": self.rng.choice(RESOLUTIONS), "created_at": self.ts(resolved)})
                                updated = resolved
                                if status == Status.SOLVED:
                                    closed = min(resolved + hour * self.rng.uniform(1, 150), now)
                                    row["closed_at"] = self.ts(closed)
                                    updated = closed
                                    if self.rng.random() < 0.85:
                                        row["rating"] = self.rng.choices([5, 4, 3, 2, 1], [55, 30, 10, 3, 2])[0]
                                elif status == Status.SOLVED_UNCONFIRMED:
                                    closed = resolved + day * 7
                                    row["closed_at"] = self.ts(closed)
                                    updated = closed
                                late = resolved > due
                            else:
                                late = now > due
                            if late and due + hour < now:
                                # Past the deadline: the nightly job escalated it to the county.
                                overdue = due + hour
                                row.update(overdue_escalated_at=self.ts(overdue), escalated_at=self.ts(overdue),
                                           level=Level.COUNTY, handling_node_id=county.id)
                row["updated_at"] = self.ts(updated)
                rows.append(row)
                if len(rows) >= 50000:
                    flush()
        flush()

    # --- diary -------------------------------------------------------------------------------------

    def build_diary(self) -> None:
        checkin_ids = self.ids(CheckIn)
        checkins, entries = [], []
        villages = {v[0]: v for c in self.counties for t in c.townships for v in t.villages}
        span = (self.today - START).days
        for county in self.counties:
            self.reseed("build_diary", county)
            cadres = [(c, t) for t in county.townships for c in t.cadres]
            total = self.n(county.spec.youth * DIARY_PER_YOUTH)
            per = self._split(total, [self.rng.lognormvariate(0, 0.5) for _ in cadres]) if cadres else []
            for ((uid, node_id), township), k in zip(cadres, per):
                contact = villages.get(node_id) or self.rng.choice(township.villages)
                days = sorted(self.rng.sample(range(span + 1), min(k, span + 1)))
                for offset in days:
                    day = START + dt.timedelta(days=offset)
                    local = dt.datetime.combine(day, dt.time(8)) + dt.timedelta(seconds=self.rng.randint(0, 3 * 3600))
                    if day == self.today:
                        local = min(local, self.now + LOCAL_OFFSET - dt.timedelta(minutes=1))
                    r = self.rng.random()
                    status = CheckInStatus.ON_SITE if r < 0.85 else CheckInStatus.OFF_SITE if r < 0.95 else CheckInStatus.UNLOCATED
                    located = status != CheckInStatus.UNLOCATED
                    distance = self.rng.randint(5, 450) if status == CheckInStatus.ON_SITE else self.rng.randint(600, 8000)
                    pk = next(checkin_ids)
                    checkins.append({"id": pk, "cadre_id": uid, "node_id": contact[0], "checked_at": self.ts(self.utc_of_local(local)),
                                     "local_date": self.clock.day(day), "status": status,
                                     "latitude": round(contact[1] + self.rng.uniform(-0.003, 0.003), 6) if located else None,
                                     "longitude": round(contact[2] + self.rng.uniform(-0.003, 0.003), 6) if located else None,
                                     "accuracy_m": self.rng.randint(8, 60) if located else None,
                                     "distance_m": distance if located else None, "radius_m": 500,
                                     "reason": self.rng.choice(OFF_SITE_REASONS) if status == CheckInStatus.OFF_SITE else ""})
                    age = (self.today - day).days
                    if age == 0:
                        entry_status = EntryStatus.DRAFT
                    elif age < 7:
                        entry_status = EntryStatus.SUBMITTED if self.rng.random() < 0.6 else EntryStatus.REVIEWED
                    else:
                        entry_status = EntryStatus.REVIEWED if self.rng.random() < 0.92 else EntryStatus.SUBMITTED
                    submitted = self.utc_of_local(dt.datetime.combine(day, dt.time(20, 30)))
                    submitted = min(submitted, self.now)
                    reviewed = min(submitted + dt.timedelta(days=self.rng.uniform(0.5, 5)), self.now)
                    entries.append({"checkin_id": pk, "cadre_id": uid, "node_id": contact[0], "local_date": self.clock.day(day),
                                    "status": entry_status, "work_log": self.rng.choice(WORK_LOGS),
                                    "reflections": self.rng.choice(REFLECTIONS), "links": "[]",
                                    "submitted_at": self.ts(submitted) if entry_status != EntryStatus.DRAFT else None,
                                    "grade": self.rng.choices(Grade.values, [20, 55, 20, 5])[0] if entry_status == EntryStatus.REVIEWED else "",
                                    "reviewed_by_id": county.admins[0] if entry_status == EntryStatus.REVIEWED else None,
                                    "reviewed_at": self.ts(reviewed) if entry_status == EntryStatus.REVIEWED else None,
                                    "updated_at": self.ts(reviewed if entry_status == EntryStatus.REVIEWED else submitted)})
                if len(checkins) > 20000:
                    self.table(CheckIn).write(checkins)
                    self.table(DiaryEntry).write(entries)
                    checkins.clear()
                    entries.clear()
        self.table(CheckIn).write(checkins)
        self.table(DiaryEntry).write(entries)

    # --- pairs and ratings ---------------------------------------------------------------------------

    def build_pairs_and_ratings(self) -> None:
        pairs, ratings = [], []
        start = dt.datetime(2025, 3, 1)
        for county in self.counties:
            self.reseed("build_pairs_and_ratings", county)
            for township in county.townships:
                if not township.cadres:
                    continue
                for pid in township.hardship:
                    if self.rng.random() > 0.7:
                        continue
                    uid, node_id = self.rng.choice(township.cadres)
                    created = start + (self.now - start) * self.rng.random()
                    active = self.rng.random() < 0.85
                    ended = None if active else created + (self.now - created) * self.rng.random()
                    pairs.append({"helper_id": uid, "helper_role": Role.CADRE, "helper_node_id": node_id, "person_id": pid,
                                  "created_by_id": township.secretary, "created_at": self.ts(created), "is_active": active,
                                  "ended_at": self.ts(ended), "ended_by_id": None if active else township.secretary,
                                  "end_reason": "" if active else "已外出就业，家庭情况好转"})
                for uid, _node in township.cadres:
                    bound = self.bound.get(uid) or []
                    seen = set()
                    for pid in bound[:self.rng.randint(0, 6)]:
                        created = self.now - dt.timedelta(seconds=self.rng.random() * (self.now - start).total_seconds())
                        local = created + LOCAL_OFFSET
                        quarter = f"{local.year}Q{(local.month - 1) // 3 + 1}"
                        if (pid, quarter) in seen:
                            continue
                        seen.add((pid, quarter))
                        ratings.append({"cadre_id": uid, "person_id": pid, "quarter": quarter,
                                        "score": self.rng.choices([5, 4, 3, 2, 1], [60, 28, 8, 3, 1])[0],
                                        "comment": self.rng.choice(RATING_COMMENTS), "created_at": self.ts(created)})
        self.table(Pairing).write(pairs)
        self.table(CadreRating).write(ratings)

    def finish(self) -> None:
        reset_sequences(list(self.tables))
        analyze()
