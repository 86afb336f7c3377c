"""Load the network from a spreadsheet: `huiying import-network FILE` (docs/import-network.md).

Parse → check every row → write everything in one transaction, or nothing. All rules come
from the services (`unit_validate`, `membership_validate`, the code pattern, the models'
field lengths); this module only adds what a file needs: column and level names, parent
references between rows, and duplicates inside the file. Writing is in bulk, level by
level, with the ancestor columns set exactly as `unit_create` sets them.
"""
import dataclasses
from collections import Counter, defaultdict

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from huiying.core.errors import ServiceError
from huiying.core.tables import ImportFailed, RowError, file_error, read_table

from .models import ANCESTOR_FIELD, PARENT_LEVEL, Employment, Hamlet, Level, Membership, Role, Unit
from .services import CODE_RE, ancestor_values, hamlet_validate, membership_validate, unit_validate

# Canonical column → accepted aliases (compared after `_norm`). `note` is read and ignored.
COLUMNS = {
    "level": ["层级", "级别", "类型"],
    "code": ["区划代码", "代码", "统计用区划代码"],
    "name": ["名称", "姓名"],
    "parent": ["parent_code", "上级代码", "上级", "所属"],
    "address": ["地址", "办公地址"],
    "opening_hours": ["开放时间", "办公时间"],
    "phone": ["电话", "联系电话"],
    "rules": ["制度", "运行制度"],
    "ref_prefix": ["编号前缀"],
    "username": ["用户名", "账号"],
    "role": ["角色"],
    "employment": ["专兼职", "用工方式"],
    "note": ["备注"],
}
# Row kinds. `point` is a hamlet point (Level.HAMLET, hence the alias `hamlet`) and also
# creates the hamlet it serves; `place` is a hamlet without a point.
KINDS = {
    "county": ["county hq", "县", "指挥部", "县指挥部", "回应指挥部", "村民关切回应指挥部"],
    "township": ["township center", "乡镇", "乡", "镇", "回应中心", "乡镇回应中心"],
    "village": ["village station", "村", "行政村", "回应站", "村级回应站"],
    "point": ["hamlet", "hamlet point", "屯", "回应点", "屯级回应点"],
    "place": ["自然屯", "自然村"],
    "department": ["county department", "部门", "县直部门"],
    "staff": ["人员", "工作人员"],
}
KIND_LEVEL = {"county": Level.COUNTY, "township": Level.TOWNSHIP, "village": Level.VILLAGE, "point": Level.HAMLET, "department": Level.DEPARTMENT}
WRITE_ORDER = ["county", "township", "department", "village", "point"]  # parents before children
CODED_KINDS = {"county", "township", "village"}  # the rows other rows refer to by code
ROLES = {
    Role.CLERK: ["值班员"], Role.CENTER_STAFF: ["回应中心工作人员", "中心工作人员"], Role.COMMANDER: ["指挥长"],
    Role.LIAISON: ["部门联络员", "联络员"], Role.SUPERVISOR: ["监督员"], Role.ADMIN: ["管理员"],
}
EMPLOYMENTS = {Employment.FULL_TIME: ["full-time", "专职"], Employment.PART_TIME: ["part-time", "兼职"]}
# Which file column a service's error field belongs to.
FIELD_COLUMN = {"village": "parent", "unit": "parent"}
LEVEL_NAMES = "county, township, village, point, place, department, staff (县, 乡镇, 村, 屯, 自然屯, 部门, 人员)"
CHUNK = 500  # values per IN (...) query: well under SQLite's variable limit


def _norm(text: str) -> str:
    return " ".join(str(text).lower().replace("_", " ").replace("-", " ").split())


def _aliases(table: dict) -> dict[str, str]:
    return {_norm(alias): key for key, aliases in table.items() for alias in [key, *aliases]}


COLUMN_ALIASES, KIND_ALIASES, ROLE_ALIASES, EMPLOYMENT_ALIASES = map(_aliases, (COLUMNS, KINDS, ROLES, EMPLOYMENTS))


# --- checking ----------------------------------------------------------------------------

