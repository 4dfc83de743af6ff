"""A structure's mécénat receipt data: the companies and years to issue a receipt for, and the
printable data of one receipt (form 2041-MEC-SD) the structure completes and signs.

Every active member of the structure reads them: the receipt is signed by whoever represents
the structure (its president or treasurer, who is often not the account's administrator), and
its figures are the structure's own: what it received. CRESS staff are refused (403: the
valuation comes from the company's salaries, not the observatory's to read); anyone else gets a
404, as if the structure did not exist.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from accounts.models import Organisation

from . import receipts

ESS_KINDS = (Organisation.Kind.ASSOCIATION, Organisation.Kind.OTHER_ESS)


def get_structure_for_receipts(request, pk):
    """The ESS structure if this person is an active member of it; 403 for CRESS staff, 404 for
    everyone else (a pending request is not a membership yet)."""
    structure = get_object_or_404(Organisation, pk=pk, kind__in=ESS_KINDS)
    user = request.user
    if user.is_member_of(structure):
        return structure
    if user.is_cress_staff:
        raise PermissionDenied
    raise Http404


@login_required
def receipt_list(request, pk):
    """The companies and years the structure received mécénat de compétences from."""
    structure = get_structure_for_receipts(request, pk)
    return render(
        request,
        "observatory/mecenat/receipt_list.html",
        {
            "structure": structure,
            "pairs": receipts.receipt_pairs(structure),
            "current_year": timezone.localdate().year,  # its figures are provisional
        },
    )


@login_required
def receipt_detail(request, pk, company_pk, year):
    """The printable data of the receipt for one company and one year."""
    structure = get_structure_for_receipts(request, pk)
    company = get_object_or_404(Organisation, pk=company_pk, kind=Organisation.Kind.COMPANY)
    receipt = receipts.receipt_for(structure, company, year)
    if receipt is None:
        raise Http404
    return render(
        request,
        "observatory/mecenat/receipt_detail.html",
        # Only administrators edit the structure: the others are told who completes it.
        {"receipt": receipt, "can_edit_structure": request.user.is_admin_of(structure)},
    )
