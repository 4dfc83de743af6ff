"""Test settings: the base settings with a throwaway key and a fast password hasher."""

import os

# Tests run with DEBUG off, like production; they need a key but not a secret one.
os.environ.setdefault("SECRET_KEY", "tests-only-not-secret")

from .base import *  # noqa: E402, F403

# Hashing passwords properly is slow on purpose; tests create many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests look up assets by name; the manifest would need collectstatic first.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# One cache serves the whole test run: sign-ups from many tests must not add up to the limit
# (tests/accounts/test_throttling.py sets a small one and empties the cache).
SIGNUPS_PER_ADDRESS_PER_HOUR = 1000
