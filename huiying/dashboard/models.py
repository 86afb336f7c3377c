"""Pre-aggregated figures for the command view (指挥看板), kept exact by database triggers.

Why a tally: a province holds millions of concerns, and the county dashboard must answer in
well under 100 ms. Counting concerns directly grows with the history; the tally grows only
with units × months × the values of each dimension in use (children, functions, tracks,
channels) × outcome and response classes, and pending concerns' due dates from today on.

Why triggers (see `tally_sql.py`): every change of a concern — a workflow step, a reopening,
`QuerySet.update()`, an import, a bulk insert, an admin edit — moves its count in the same
transaction, without a hook in any core service. The tally can always be rebuilt from the
concerns (`huiying dashboard-rebuild`), and the tests compare the two after every kind of step.

A concern counts in each unit of its receiving unit's ancestor chain (the *scope*: county,
township, village, hamlet point), once per dimension: the child of that scope it came through
(the scope itself when received there), its function, its track, its channel. So a dashboard
reads only its own unit's rows, and the drill-down one level below is the `child` rows.
`RatingTally` counts the ratings the same way (by child), `VisitTally` the visits.
"""
import datetime as dt

from django.db import models

# Non-pending rows carry this instead of a due date, so "due before today" never counts them
# and all finished concerns of a combination share one row.
NO_DUE = dt.date(9999, 12, 31)
FOLDED = dt.date(1, 1, 1)  # see TallyHorizon


class OutcomeClass(models.TextChoices):
    RESOLVED = "resolved"
    PENDING = "pending"
    OTHER = "other"


class Resp(models.IntegerChoices):
    """A concern's class for the response rate (按时响应率, `huiying.supervision.rates`), fixed
    by its row alone so the tally can count it; with the row's due date it gives "decided" and
    "on time" on any day: decided = LATE, ON_TIME, WHILE_DUE, and PENDING rows due before
    today; on time = ON_TIME, and WHILE_DUE rows due today or later."""

    LATE = 0  # decided, not in time: flagged overdue (and ended or reopened), or finished after its due date
    ON_TIME = 1  # finished by its due date, never flagged overdue
    PENDING = 2  # pending, never reopened: decided once its due date passes, then late
    WHILE_DUE = 3  # reopened and pending, or ended without a finishing time, never flagged: on time while due


class Dim(models.TextChoices):
    CHILD = "child"
    FUNCTION = "function"
    TRACK = "track"
    CHANNEL = "channel"


class ConcernTally(models.Model):
    """How many concerns received in `month` at `scope`'s subtree have this `value` of one
    dimension (`dim`: the child they came through — a unit id as text —, their function, track
    or channel), with this outcome class, due date (pending only) and response class.

    Marginals, not the joint table: the dashboard shows each dimension apart, and a county's
    year is then a few thousand rows however many concerns it holds (the joint table grows
    with children × functions × tracks × channels, and was ten times as many rows at a
    million concerns). Each concern counts once per scope and dimension."""

    scope = models.ForeignKey("network.Unit", models.DO_NOTHING, db_constraint=False, related_name="+")
    month = models.DateField()  # the first day of the local month the concern was received in
    dim = models.CharField(max_length=8, choices=Dim.choices)
    value = models.CharField(max_length=16)
    cls = models.CharField(max_length=8, choices=OutcomeClass.choices)
    # The due date while pending (FOLDED once it is before the horizon); NO_DUE once finished.
    due = models.DateField()
    resp = models.SmallIntegerField(choices=Resp.choices, default=Resp.PENDING)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "month", "dim", "value", "cls", "due", "resp"], name="concern_tally_key")]
        indexes = [models.Index(fields=["due"], name="concern_tally_due")]  # the daily fold finds its rows


class TallyHorizon(models.Model):
    """One row: pending rows due before `day` carry FOLDED instead of their due date. Every
    reader's today is at or after it (a reader before it counts directly), so for them all
    those rows are "due before today" alike; `tally_fold` moves it to today, daily, with the
    deadline tick. Without the fold a pending concern's row per due date would pile up as
    concerns stay overdue. A missing row (a flushed table) reads as FOLDED: nothing folded,
    which is what the triggers write then; the next fold creates it."""

    day = models.DateField()

    @classmethod
    def current(cls) -> dt.date:
        return cls.objects.filter(id=1).values_list("day", flat=True).first() or FOLDED


class VisitTally(models.Model):
    """Visits (接待) and their visitors at `scope`'s subtree in `month`, by child."""

    scope = models.ForeignKey("network.Unit", models.DO_NOTHING, db_constraint=False, related_name="+")
    child = models.ForeignKey("network.Unit", models.DO_NOTHING, db_constraint=False, related_name="+")
    month = models.DateField()
    visits = models.IntegerField(default=0)
    visitors = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "child", "month"], name="visit_tally_key")]


class RatingTally(models.Model):
    """The ratings of the concerns received in `month` that came to `scope` through `child`:
    villagers' (`v_`) and supervisors' (`s_`) by verdict, every round, and `rated`, the
    concerns with at least one rating. Points and weights are settings applied when read."""

    scope = models.ForeignKey("network.Unit", models.DO_NOTHING, db_constraint=False, related_name="+")
    child = models.ForeignKey("network.Unit", models.DO_NOTHING, db_constraint=False, related_name="+")
    month = models.DateField()
    v_satisfied = models.IntegerField(default=0)
    v_basic = models.IntegerField(default=0)
    v_dissatisfied = models.IntegerField(default=0)
    s_satisfied = models.IntegerField(default=0)
    s_basic = models.IntegerField(default=0)
    s_dissatisfied = models.IntegerField(default=0)
    rated = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "child", "month"], name="rating_tally_key")]
