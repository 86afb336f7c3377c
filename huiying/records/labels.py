"""Readable labels for the record book's stable action codes: the one place that maps a
code ("concern.escalate") to words. The book stores codes only, so a label can be reworded
or translated without touching a hashed row.

Labels are past tense ("Escalated"): they describe what happened, where the workflow
table's labels ("Escalate beyond authority") name what a button will do.
"""
from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "villager.register": _("Villager registered"),
    "visit.log": _("Visit received"),
    "concern.register": _("Registered"),
    "concern.assign": _("Handler assigned"),
    "concern.answer": _("Answered face to face"),
    "concern.start_on_site": _("On-site work started"),
    "concern.record_mediation": _("Mediation session recorded"),
    "concern.record_authorization": _("Written authorization recorded"),
    "concern.take_document": _("Document taken in"),
    "concern.return_document": _("Document handed back"),
    "concern.escalate": _("Escalated to a higher level"),
    "concern.book_appointment": _("Higher-level visit booked"),
    "concern.transfer": _("Transferred"),
    "concern.extend": _("Due date extended"),
    "concern.resolve": _("Result recorded"),
    "concern.post": _("Posted on the public board"),
    "concern.feedback": _("Feedback given to the villager"),
    "concern.close_unresolved": _("Closed without resolution"),
    "concern.rate": _("Villager's rating recorded"),
    "concern.object": _("Objection to the posted result; sent back for rework"),
    "concern.reopen": _("Result sent back for rework by the unit above"),
    "concern.attach": _("File attached"),
    "concern.overdue": _("Flagged overdue"),
    "concern.join": _("Villagers joined the concern"),
    # huiying.board
    "board.batch_post": _("Batch of results posted on the public board"),
    "board.backfill": _("Earlier postings taken onto the public board"),
    # huiying.selfservice
    "selfservice.submit": _("Submitted by the villager online"),
    "suggestion.drop": _("Suggestion dropped in the box"),
    "suggestion.read": _("Suggestion read"),
    "suggestion.answer": _("Suggestion answered"),
    "suggestion.to_concern": _("Concern registered from a suggestion"),
    "supervision.register": _("Supervisor registered"),
    "supervision.rate": _("Supervisor's rating recorded"),
    "supervision.review_open": _("Sent to review after a supervisor's dissatisfied rating"),
    "supervision.review_close": _("Review closed"),
    "rota.generate": _("Duty roster generated"),
    "rota.swap": _("Duty day handed over"),
    "rota.rule": _("Roster rule set"),
    "rota.availability": _("Part-time weekdays set"),
    "cadres.visit_book": _("Cadre's visit booked"),
    "cadres.visit_cancel": _("Cadre's visit cancelled"),
    "cadres.visit_outcome": _("Outcome of a cadre's visit"),
    "training.create": _("Training task created"),
    "training.assign": _("Training assigned to a township"),
    "training.pass_down": _("Training passed down"),
    "training.attend": _("Training attendance recorded"),
    "training.complete": _("Training session marked done"),
    "export.create": _("Export created"),
    "register.import": _("Imported from a paper register"),
}

# Payload keys worth showing on a timeline, in the order shown. The rest (ids only a
# machine needs, the reference repeated on every row) stay in the book.
DETAIL_LABELS = {
    "track": _("Track"),
    "handler": _("Handler"),
    "from_unit": _("From"),
    "to_unit": _("To"),
    "to_handler": _("Handler at the higher level"),
    "due_date": _("Due date"),
    "old_due": _("Previous due date"),
    "new_due": _("New due date"),
    "date": _("Visit date"),
    "cadre": _("Cadre"),
    "held_at": _("Held at"),
    "villagers": _("Number of villagers"),
    "parties": _("Number of parties"),
    "agreement_reached": _("Agreement reached"),
    "name": _("Document"),
    "signed_on": _("Signed on"),
    "method": _("Feedback method"),
    "feedback_method": _("Feedback method"),
    "note": _("Note"),
    "outcome": _("Outcome"),
    "merged_into": _("Merged into"),
    "reason": _("Reason"),
    "rating": _("Rating"),
    "reopened": _("Reopened"),
    "by": _("Channel"),
    "kind": _("Kind"),
    "size": _("Size"),
    "sha256": _("SHA-256"),
    "items": _("Number of results"),
    "period_start": _("Posted from"),
    "period_end": _("Posted until"),
    "objection_until": _("Objections until"),
    "comment": _("Comment"),
    "review_unit": _("Reviewed by"),
    "upheld": _("Result upheld"),
    "source": _("Source file"),
    "row": _("Row"),
}


def action_label(code: str) -> str:
    """The label of `code`; an unknown code is shown as itself rather than hidden."""
    return ACTION_LABELS.get(code, code)
