"""Villagers, visits and concerns, and the records each track keeps.

State changes happen only in `huiying.concerns.services`; the allowed ones are listed in
`huiying.concerns.workflow`. Nothing here (no `save()`, no signal) holds a business rule.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Function(models.TextChoices):
    """What a concern is about: the four response functions (四大回应功能)."""

    AGENCY_SERVICE = "agency_service", _("Agency services")  # 代办代理服务
    DISPUTE = "dispute", _("Resolving disputes")  # 化解矛盾纠纷
    SENTIMENT = "sentiment", _("Easing public sentiment")  # 疏导公众情绪
    SUGGESTION = "suggestion", _("Opinions and suggestions")  # 倾听意见建议


class Channel(models.TextChoices):
    VISIT = "visit", _("Visit")  # 来访
    PHONE = "phone", _("Phone")  # 来电
    ONLINE = "online", _("Online")  # 网上
    SUGGESTION_BOX = "box", _("Suggestion box")  # 意见箱
    HAMLET_POINT = "point", _("Hamlet point")  # 屯级回应点报送


class Track(models.TextChoices):
    """The six disposition tracks (分类处置)."""

    POLICY = "policy", _("Policy consultation")  # 政策咨询当面答复
    DISPUTE = "dispute", _("Dispute mediation")  # 矛盾纠纷现场调解
    TIME_LIMITED = "time_limited", _("Time-limited resolution")  # 限时解决集中公示
    AGENCY = "agency", _("Agency")  # 代办事项全程代理
    BEYOND_AUTHORITY = "beyond_authority", _("Beyond authority")  # 超出权限预约下访
    CONFIDENTIAL = "confidential", _("Confidential / private")  # 涉密涉私问题专项反馈


class State(models.TextChoices):
    """One state per visible stage of the workflow (工作流向). Reception (热情接待) is the
    Visit that precedes a concern; the other six steps are these states."""

    REGISTERED = "registered", _("Registered")  # 受理登记
    ANALYSIS = "analysis", _("Analysis and disposition")  # 分析处置
    ESCALATED = "escalated", _("Escalated, awaiting the higher level")  # 超出权限，已上报
    ON_SITE = "on_site", _("On-site work")  # 现场办公
    SUPERVISION = "supervision", _("Under supervision")  # 接受监督
    POSTED = "posted", _("Publicly posted")  # 结果公示
    CLOSED = "closed", _("Answered and closed")  # 反馈回应村民


OPEN_STATES = {State.REGISTERED, State.ANALYSIS, State.ESCALATED, State.ON_SITE}


class Outcome(models.TextChoices):
    """Every concern ends in exactly one outcome; until then it is pending."""

    RESOLVED = "resolved", _("Resolved")  # 已解决
    WITHDRAWN = "withdrawn", _("Withdrawn")  # 撤回
    MERGED = "merged", _("Merged into another concern")  # 合并
    TRANSFERRED_OUT = "transferred_out", _("Transferred out of the network")  # 转出
    CANNOT_RESOLVE = "cannot_resolve", _("Cannot be resolved")  # 无法解决


OTHER_OUTCOMES = {Outcome.WITHDRAWN, Outcome.MERGED, Outcome.TRANSFERRED_OUT, Outcome.CANNOT_RESOLVE}


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")  # 满意
    BASIC = "basic", _("Basically satisfied")  # 基本满意
    DISSATISFIED = "dissatisfied", _("Dissatisfied")  # 不满意


class FeedbackMethod(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    SMS = "sms", _("Text message")
    LETTER = "letter", _("Letter")


class Villager(models.Model):
    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    id_number = models.CharField(_("ID card number"), max_length=18, blank=True)
    hamlet = models.ForeignKey("network.Hamlet", models.PROTECT, related_name="villagers", verbose_name=_("hamlet"))
    # Pinyin initials (张小明 → zxm) so a clerk finds a villager with three keystrokes.
    initials = models.CharField(_("pinyin initials"), max_length=50, blank=True, db_index=True)
    created_at = models.DateTimeField(_("registered at"))

    class Meta:
        verbose_name = _("villager")
        verbose_name_plural = _("villagers")
        constraints = [models.UniqueConstraint(fields=["id_number"], condition=~models.Q(id_number=""), name="villager_id_number_unique")]
        indexes = [models.Index(fields=["phone"]), models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name


class Visit(models.Model):
    """A reception (热情接待) at a unit: people came in. It may bring zero or more concerns."""

    unit = models.ForeignKey("network.Unit", models.PROTECT, related_name="visits", verbose_name=_("unit"))
    visited_at = models.DateTimeField(_("time"))
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="visits_received", verbose_name=_("staff on duty"))
    visitor_count = models.PositiveIntegerField(_("number of visitors"))
    villagers = models.ManyToManyField(Villager, blank=True, related_name="visits", verbose_name=_("villagers met"))
    note = models.TextField(_("note"), blank=True)
    # Ancestors of `unit`, for subtree statistics in one indexed equality.
    county = models.ForeignKey("network.Unit", models.PROTECT, related_name="+", editable=False)
    township = models.ForeignKey("network.Unit", models.PROTECT, related_name="+", null=True, editable=False)
    village = models.ForeignKey("network.Unit", models.PROTECT, related_name="+", null=True, editable=False)
    point = models.ForeignKey("network.Unit", models.PROTECT, related_name="+", null=True, editable=False)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_at"]
        constraints = [models.CheckConstraint(condition=models.Q(visitor_count__gte=1), name="visit_has_visitors")]
        indexes = [models.Index(fields=["county", "visited_at"]), models.Index(fields=["township", "visited_at"]), models.Index(fields=["village", "visited_at"])]

    def __str__(self) -> str:
        return f"{self.unit} {self.visited_at:%Y-%m-%d %H:%M}"


class ReferenceCounter(models.Model):
    """Next reference number per county and year (NM-2026-000123)."""

    county = models.ForeignKey("network.Unit", models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["county", "year"], name="reference_counter_unique")]


class Concern(models.Model):
    """A concern (关切) a villager raised: one matter, one track, one outcome."""

    reference = models.CharField(_("reference number"), max_length=24, unique=True)
    function = models.CharField(_("function"), max_length=16, choices=Function.choices)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    summary = models.CharField(_("summary"), max_length=200)
    details = models.TextField(_("details"), blank=True)
    villagers = models.ManyToManyField(Villager, blank=True, related_name="concerns", verbose_name=_("villagers"))
    hamlet = models.ForeignKey("network.Hamlet", models.PROTECT, null=True, blank=True, related_name="concerns", verbose_name=_("hamlet"))
    visit = models.ForeignKey(Visit, models.PROTECT, null=True, blank=True, related_name="concerns", verbose_name=_("visit"))
    confidential = models.BooleanField(_("confidential"), default=False)
    risk_level = models.CharField(_("risk level"), max_length=8, choices=RiskLevel.choices, default=RiskLevel.LOW)
    track = models.CharField(_("track"), max_length=16, choices=Track.choices)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.REGISTERED)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField(_("outcome reason"), blank=True)
    result = models.TextField(_("result"), blank=True)
    merged_into = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="merged", verbose_name=_("merged into"))

    received_unit = models.ForeignKey("network.Unit", models.PROTECT, related_name="concerns_received", verbose_name=_("receiving unit"))
    received_at = models.DateTimeField(_("received at"))
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("registered by"))
    handling_unit = models.ForeignKey("network.Unit", models.PROTECT, related_name="concerns_handling", verbose_name=_("handling unit"))
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="concerns_handling", verbose_name=_("handler"))
    # Everyone who has been this concern's handler or registered it: for a confidential
    # concern, these (and the county HQ) are the only people who may see it.
    handlers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("handlers"))

    due_date = models.DateField(_("due date"))
    overdue = models.BooleanField(_("overdue"), default=False)
    overdue_since = models.DateField(_("overdue since"), null=True, blank=True)
    # The unit alerted about the overdue concern: the handling unit's parent.
    alert_unit = models.ForeignKey("network.Unit", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("alerted unit"))
    extension_count = models.PositiveSmallIntegerField(_("extensions"), default=0)
    transfer_count = models.PositiveSmallIntegerField(_("transfers"), default=0)
    reopen_count = models.PositiveSmallIntegerField(_("reopened"), default=0)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    # Ancestors of the receiving unit (see Unit): subtree statistics are one equality.
    received_county = models.ForeignKey("network.Unit", models.PROTECT, related_name="+", editable=False)
    received_township = models.ForeignKey("network.Unit", models.PROTECT, related_name="+", null=True, editable=False)
    received_village = models.ForeignKey("network.Unit", models.PROTECT, related_name="+", null=True, editable=False)
    received_point = models.ForeignKey("network.Unit", models.PROTECT, related_name="+", null=True, editable=False)

    class Meta:
        verbose_name = _("concern")
        verbose_name_plural = _("concerns")
        ordering = ["-received_at"]
        constraints = [
            # pending ⇔ no outcome; an outcome other than resolved needs its reason.
            models.CheckConstraint(
                condition=models.Q(outcome="") | models.Q(outcome="resolved") | ~models.Q(outcome_reason=""),
                name="concern_other_outcome_has_reason",
            ),
            models.CheckConstraint(condition=~models.Q(state="closed") | ~models.Q(outcome=""), name="concern_closed_has_outcome"),
        ]
        indexes = [
            models.Index(fields=["received_county", "received_at"]),
            models.Index(fields=["received_township", "received_at"]),
            models.Index(fields=["received_village", "received_at"]),
            models.Index(fields=["handling_unit", "state"]),
            models.Index(fields=["state", "due_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.summary}"


class MediationSession(models.Model):
    """An on-site mediation session (矛盾纠纷现场调解)."""

    concern = models.ForeignKey(Concern, models.PROTECT, related_name="mediation_sessions")
    held_at = models.DateTimeField(_("held at"))
    place = models.CharField(_("place"), max_length=200)
    parties = models.JSONField(_("parties"), default=list)
    mediators = models.JSONField(_("mediators"), default=list)
    summary = models.TextField(_("summary"))
    agreement = models.TextField(_("agreement"), blank=True)
    agreement_reached = models.BooleanField(_("agreement reached"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("mediation session")
        verbose_name_plural = _("mediation sessions")
        ordering = ["held_at"]


class AgencyAuthorization(models.Model):
    """The villager's written authorization (委托书) for proxy handling (代办)."""

    concern = models.OneToOneField(Concern, models.PROTECT, related_name="authorization")
    villager = models.ForeignKey(Villager, models.PROTECT, related_name="+")
    signed_on = models.DateField(_("signed on"))
    scope = models.TextField(_("scope"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")


class AgencyDocument(models.Model):
    """A document taken in from the villager, tracked until it is handed back."""

    concern = models.ForeignKey(Concern, models.PROTECT, related_name="documents")
    name = models.CharField(_("document"), max_length=100)
    taken_in_at = models.DateTimeField(_("taken in at"))
    returned_at = models.DateTimeField(_("handed back at"), null=True, blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["taken_in_at"]


class Handover(models.Model):
    """A concern moved from one unit to another, with who moved it and why."""

    concern = models.ForeignKey(Concern, models.PROTECT, related_name="%(class)ss")
    from_unit = models.ForeignKey("network.Unit", models.PROTECT, related_name="+")
    to_unit = models.ForeignKey("network.Unit", models.PROTECT, related_name="%(class)ss_in")
    at = models.DateTimeField()
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    class Meta:
        abstract = True
        ordering = ["at"]


class Escalation(Handover):
    """A concern sent up: to the parent unit or a county department (超出权限)."""


class Transfer(Handover):
    """A concern handed to another unit of the network because it is not this unit's."""


class Appointment(models.Model):
    """A booked visit of a higher-level cadre down to the villager (预约下访)."""

    concern = models.ForeignKey(Concern, models.PROTECT, related_name="appointments")
    unit = models.ForeignKey("network.Unit", models.PROTECT, related_name="+", verbose_name=_("from unit"))
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    cadre = models.CharField(_("cadre"), max_length=100)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    booked_at = models.DateTimeField()

    class Meta:
        ordering = ["date"]


class Extension(models.Model):
    concern = models.ForeignKey(Concern, models.PROTECT, related_name="extensions")
    old_due = models.DateField()
    new_due = models.DateField()
    reason = models.TextField(_("reason"))
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")


class ConcernRating(models.Model):
    """A villager's verdict on the result (满意度), recorded by staff or the villager."""

    concern = models.ForeignKey(Concern, models.PROTECT, related_name="ratings")
    rating = models.CharField(_("rating"), max_length=12, choices=Rating.choices)
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    round = models.PositiveSmallIntegerField(default=0, help_text="the concern's reopen_count when rated")

    class Meta:
        ordering = ["at"]


class AttachmentKind(models.TextChoices):
    AGREEMENT_PHOTO = "agreement_photo", _("Photo of the signed agreement")
    DOCUMENT_SCAN = "document_scan", _("Document scan")
    OTHER = "other", _("Other")


def attachment_path(instance: "Attachment", filename: str) -> str:
    """attachments/<concern id>/<year>/<random>.<ext>: never the uploader's file name, which
    may name a villager and is not ours to trust; the extension follows the sniffed type."""
    import uuid

    ext = settings.HUIYING_ATTACHMENT_TYPES.get(instance.content_type, "")
    return f"attachments/{instance.concern_id}/{instance.uploaded_at:%Y}/{uuid.uuid4().hex}{ext}"


class Attachment(models.Model):
    """A file kept with a concern (a photo of a signed agreement, a scanned document).
    Stored under MEDIA_ROOT, which is never served directly: the download view checks that
    the person may see the concern."""

    concern = models.ForeignKey(Concern, models.PROTECT, related_name="attachments")
    # The mediation session whose agreement the file shows, if any.
    session = models.ForeignKey(MediationSession, models.PROTECT, null=True, blank=True, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size"))
    kind = models.CharField(_("kind"), max_length=16, choices=AttachmentKind.choices, default=AttachmentKind.OTHER)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name or self.file.name
