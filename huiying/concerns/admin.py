"""Admin views of concerns. Workflow fields are read-only here: state changes go through
the services (and so into the record book), never through a form that edits a column."""
from django.contrib import admin

from . import models as m

WORKFLOW_FIELDS = [
    "reference", "state", "outcome", "outcome_reason", "result", "track", "handling_unit", "handler", "due_date", "overdue",
    "overdue_since", "alert_unit", "extension_count", "transfer_count", "reopen_count", "resolved_at", "closed_at", "version",
    "received_unit", "received_at", "registered_by", "merged_into", "visit", "confidential",
]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def _inline(model_):
    return type(f"{model_.__name__}Inline", (ReadOnlyInline,), {"model": model_})


@admin.register(m.Concern)
class ConcernAdmin(admin.ModelAdmin):
    list_display = ["reference", "summary", "track", "state", "outcome", "handling_unit", "due_date", "overdue"]
    list_filter = ["state", "track", "function", "channel", "outcome", "overdue", "confidential"]
    search_fields = ["reference", "summary"]
    date_hierarchy = "received_at"
    readonly_fields = WORKFLOW_FIELDS
    exclude = ["villagers", "handlers", "hamlet"]
    inlines = [_inline(x) for x in (m.MediationSession, m.AgencyDocument, m.Escalation, m.Appointment, m.Transfer, m.Extension, m.ConcernRating)]
    list_select_related = ["handling_unit"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(m.Villager)
class VillagerAdmin(admin.ModelAdmin):
    list_display = ["name", "phone", "hamlet"]
    search_fields = ["name", "phone", "initials"]
    autocomplete_fields = ["hamlet"]
    readonly_fields = ["initials", "created_at"]


@admin.register(m.Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ["visited_at", "unit", "staff", "visitor_count"]
    date_hierarchy = "visited_at"
    search_fields = ["unit__name"]
    readonly_fields = ["unit", "visited_at", "staff", "visitor_count", "villagers"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


for model in (m.MediationSession, m.AgencyAuthorization, m.AgencyDocument, m.Escalation, m.Appointment, m.Transfer, m.Extension, m.ConcernRating, m.ReferenceCounter):
    admin.site.register(model, type(f"{model.__name__}Admin", (admin.ModelAdmin,), {
        "has_add_permission": lambda self, request, obj=None: False,
        "has_change_permission": lambda self, request, obj=None: False,
        "has_delete_permission": lambda self, request, obj=None: False,
    }))
