"""Local development: DEBUG on unless the environment says otherwise."""

import os

# Set before base reads it, so `manage.py` works on a fresh clone with no environment at all.
os.environ.setdefault("DEBUG", "true")

from .base import *  # noqa: E402, F403
