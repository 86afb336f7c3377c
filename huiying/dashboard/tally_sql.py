"""The triggers that keep `ConcernTally` and `VisitTally` exact, for SQLite and PostgreSQL.

Each concern row counts once in each scope of its receiving unit's ancestor chain. An
insert adds 1 to its rows, a delete takes 1 away, an update of a counted column (function,
track, channel, outcome, due date, received time or unit) takes 1 from the old rows and adds
1 to the new ones — all inside the writing transaction, so a rollback undoes both.

The local month is computed in the database: PostgreSQL by the zone's name, SQLite (which
has no zones) by the zone's fixed offset (China has had no daylight saving time since 1991;
`install` refuses a zone whose offset varies). Changing TIME_ZONE means re-installing the
triggers and rebuilding the tally (`huiying dashboard-rebuild`).

PostgreSQL: two transactions moving concerns in opposite directions (one resolved, one
reopened) would lock the same two rows in opposite orders and deadlock; so within each scope
the two rows are always updated in the order of their keys, and scopes top-down.
"""
import datetime as dt
import zoneinfo

from django.conf import settings

KEY = "scope_id, child_id, month, function, track, channel, cls, due"
COUNTED = ["function", "track", "channel", "outcome", "due_date", "received_at", "received_unit_id",
           "received_county_id", "received_township_id", "received_village_id", "received_point_id"]
VISIT_COUNTED = ["visited_at", "visitor_count", "unit_id", "county_id", "township_id", "village_id", "point_id"]


def _scopes(r: str, prefix: str) -> list[tuple[str, str, str]]:
    """(scope, child, condition) for each level of row `r`'s ancestor chain."""
    c, t, v, p = (f"{r}.{prefix}{x}_id" for x in ("county", "township", "village", "point"))
    return [
        (c, f"COALESCE({t}, {c})", "TRUE"),
        (t, f"COALESCE({v}, {t})", f"{t} IS NOT NULL"),
        (v, f"COALESCE({p}, {v})", f"{v} IS NOT NULL"),
        (p, p, f"{p} IS NOT NULL"),
    ]


def _fixed_offset_minutes() -> int:
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    offsets = {zone.utcoffset(dt.datetime(y, m, 1)) for y in range(2000, 2040) for m in (1, 7)}
    if len(offsets) != 1:
        raise RuntimeError(f"TIME_ZONE {settings.TIME_ZONE} has daylight saving time; the SQLite tally needs a fixed offset.")
    return int(offsets.pop().total_seconds() // 60)


def _month(vendor: str, expr: str) -> str:
    if vendor == "postgresql":
        return f"date_trunc('month', {expr} AT TIME ZONE '{settings.TIME_ZONE}')::date"
    return f"strftime('%Y-%m-01', {expr}, '{_fixed_offset_minutes():+d} minutes')"


def _concern_values(vendor: str, r: str, scope: str, child: str, delta: int) -> str:
    cls = f"CASE WHEN {r}.outcome = '' THEN 'pending' WHEN {r}.outcome = 'resolved' THEN 'resolved' ELSE 'other' END"
    due = f"CASE WHEN {r}.outcome = '' THEN {r}.due_date ELSE '9999-12-31' END"
    if vendor == "postgresql":
        due = f"CASE WHEN {r}.outcome = '' THEN {r}.due_date ELSE DATE '9999-12-31' END"
    return f"{scope}, {child}, {_month(vendor, r + '.received_at')}, {r}.function, {r}.track, {r}.channel, {cls}, {due}, {delta}"


def _concern_upsert(vendor: str, r: str, scope: str, child: str, cond: str, delta: int) -> str:
    table = "dashboard_concerntally"
    return (
        f"INSERT INTO {table} ({KEY}, n) SELECT {_concern_values(vendor, r, scope, child, delta)} WHERE {cond} "
        f"ON CONFLICT ({KEY}) DO UPDATE SET n = {table}.n + excluded.n;"
    )


def _visit_upsert(vendor: str, r: str, scope: str, child: str, cond: str, delta: int) -> str:
    table = "dashboard_visittally"
    return (
        f"INSERT INTO {table} (scope_id, child_id, month, visits, visitors) "
        f"SELECT {scope}, {child}, {_month(vendor, r + '.visited_at')}, {delta}, {delta} * {r}.visitor_count WHERE {cond} "
        f"ON CONFLICT (scope_id, child_id, month) DO UPDATE SET visits = {table}.visits + excluded.visits, visitors = {table}.visitors + excluded.visitors;"
    )


def _changed(cols: list[str]) -> str:
    return " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in cols)


def _sqlite(name: str, table: str, upsert, prefix: str, cols: list[str]) -> list[str]:
    def body(r, delta):
        return "\n".join(upsert("sqlite", r, s, c, cond.replace("TRUE", "1"), delta) for s, c, cond in _scopes(r, prefix))
    return [
        f"CREATE TRIGGER {name}_ins AFTER INSERT ON {table} FOR EACH ROW BEGIN\n{body('NEW', 1)}\nEND;",
        f"CREATE TRIGGER {name}_del AFTER DELETE ON {table} FOR EACH ROW BEGIN\n{body('OLD', -1)}\nEND;",
        f"CREATE TRIGGER {name}_upd AFTER UPDATE ON {table} FOR EACH ROW WHEN {_changed(cols)} BEGIN\n{body('OLD', -1)}\n{body('NEW', 1)}\nEND;",
    ]


def _postgres(name: str, table: str, upsert, prefix: str, cols: list[str], key_of) -> list[str]:
    steps = []
    for (so, co, cond_o), (sn, cn, cond_n) in zip(_scopes("OLD", prefix), _scopes("NEW", prefix)):
        old, new = upsert("postgresql", "OLD", so, co, cond_o, -1), upsert("postgresql", "NEW", sn, cn, cond_n, 1)
        steps.append(
            f"IF TG_OP = 'INSERT' THEN {new}\nELSIF TG_OP = 'DELETE' THEN {old}\n"
            f"ELSIF {key_of('OLD', so, co)} <= {key_of('NEW', sn, cn)} THEN {old} {new}\nELSE {new} {old}\nEND IF;"
        )
    body = "\n".join(steps)
    distinct = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in cols)
    return [
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n{body}\nRETURN NULL;\nEND $$;",
        f"CREATE TRIGGER {name}_ins AFTER INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION {name}();",
        f"CREATE TRIGGER {name}_del AFTER DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION {name}();",
        f"CREATE TRIGGER {name}_upd AFTER UPDATE ON {table} FOR EACH ROW WHEN ({distinct}) EXECUTE FUNCTION {name}();",
    ]


