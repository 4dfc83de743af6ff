"""Rows of the access matrix (tests/test_access_matrix.py) for the observatory's figures pages.

GET_ROWS and POST_ROWS: {url name: (lambda world: url, (owner, other, volunteer, staff,
anonymous))}, with the personas and statuses of the matrix ("login" for a redirect to log in).
"""

from django.urls import reverse

LOGIN = "login"

GET_ROWS = {
    # CRESS staff only, with or without a selection in the address (a territorial reviewer's
    # scope: tests/observatory/test_dashboard.py).
    "observatory": (lambda world: reverse("observatory"), (403, 403, 403, 200, LOGIN)),
    "observatory:selection": (
        lambda world: reverse("observatory") + "?start=2026-01-01&end=2026-06-30&departement=80",
        (403, 403, 403, 200, LOGIN),
    ),
}
POST_ROWS = {}
