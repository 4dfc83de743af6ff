from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("Mise en relation")

    def ready(self):
        from accounts.personal_data import register

        from . import personal_data

        register(
            "matching", personal_data.export, personal_data.erase, refusals=personal_data.refusals
        )
