"""Rows of the access matrix (tests/test_access_matrix.py) for the observatory's mecenat pages.

GET_ROWS and POST_ROWS: {url name: (lambda world: url, (owner, other, volunteer, staff,
anonymous))}, with the personas and statuses of the matrix ("login" for a redirect to log in).

The company referent's pages (H4): the world's company is the volunteer's employer, and the
volunteer is a plain member of it, not a referent: a 404 like anyone outside the company (an
association's members), since hourly costs are salary data; CRESS staff get a 403. The referent
and another company's referent are tested in tests/observatory/test_mecenat_views.py.
"""

from django.urls import reverse
from django.utils import timezone

LOGIN = "login"
REFERENTS_ONLY = (404, 404, 404, 403, LOGIN)


def _company(world):
    return world["offer"].organisation.pk


def _year():
    return timezone.localdate().year


def _company_url(name, *, year=False):
    def url(world):
        args = [_company(world), _year()] if year else [_company(world)]
        return reverse(name, args=args)

    return url


# H4: the company referent's dashboard, statement and declarations.
COMPANY_GET_ROWS = {
    # Nobody of the matrix is a referent: they get the refusal, not an empty page.
    "mecenat_companies": (lambda w: reverse("mecenat_companies"), (403, 403, 403, 403, LOGIN)),
    "company_dashboard": (_company_url("company_dashboard"), REFERENTS_ONLY),
    "company_statement": (_company_url("company_statement", year=True), REFERENTS_ONLY),
    "company_statement_csv": (_company_url("company_statement_csv", year=True), REFERENTS_ONLY),
    "company_statement_pdf": (_company_url("company_statement_pdf", year=True), REFERENTS_ONLY),
    "company_costs": (_company_url("company_costs", year=True), REFERENTS_ONLY),
    "company_year": (_company_url("company_year", year=True), REFERENTS_ONLY),
}
COMPANY_POST_ROWS = {
    "company_costs": (_company_url("company_costs", year=True), REFERENTS_ONLY),
    "company_year": (_company_url("company_year", year=True), REFERENTS_ONLY),
}

GET_ROWS = {**COMPANY_GET_ROWS}
POST_ROWS = {**COMPANY_POST_ROWS}
