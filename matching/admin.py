from django.contrib import admin

from .models import (
    Need,
    NeedTemplate,
    NeedTemplateQuestion,
    Offer,
    OfferArea,
    OfferSkill,
    Skill,
    SkillDomain,
)


@admin.register(SkillDomain)
class SkillDomainAdmin(admin.ModelAdmin):
    list_display = ["name_fr", "name_en", "code", "position"]


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    """CRESS staff add skills here, or retire them (« proposée » unticked): never delete."""

    list_display = ["name_fr", "domain", "is_priority", "is_active", "position"]
    list_filter = ["domain", "is_priority", "is_active"]
    list_editable = ["is_active"]
    search_fields = ["name_fr", "name_en", "code"]
    prepopulated_fields = {"code": ["name_fr"]}

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "main_skill", "departement", "status", "published_at"]
    list_filter = ["status", "departement", "format", "main_skill__domain"]
    search_fields = ["title", "organisation__name"]
    raw_id_fields = ["organisation", "created_by"]


class OfferSkillInline(admin.TabularInline):
    model = OfferSkill
    extra = 0


class OfferAreaInline(admin.TabularInline):
    model = OfferArea
    extra = 0


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ["title", "volunteer", "organisation", "engagement", "is_active"]
    list_filter = ["engagement", "is_active", "remote_ok"]
    search_fields = ["title", "volunteer__email", "organisation__name"]
    raw_id_fields = ["volunteer", "organisation"]
    inlines = [OfferSkillInline, OfferAreaInline]


class NeedTemplateQuestionInline(admin.StackedInline):
    model = NeedTemplateQuestion
    extra = 0


@admin.register(NeedTemplate)
class NeedTemplateAdmin(admin.ModelAdmin):
    """Staff edit templates on their own pages (need_template_list); here as a fallback.
    Never deleted: load_need_templates would bring a shipped one back; untick it instead."""

    list_display = ["title_fr", "code", "main_skill", "format", "is_active", "position"]
    list_filter = ["is_active", "format", "main_skill__domain"]
    search_fields = ["title_fr", "title_en", "code"]
    inlines = [NeedTemplateQuestionInline]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj else []  # the loader finds shipped templates by their code

    def has_delete_permission(self, request, obj=None):
        return False
