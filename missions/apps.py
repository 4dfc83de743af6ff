from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MissionsConfig(AppConfig):
    name = "missions"
    verbose_name = _("Revue, consentement et missions")

    def ready(self):
        from accounts.personal_data import register

        from . import personal_data, receivers  # noqa: F401 - connects to matching's signals

        register("missions", personal_data.export, personal_data.erase)
