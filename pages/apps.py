from django.apps import AppConfig


class PagesConfig(AppConfig):
    """Public pages that explain pro bono, written and updated by CRESS staff."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "pages"
    verbose_name = "Pages d'information"