@dataclasses.dataclass(eq=False)
class Item:
    """One data row of the file."""

    row: int
    kind: str
    v: dict
    parent: "Item | Unit | None" = None
    broken_parent: bool = False  # the reference was wrong, already reported
    unit: Unit | None = None

    @property
    def level(self) -> Level | None:
        return KIND_LEVEL.get(self.kind)

    @property
    def name(self) -> str:
        return self.v.get("name", "")


def _key(obj) -> tuple:
    return ("row", id(obj)) if isinstance(obj, Item) else ("db", obj.pk)


def _chunks(values) -> list:
    values = list(values)
    return [values[i:i + CHUNK] for i in range(0, len(values), CHUNK)]


class _Job:
    def __init__(self, table: list[tuple[int, list[str]]]):
        self.table, self.errors, self.items = table, [], []
        self.columns: dict[int, str] = {}  # position → canonical column
        self.written: dict[str, str] = {}  # canonical column → header as written in the file
        self._seen: set[tuple[int, str]] = set()

    def err(self, row: int, column: str, code: str, message, /, **params) -> None:
        # One error per cell: the first is the cause, later ones would repeat it.
        if (row, column) in self._seen:
            return
        self._seen.add((row, column))
        text = str(message % params if params else message)
        self.errors.append(RowError(row, self.written.get(column, column), code, text))

    def service_err(self, item: Item, exc: ServiceError) -> None:
        self.err(item.row, FIELD_COLUMN.get(exc.field, exc.field), exc.field if exc.code == "invalid" else exc.code, exc.text)

    def check(self) -> None:
        rows = [(n, cells) for n, cells in self.table if any(cells)]
        if not rows:
            raise file_error(_("The file is empty."))
        self._header(*rows[0])
        if not self.errors:
            self._rows(rows[1:])
            self._codes()
            self._resolve()
            self._cycles()
            self._validate()
            self._duplicate_names()

    def _header(self, n: int, cells: list[str]) -> None:
        for i, text in enumerate(cells):
            key = COLUMN_ALIASES.get(_norm(text)) if text else None
            if text and key is None:
                self.err(n, text, "unknown_column", _("Unknown column %(column)s. Known columns: %(known)s."), column=text, known=", ".join(COLUMNS))
            elif key in self.written:
                self.err(n, text, "duplicate_column", _("Column %(column)s appears twice."), column=text)
            elif key:
                self.columns[i], self.written[key] = key, text
        for key in ("level", "name"):
            if key not in self.written:
                self.err(n, key, "missing_column", _("The file needs a column %(column)s."), column=key)

    def _rows(self, rows) -> None:
        limits = {f: Unit._meta.get_field(f).max_length for f in ("name", "address", "opening_hours", "phone")}
        limits_for = {"place": {"name": Hamlet._meta.get_field("name").max_length},
                      "staff": {"username": get_user_model()._meta.get_field("username").max_length, "phone": Membership._meta.get_field("phone").max_length}}
        for n, cells in rows:
            v = {key: (cells[i] if i < len(cells) else "") for i, key in self.columns.items() if key != "note"}
            if not any(v.values()):
                continue
            kind = KIND_ALIASES.get(_norm(v.get("level", "")))
            if kind is None:
                if v.get("level"):
                    self.err(n, "level", "unknown_level", _("Unknown level %(level)s. Use one of: %(levels)s."), level=v["level"], levels=LEVEL_NAMES)
                else:
                    self.err(n, "level", "missing_level", _("Each row needs a level: %(levels)s."), levels=LEVEL_NAMES)
                continue
            item = Item(n, kind, v)
            self.items.append(item)
            for column, limit in limits_for.get(kind, limits).items():
                if len(v.get(column, "")) > limit:
                    self.err(n, column, "too_long", _("At most %(limit)s characters; this has %(length)s."), limit=limit, length=len(v[column]))
            code = v.get("code", "")
            if kind != "staff" and code and not CODE_RE.match(code):
                self.err(n, "code", "code", _("A division code has exactly 12 digits."))
            elif kind in CODED_KINDS and not code:
                self.err(n, "code", "missing_code", _("A %(level)s needs its 12-digit division code: other rows refer to it by code."), level=item.level.label)

    def _codes(self) -> None:
        """Codes used twice in the file or already in the database; loads the units referred to by code."""
        self.by_code, hamlet_codes = {}, {}
        for item in self.items:
            code = item.v.get("code", "")
            if item.kind == "staff" or not CODE_RE.match(code):
                continue
            if item.level:
                first = self.by_code.setdefault(code, item)
                if first is not item:
                    self.err(item.row, "code", "duplicate_code", _("Division code %(code)s is also used in row %(row)s."), code=code, row=first.row)
            if item.kind in ("point", "place"):
                first = hamlet_codes.setdefault(code, item)
                if first is not item:
                    self.err(item.row, "code", "duplicate_code", _("Division code %(code)s is also used in row %(row)s."), code=code, row=first.row)
        wanted = set(self.by_code) | {_split(i.v.get("parent", ""))[0] for i in self.items}
        self.db_by_code = {u.code: u for chunk in _chunks(c for c in wanted if CODE_RE.match(c)) for u in Unit.objects.filter(code__in=chunk)}
        taken = {c for chunk in _chunks(hamlet_codes) for c in Hamlet.objects.filter(code__in=chunk).values_list("code", flat=True)}
        for code, item in [*self.by_code.items(), *hamlet_codes.items()]:
            if code in self.db_by_code and item.level or code in taken and item.kind in ("point", "place"):
                self.err(item.row, "code", "code_taken", _("Division code %(code)s is already used."), code=code)

    def _resolve(self) -> None:
        """Parents: CODE (a row of the file, else a unit in the database), or CODE/NAME for a
        unit without a code: the unit named NAME whose parent has that code."""
        by_name = []
        for item in self.items:
            ref = item.v.get("parent", "")
            if not ref:
                continue
            parts = _split(ref)
            if len(parts) > 2 or not CODE_RE.match(parts[0]) or "" in parts:
                item.broken_parent = True
                self.err(item.row, "parent", "bad_reference", _("Refer to the parent unit by its 12-digit division code, or to a unit without a code as CODE/NAME: the code of the unit it belongs to, a slash, its name."))
                continue
            # A code both in the file and in the database is already an error; the unit in the
            # database is the one that stays, so the rows under it are checked against it.
            target = self.db_by_code.get(parts[0]) or self.by_code.get(parts[0])
            if target is None:
                item.broken_parent = True
                self.err(item.row, "parent", "unknown_parent", _("No unit has the division code %(code)s, in this file or in the database."), code=parts[0])
            elif len(parts) == 1:
                item.parent = target
            else:
                by_name.append((item, target, parts[1]))
        if not by_name:
            return
        in_file, in_db = defaultdict(list), defaultdict(list)
        for item in self.items:
            if item.level and item.parent is not None:
                in_file[(_key(item.parent), item.name)].append(item)
        for chunk in _chunks({t.pk for _i, t, _n in by_name if isinstance(t, Unit)}):
            for unit in Unit.objects.filter(parent_id__in=chunk):  # a parent's children are few
                in_db[(("db", unit.parent_id), unit.name)].append(unit)
        for item, target, name in by_name:
            # As for codes: a unit already in the database wins over a row that repeats it.
            found = in_db.get((_key(target), name)) or in_file.get((_key(target), name), [])
            if len(found) == 1:
                item.parent = found[0]
                continue
            item.broken_parent = True
            params = {"parent": target.name, "name": name, "count": len(found)}
            if found:
                self.err(item.row, "parent", "ambiguous_parent", _("%(parent)s has %(count)s units named %(name)s; give the unit a code and refer to it by code."), **params)
            else:
                self.err(item.row, "parent", "unknown_parent", _("%(parent)s has no unit named %(name)s."), **params)

    def _cycles(self) -> None:
        state = {}  # item → 1 while on the current path, 2 when done
        for start in self.items:
            path, node = [], start
            while isinstance(node, Item) and node not in state:
                state[node] = 1
                path.append(node)
                node = node.parent
            if isinstance(node, Item) and state[node] == 1:
                cycle = path[path.index(node):]
                rows = ", ".join(str(i.row) for i in cycle)
                for item in cycle:
                    item.broken_parent = True
                    self.err(item.row, "parent", "cycle", _("Rows %(rows)s name each other as parent units: a cycle."), rows=rows)
            for node in path:
                state[node] = 2

    def _stand_in(self, item: Item) -> Unit | None:
        """The parent as the validators need it: a database unit as is, a row of the file as
        an unsaved unit of its level. After a broken reference (already reported), a unit of
        the expected level, so that only the row's other checks speak."""
        if item.broken_parent:
            expected = PARENT_LEVEL.get(item.level) or (Level.VILLAGE if item.kind == "place" else None)
            return Unit(level=expected) if expected else None
        if isinstance(item.parent, Item):
            return Unit(level=item.parent.level, name=item.parent.name)
        return item.parent

    def _validate(self) -> None:
        User = get_user_model()
        usernames = {i.v.get("username", "") for i in self.items if i.kind == "staff"} - {""}
        taken = {u for chunk in _chunks(usernames) for u in User.objects.filter(username__in=chunk).values_list("username", flat=True)}
        people: dict[str, Item] = {}
        for item in self.items:
            parent, v = self._stand_in(item), item.v
            try:
                if item.level:
                    unit_validate(level=item.level, parent=parent, name=item.name, code=v.get("code", ""), ref_prefix=v.get("ref_prefix", ""))
                elif item.kind == "place":
                    hamlet_validate(village=parent, name=item.name)
                else:
                    self._validate_staff(item, parent, taken, people)
            except ServiceError as exc:
                self.service_err(item, exc)

    def _validate_staff(self, item: Item, parent: Unit | None, taken: set, people: dict) -> None:
        v, username = item.v, item.v.get("username", "")
        v["role"] = ROLE_ALIASES.get(_norm(v.get("role", "")), v.get("role", ""))
        v["employment"] = EMPLOYMENT_ALIASES.get(_norm(v.get("employment", "")), v.get("employment", "")) or Employment.PART_TIME
        if not item.name:
            self.err(item.row, "name", "name", _("Each staff member needs a name."))
        if parent is None and not item.broken_parent:
            self.err(item.row, "parent", "parent", _("Give the unit this person works at."))
        elif parent is not None:
            try:
                membership_validate(unit=parent, role=v["role"], employment=v["employment"])
            except ServiceError as exc:
                self.service_err(item, exc)
        if not username:
            raise ServiceError("username", _("A username is required."))
        if username in taken:
            raise ServiceError("username", _("Username %(username)s is taken."), params={"username": username})
        first = people.setdefault(username, item)
        if first is not item and first.name != item.name:
            self.err(item.row, "username", "username", _("Username %(username)s is used in row %(row)s for another person."), username=username, row=first.row)

    def _duplicate_names(self) -> None:
        """Hamlet names are unique in their village (points create hamlets too); units
        without a code are referred to by name, so their names are unique under their parent;
        a person holds a role at a unit once."""
        db_villages = {i.parent.pk for i in self.items if i.kind in ("point", "place") and isinstance(i.parent, Unit)}
        hamlets = {(("db", vid), name) for chunk in _chunks(db_villages) for vid, name in Hamlet.objects.filter(village_id__in=chunk).values_list("village_id", "name")}
        db_parents = {i.parent.pk for i in self.items if i.level and not i.v.get("code") and isinstance(i.parent, Unit)}
        units = {(("db", pid), level, name) for chunk in _chunks(db_parents) for pid, level, name in Unit.objects.filter(parent_id__in=chunk).values_list("parent_id", "level", "name")}
        seen = {}
        for item in self.items:
            if item.parent is None or item.kind == "staff" or not item.name:
                continue
            parent = _key(item.parent)
            keys = []
            if item.kind in ("point", "place"):
                keys.append(((parent, item.name), hamlets, _("This village already has a hamlet named %(name)s.")))
            if item.level and not item.v.get("code"):
                keys.append(((parent, item.level, item.name), units, _("%(parent)s already has a %(level)s named %(name)s.")))
            for key, existing, message in keys:
                first = seen.setdefault(key, item)
                params = {"name": item.name, "parent": item.parent.name, "level": item.level.label if item.level else ""}
                if first is not item:
                    self.err(item.row, "name", "duplicate_name", _("The same name is in row %(row)s under the same parent."), row=first.row)
                elif key in existing:
                    self.err(item.row, "name", "name_taken", message, **params)
        staff = [(i, (i.v["username"], _key(i.parent), i.v["role"])) for i in self.items if i.kind == "staff" and i.parent and i.v.get("username")]
        memberships = Counter(key for _i, key in staff)
        for item, key in staff:
            if memberships[key] > 1:
                self.err(item.row, "role", "duplicate_membership", _("This person already has that role at this unit."))

    # --- writing -----------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        found = Counter(i.kind for i in self.items)
        return {kind: found[kind] for kind in KINDS if found[kind]}

    def write(self) -> None:
        by_kind = defaultdict(list)
        for item in self.items:
            by_kind[item.kind].append(item)
        for kind in WRITE_ORDER:
            level, items = KIND_LEVEL[kind], by_kind[kind]
            for item in items:
                parent, v = _unit_of(item.parent), item.v
                item.unit = Unit(
                    level=level, parent=parent, name=item.name, code=v.get("code", ""), address=v.get("address", ""),
                    opening_hours=v.get("opening_hours", ""), phone=v.get("phone", ""), rules=v.get("rules", ""),
                    ref_prefix=v.get("ref_prefix", "") if level == Level.COUNTY else "",
                    **{f + "_id": value for f, value in ancestor_values(parent).items()},
                )
            Unit.objects.bulk_create([i.unit for i in items], batch_size=CHUNK)
            # As unit_create does: a unit's own level column points to itself. Only the rows
            # just inserted lack it (unit_create sets it in its own transaction).
            own = ANCESTOR_FIELD[level]
            Unit.objects.filter(level=level, **{own: None}).update(**{own: F("id")})
            for item in items:
                setattr(item.unit, own + "_id", item.unit.pk)
        Hamlet.objects.bulk_create([
            Hamlet(village=_unit_of(i.parent), name=i.name, code=i.v.get("code", ""), point=i.unit if i.kind == "point" else None)
            for i in by_kind["point"] + by_kind["place"]
        ], batch_size=CHUNK)
        self._write_staff(by_kind["staff"])

    def _write_staff(self, items: list[Item]) -> None:
        User, users = get_user_model(), {}
        for item in items:
            user = users.get(item.v["username"])
            if user is None:
                # As staff_create: no usable password until the person sets one.
                user = users[item.v["username"]] = User(username=item.v["username"], first_name=item.name[:150])
                user.set_unusable_password()
            user.is_staff = user.is_staff or item.v["role"] in (Role.ADMIN, Role.COMMANDER)
        User.objects.bulk_create(users.values(), batch_size=CHUNK)
        Membership.objects.bulk_create([
            Membership(user=users[i.v["username"]], unit=_unit_of(i.parent), role=i.v["role"], employment=i.v["employment"], phone=i.v.get("phone", ""))
            for i in items
        ], batch_size=CHUNK)


