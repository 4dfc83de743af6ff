"""observatory's share of a person's data: the mécénat figures declared about them.

Registered with accounts.personal_data from ObservatoryConfig.ready.

A volunteer's hourly cost (salary plus employer charges) is their data: it is exported to them
and deleted with their account. The valuation built from it is the company's responsibility
(Probono prepares, it does not certify): the company keeps the payroll records that prove its
tax reduction, so Probono keeps no copy. Statements of those years then show the hours of
« Compte supprimé » without a value. A referent's declarations about their company (turnover,
other gifts) are the company's figures, not the referent's: they stay.
"""

from .models import CompanyYear, VolunteerCost


def export(user):
    """Hourly costs declared about them, and the company years they declared (2 queries); the
    hourly costs they declared about colleagues are the colleagues' data, left out."""
    costs = VolunteerCost.objects.filter(volunteer=user).select_related("company")
    years = CompanyYear.objects.filter(declared_by=user).select_related("company")
    return {
        "mecenat_hourly_costs": [
            {
                "employer": cost.company.name,
                "year": cost.year,
                "hourly_cost": cost.hourly_cost,
                "declared_at": cost.declared_at,
            }
            for cost in costs.order_by("year", "pk")
        ],
        "mecenat_years_declared": [
            {"company": year.company.name, "year": year.year, "declared_at": year.declared_at}
            for year in years.order_by("year", "pk")
        ],
    }


def erase(user):
    VolunteerCost.objects.filter(volunteer=user).delete()