def _concern_key(r, scope, child):
    # The lock order: the row's full key (NULL scopes sort last and are skipped anyway).
    return (f"ROW(COALESCE({scope}, 0), COALESCE({child}, 0), {_month('postgresql', r + '.received_at')}, {r}.function, {r}.track, {r}.channel, "
            f"CASE WHEN {r}.outcome = '' THEN 'pending' WHEN {r}.outcome = 'resolved' THEN 'resolved' ELSE 'other' END, "
            f"CASE WHEN {r}.outcome = '' THEN {r}.due_date ELSE DATE '9999-12-31' END)")


def _visit_key(r, scope, child):
    return f"ROW(COALESCE({scope}, 0), COALESCE({child}, 0), {_month('postgresql', r + '.visited_at')})"


def install_sql(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return (_postgres("dashboard_tally_concern", "concerns_concern", _concern_upsert, "received_", COUNTED, _concern_key)
                + _postgres("dashboard_tally_visit", "concerns_visit", _visit_upsert, "", VISIT_COUNTED, _visit_key))
    return (_sqlite("dashboard_tally_concern", "concerns_concern", _concern_upsert, "received_", COUNTED)
            + _sqlite("dashboard_tally_visit", "concerns_visit", _visit_upsert, "", VISIT_COUNTED))


def drop_sql(vendor: str) -> list[str]:
    out = []
    for name, table in (("dashboard_tally_concern", "concerns_concern"), ("dashboard_tally_visit", "concerns_visit")):
        for suffix in ("ins", "del", "upd"):
            out.append(f"DROP TRIGGER IF EXISTS {name}_{suffix}" + (f" ON {table};" if vendor == "postgresql" else ";"))
        if vendor == "postgresql":
            out.append(f"DROP FUNCTION IF EXISTS {name}();")
    return out


def rebuild_sql(vendor: str) -> list[str]:
    """Recount both tallies from the concerns and visits (one INSERT … SELECT per scope level)."""
    out = ["DELETE FROM dashboard_concerntally;", "DELETE FROM dashboard_visittally;"]
    for scope, child, cond in _scopes("c", "received_"):
        cond = cond.replace("TRUE", "1=1")
        cols = _concern_values(vendor, "c", scope, child, 1).rsplit(",", 1)[0]
        out.append(f"INSERT INTO dashboard_concerntally ({KEY}, n) SELECT {cols}, COUNT(*) FROM concerns_concern c WHERE {cond} GROUP BY {', '.join(str(i) for i in range(1, 9))};")
    for scope, child, cond in _scopes("v", ""):
        cond = cond.replace("TRUE", "1=1")
        out.append(
            f"INSERT INTO dashboard_visittally (scope_id, child_id, month, visits, visitors) SELECT {scope}, {child}, {_month(vendor, 'v.visited_at')}, "
            f"COUNT(*), SUM(v.visitor_count) FROM concerns_visit v WHERE {cond} GROUP BY 1, 2, 3;"
        )
    return out
