from django.contrib import admin

from .models import DutyShift, Hamlet, Membership, Unit


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "code", "parent", "phone"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]
    inlines = [MembershipInline]

    def get_readonly_fields(self, request, obj=None):
        # The place in the tree decides the denormalised ancestors; moving a unit is an
        # import, not an edit, so it cannot leave concerns counted under the wrong parent.
        return ["level", "parent"] if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        from .services import unit_create

        created = unit_create(**{f: form.cleaned_data.get(f) or "" for f in ["level", "name", "code", "address", "opening_hours", "phone", "rules", "ref_prefix"]}, parent=form.cleaned_data.get("parent"))
        obj.pk = created.pk
        obj.refresh_from_db()


@admin.register(Hamlet)
class HamletAdmin(admin.ModelAdmin):
    list_display = ["name", "village", "point", "code"]
    search_fields = ["name", "code", "village__name"]
    autocomplete_fields = ["village", "point"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "role", "employment"]
    list_filter = ["role", "employment", "unit__level"]
    search_fields = ["user__username", "user__first_name", "unit__name"]
    autocomplete_fields = ["user", "unit"]


@admin.register(DutyShift)
class DutyShiftAdmin(admin.ModelAdmin):
    list_display = ["day", "unit", "user"]
    list_filter = ["day"]
    search_fields = ["unit__name", "user__first_name"]
    autocomplete_fields = ["unit", "user"]
    date_hierarchy = "day"