def _split(ref: str) -> list[str]:
    return [part.strip() for part in ref.replace("／", "/").split("/")]


def _unit_of(parent) -> Unit | None:
    return parent.unit if isinstance(parent, Item) else parent


def kind_label(kind: str) -> str:
    if kind in KIND_LEVEL:
        return str(KIND_LEVEL[kind].label)
    return str(capfirst(_("hamlet") if kind == "place" else _("staff member")))


def network_import(*, path=None, table: list[tuple[int, list[str]]] | None = None, sheet: str | None = None, dry_run: bool = False) -> dict[str, int]:
    """Import a file (or an already read `table`). Returns the number of rows of each kind
    imported (with `dry_run`, that would be imported); raises ImportFailed with every error
    found, having written nothing."""
    if table is None:
        table = read_table(path, sheet=sheet)
    job = _Job(table)
    try:
        # One transaction for the checks and the writes: on SQLite it holds the write lock
        # from the first check, so what was checked is what gets written.
        with transaction.atomic():
            job.check()
            if job.errors:
                raise ImportFailed(sorted(job.errors, key=lambda e: e.row))
            if not dry_run:
                job.write()
    except IntegrityError:
        raise file_error(_("The network changed while the file was being imported. Nothing was imported; run the import again.")) from None
    return job.counts()
