#!/usr/bin/env python
"""Django's command-line utility for Probono."""

import os
import sys


def main():
    """Run administrative tasks; local development settings unless told otherwise."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "probono.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
