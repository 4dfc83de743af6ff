"""Limits on log-ins (through django-axes), on sign-ups and password resets per client
address, and the counter every limit shares (counted in the cache, CACHE_URL)."""

import contextlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.shortcuts import render
from django.utils.crypto import salted_hmac

SIGNUP_WINDOW_SECONDS = 60 * 60


def client_address(request):
    """The client's address: REMOTE_ADDR, or the one the outermost trusted proxy saw."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        hops = [hop.strip() for hop in forwarded if hop.strip()]
        # Each trusted proxy appends the address it saw; anything further left is client-made.
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def typed_email(request, credentials):
    """The account a password check is for (case and spaces aside), the same wherever it is made.

    axes asks twice: before checking, with the credentials authenticate() was given under
    AXES_USERNAME_FORM_FIELD (the model's USERNAME_FIELD, "email"), and on a failure with the
    signal's, under "username". The log-in page's POST says "username"; the pages that check
    the logged-in person's own password (delete the account, change it, API token) have no such
    field: read the credentials first, so that every page counts and locks the same address.
    """
    credentials = credentials or {}
    typed = (
        credentials.get("username")
        or credentials.get(get_user_model().USERNAME_FIELD)
        or request.POST.get("username")
        or ""
    )
    return typed.strip().lower()


def lockout_response(request, original_response, credentials):
    """The page axes shows while an account is locked for this address: why, and for how long."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "accounts/lockout.html",
        {"cooloff_minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )


def take_signup_slot(request):
    """Count one sign-up from this request's address; False once the hour's allowance is spent.

    The count is taken before the account is saved and in one atomic step (INCR on Redis), so
    concurrent sign-ups cannot all slip under the limit.
    """
    signups = count("signup", client_address(request), SIGNUP_WINDOW_SECONDS)
    return signups <= settings.SIGNUPS_PER_ADDRESS_PER_HOUR


RESET_WINDOW_SECONDS = 60 * 60
RESETS_PER_EMAIL_PER_HOUR = 3
RESETS_PER_ADDRESS_PER_HOUR = 10


def _key(kind, value):
    # A keyed hash: the cache never holds the address (or whatever is counted) itself.
    digest = salted_hmac(f"accounts.{kind}-limit", value).hexdigest()
    return f"{kind}:{digest[:32]}"


def count(kind, value, window, amount=1):
    """Add `amount` to this window's count of `kind` for `value`; the count so far. One atomic
    INCR on Redis, so concurrent requests cannot all slip under a limit. The window opens with
    the first count and lasts `window` seconds. The one counter of the limits: sign-ups,
    password resets, confirmation links sent again, invitations per day."""
    key = _key(kind, value)
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key, amount)
    except ValueError:  # the window ended between add() and incr(): this one opens a new one
        cache.add(key, amount, timeout=window)
        return amount


def give_back(kind, value, amount):
    """Take back what count() added for something refused after all (a window already over
    has nothing to give back)."""
    with contextlib.suppress(ValueError):
        cache.decr(_key(kind, value), amount)


def take_reset_slot(request, email):
    """Count one password reset e-mail for this address and from this client; False once
    either's hourly allowance is spent (3 per e-mail address, 10 per client address), so that
    nobody floods an inbox or the mail server. Both are counted, whatever the answer."""
    for_email = count("reset-email", email.strip().lower(), RESET_WINDOW_SECONDS)
    from_client = count("reset-client", client_address(request), RESET_WINDOW_SECONDS)
    return for_email <= RESETS_PER_EMAIL_PER_HOUR and from_client <= RESETS_PER_ADDRESS_PER_HOUR
