from django.contrib import admin

from .models import RecordEntry


@admin.register(RecordEntry)
class RecordEntryAdmin(admin.ModelAdmin):
    """Read-only: the record book has no edit or delete path, here or anywhere."""

    list_display = ["seq", "at", "action", "actor_name", "unit", "concern", "from_state", "to_state"]
    list_filter = ["action", "county"]
    search_fields = ["action", "actor_name", "concern__reference"]
    date_hierarchy = "at"
    list_select_related = ["unit", "concern"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
