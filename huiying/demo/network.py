"""The demo county's network (四级回应网络): Ningming's real shape, generated names.

`plan_network()` is pure (no database): the same seed gives the same plan. `load_network()`
writes it. Units go through `network.services.unit_create`, so their ancestor columns are
exactly what the service sets; the ~1,100 hamlets, ~1,230 users, their memberships and the
duty roster are bulk-created, since each is one plain row with nothing denormalised.
"""
import datetime as dt
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from huiying.network import services as net
from huiying.network.models import DutyShift, Employment, Hamlet, Level, Membership, Role, Unit

from . import names

SEED = 451422
PASSWORD = "huiying-demo"
COUNTY_CODE = "451422000000"
COUNTY_NAME = "宁明县村民关切回应指挥部"
REF_PREFIX = "NM"
# The 13 townships (PRODUCT.md §8), their generated 3-digit codes (镇 1xx, 乡 2xx) and how
# many of the 161 village stations each has.
TOWNSHIPS = [
    ("城中镇", "100", 15), ("明江镇", "101", 18), ("海渊镇", "102", 19), ("亭亮镇", "103", 13), ("桐棉镇", "104", 14),
    ("那堪镇", "105", 15), ("爱店镇", "106", 7), ("寨安乡", "200", 9), ("峙浪乡", "201", 11), ("东安乡", "202", 13),
    ("板棍乡", "203", 11), ("北江乡", "204", 8), ("那楠乡", "205", 8),
]
HAMLETS = 1086
POINTS = 127
# County departments (县直部门), the dispatch targets: key, name.
DEPARTMENTS = [
    ("minzheng", "县民政局"), ("renshe", "县人社局（社保）"), ("jiuye", "县就业服务中心"), ("weijian", "县卫健局（计生）"),
    ("xinfang", "县信访局"), ("zongzhi", "县综治中心"), ("falv", "县法律援助中心"), ("renwu", "县人武部"), ("gongqingfu", "县工青妇"),
]
# The named demo logins, printed by `seed-demo` and `demo`: username, what they are (zh, en).
LOGINS = [
    ("county_commander", "县指挥部指挥长", "county HQ commander"),
    ("county_admin", "系统管理员", "administrator"),
    ("township_staff", "乡镇回应中心工作人员", "township center staff"),
    ("village_clerk", "村级回应站值班员", "village station clerk"),
    ("hamlet_clerk", "屯级回应点值班员", "hamlet point clerk"),
    ("supervisor", "村务监督委员会监督员", "supervisor"),
    ("dept_liaison", "部门联络员", "department liaison"),
]
STAFF_PER_UNIT = {Level.COUNTY: 2, Level.TOWNSHIP: 2, Level.VILLAGE: 5, Level.HAMLET: 3}
STAFF_ROLE = {Level.COUNTY: Role.COMMANDER, Level.TOWNSHIP: Role.CENTER_STAFF, Level.VILLAGE: Role.CLERK, Level.HAMLET: Role.CLERK, Level.DEPARTMENT: Role.LIAISON}

RULES = (
    "一、首问负责：第一个接待村民的工作人员负责登记并跟踪到底。\n"
    "二、分类处置：政策咨询当面答复，矛盾纠纷现场调解，限时事项集中公示，代办事项全程代理，"
    "超出权限预约下访，涉密涉私专项反馈。\n"
    "三、限时办结：按时限办理，逾期自动提醒上一级。\n"
    "四、结果公示：办理结果在公示牌公开（涉密涉私事项除外）。\n"
    "五、回应反馈：每件关切都向村民反馈，并听取满意度评价。"
)


@dataclass
class UnitPlan:
    key: str
    level: str
    parent: str | None
    name: str
    code: str = ""
    address: str = ""
    opening_hours: str = ""
    phone: str = ""


@dataclass
class HamletPlan:
    key: str
    village: str
    name: str
    point: str | None = None


@dataclass
class PersonPlan:
    username: str
    full_name: str
    unit: str
    role: str
    employment: str = Employment.PART_TIME
    phone: str = ""


