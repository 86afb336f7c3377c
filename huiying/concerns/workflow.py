"""The workflow (工作流向) as a table: states, transitions and who may take each.

Services enforce it (`huiying.concerns.services`), the web's buttons and the API's options
are drawn from `allowed_actions`, and the printed workflow chart is drawn from `TRANSITIONS`.
Nothing else decides whether a step is allowed.

Who may act: a member of the concern's *handling unit* whose role is in the transition's
`roles` and whose unit level is in its `levels`; or the county HQ's commander, who may take
any transition open to commanders on any concern of the county (指挥部 决策指挥).
"""
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from huiying.network.models import Level, Role

from .models import OPEN_STATES, Outcome, State, Track


class Step:
    """The seven steps (工作流向) that the states and transitions belong to."""

    RECEPTION = "reception"  # 热情接待
    REGISTRATION = "registration"  # 受理登记
    ANALYSIS = "analysis"  # 分析处置
    ON_SITE = "on_site"  # 现场办公
    SUPERVISION = "supervision"  # 接受监督
    POSTING = "posting"  # 结果公示
    FEEDBACK = "feedback"  # 反馈回应村民

    LABELS = {
        RECEPTION: _("Reception"),
        REGISTRATION: _("Registration"),
        ANALYSIS: _("Analysis and disposition"),
        ON_SITE: _("On-site work"),
        SUPERVISION: _("Supervision"),
        POSTING: _("Public posting"),
        FEEDBACK: _("Feedback to the villager"),
    }
    ORDER = [RECEPTION, REGISTRATION, ANALYSIS, ON_SITE, SUPERVISION, POSTING, FEEDBACK]


STATE_STEP = {
    State.REGISTERED: Step.REGISTRATION,
    State.ANALYSIS: Step.ANALYSIS,
    State.ESCALATED: Step.ANALYSIS,
    State.ON_SITE: Step.ON_SITE,
    State.SUPERVISION: Step.SUPERVISION,
    State.POSTED: Step.POSTING,
    State.CLOSED: Step.FEEDBACK,
}

HANDLERS = frozenset({Role.CLERK, Role.CENTER_STAFF, Role.COMMANDER, Role.LIAISON})
LOCAL = frozenset({Role.CLERK, Role.CENTER_STAFF, Role.COMMANDER})
ALL_LEVELS = frozenset(Level)
TIERS = frozenset({Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE, Level.HAMLET})
ABOVE_HAMLET = frozenset({Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE, Level.DEPARTMENT})
OPEN = frozenset(OPEN_STATES)
FINISHED = frozenset({State.SUPERVISION, State.POSTED, State.CLOSED})


@dataclass(frozen=True)
class Transition:
    action: str  # stable code, also the record book's action suffix: "concern.<action>"
    label: str
    step: str
    sources: frozenset
    # None: the state does not change (a record is added), or the service decides
    # between the listed `targets` (a dissatisfied rating reopens).
    target: State | None
    roles: frozenset
    levels: frozenset = ALL_LEVELS
    tracks: frozenset | None = None  # None: every track
    targets: tuple = field(default=())
    # Conditions on the concern itself beyond its state and track: (condition, the reason
    # shown when it fails), checked in order.
    guards: tuple[tuple[Callable, str], ...] = ()
    # The villager may take it themselves, through a public channel that has proved who they
    # are for this concern (the tracking page's reference + code, the board): no account.
    public: bool = False
    # Members of a unit *above* the handling unit (with a role in `roles` at a level in
    # `levels`) may take it too, besides the handling unit's own: a township reviewing its
    # villages' results (接受监督).
    from_above: bool = False

    def failed_guard(self, concern) -> str | None:
        """The reason of the first condition `concern` fails, or None if it meets them all."""
        for check, reason in self.guards:
            if not check(concern):
                return reason
        return None


def _not_confidential(concern) -> bool:
    return not concern.confidential


def _not_yet_rated(concern) -> bool:
    # One rating per result: a reopened concern's next result (a new round) is rated afresh.
    return not concern.ratings.filter(round=concern.reopen_count).exists()


def _resolved(concern) -> bool:
    return concern.outcome == Outcome.RESOLVED


