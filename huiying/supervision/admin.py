"""Admin views of supervision. Ratings and reviews are read-only here: they are written by
the services, with their record-book entries; a supervisor's kind may be corrected."""
from django.contrib import admin

from . import models as m


@admin.register(m.Supervisor)
class SupervisorAdmin(admin.ModelAdmin):
    list_display = ["membership", "kind", "registered_at"]
    list_filter = ["kind"]
    search_fields = ["membership__user__username", "membership__user__first_name", "membership__unit__name"]
    readonly_fields = ["membership", "registered_at", "registered_by"]

    def has_add_permission(self, request):
        return False  # registering goes through supervisor_register (the staff page)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(m.SupervisorRating)
class SupervisorRatingAdmin(ReadOnlyAdmin):
    list_display = ["concern", "rater", "unit", "rating", "round", "at"]
    list_filter = ["rating"]


@admin.register(m.Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["concern", "unit", "round", "opened_at", "closed_at", "decision"]
    list_filter = ["decision"]
