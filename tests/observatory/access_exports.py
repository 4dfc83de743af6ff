"""Rows of the access matrix (tests/test_access_matrix.py) for the observatory's exports pages.

GET_ROWS and POST_ROWS: {url name: (lambda world: url, (owner, other, volunteer, staff,
anonymous))}, with the personas and statuses of the matrix ("login" for a redirect to log in).
The exports are CRESS staff's, like the observatory's pages.
"""

from django.urls import reverse

STAFF_ONLY = (403, 403, 403, 200, "login")

GET_ROWS = {
    name: (lambda world, name=name: reverse(name), STAFF_ONLY)
    for name in ("export_needs", "export_offers", "export_proposals", "export_missions")
}
POST_ROWS = {}
