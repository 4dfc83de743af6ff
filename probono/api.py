"""What every API endpoint shares: errors in French, and the errors written into the schema.

DRF answers errors itself (400 for bad input, 401 without valid credentials, 403 for a missing
role or CSRF token, 404 for another's row or a page past the end, 415 for a body that is not
JSON); drf-spectacular only documents successes. `add_error_responses` writes the errors each
operation can answer into the schema, so a client (and schemathesis) knows them all.
"""

from datetime import timedelta

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication
from rest_framework.exceptions import AuthenticationFailed, NotFound, ParseError

BAD_JSON = _("Le contenu envoyé n'est pas du JSON valide.")


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token, refused to an account whose e-mail address is not confirmed yet: the
    site's EmailConfirmationMiddleware sees session log-ins only, not tokens.

    A use of the token is activity for retention (accounts.tasks.apply_retention): it moves
    `last_login`, at most once a day so requests do not each write, and answers a pending
    retention warning as a log-in on the site does.
    """

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if user.email_confirmed_at is None:
            raise AuthenticationFailed(_("Confirmez d'abord votre adresse e-mail."))
        now = timezone.now()
        if user.last_login is None or user.last_login < now - timedelta(days=1):
            type(user).objects.filter(pk=user.pk).update(last_login=now, retention_warned_at=None)
            user.last_login, user.retention_warned_at = now, None
        return user, token


def french_errors(exc, context):
    """DRF's handler, with the messages it would leave in English said in French: the JSON
    parser's, and Django's get_object_or_404 (« No Need matches the given query. »)."""
    # Imported here: rest_framework.views reads the settings, which import this module.
    from rest_framework.views import exception_handler

    if isinstance(exc, ParseError):
        exc = ParseError(BAD_JSON)
    elif isinstance(exc, Http404):
        exc = NotFound()
    return exception_handler(exc, context)


DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "Le message, en français."}},
    "required": ["detail"],
}
FIELD_ERRORS = {
    "type": "object",
    "description": (
        "Pour chaque champ ou filtre refusé (ou `non_field_errors`), ses messages en français ; "
        "`detail` seul quand la requête ne peut pas être lue."
    ),
    "additionalProperties": {
        "anyOf": [
            {"type": "array", "items": {}},
            {"type": "string"},
            {"type": "object"},
        ]
    },
}
ERRORS = {
    "400": ("ErreursDeSaisie", FIELD_ERRORS, "Données ou filtres refusés."),
    "401": ("Erreur", DETAIL, "Authentification absente ou jeton non valide."),
    "403": ("Erreur", DETAIL, "Rôle requis absent, ou jeton CSRF manquant en session."),
    "404": ("Erreur", DETAIL, "Introuvable : n'existe pas, n'est pas à vous, ou page au-delà."),
    "415": ("Erreur", DETAIL, "Le corps doit être du JSON (Content-Type: application/json)."),
}


def add_error_responses(result, generator, request, public):
    """drf-spectacular post-processing hook: each operation's possible errors."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    for name, schema, _description in ERRORS.values():
        schemas.setdefault(name, schema)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            for code in _error_codes(path, method, operation):
                name, _schema, description = ERRORS[code]
                operation["responses"].setdefault(
                    code,
                    {
                        "description": description,
                        "content": {
                            "application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}
                        },
                    },
                )
    return result


def _error_codes(path, method, operation):
    parameters = operation.get("parameters", [])
    has_body = "requestBody" in operation
    anonymous = {} in operation.get("security", [])
    codes = ["401"]  # a wrong token is refused even where no log-in is needed
    if has_body or any(p["in"] == "query" for p in parameters):
        codes.append("400")
    if has_body or method != "get" or not anonymous:
        codes.append("403")
    if "{" in path or any(p["name"] == "page" for p in parameters):
        codes.append("404")
    if has_body:
        codes.append("415")
    return codes
