"""The companies' mécénat declarations in the admin: read to help a referent, rarely edited."""

from django.contrib import admin

from .models import CompanyYear, VolunteerCost


@admin.register(VolunteerCost)
class VolunteerCostAdmin(admin.ModelAdmin):
    list_display = ["company", "volunteer", "year", "hourly_cost", "declared_by", "declared_at"]
    list_filter = ["year"]
    search_fields = ["company__name", "volunteer__last_name", "volunteer__email"]
    list_select_related = ["company", "volunteer", "declared_by"]
    raw_id_fields = ["company", "volunteer", "declared_by"]


@admin.register(CompanyYear)
class CompanyYearAdmin(admin.ModelAdmin):
    list_display = ["company", "year", "turnover", "other_gifts", "declared_by", "declared_at"]
    list_filter = ["year"]
    search_fields = ["company__name"]
    list_select_related = ["company", "declared_by"]
    raw_id_fields = ["company", "declared_by"]