@dataclass
class NetworkPlan:
    units: list[UnitPlan] = field(default_factory=list)
    hamlets: list[HamletPlan] = field(default_factory=list)
    people: list[PersonPlan] = field(default_factory=list)
    # Handling staff of each unit in rota order (commanders, center staff, clerks, liaisons).
    staff: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self):
        self.unit = {}
        self.hamlet = {}
        self.person = {}

    def index(self) -> "NetworkPlan":
        self.unit = {u.key: u for u in self.units}
        self.hamlet = {h.key: h for h in self.hamlets}
        self.person = {p.username: p for p in self.people}
        self.children = {}
        for u in self.units:
            self.children.setdefault(u.parent, []).append(u.key)
        self.hamlets_of = {}
        for h in self.hamlets:
            self.hamlets_of.setdefault(h.village, []).append(h.key)
        self.hamlet_of_point = {h.point: h.key for h in self.hamlets if h.point}
        return self

    def of_level(self, level: str) -> list[str]:
        return [u.key for u in self.units if u.level == level]

    def hamlets_under(self, unit_key: str) -> list[str]:
        """The hamlets a villager received at `unit_key` may live in."""
        u = self.unit[unit_key]
        if u.level == Level.HAMLET:
            return [self.hamlet_of_point[unit_key]]
        if u.level == Level.VILLAGE:
            return self.hamlets_of[unit_key]
        return [h for child in self.children.get(unit_key, []) for h in self.hamlets_under(child)]

    def on_duty(self, unit_key: str, day: dt.date) -> str:
        """The rota: each unit's staff take turns day by day (一张轮值表)."""
        staff = self.staff[unit_key]
        return staff[(day.toordinal() + _stable_offset(unit_key)) % len(staff)]


def _stable_offset(key: str) -> int:
    # Not hash(): string hashes change from run to run, and the plan must not.
    return sum(ord(ch) for ch in key)


def _spread(rng: random.Random, n: int, total: int, lo: int, hi: int) -> list[int]:
    counts = [rng.randint(lo + 1, hi - 2) for _ in range(n)]
    while sum(counts) != total:
        i = rng.randrange(n)
        if sum(counts) < total and counts[i] < hi:
            counts[i] += 1
        elif sum(counts) > total and counts[i] > lo:
            counts[i] -= 1
    return counts


def plan_network(seed: int = SEED) -> NetworkPlan:
    rng = random.Random(seed)
    plan = NetworkPlan()
    plan.units.append(UnitPlan("county", Level.COUNTY, None, COUNTY_NAME, COUNTY_CODE, "宁明县城中镇县政府大院", "周一至周五 8:00–12:00，15:00–18:00", "0771-8625110"))
    for key, name in DEPARTMENTS:
        plan.units.append(UnitPlan(f"dept:{key}", Level.DEPARTMENT, "county", name, phone=f"0771-862{rng.randrange(1000, 9999)}"))
    village_names: set[str] = set()
    villages: list[UnitPlan] = []
    for tname, tcode, n_villages in TOWNSHIPS:
        tkey = f"451422{tcode}000"
        plan.units.append(UnitPlan(tkey, Level.TOWNSHIP, "county", f"{tname}回应中心", tkey, f"宁明县{tname}人民政府一楼", "周一至周五 8:00–12:00，15:00–18:00", f"0771-86{rng.randrange(10000, 99999)}"))
        for i in range(n_villages):
            vname = names.village_name(rng, village_names)
            village_names.add(vname)
            vcode = f"451422{tcode}{201 + i:03d}"
            v = UnitPlan(vcode, Level.VILLAGE, tkey, f"{vname}回应站", vcode, f"{tname}{vname}村委会办公楼一楼", "每日 8:00–18:00（轮流值班）", names.mobile(rng))
            plan.units.append(v)
            villages.append(v)
    for v, n_hamlets in zip(villages, _spread(rng, len(villages), HAMLETS, 3, 12)):
        taken: set[str] = set()
        stem = v.name.removesuffix("回应站").removesuffix("村")
        for j in range(n_hamlets):
            hname = names.hamlet_name(rng, taken, stem)
            taken.add(hname)
            plan.hamlets.append(HamletPlan(f"{v.key}-{j + 1:02d}", v.key, hname))
    # The first village of 城中镇 is the showcase: its first hamlet always has a point.
    showcase = villages[0]
    first = next(h for h in plan.hamlets if h.village == showcase.key)
    with_point = [first] + rng.sample([h for h in plan.hamlets if h is not first], POINTS - 1)
    for h in sorted(with_point, key=lambda h: h.key):
        h.point = f"pt:{h.key}"
        plan.units.append(UnitPlan(h.point, Level.HAMLET, h.village, f"{h.name}回应点", "", f"{h.name}文化活动室", "每日 8:00–20:00（轮流值班）", names.mobile(rng)))
    _plan_people(plan, rng, showcase.key, h_point=first.point)
    return plan.index()


