"""In-app notifications, each possibly sent by e-mail, and how each person wants their e-mails."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def for_inbox(self, user):
        """A person's notifications, newest first (one query, no joins needed)."""
        return self.filter(recipient=user).order_by("-created_at", "-pk")

    def waiting_for_digest(self):
        """Notifications not e-mailed yet, of people who chose the daily digest."""
        return self.filter(
            emailed_at__isnull=True,
            recipient__notification_preference__email_mode=Preference.EmailMode.DAILY,
        )


class Notification(models.Model):
    """Something a person should know or do, with a link to where they do it.

    `key` names the event (e.g. "proposal-12-approved"): a person is told once per event, even
    when the step that tells them runs twice.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    key = models.CharField(max_length=100)
    text = models.CharField(_("message"), max_length=300)
    url = models.CharField(_("lien"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    read_at = models.DateTimeField(_("lue le"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("envoyée par e-mail le"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="one_notification_per_event")
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["recipient", "-created_at"]),
            models.Index(fields=["emailed_at"]),
        ]

    def __str__(self):
        return self.text


class Preference(models.Model):
    """How a person wants their notifications e-mailed."""

    class EmailMode(models.TextChoices):
        IMMEDIATE = "immediate", _("Un e-mail à chaque fois")
        DAILY = "daily", _("Un récapitulatif par jour")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
        related_name="notification_preference",
    )  # fmt: skip
    email_mode = models.CharField(
        _("e-mails"), max_length=10, choices=EmailMode.choices, default=EmailMode.IMMEDIATE
    )

    class Meta:
        verbose_name = _("préférence de notification")
        verbose_name_plural = _("préférences de notification")

    def __str__(self):
        return self.get_email_mode_display()

    @classmethod
    def mode_of(cls, user):
        preference = cls.objects.filter(user=user).first()
        return preference.email_mode if preference else cls.EmailMode.IMMEDIATE
