"""Project-wide views: the home page per role, the accessibility statement, the privacy notice,
the health endpoint, and the answers to a bad request or a server error under /api/ (JSON)."""

from datetime import date

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache

from accounts.models import Organisation

from .celery import app as celery_app


def home(request):
    """What each person can do next: one section per role they hold."""
    if not request.user.is_authenticated:
        return render(request, "home_anonymous.html")
    user = request.user
    context = {
        "memberships": user.active_memberships(),
        "pending_requests": user.memberships.pending().select_related("organisation"),
    }
    if user.roles.cress_staff:
        context["awaiting_verification"] = Organisation.objects.awaiting_verification().count()
    return render(request, "home.html", context)


def accessibility(request):
    """The accessibility statement the RGAA asks of a public body's online service."""
    return render(
        request, "accessibility.html", {"contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL}
    )


def privacy(request):
    """The privacy notice (GDPR art. 13): who holds what, why, for how long, and people's rights.

    Its text is templates/privacy.html: a change to it gets a new PRIVACY_NOTICE_VERSION, the
    version new accounts agree to.
    """
    version = settings.PRIVACY_NOTICE_VERSION
    try:
        # The date, before a suffix for a second version the same day (« 2026-11-28.2 »).
        dated = date.fromisoformat(version[:10])
    except ValueError:
        dated = None
    inactive_days = settings.ACCOUNT_RETENTION_INACTIVE_DAYS
    return render(
        request,
        "privacy.html",
        {
            "contact_email": settings.PRIVACY_CONTACT_EMAIL,
            "version": version,
            "dated": dated,
            "inactive_days": inactive_days,
            # Said in years when whole (3 ans, not 1095 jours).
            "inactive_years": inactive_days // 365 if inactive_days % 365 == 0 else None,
            "warning_days": settings.ACCOUNT_RETENTION_WARNING_DAYS,
            "unconfirmed_days": settings.UNCONFIRMED_ACCOUNT_DAYS,
            "session_days": settings.SESSION_COOKIE_AGE // (24 * 60 * 60),
            "csrf_days": settings.CSRF_COOKIE_AGE // (24 * 60 * 60),
            "hosting": settings.PRIVACY_HOSTING,
            "email_provider": settings.PRIVACY_EMAIL_PROVIDER,
            "cookies": {
                "session": settings.SESSION_COOKIE_NAME,
                "csrf": settings.CSRF_COOKIE_NAME,
                "language": settings.LANGUAGE_COOKIE_NAME,
            },
        },
    )


def _database_status():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception as error:  # noqa: BLE001 - any failure is reported, not raised
        return f"error: {error.__class__.__name__}"


# One try, one second: a probe (load balancer, `docker compose`) must get its answer within
# its own timeout, where the tasks' publishing may retry once with 2 s waits.
HEALTH_PING_SECONDS = 1
HEALTH_PING_OPTIONS = {
    "socket_timeout": HEALTH_PING_SECONDS,
    "socket_connect_timeout": HEALTH_PING_SECONDS,
    "max_retries": 0,
}


def _broker_status():
    """Ping the broker through the app's own connection settings, so every wait is bounded
    by the socket timeouts in settings (a plain kombu Connection would wait forever on a
    broker that accepts and never answers)."""
    if not settings.CELERY_BROKER_URL:
        return "not configured (tasks run in-process)"
    try:
        with celery_app.connection_for_write(
            connect_timeout=HEALTH_PING_SECONDS, transport_options=HEALTH_PING_OPTIONS
        ) as broker:
            broker.ensure_connection(max_retries=0, timeout=HEALTH_PING_SECONDS)
        return "ok"
    except Exception as error:  # noqa: BLE001
        return f"error: {error.__class__.__name__}"


@never_cache
def health(request):
    """Database and broker status for load balancers and `docker compose` health checks."""
    status = {"database": _database_status(), "broker": _broker_status()}
    healthy = status["database"] == "ok" and not status["broker"].startswith("error")
    return JsonResponse(status, status=200 if healthy else 503)


def _under_api(request):
    return request.path_info.startswith("/api/")


def bad_request(request, exception):
    """handler400: Django's page (templates/400.html), or JSON under /api/ (a body over
    DATA_UPLOAD_MAX_MEMORY_SIZE, a header Django refuses)."""
    if _under_api(request):
        detail = _("Demande incorrecte : Probono n'a pas pu la lire (corps trop grand ?).")
        return JsonResponse({"detail": detail}, status=400)
    return defaults.bad_request(request, exception)


def server_error(request):
    """handler500: templates/500.html (rendered without context), or JSON under /api/."""
    if _under_api(request):
        detail = _("Erreur interne du serveur : réessayez plus tard. L'équipe est prévenue.")
        return JsonResponse({"detail": detail}, status=500)
    return defaults.server_error(request)
