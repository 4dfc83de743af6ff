"""What a public page's <head> tells search engines and social networks when its link is
shared: title, description, canonical address, Open Graph and Twitter cards. Used by the
« Comprendre » pages and by the public needs (templates/_sharing_meta.html draws it)."""

from django.conf import settings
from django.utils.text import Truncator
from django.utils.translation import get_language

DESCRIPTION_LENGTH = 160
OG_LOCALES = {"fr": "fr_FR", "en": "en_GB"}


def absolute(path):
    """The address to share: SITE_URL and the path, not the request's Host, so the shared
    address is the site's whatever the proxy."""
    return settings.SITE_URL.rstrip("/") + path


def plain_summary(text, length=DESCRIPTION_LENGTH):
    """The text on one line, cut to `length` characters at most, the ellipsis included."""
    return Truncator(" ".join(text.split())).chars(length)


def sharing(title, description, path, kind="website"):
    """The context of templates/_sharing_meta.html."""
    return {
        "title": title,
        "description": plain_summary(str(description)),
        "url": absolute(path),
        "type": kind,
        "locale": OG_LOCALES.get((get_language() or settings.LANGUAGE_CODE)[:2], "fr_FR"),
    }
