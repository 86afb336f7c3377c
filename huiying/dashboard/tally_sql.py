"""The triggers that keep `ConcernTally`, `VisitTally` and `RatingTally` exact, for SQLite
and PostgreSQL.

Each concern row counts once in each scope of its receiving unit's ancestor chain and each
dimension (child, function, track, channel). An insert adds 1 to its rows, a delete takes 1
away, an update of a counted column (function, track, channel, outcome, due date, reopenings,
overdue flag, finishing times, received time or unit) takes 1 from the old rows and adds 1 to
the new ones — all inside the writing transaction, so a rollback undoes both. Pending rows
due before the horizon (`models.TallyHorizon`) carry one folded due date; `fold_sql` moves
the horizon.

The local month is computed in the database: PostgreSQL by the zone's name, SQLite (which
has no zones) by the zone's fixed offset (China has had no daylight saving time since 1991;
`install` refuses a zone whose offset varies). Changing TIME_ZONE means re-installing the
triggers and rebuilding the tally (`huiying dashboard-rebuild`).

PostgreSQL: two transactions moving concerns in opposite directions (one resolved, one
reopened) would lock the same two rows in opposite orders and deadlock; so within each scope
the two rows are always updated in the order of their keys, scopes top-down and dimensions in
a fixed order.
"""
import datetime as dt
import zoneinfo

from django.conf import settings

KEY = "scope_id, month, dim, value, cls, due, resp"
DIMS = ("child", "function", "track", "channel")
FOLDED = dt.date(1, 1, 1)  # the due date of pending rows due before the horizon (models.FOLDED)
RECEIVED = ["received_at", "received_unit_id", "received_county_id", "received_township_id", "received_village_id", "received_point_id"]
COUNTED = ["function", "track", "channel", "outcome", "due_date", "reopen_count", "overdue_since", "resolved_at", "closed_at", *RECEIVED]
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


def _local_date(vendor: str, expr: str) -> str:
    if vendor == "postgresql":
        return f"({expr} AT TIME ZONE '{settings.TIME_ZONE}')::date"
    return f"date({expr}, '{_fixed_offset_minutes():+d} minutes')"


def _cls(r: str) -> str:
    return f"CASE WHEN {r}.outcome = '' THEN 'pending' WHEN {r}.outcome = 'resolved' THEN 'resolved' ELSE 'other' END"


def _due(vendor: str, r: str) -> str:
    # A pending concern keeps its due date (overdue = due before today); so does a finished
    # one without a finishing time, whose response is on time only while its due date lasts.
    no_due = "DATE '9999-12-31'" if vendor == "postgresql" else "'9999-12-31'"
    return f"CASE WHEN {r}.outcome = '' OR COALESCE({r}.resolved_at, {r}.closed_at) IS NULL THEN {r}.due_date ELSE {no_due} END"


def _resp(vendor: str, r: str) -> str:
    """The response class (`models.Resp`) of row `r`, by the definition of
    `huiying.supervision.rates`: late, on time, pending and never reopened (decided once its
    due date passes), or decided and on time while its due date has not passed."""
    finished = f"COALESCE({r}.resolved_at, {r}.closed_at)"
    return (f"CASE WHEN {r}.overdue_since IS NOT NULL AND ({r}.outcome <> '' OR {r}.reopen_count > 0) THEN 0 "
            f"WHEN {r}.outcome = '' AND {r}.reopen_count = 0 THEN 2 "
            f"WHEN {r}.outcome = '' OR {finished} IS NULL THEN 3 "
            f"WHEN {r}.due_date >= {_local_date(vendor, finished)} THEN 1 ELSE 0 END")


def _cells(r: str) -> list[tuple[str, str, str, str]]:
    """(scope, dimension, value, condition): row `r` counts once per scope and dimension."""
    out = []
    for scope, child, cond in _scopes(r, "received_"):
        for dim in DIMS:
            out.append((scope, dim, f"CAST({child} AS TEXT)" if dim == "child" else f"{r}.{dim}", cond))
    return out


def _visit_cells(r: str) -> list[tuple[str, str, str]]:
    return _scopes(r, "")


def _date(vendor: str, day: dt.date) -> str:
    return f"DATE '{day.isoformat()}'" if vendor == "postgresql" else f"'{day.isoformat()}'"


