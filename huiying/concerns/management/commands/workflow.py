from django.core.management.base import BaseCommand
from django.utils import translation

from huiying.concerns.models import State, Track
from huiying.concerns.workflow import ALL_LEVELS, STATE_STEP, TRANSITIONS, Step
from huiying.network.models import Level, Role


def _names(values, enum) -> str:
    return ", ".join(str(enum(v).label) for v in sorted(values, key=list(enum).index))


def workflow_markdown() -> str:
    """The transition table as Markdown, drawn from huiying.concerns.workflow."""
    lines = ["| step | action | code | from | to | roles | levels | tracks |", "|---|---|---|---|---|---|---|---|"]
    for t in TRANSITIONS.values():
        if t.target is not None:
            targets = str(State(t.target).label)
        else:
            targets = "=" + "".join(f" / {State(s).label}" for s in t.targets)
        tracks = _names(t.tracks, Track) if t.tracks else "*"
        levels = "*" if t.levels == ALL_LEVELS else _names(t.levels, Level)
        reasons = " ".join(str(reason) for _check, reason in t.guards if reason)
        who = _names(t.roles, Role)
        if t.from_above:
            who += " (of a unit above the handling unit)"
        if t.public:
            who += "; the villager (tracking page, board)"
        note = f" ({reasons})" if reasons else ""
        lines.append(
            f"| {Step.LABELS[t.step]} | {t.label}{note} | `{t.action}` | {_names(t.sources, State)} | {targets} | "
            f"{who} | {levels} | {tracks} |"
        )
    states = ["| state | code | step |", "|---|---|---|"]
    states += [f"| {s.label} | `{s.value}` | {Step.LABELS[STATE_STEP[s]]} |" for s in State]
    legend = "`=`: the state does not change; `*`: any level or track."
    return "\n".join(states + [""] + lines + ["", legend]) + "\n"


class Command(BaseCommand):
    help = "Print the workflow's states and transition table (Markdown), drawn from the code."

    def add_arguments(self, parser):
        parser.add_argument("--language", default="en", help="en or zh-hans")

    def handle(self, *args, language="en", **options):
        with translation.override(language):
            self.stdout.write(workflow_markdown(), ending="")
