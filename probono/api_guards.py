"""The API's guards against hostile requests, each answering in French JSON: JSON nested too
deep for Python's decoder, a `null` body, session writes without their CSRF token or from
another site. Set in REST_FRAMEWORK (probono.settings.base)."""

from django.middleware.csrf import REASON_BAD_ORIGIN
from django.utils.translation import gettext_lazy as _
from drf_spectacular.authentication import SessionScheme
from rest_framework import authentication, parsers
from rest_framework.exceptions import ParseError, PermissionDenied, ValidationError

from .api import BAD_JSON, french_errors

NO_DATA = _("Aucune donnée envoyée : le corps doit être un objet JSON.")
CSRF_TOKEN = _("Jeton CSRF absent ou incorrect : rechargez la page du site et réessayez.")
CSRF_FOREIGN = _("Requête refusée : elle ne vient pas de ce site (en-tête Origin ou Referer).")


class JSONParser(parsers.JSONParser):
    """DRF's, refusing JSON nested too deep for Python's decoder (a RecursionError, which DRF
    lets through as a 500) like any other JSON it cannot read."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(BAD_JSON) from None


class SessionAuthentication(authentication.SessionAuthentication):
    """DRF's, with its CSRF refusal in French (DRF says « CSRF Failed: » and Django's reason,
    in English): another site's request, or a missing or wrong token."""

    def enforce_csrf(self, request):
        try:
            super().enforce_csrf(request)
        except PermissionDenied as refusal:
            reason = str(refusal.detail)
            foreign = REASON_BAD_ORIGIN.split("%")[0] in reason or "Referer" in reason
            raise PermissionDenied(CSRF_FOREIGN if foreign else CSRF_TOKEN) from None


class FrenchSessionScheme(SessionScheme):
    """The schema describes it as DRF's session authentication (the cookie)."""

    target_class = "probono.api_guards.SessionAuthentication"


def errors_in_french(exc, context):
    """probono.api.french_errors, and DRF's refusal of a `null` body (« No data provided »)."""
    if isinstance(exc, ValidationError) and _is_no_data(exc.detail):
        exc = ValidationError({"non_field_errors": [NO_DATA]}, code="null")
    return french_errors(exc, context)


def _is_no_data(detail):
    """{"non_field_errors": ["No data provided"]} with the code `null`: DRF's, untranslated."""
    if not isinstance(detail, dict) or list(detail) != ["non_field_errors"]:
        return False
    errors = detail["non_field_errors"]
    return len(errors) == 1 and getattr(errors[0], "code", None) == "null"
