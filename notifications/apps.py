from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from accounts.personal_data import register

        from . import personal_data

        register("notifications", personal_data.export, personal_data.erase)
