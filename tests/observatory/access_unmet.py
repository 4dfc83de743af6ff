"""Rows of the access matrix (tests/test_access_matrix.py) for the observatory's unmet pages.

GET_ROWS and POST_ROWS: {url name: (lambda world: url, (owner, other, volunteer, staff,
anonymous))}, with the personas and statuses of the matrix ("login" for a redirect to log in).
"""

from django.urls import reverse

LOGIN = "login"

GET_ROWS = {
    # CRESS staff only: the owner (an association's admin), another association's member and
    # a volunteer are refused; the filters in the address do not change who may read it.
    "observatory_unmet": (lambda world: reverse("observatory_unmet"), (403, 403, 403, 200, LOGIN)),
}
POST_ROWS = {}
