"""Where a new account comes back once its address is confirmed: the page it came from.

A visitor who signs up (or logs in, unconfirmed) from a page — a published need, « Je propose
mes compétences » — carries `?next=` to the sign-up or log-in page. Until they follow the link
of the confirmation e-mail, every page sends them to « Confirmez votre adresse e-mail »
(accounts.middleware), so the address is kept in the session at log-in (accounts.receivers)
and read back by the confirmation link (accounts.views.email_confirm) in that browser. The
link carries its path too (`?next=`), for the e-mail opened in another browser (a phone):
confirming there leads to the log-in page, then to that page.
Only a path of this site is kept: never another host or scheme.
"""

from urllib.parse import urlencode, urlsplit

from django.utils.http import url_has_allowed_host_and_scheme

SESSION_KEY = "return_after_confirmation"


def safe_next(request, url):
    """`url` when it is a path of this site, else "". A path only: « accueil » passes
    Django's host check as a relative address, but redirect() would take it for a URL name."""
    if url and is_path(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return url
    return ""


def is_path(url, allowed_hosts=None, require_https=False):
    """Whether `url` is a path of this site (no other host or scheme; « //host », « /\\host »
    neither). Without a request (a task), no host is allowed at all."""
    return bool(
        url
        and url.startswith("/")
        and url_has_allowed_host_and_scheme(
            url, allowed_hosts=allowed_hosts, require_https=require_https
        )
    )


def path_only(url):
    """The path of a safe `url`, without its query string (what a search held, say), for a
    link sent by e-mail (accounts.confirmation)."""
    return urlsplit(url).path if url else ""


def in_link(path):
    """The query string that carries `path` in a link, or "" when it is not a path of ours."""
    return "?" + urlencode({"next": path}) if is_path(path) else ""


def remember(request):
    """Keep the request's `next` (posted or in the query string) for after confirmation."""
    url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if url:
        request.session[SESSION_KEY] = url


def peek(request):
    """The page to come back to after confirmation, left in the session; "" when none."""
    return safe_next(request, request.session.get(SESSION_KEY, ""))


def take(request):
    """The page to come back to after confirmation, once; "" when there is none."""
    return safe_next(request, request.session.pop(SESSION_KEY, ""))
