from django.contrib import admin

from .models import VisitDay, VisitRuleSetting, YearlyTarget


@admin.register(VisitRuleSetting)
class VisitRuleSettingAdmin(admin.ModelAdmin):
    list_display = ("county", "min_evenings_per_month", "visited_default", "collected_default", "solved_default")
    raw_id_fields = ("county",)


@admin.register(YearlyTarget)
class YearlyTargetAdmin(admin.ModelAdmin):
    list_display = ("county", "year", "visited", "collected", "solved")
    list_filter = ("year",)
    raw_id_fields = ("county",)


@admin.register(VisitDay)
class VisitDayAdmin(admin.ModelAdmin):
    list_display = ("node", "date", "created_by")
    date_hierarchy = "date"
    raw_id_fields = ("node", "created_by")
