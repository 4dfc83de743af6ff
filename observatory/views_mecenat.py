"""The company referent's pages: the dashboard, the yearly statement (page, CSV, PDF) and the
declarations the valuation needs (hourly costs, turnover and other gifts).

Only the referents (administrators) of a company open them. Hourly costs are salary data:
CRESS staff, who may know of any structure, get a 403; anyone else (the company's own
employees included) a 404, so outsiders cannot tell which companies use Probono.

Companies only: the reduction of CGI art. 238 bis is a company's corporate tax, the receipts
(receipts.py) count companies' mécénat only, and the nav's « Mécénat » link shows for company
referents only (accounts.Roles.company_referent). A public body's admin gets the outsiders'
404; its agents' bénévolat is not concerned.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import Membership, Organisation, User
from matching.models import Offer, Proposal
from matching.views import paginate
from missions.models import HoursEntry, Mission, Party

from . import statement_pdf, valuation
from .exports import csv_response
from .forms_mecenat import CompanyYearForm, VolunteerCostsForm
from .models import VolunteerCost

MECENAT = Offer.Engagement.MECENAT


def get_company_for_referent(request, pk):
    """The company if this person is one of its referents (administrators)."""
    company = get_object_or_404(Organisation, pk=pk, kind=Organisation.Kind.COMPANY)
    if request.user.is_admin_of(company):
        return company
    if request.user.is_cress_staff:
        raise PermissionDenied
    raise Http404


def checked_year(year):
    """The year if a statement may exist for it, else a 404: from the first year of the PASS
    table (nothing can be valued before it) to next year (a referent may declare ahead; until
    its PASS is in the table the statement says so)."""
    if not valuation.first_year() <= year <= timezone.localdate().year + 1:
        raise Http404
    return year


# Which company


@require_GET
@login_required
def mecenat_companies(request):
    """The companies this person is a referent of: straight to the dashboard when only one."""
    companies = [
        m.organisation
        for m in request.user.active_memberships()
        if m.role == Membership.Role.ADMIN and m.organisation.kind == Organisation.Kind.COMPANY
    ]
    if not companies:
        raise PermissionDenied
    if len(companies) == 1:
        return redirect("company_dashboard", companies[0].pk)
    return render(request, "observatory/mecenat/companies.html", {"companies": companies})


# The dashboard


def company_volunteers(company, year):
    """The company's mécénat volunteers: active offers, missions, confirmed hours of the year
    and whether their cost of the year is declared, in one query."""
    mecenat_offers = Offer.objects.filter(organisation=company, engagement=MECENAT)
    active = Q(offers__organisation=company, offers__engagement=MECENAT, offers__is_active=True)
    year_minutes = (
        _confirmed_mecenat_hours(company, year)
        .filter(mission__volunteer=OuterRef("pk"))
        .values("mission__volunteer")
        .annotate(total=Sum("minutes"))
        .values("total")
    )
    return (
        User.objects.filter(pk__in=mecenat_offers.values("volunteer"))
        .annotate(
            active_offers=Count("offers", filter=active, distinct=True),
            mission_count=Count(
                "missions",
                filter=Q(
                    missions__offer__organisation=company, missions__offer__engagement=MECENAT
                ),
                distinct=True,
            ),
            year_minutes=Subquery(year_minutes, output_field=IntegerField()),
            cost_declared=Exists(
                VolunteerCost.objects.filter(company=company, year=year, volunteer=OuterRef("pk"))
            ),
        )
        .order_by("last_name", "first_name", "pk")
    )


def _confirmed_mecenat_hours(company, year):
    return HoursEntry.objects.filter(
        status=HoursEntry.Status.CONFIRMED,
        day__year=year,
        mission__offer__organisation=company,
        mission__offer__engagement=MECENAT,
    )


def company_missions(company, year):
    """The company's mécénat missions, active first, with their confirmed minutes of the year
    and the entries waiting for the structure, in one query whatever their number."""
    confirmed = Q(hours__status=HoursEntry.Status.CONFIRMED)
    return (
        Mission.objects.filter(offer__organisation=company, offer__engagement=MECENAT)
        .select_related("need__organisation", "volunteer")
        .annotate(
            year_minutes=Sum(
                "hours__minutes", filter=confirmed & Q(hours__day__year=year), default=0
            ),
            all_minutes=Sum("hours__minutes", filter=confirmed, default=0),
            to_confirm=Count("hours", filter=Q(hours__status=HoursEntry.Status.LOGGED)),
            active_first=Case(When(status=Mission.Status.ACTIVE, then=Value(0)), default=Value(1)),
        )
        .order_by("active_first", "-started_at", "-pk")
    )


def waiting_agreements(company):
    """Approved mécénat proposals of the company's offers the employer has not answered yet."""
    answered = Q(answers__party=Party.EMPLOYER)
    return (
        Proposal.objects.filter(
            status=Proposal.Status.APPROVED, offer__organisation=company, offer__engagement=MECENAT
        )
        .exclude(answered)
        .select_related("need__organisation", "offer__volunteer")
        .order_by("approved_at", "pk")
    )


