from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Comptes et structures")

    def ready(self):
        from . import personal_data, receivers  # noqa: F401 - receivers connect on import

        personal_data.register(
            "accounts",
            personal_data.export_account,
            personal_data.erase_account,
            personal_data.refuse_leaving_a_structure_without_administrator,
        )