def _due_key(vendor: str, r: str) -> str:
    # Due dates before the horizon are all "before today" for every reader: folded into one.
    due = _due(vendor, r)
    return f"CASE WHEN {due} < (SELECT day FROM dashboard_tallyhorizon WHERE id = 1) THEN {_date(vendor, FOLDED)} ELSE {due} END"


def _concern_values(vendor: str, r: str, cell: tuple, delta: int) -> str:
    scope, dim, value, _cond = cell
    return f"{scope}, {_month(vendor, r + '.received_at')}, '{dim}', {value}, {_cls(r)}, {_due_key(vendor, r)}, {_resp(vendor, r)}, {delta}"


def _concern_upsert(vendor: str, r: str, cell: tuple, delta: int) -> str:
    table = "dashboard_concerntally"
    return (
        f"INSERT INTO {table} ({KEY}, n) SELECT {_concern_values(vendor, r, cell, delta)} WHERE {cell[-1]} "
        f"ON CONFLICT ({KEY}) DO UPDATE SET n = {table}.n + excluded.n;"
    )


def _visit_upsert(vendor: str, r: str, cell: tuple, delta: int) -> str:
    scope, child, cond = cell
    table = "dashboard_visittally"
    return (
        f"INSERT INTO {table} (scope_id, child_id, month, visits, visitors) "
        f"SELECT {scope}, {child}, {_month(vendor, r + '.visited_at')}, {delta}, {delta} * {r}.visitor_count WHERE {cond} "
        f"ON CONFLICT (scope_id, child_id, month) DO UPDATE SET visits = {table}.visits + excluded.visits, visitors = {table}.visitors + excluded.visitors;"
    )


def _changed(cols: list[str]) -> str:
    return " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in cols)


def _sqlite_cond(cell: tuple) -> tuple:
    return (*cell[:-1], cell[-1].replace("TRUE", "1"))


def _sqlite(name: str, table: str, upsert, cells, cols: list[str]) -> list[str]:
    def body(r, delta):
        return "\n".join(upsert("sqlite", r, _sqlite_cond(cell), delta) for cell in cells(r))
    return [
        f"CREATE TRIGGER {name}_ins AFTER INSERT ON {table} FOR EACH ROW BEGIN\n{body('NEW', 1)}\nEND;",
        f"CREATE TRIGGER {name}_del AFTER DELETE ON {table} FOR EACH ROW BEGIN\n{body('OLD', -1)}\nEND;",
        f"CREATE TRIGGER {name}_upd AFTER UPDATE ON {table} FOR EACH ROW WHEN {_changed(cols)} BEGIN\n{body('OLD', -1)}\n{body('NEW', 1)}\nEND;",
    ]


def _postgres(name: str, table: str, upsert, cells, cols: list[str], key_of) -> list[str]:
    steps = []
    for old_cell, new_cell in zip(cells("OLD"), cells("NEW")):
        old, new = upsert("postgresql", "OLD", old_cell, -1), upsert("postgresql", "NEW", new_cell, 1)
        steps.append(
            f"IF TG_OP = 'INSERT' THEN {new}\nELSIF TG_OP = 'DELETE' THEN {old}\n"
            f"ELSIF {key_of('OLD', old_cell)} <= {key_of('NEW', new_cell)} THEN {old} {new}\nELSE {new} {old}\nEND IF;"
        )
    body = "\n".join(steps)
    distinct = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in cols)
    return [
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n{body}\nRETURN NULL;\nEND $$;",
        f"CREATE TRIGGER {name}_ins AFTER INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION {name}();",
        f"CREATE TRIGGER {name}_del AFTER DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION {name}();",
        f"CREATE TRIGGER {name}_upd AFTER UPDATE ON {table} FOR EACH ROW WHEN ({distinct}) EXECUTE FUNCTION {name}();",
    ]


def _concern_key(r, cell):
    # The lock order: the row's full key (NULL scopes sort last and are skipped anyway).
    scope, dim, value, _cond = cell
    return (f"ROW(COALESCE({scope}, 0), {_month('postgresql', r + '.received_at')}, '{dim}'::text, COALESCE({value}, ''), "
            f"{_cls(r)}, {_due_key('postgresql', r)}, {_resp('postgresql', r)})")