def _under_transfer_cap(concern) -> bool:
    from django.conf import settings

    return concern.transfer_count < settings.HUIYING_MAX_TRANSFERS


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        Transition("assign", _("Assign handler"), Step.ANALYSIS, frozenset({State.REGISTERED, State.ANALYSIS}), State.ANALYSIS, HANDLERS),
        Transition("answer", _("Answer face to face"), Step.FEEDBACK, frozenset({State.REGISTERED, State.ANALYSIS}), State.CLOSED, HANDLERS, tracks=frozenset({Track.POLICY})),
        Transition("start_on_site", _("Start on-site work"), Step.ON_SITE, frozenset({State.ANALYSIS}), State.ON_SITE, HANDLERS),
        Transition("record_mediation", _("Record a mediation session"), Step.ON_SITE, frozenset({State.ON_SITE}), None, HANDLERS, tracks=frozenset({Track.DISPUTE})),
        Transition("record_authorization", _("Record the written authorization"), Step.ON_SITE, frozenset({State.ANALYSIS, State.ON_SITE}), None, HANDLERS, tracks=frozenset({Track.AGENCY})),
        Transition("take_document", _("Take in a document"), Step.ON_SITE, frozenset({State.ANALYSIS, State.ON_SITE}), None, HANDLERS, tracks=frozenset({Track.AGENCY})),
        Transition("return_document", _("Hand back a document"), Step.ON_SITE, frozenset({State.ANALYSIS, State.ON_SITE}), None, HANDLERS, tracks=frozenset({Track.AGENCY})),
        Transition("escalate", _("Escalate beyond authority"), Step.ANALYSIS, frozenset({State.REGISTERED, State.ANALYSIS, State.ON_SITE, State.ESCALATED}), State.ESCALATED, LOCAL, levels=TIERS),
        Transition("book_appointment", _("Book a higher-level visit"), Step.ANALYSIS, frozenset({State.ESCALATED}), State.ANALYSIS, HANDLERS, levels=ABOVE_HAMLET),
        Transition(
            "transfer", _("Transfer to another unit"), Step.ANALYSIS, frozenset({State.REGISTERED, State.ANALYSIS, State.ESCALATED}), State.REGISTERED, HANDLERS,
            guards=(
                (_under_transfer_cap, _("This concern has been transferred as often as allowed; escalate it or close it with a reason.")),
                (_not_confidential, _("A confidential concern is escalated to a named handler, not transferred.")),
            ),
        ),
        Transition("extend", _("Extend the due date"), Step.ANALYSIS, OPEN, None, HANDLERS),
        Transition("resolve", _("Record the result"), Step.ON_SITE, frozenset({State.ANALYSIS, State.ON_SITE}), State.SUPERVISION, HANDLERS),
        Transition(
            "post", _("Post on the public board"), Step.POSTING, frozenset({State.SUPERVISION}), State.POSTED, LOCAL,
            guards=((_not_confidential, _("Confidential concerns are never posted.")),),
        ),
        Transition("feedback", _("Give feedback to the villager"), Step.FEEDBACK, frozenset({State.SUPERVISION, State.POSTED}), State.CLOSED, HANDLERS),
        Transition("close_unresolved", _("Close without resolution"), Step.FEEDBACK, OPEN, State.CLOSED, HANDLERS),
        # Only a result is rated: a concern closed without resolution has none.
        Transition(
            "rate", _("Record the villager's rating"), Step.SUPERVISION, FINISHED, None, HANDLERS, targets=(State.ON_SITE,),
            guards=((_resolved, _("Only a resolved concern is rated.")), (_not_yet_rated, _("This result has already been rated."))),
            public=True,
        ),
        # A villager objects to a posted result within the board's objection window (the board
        # checks the window); staff of the handling unit record an objection made in person.
        Transition(
            "object", _("Record an objection to the posted result"), Step.POSTING, frozenset({State.POSTED}), State.ON_SITE, HANDLERS,
            guards=((_resolved, _("Only a resolved concern is objected to.")),), public=True,
        ),
        # The unit above sends a finished result back for rework (a supervisor's dissatisfied
        # rating goes to the township for review, PRODUCT §6).
        Transition(
            "reopen", _("Send the result back for rework"), Step.SUPERVISION, FINISHED, State.ON_SITE, frozenset({Role.CENTER_STAFF, Role.COMMANDER}),
            levels=frozenset({Level.TOWNSHIP, Level.COUNTY}),
            guards=((_resolved, _("Only a resolved concern is sent back.")),), from_above=True,
        ),
    ]
}


def transition(action: str) -> Transition:
    return TRANSITIONS[action]


def permits_state(t: Transition, concern) -> bool:
    """Does the concern's state, track and own condition allow `t` (whoever asks)?"""
    return (
        concern.state in t.sources
        and (t.tracks is None or concern.track in t.tracks)
        and t.failed_guard(concern) is None
    )


def permits_role(t: Transition, *, role: str, level: str) -> bool:
    return role in t.roles and level in t.levels