def statement_years(company, year):
    """The years with confirmed mécénat hours, and this one, latest first."""
    years = {
        day.year
        for day in HoursEntry.objects.filter(
            status=HoursEntry.Status.CONFIRMED,
            mission__offer__organisation=company,
            mission__offer__engagement=MECENAT,
            day__year__gte=valuation.first_year(),
        ).dates("day", "year")
    }
    return sorted(years | {year}, reverse=True)


@require_GET
@login_required
def company_dashboard(request, pk):
    """What the referent follows: volunteers, missions and hours, agreements to give, the
    year's valuation."""
    company = get_company_for_referent(request, pk)
    year = timezone.localdate().year
    page, querystring = paginate(request, company_missions(company, year))
    return render(
        request,
        "observatory/mecenat/dashboard.html",
        {
            "company": company,
            "year": year,
            "volunteers": list(company_volunteers(company, year)),
            "page": page,
            "querystring": querystring,
            "waiting": list(waiting_agreements(company)),
            "statement": valuation.for_company_year(company, year),
            "years": statement_years(company, year),
        },
    )


# The statement


@require_GET
@login_required
def company_statement(request, pk, year):
    """The year's statement: missions, hours, valuation, cap and the tax estimate."""
    company = get_company_for_referent(request, pk)
    statement = valuation.for_company_year(company, checked_year(year))
    return render(
        request, "observatory/mecenat/statement.html", {"company": company, "s": statement}
    )


def statement_rows(statement):
    """The statement's CSV rows: one per mission, the cap per volunteer (when the year has a
    PASS, as on the page), a total, then the year's ceiling and the estimate."""
    rows = [
        (line.volunteer_name, line.structure_name, line.title, line.first_day, line.last_day,
         line.hours, line.hourly_cost, line.raw, None, line.capped, remark(line))
        for line in statement.missions
    ]  # fmt: skip
    if statement.ceiling is not None:
        rows += [
            (v.volunteer_name, "", _("Plafond par salarié"), None, None,
             v.hours, v.hourly_cost, v.raw, v.cap, v.capped, remark(v))
            for v in statement.volunteers
        ]  # fmt: skip
    rows.append((_("Total"), "", "", None, None, statement.hours, None, statement.raw, None,
                 statement.capped, ""))  # fmt: skip
    rows.append(())
    rows.extend(summary_rows(statement))
    return rows


def remark(line):
    """What the page says beside a mission's or a volunteer's valuation."""
    if line.hourly_cost is None:
        return _("coût à déclarer")
    return _("plafonnée") if line.is_capped else ""


def summary_rows(statement):
    """(label, value) rows: the year's ceiling, the estimate, and what they are not."""
    ceiling, estimate = statement.ceiling, statement.estimate
    rows = []
    if ceiling is None:
        rows.append((pass_missing_message(statement.year),))
    else:
        rows += [
            (_("Plafond annuel de la sécurité sociale %(year)s") % {"year": statement.year},
             ceiling.pass_amount),
            (_("Heures annuelles à temps plein"), ceiling.full_time_hours),
            (_("Coût horaire retenu au plus (3 × PASS ÷ heures à temps plein)"),
             valuation.cents(ceiling.hourly_cap)),
        ]  # fmt: skip
    if estimate is not None:
        rows += [(label, amount) for label, amount, _reduction in estimate.lines()]
        rows.append((_("Chiffre d'affaires HT déclaré"), estimate.turnover))
    rows.append((not_a_certification(),))
    return rows