def _visit_key(r, cell):
    scope, child, _cond = cell
    return f"ROW(COALESCE({scope}, 0), COALESCE({child}, 0), {_month('postgresql', r + '.visited_at')})"


# --- Ratings -----------------------------------------------------------------------------
#
# `RatingTally` counts each rating once in each scope of its concern's receiving chain, in the
# month the concern was received, and `rated` counts the concerns with at least one rating of
# either kind. Every change is written as the rows it moved — (concern, rating, ±1, source) —
# and summed per concern: `rated` moves by "has a rating now" minus "had one before", where
# before = now less the statement's own net change. On SQLite the triggers fire per row; on
# PostgreSQL per statement over its transition tables, because a row trigger there runs after
# the whole statement and would see a two-row insert's second row while counting the first.
# PostgreSQL also locks the concerns first (FOR NO KEY UPDATE, in id order): two transactions
# rating one concern at once then count one after the other, and only one counts it as rated.

RATING_TABLES = {"v": "concerns_concernrating", "s": "supervision_supervisorrating"}
VERDICTS = ("satisfied", "basic", "dissatisfied")
RATING_COLUMNS = [f"{src}_{v}" for src in RATING_TABLES for v in VERDICTS] + ["rated"]


def _ratings_now(concern_id: str) -> str:
    return " + ".join(f"(SELECT COUNT(*) FROM {t} WHERE concern_id = {concern_id})" for t in RATING_TABLES.values())


def _rating_upsert(select: str) -> str:
    cols = ", ".join(RATING_COLUMNS)
    sets = ", ".join(f"{c} = dashboard_ratingtally.{c} + excluded.{c}" for c in RATING_COLUMNS)
    return f"INSERT INTO dashboard_ratingtally (scope_id, child_id, month, {cols}) {select} ON CONFLICT (scope_id, child_id, month) DO UPDATE SET {sets};"


def _rating_moves(vendor: str, moved: str) -> list[str]:
    """One upsert per scope level for `moved`, rows (concern_id, rating, d, src)."""
    verdicts = ", ".join(f"SUM(CASE WHEN m.src = '{src}' AND m.rating = '{v}' THEN m.d ELSE 0 END) AS {src}_{v}"
                         for src in RATING_TABLES for v in VERDICTS)
    now = _ratings_now("m.concern_id")
    per_concern = (f"SELECT m.concern_id, {verdicts}, "
                   f"CASE WHEN {now} > 0 THEN 1 ELSE 0 END - CASE WHEN {now} - SUM(m.d) > 0 THEN 1 ELSE 0 END AS rated "
                   f"FROM ({moved}) m GROUP BY m.concern_id")
    sums = ", ".join(f"SUM(d.{c})" for c in RATING_COLUMNS)
    out = []
    for scope, child, cond in _scopes("c", "received_"):
        cond = cond.replace("TRUE", "1=1")
        out.append(_rating_upsert(
            f"SELECT {scope}, {child}, {_month(vendor, 'c.received_at')}, {sums} FROM ({per_concern}) d "
            f"JOIN concerns_concern c ON c.id = d.concern_id WHERE {cond} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"))
    return out


def _moved_rows(src: str, r: str, d: int, *, vendor: str) -> str:
    if vendor == "postgresql":  # r: a transition table
        return f"SELECT concern_id, rating, {d} AS d, '{src}' AS src FROM {r}"
    return f"SELECT {r}.concern_id AS concern_id, {r}.rating AS rating, {d} AS d, '{src}' AS src"


def _ratings_sqlite(src: str, table: str) -> list[str]:
    name = f"dashboard_tally_{src}rating"
    ins, dele = _moved_rows(src, "NEW", 1, vendor="sqlite"), _moved_rows(src, "OLD", -1, vendor="sqlite")
    return [
        f"CREATE TRIGGER {name}_ins AFTER INSERT ON {table} FOR EACH ROW BEGIN\n{' '.join(_rating_moves('sqlite', ins))}\nEND;",
        f"CREATE TRIGGER {name}_del AFTER DELETE ON {table} FOR EACH ROW BEGIN\n{' '.join(_rating_moves('sqlite', dele))}\nEND;",
        f"CREATE TRIGGER {name}_upd AFTER UPDATE ON {table} FOR EACH ROW WHEN OLD.rating IS NOT NEW.rating OR OLD.concern_id IS NOT NEW.concern_id "
        f"BEGIN\n{' '.join(_rating_moves('sqlite', dele + ' UNION ALL ' + ins))}\nEND;",
    ]


