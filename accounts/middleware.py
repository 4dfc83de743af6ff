"""Until its owner follows the link sent to the address, a new account cannot act."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

# What an unconfirmed account may still reach, by URL name: confirming (or giving up), its
# password, the pages anyone may read, and its own data (GDPR rights: download, delete).
ALLOWED_VIEWS = frozenset(
    {
        "email_confirmation_required",
        "email_confirmation_resend",
        "email_confirm",
        "login",
        "logout",
        "password_change",
        "password_change_done",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
        "home",
        "accessibility",
        "privacy",
        "pages_index",
        "page_detail",
        "faq",
        "public_needs",
        "public_need",
        "public_needs_sitemap",
        "pages_sitemap",
        "robots_txt",
        "set_language",
        "health",
        "personal_data",
        "account_delete",
        # An employer's invitation: an e-mail one proves the address; a link only attaches.
        "invitation_accept",
        "invitation_link_join",
    }
)
READ_METHODS = ("GET", "HEAD", "OPTIONS")
# The API's reads open to anonymous visitors: open to an unconfirmed account too (reads only).
PUBLIC_API_READS = frozenset(
    {
        "api_published_needs-list",
        "api_published_needs-detail",
        "api_skills-list",
        "api_skills-detail",
        "api_domains-list",
        "api_domains-detail",
        "api_schema",
        "api_docs",
    }
)


class EmailConfirmationMiddleware:
    """Sends a logged-in, unconfirmed account to « Confirmez votre adresse e-mail » (reads)
    and refuses its writes (403); under /api/, a 403 in JSON, but for the public reads anyone
    may make (PUBLIC_API_READS) and the token page (HTML, like the site's).

    In process_view, once the URL is resolved, so that the allowed pages are matched by name.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.email_confirmed_at is not None:
            return None
        view_name = request.resolver_match.view_name
        if view_name in ALLOWED_VIEWS:
            return None
        if view_name in PUBLIC_API_READS and request.method in READ_METHODS:
            return None
        if request.path_info.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return None
        # The token page is a page for people: like the site's, it leads to the confirmation.
        if request.path_info.startswith("/api/") and view_name != "api_token":
            return JsonResponse(
                {"detail": _("Confirmez d'abord votre adresse e-mail.")}, status=403
            )
        if request.method in READ_METHODS:
            return redirect("email_confirmation_required")
        return render(
            request,
            "accounts/email_confirmation_required.html",
            {"days": settings.EMAIL_CONFIRMATION_DAYS, "refused": True},
            status=403,
        )