def _plan_people(plan: NetworkPlan, rng: random.Random, showcase: str, h_point: str) -> None:
    dept_key = "dept:minzheng"
    township = next(u.key for u in plan.units if u.level == Level.TOWNSHIP)
    # Named logins take the first seat of their unit; everyone else gets a pinyin login.
    named = {("county", 0): "county_commander", (township, 0): "township_staff", (showcase, 0): "village_clerk", (h_point, 0): "hamlet_clerk", (dept_key, 0): "dept_liaison"}
    taken = set(named.values()) | {"county_admin", "supervisor"}

    def person(unit: str, role: str, employment: str, username: str | None = None) -> PersonPlan:
        full = names.person_name(rng)
        if username is None:
            username = names.login_name(full, taken)
        taken.add(username)
        p = PersonPlan(username, full, unit, role, employment, names.mobile(rng))
        plan.people.append(p)
        return p

    for u in plan.units:
        n = STAFF_PER_UNIT.get(u.level, 1)
        plan.staff[u.key] = []
        for i in range(n):
            if u.level in (Level.COUNTY, Level.DEPARTMENT):
                full_time = True
            elif u.level == Level.TOWNSHIP:
                full_time = i == 0 or rng.random() < 0.8
            elif u.level == Level.VILLAGE:
                full_time = i < 2  # two fixed clerks per station, the rest part-time (seed: ~30% fixed)
            else:
                full_time = rng.random() < 0.1
            p = person(u.key, STAFF_ROLE[u.level], Employment.FULL_TIME if full_time else Employment.PART_TIME, named.get((u.key, i)))
            plan.staff[u.key].append(p.username)
    person("county", Role.ADMIN, Employment.FULL_TIME, "county_admin")
    other_village = next(u.key for u in plan.units if u.level == Level.VILLAGE and u.parent != township)
    supervisors = [("supervisor", showcase), (None, township), (None, "county"), (None, other_village)]
    for username, unit in supervisors:
        person(unit, Role.SUPERVISOR, Employment.PART_TIME, username)


@dataclass
class LoadedNetwork:
    plan: NetworkPlan
    units: dict[str, Unit]
    hamlets: dict[str, Hamlet]
    users: dict


def roster_days(today: dt.date) -> list[dt.date]:
    """Today's month, and at least the week ahead."""
    first = today.replace(day=1)
    last = max((first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1), today + dt.timedelta(days=7))
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def load_network(plan: NetworkPlan, *, today: dt.date, joined: dt.datetime | None = None) -> LoadedNetwork:
    units: dict[str, Unit] = {}
    for u in plan.units:
        units[u.key] = net.unit_create(
            level=u.level, parent=units.get(u.parent), name=u.name, code=u.code, address=u.address, opening_hours=u.opening_hours,
            phone=u.phone, rules=RULES if u.level != Level.DEPARTMENT else "", ref_prefix=REF_PREFIX if u.level == Level.COUNTY else "",
        )
    hamlet_rows = [Hamlet(village=units[h.village], point=units.get(h.point) if h.point else None, name=h.name) for h in plan.hamlets]
    Hamlet.objects.bulk_create(hamlet_rows, batch_size=500)
    hamlets = {h.key: row for h, row in zip(plan.hamlets, hamlet_rows)}

    User = get_user_model()
    # One hash for every demo login: hashing 1,200 passwords one by one would take minutes.
    password = make_password(PASSWORD)
    joined = joined or timezone.now()
    user_rows = [
        User(username=p.username, first_name=p.full_name, password=password, date_joined=joined,
             is_staff=p.role in (Role.ADMIN, Role.COMMANDER), is_superuser=p.role == Role.ADMIN)
        for p in plan.people
    ]
    User.objects.bulk_create(user_rows, batch_size=500)
    users = {p.username: row for p, row in zip(plan.people, user_rows)}
    for p in plan.people:
        net.membership_validate(unit=units[p.unit], role=p.role, employment=p.employment)
    Membership.objects.bulk_create(
        [Membership(user=users[p.username], unit=units[p.unit], role=p.role, employment=p.employment, phone=p.phone) for p in plan.people],
        batch_size=500,
    )
    shifts = [DutyShift(unit=units[key], user=users[plan.on_duty(key, day)], day=day) for key in plan.staff for day in roster_days(today)]
    DutyShift.objects.bulk_create(shifts, batch_size=1000)
    return LoadedNetwork(plan, units, hamlets, users)