def pass_missing_message(year):
    return _(
        "Le plafond annuel de la sécurité sociale de %(year)s n'est pas dans la table de "
        "Probono : aucune valorisation n'est calculée pour cette année."
    ) % {"year": year}


def not_a_certification():
    return _(
        "Estimation : Probono prépare, ne certifie pas ; la valorisation reste de la "
        "responsabilité de l'entreprise."
    )


def statement_filename(company, year, extension):
    """« releve-mecenat-banque-du-nord-2025.pdf »: the name in the reader's language, the
    company's name as it reads in a folder (a name with no letter or digit is left out)."""
    parts = [_("releve-mecenat"), slugify(company.name), str(year)]
    return "-".join(part for part in parts if part) + f".{extension}"


CSV_HEADER = (
    gettext_lazy("Bénévole"), gettext_lazy("Structure"), gettext_lazy("Mission"),
    gettext_lazy("Premier jour"), gettext_lazy("Dernier jour"),
    gettext_lazy("Heures confirmées"), gettext_lazy("Coût horaire (€)"),
    gettext_lazy("Valorisation brute (€)"), gettext_lazy("Plafond au prorata (€)"),
    gettext_lazy("Valorisation retenue (€)"),
    gettext_lazy("Remarque"),
)  # fmt: skip


@require_GET
@login_required
def company_statement_csv(request, pk, year):
    company = get_company_for_referent(request, pk)
    statement = valuation.for_company_year(company, checked_year(year))
    return csv_response(
        statement_filename(company, year, "csv"), CSV_HEADER, statement_rows(statement)
    )


@require_GET
@login_required
def company_statement_pdf(request, pk, year):
    company = get_company_for_referent(request, pk)
    statement = valuation.for_company_year(company, checked_year(year))
    response = HttpResponse(statement_pdf.render(statement), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        False, statement_filename(company, year, "pdf")
    )
    return response


# The declarations


def _posted(request):
    """The posted data, even empty (an empty POST must show what is missing, not a blank form)."""
    return request.POST if request.method == "POST" else None


def mecenat_volunteers(company):
    """Everyone with a mécénat offer of the company, by name."""
    offers = Offer.objects.filter(organisation=company, engagement=MECENAT)
    return User.objects.filter(pk__in=offers.values("volunteer")).order_by(
        "last_name", "first_name", "pk"
    )


@require_http_methods(["GET", "POST"])
@login_required
def company_costs(request, pk, year):
    """Each volunteer's hourly cost for the year (salary + employer charges)."""
    company = get_company_for_referent(request, pk)
    checked_year(year)
    declared = dict(
        VolunteerCost.objects.filter(company=company, year=year).values_list(
            "volunteer", "hourly_cost"
        )
    )
    form = VolunteerCostsForm(
        _posted(request), volunteers=mecenat_volunteers(company), declared=declared
    )
    saved = _("Les coûts horaires de %(year)s sont enregistrés.")
    return _declaration_page(request, company, year, form, "costs_form.html", saved)


@require_http_methods(["GET", "POST"])
@login_required
def company_year(request, pk, year):
    """The company's turnover excluding tax and its other gifts of the year."""
    company = get_company_for_referent(request, pk)
    checked_year(year)
    declared = company.mecenat_years.filter(year=year).first()
    form = CompanyYearForm(_posted(request), instance=declared)
    saved = _("La déclaration de %(year)s est enregistrée.")
    return _declaration_page(request, company, year, form, "year_form.html", saved)


def _declaration_page(request, company, year, form, template, saved):
    """A declaration form's page: saved whole and back to the statement, or the form again
    with its errors (400) and what was typed."""
    if request.method == "POST":
        if form.is_valid():
            form.save_for(company, year, request.user)
            messages.success(request, saved % {"year": year})
            return redirect("company_statement", company.pk, year)
        status = 400
    else:
        status = 200
    context = {"company": company, "year": year, "form": form}
    return render(request, f"observatory/mecenat/{template}", context, status=status)
