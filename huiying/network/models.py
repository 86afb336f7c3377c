"""The four-level network (四级回应网络): units, hamlets, staff and duty rosters."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    COUNTY = "county", _("County HQ")  # 县 村民关切回应指挥部
    TOWNSHIP = "township", _("Township center")  # 乡镇 回应中心
    VILLAGE = "village", _("Village station")  # 村级 回应站
    HAMLET = "hamlet", _("Hamlet point")  # 屯级 回应点
    DEPARTMENT = "department", _("County department")  # 县直部门: a dispatch target, not a tier


# The tiers in order, top first. Departments hang off the county HQ beside the tiers.
TIERS = [Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE, Level.HAMLET]
PARENT_LEVEL = {
    Level.TOWNSHIP: Level.COUNTY,
    Level.VILLAGE: Level.TOWNSHIP,
    Level.HAMLET: Level.VILLAGE,
    Level.DEPARTMENT: Level.COUNTY,
}
# Which ancestor column of a row holds the unit of each level (the row itself included).
ANCESTOR_FIELD = {
    Level.COUNTY: "county",
    Level.TOWNSHIP: "township",
    Level.VILLAGE: "village",
    Level.HAMLET: "point",
    Level.DEPARTMENT: "department",
}


class Unit(models.Model):
    """A node of the network: the county HQ, a township center, a village station, a
    hamlet point, or a county department.

    `county`, `township`, `village` and `point` denormalise the unit's ancestors, the unit
    itself included, so that "this unit's subtree" is a single indexed equality
    (`township=U`) on units and on concerns alike, at any depth and on any database.
    """

    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent unit"))
    code = models.CharField(_("division code"), max_length=12, blank=True, help_text=_("12-digit statistical division code (统计用区划代码), where known."))
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("office address"), max_length=200, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    rules = models.TextField(_("operating rules"), blank=True)
    # Only on the county HQ: the prefix of its concerns' reference numbers (NM-2026-000123).
    ref_prefix = models.CharField(_("reference prefix"), max_length=6, blank=True)

    county = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="+", editable=False)
    township = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="+", editable=False)
    village = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="+", editable=False)
    point = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="+", editable=False)
    department = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="+", editable=False)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=~models.Q(code=""), name="unit_code_unique"),
            models.CheckConstraint(
                condition=models.Q(level="county", parent__isnull=True) | (~models.Q(level="county") & models.Q(parent__isnull=False)),
                name="unit_parent_iff_not_county",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list["Unit"]:
        """From the county down to this unit's parent."""
        chain, unit = [], self.parent
        while unit is not None:
            chain.append(unit)
            unit = unit.parent
        return chain[::-1]

    def is_in_subtree_of(self, other: "Unit") -> bool:
        return getattr(self, ANCESTOR_FIELD[other.level] + "_id") == other.id


class Hamlet(models.Model):
    """A hamlet (屯 / 自然村): a place villagers live in. 127 of Ningming's 1,086 have a
    response point (`point`); the others are served by their village station."""

    village = models.ForeignKey(Unit, models.PROTECT, related_name="hamlets", limit_choices_to={"level": Level.VILLAGE}, verbose_name=_("village station"))
    point = models.OneToOneField(Unit, models.PROTECT, null=True, blank=True, related_name="hamlet", limit_choices_to={"level": Level.HAMLET}, verbose_name=_("hamlet point"))
    code = models.CharField(_("division code"), max_length=12, blank=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("hamlet")
        verbose_name_plural = _("hamlets")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["village", "name"], name="hamlet_name_unique_in_village")]

    def __str__(self) -> str:
        return f"{self.village.name} {self.name}"

    @property
    def receiving_unit(self) -> Unit:
        """Where a concern from this hamlet is received: its point, else its village station."""
        return self.point or self.village


class Role(models.TextChoices):
    CLERK = "clerk", _("On-duty clerk")  # 值班员
    CENTER_STAFF = "center_staff", _("Center staff")  # 回应中心工作人员
    COMMANDER = "commander", _("Commander")  # 指挥长
    LIAISON = "liaison", _("Department liaison")  # 部门联络员
    SUPERVISOR = "supervisor", _("Supervisor")  # 监督员
    ADMIN = "admin", _("Administrator")  # 管理员


# Where each role may hold a membership.
ROLE_LEVELS = {
    Role.CLERK: {Level.HAMLET, Level.VILLAGE},
    Role.CENTER_STAFF: {Level.TOWNSHIP},
    Role.COMMANDER: {Level.COUNTY},
    Role.LIAISON: {Level.DEPARTMENT},
    Role.SUPERVISOR: {Level.HAMLET, Level.VILLAGE, Level.TOWNSHIP, Level.COUNTY},
    Role.ADMIN: {Level.COUNTY},
}
# Roles that count as staff of the network (supervisors are villagers' representatives).
STAFF_ROLES = {Role.CLERK, Role.CENTER_STAFF, Role.COMMANDER, Role.LIAISON}


class Employment(models.TextChoices):
    FULL_TIME = "full", _("Full-time")  # 专职
    PART_TIME = "part", _("Part-time")  # 兼职


class Membership(models.Model):
    """A person's place in the network: a user, a unit, a role."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="memberships", verbose_name=_("user"))
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="memberships", verbose_name=_("unit"))
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    employment = models.CharField(_("employment"), max_length=4, choices=Employment.choices, default=Employment.PART_TIME)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique")]
        indexes = [models.Index(fields=["unit", "role"])]

    def __str__(self) -> str:
        return f"{self.user} @ {self.unit} ({self.get_role_display()})"


class DutyShift(models.Model):
    """One line of a unit's duty roster (轮值表): who is on duty on which day."""

    unit = models.ForeignKey(Unit, models.CASCADE, related_name="duty_shifts", verbose_name=_("unit"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="duty_shifts", verbose_name=_("staff member"))
    day = models.DateField(_("day"))

    class Meta:
        verbose_name = _("duty shift")
        verbose_name_plural = _("duty roster")
        ordering = ["day", "unit"]
        constraints = [models.UniqueConstraint(fields=["unit", "user", "day"], name="duty_shift_unique")]
        indexes = [models.Index(fields=["unit", "day"])]

    def __str__(self) -> str:
        return f"{self.day} {self.unit}: {self.user}"
