"""Rows of the access matrix (tests/test_access_matrix.py) for the structures' mécénat receipts.

GET_ROWS and POST_ROWS: {url name: (lambda world: url, (owner, other, volunteer, staff,
anonymous))}, with the personas and statuses of the matrix ("login" for a redirect to log in).
Every active member of the structure reads its receipt data ("owner" is an administrator; a
plain member, its treasurer say, is tested in test_receipts.py since the matrix has no such
persona); CRESS staff are refused (403: the valuation comes from the company's salaries), the
members of other structures and companies get a 404.
"""

from datetime import date

from django.urls import reverse

LOGIN = "login"
YEAR = 2025


def _receipt_url(world):
    """The receipt of the world's association for the volunteer's company in YEAR, after a
    mécénat mission with confirmed hours (the world's own mission is bénévolat)."""
    from missions.models import HoursEntry, Mission

    proposal = world["proposal"]  # the volunteer's mécénat offer × the association's need
    mission = Mission.objects.create(
        proposal=proposal,
        need=proposal.need,
        offer=proposal.offer,
        volunteer=proposal.offer.volunteer,
    )
    HoursEntry.objects.create(
        mission=mission, day=date(YEAR, 3, 10), minutes=120, description="Atelier",
        status=HoursEntry.Status.CONFIRMED,
    )  # fmt: skip
    company = proposal.offer.organisation_id
    return reverse("receipt_detail", args=[world["association"].pk, company, YEAR])


GET_ROWS = {
    "receipt_list": (
        lambda w: reverse("receipt_list", args=[w["association"].pk]),
        (200, 404, 404, 403, LOGIN),
    ),
    "receipt_detail": (_receipt_url, (200, 404, 404, 403, LOGIN)),
}
POST_ROWS = {}