def _ratings_postgres(src: str, table: str) -> list[str]:
    out = []
    for op, refs, moved in (
        ("ins", "NEW TABLE AS new_rows", _moved_rows(src, "new_rows", 1, vendor="postgresql")),
        ("del", "OLD TABLE AS old_rows", _moved_rows(src, "old_rows", -1, vendor="postgresql")),
        ("upd", "OLD TABLE AS old_rows NEW TABLE AS new_rows",
         _moved_rows(src, "old_rows", -1, vendor="postgresql") + " UNION ALL " + _moved_rows(src, "new_rows", 1, vendor="postgresql")),
    ):
        name = f"dashboard_tally_{src}rating_{op}"
        lock = f"PERFORM 1 FROM concerns_concern WHERE id IN (SELECT concern_id FROM ({moved}) m) ORDER BY id FOR NO KEY UPDATE;"
        body = "\n".join([lock, *_rating_moves("postgresql", moved)])
        event = {"ins": "INSERT", "del": "DELETE", "upd": "UPDATE"}[op]
        out += [
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n{body}\nRETURN NULL;\nEND $$;",
            f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {refs} FOR EACH STATEMENT EXECUTE FUNCTION {name}();",
        ]
    return out


def _concern_ratings_moved(r: str, d: int) -> str:
    """Every rating of concern row `r`, as moved rows."""
    return " UNION ALL ".join(f"SELECT {r}.id AS concern_id, rating, {d} AS d, '{src}' AS src FROM {t} WHERE concern_id = {r}.id"
                              for src, t in RATING_TABLES.items())


def _rating_follow(vendor: str) -> list[str]:
    """A concern whose receiving unit or time changes takes its ratings' counts along: out of
    the old scopes and month, into the new ones. Named to fire before the concern tally's own
    trigger on PostgreSQL (triggers fire in name order), so a transaction touches the rating
    tally before the concern tally, as a villager's dissatisfied rating does."""
    cols = ", ".join(RATING_COLUMNS)
    out = []
    for r, d in (("OLD", -1), ("NEW", 1)):
        for scope, child, cond in _scopes(r, "received_"):
            cond = cond.replace("TRUE", "1=1")
            sums = ", ".join(f"{d} * SUM(CASE WHEN x.src = '{src}' AND x.rating = '{v}' THEN 1 ELSE 0 END)" for src in RATING_TABLES for v in VERDICTS)
            out.append(_rating_upsert(
                f"SELECT {scope}, {child}, {_month(vendor, r + '.received_at')}, {sums}, {d} FROM ({_concern_ratings_moved(r, d)}) x "
                f"WHERE {cond} HAVING COUNT(*) > 0"))
    name, table = "dashboard_rating_follow", "concerns_concern"
    if vendor == "postgresql":
        distinct = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in RECEIVED)
        body = "\n".join(out)
        return [
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n{body}\nRETURN NULL;\nEND $$;",
            f"CREATE TRIGGER {name}_upd AFTER UPDATE ON {table} FOR EACH ROW WHEN ({distinct}) EXECUTE FUNCTION {name}();",
        ]
    return [f"CREATE TRIGGER {name}_upd AFTER UPDATE ON {table} FOR EACH ROW WHEN {_changed(RECEIVED)} BEGIN\n{' '.join(out)}\nEND;"]


def install_sql(vendor: str) -> list[str]:
    if vendor == "postgresql":
        out = (_postgres("dashboard_tally_concern", "concerns_concern", _concern_upsert, _cells, COUNTED, _concern_key)
               + _postgres("dashboard_tally_visit", "concerns_visit", _visit_upsert, _visit_cells, VISIT_COUNTED, _visit_key))
        ratings = [sql for src, t in RATING_TABLES.items() for sql in _ratings_postgres(src, t)]
    else:
        out = (_sqlite("dashboard_tally_concern", "concerns_concern", _concern_upsert, _cells, COUNTED)
               + _sqlite("dashboard_tally_visit", "concerns_visit", _visit_upsert, _visit_cells, VISIT_COUNTED))
        ratings = [sql for src, t in RATING_TABLES.items() for sql in _ratings_sqlite(src, t)]
    return out + ratings + _rating_follow(vendor)


