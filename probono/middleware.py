"""The Permissions-Policy header, from settings.PERMISSIONS_POLICY.

Twenty lines of our own rather than a dependency: the header is one string, built once.
"""

from django.conf import settings


def permissions_policy(features):
    """`{"camera": [], "payment": ["self"]}` → `camera=(), payment=(self)`: an empty allowlist
    refuses the feature to the page and to every frame in it."""
    return ", ".join(f"{feature}=({' '.join(allowed)})" for feature, allowed in features.items())


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.header = permissions_policy(settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response
