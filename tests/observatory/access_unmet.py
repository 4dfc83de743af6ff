"""Rows of the access matrix (tests/test_access_matrix.py) for the observatory's unmet pages.

GET_ROWS and POST_ROWS: {url name: (lambda world: url, (owner, other, volunteer, staff,
anonymous))}, with the personas and statuses of the matrix ("login" for a redirect to log in).
"""

GET_ROWS = {}
POST_ROWS = {}
