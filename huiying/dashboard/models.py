"""Pre-aggregated figures for the command view (指挥看板), kept exact by database triggers.

Why a tally: a province holds millions of concerns, and the county dashboard must answer in
well under 100 ms. Counting concerns directly grows with the history; the tally grows only
with units × months × the few (function, track, channel, outcome) combinations in use.

Why triggers (see `tally_sql.py`): every change of a concern — a workflow step, a reopening,
`QuerySet.update()`, an import, a bulk insert, an admin edit — moves its count in the same
transaction, without a hook in any core service. The tally can always be rebuilt from the
concerns (`huiying dashboard-rebuild`), and the tests compare the two after every kind of step.

For every concern there is one row per unit of its receiving unit's ancestor chain (the
*scope*: county, township, village, hamlet point), naming the child of that scope the concern
came through (the scope itself when received there). So a dashboard reads only its own
unit's rows, and the drill-down one level below is a GROUP BY on `child`.
"""
import datetime as dt

from django.db import models

# Non-pending rows carry this instead of a due date, so "due before today" never counts them
# and all finished concerns of a combination share one row.
NO_DUE = dt.date(9999, 12, 31)


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


class ConcernTally(models.Model):
    """How many concerns received in `month` came to `scope` through `child`, with this
    function, track, channel, outcome class and (pending only) due date."""

    scope = models.ForeignKey("network.Unit", models.DO_NOTHING, db_constraint=False, related_name="+")
    child = models.ForeignKey("network.Unit", models.DO_NOTHING, db_constraint=False, related_name="+")
    month = models.DateField()  # the first day of the local month the concern was received in
    function = models.CharField(max_length=16)
    track = models.CharField(max_length=16)
    channel = models.CharField(max_length=8)
    cls = models.CharField(max_length=8, choices=OutcomeClass.choices)
    due = models.DateField()  # the due date while pending; NO_DUE once the concern has an outcome
    resp = models.SmallIntegerField(choices=Resp.choices, default=Resp.PENDING)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "child", "month", "function", "track", "channel", "cls", "due", "resp"], name="concern_tally_key"),
        ]
        indexes = [models.Index(fields=["scope", "month"], name="concern_tally_scope_month")]


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
