from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObservatoryConfig(AppConfig):
    """The last stage of the journey: figures, the map, exports and the mécénat valuation."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "observatory"
    verbose_name = _("Observatoire")

    def ready(self):
        from accounts.personal_data import register

        from . import personal_data

        register("observatory", personal_data.export, personal_data.erase)
