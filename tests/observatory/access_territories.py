"""Rows of the access matrix (tests/test_access_matrix.py) for the observatory's territories pages.

GET_ROWS and POST_ROWS: {url name: (lambda world: url, (owner, other, volunteer, staff,
anonymous))}, with the personas and statuses of the matrix ("login" for a redirect to log in).
"""

from django.urls import reverse

LOGIN = "login"

GET_ROWS = {
    # CRESS staff only; a territorial reviewer's map: tests/observatory/test_map.py.
    "observatory_map": (lambda world: reverse("observatory_map"), (403, 403, 403, 200, LOGIN)),
}
POST_ROWS = {}