def drop_sql(vendor: str) -> list[str]:
    pg = vendor == "postgresql"
    triggers = [(f"{name}_{suffix}", table) for name, table in (("dashboard_tally_concern", "concerns_concern"), ("dashboard_tally_visit", "concerns_visit"))
                for suffix in ("ins", "del", "upd")]
    triggers += [(f"dashboard_tally_{src}rating_{op}", t) for src, t in RATING_TABLES.items() for op in ("ins", "del", "upd")]
    triggers.append(("dashboard_rating_follow_upd", "concerns_concern"))
    out = [f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table};" if pg else ";") for name, table in triggers]
    if pg:
        functions = ["dashboard_tally_concern", "dashboard_tally_visit", "dashboard_rating_follow"]
        functions += [f"dashboard_tally_{src}rating_{op}" for src in RATING_TABLES for op in ("ins", "del", "upd")]
        out += [f"DROP FUNCTION IF EXISTS {f}();" for f in functions]
    return out


def rebuild_sql(vendor: str) -> list[str]:
    """Recount the tallies from the concerns, visits and ratings (one INSERT … SELECT per scope level)."""
    out = ["DELETE FROM dashboard_concerntally;", "DELETE FROM dashboard_visittally;", "DELETE FROM dashboard_ratingtally;"]
    for cell in _cells("c"):
        cols = _concern_values(vendor, "c", cell, 1).rsplit(",", 1)[0]
        cond = cell[-1].replace("TRUE", "1=1")
        out.append(f"INSERT INTO dashboard_concerntally ({KEY}, n) SELECT {cols}, COUNT(*) FROM concerns_concern c WHERE {cond} GROUP BY {', '.join(str(i) for i in range(1, 8))};")
    for scope, child, cond in _scopes("v", ""):
        cond = cond.replace("TRUE", "1=1")
        out.append(
            f"INSERT INTO dashboard_visittally (scope_id, child_id, month, visits, visitors) SELECT {scope}, {child}, {_month(vendor, 'v.visited_at')}, "
            f"COUNT(*), SUM(v.visitor_count) FROM concerns_visit v WHERE {cond} GROUP BY 1, 2, 3;"
        )
    every = " UNION ALL ".join(f"SELECT concern_id, rating, 1 AS d, '{src}' AS src FROM {t}" for src, t in RATING_TABLES.items())
    verdicts = ", ".join(f"SUM(CASE WHEN m.src = '{src}' AND m.rating = '{v}' THEN 1 ELSE 0 END) AS {src}_{v}" for src in RATING_TABLES for v in VERDICTS)
    per_concern = f"SELECT m.concern_id, {verdicts}, 1 AS rated FROM ({every}) m GROUP BY m.concern_id"
    sums = ", ".join(f"SUM(d.{c})" for c in RATING_COLUMNS)
    for scope, child, cond in _scopes("c", "received_"):
        cond = cond.replace("TRUE", "1=1")
        out.append(f"INSERT INTO dashboard_ratingtally (scope_id, child_id, month, {', '.join(RATING_COLUMNS)}) "
                   f"SELECT {scope}, {child}, {_month(vendor, 'c.received_at')}, {sums} FROM ({per_concern}) d "
                   f"JOIN concerns_concern c ON c.id = d.concern_id WHERE {cond} GROUP BY 1, 2, 3;")
    return out


def fold_sql(vendor: str, today: dt.date) -> list[str]:
    """Fold the pending rows due before `today` into one due date (`FOLDED`), once the
    horizon has moved to `today` (`services.tally_fold`): the rows a reader needs stay few
    however long concerns stay overdue. The rows to fold are found by the index on `due`."""
    day, folded = _date(vendor, today), _date(vendor, FOLDED)
    return [
        f"INSERT INTO dashboard_concerntally ({KEY}, n) SELECT scope_id, month, dim, value, cls, {folded}, resp, SUM(n) FROM dashboard_concerntally "
        f"WHERE due < {day} AND due > {folded} GROUP BY scope_id, month, dim, value, cls, resp "
        f"ON CONFLICT ({KEY}) DO UPDATE SET n = dashboard_concerntally.n + excluded.n;",
        f"DELETE FROM dashboard_concerntally WHERE due < {day} AND due > {folded};",
    ]
