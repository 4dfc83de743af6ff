"""What a company referent declares for the mécénat valuation: a cost per volunteer and year,
and the company's turnover and other gifts of the year.

These are the company's figures, not Probono's: the valuation built from them stays the
company's responsibility (Probono prepares, it does not certify).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation


class Declaration(models.Model):
    """Who declared a figure and when: the referent answers for it, not Probono."""

    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("déclaré par"), null=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    declared_at = models.DateTimeField(_("déclaré le"), auto_now=True)

    class Meta:
        abstract = True


class VolunteerCost(Declaration):
    """A volunteer's hourly cost to their employer in a year: salary plus employer charges."""

    company = models.ForeignKey(
        Organisation, verbose_name=_("employeur"), on_delete=models.CASCADE,
        related_name="volunteer_costs",
    )  # fmt: skip
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("bénévole"), on_delete=models.CASCADE,
        related_name="+",
    )  # fmt: skip
    year = models.PositiveSmallIntegerField(_("année"))
    hourly_cost = models.DecimalField(
        _("coût horaire (salaire et charges patronales)"), max_digits=8, decimal_places=2
    )

    class Meta:
        verbose_name = _("coût horaire déclaré")
        verbose_name_plural = _("coûts horaires déclarés")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "volunteer", "year"], name="one_cost_per_volunteer_year"
            ),
            models.CheckConstraint(condition=Q(hourly_cost__gt=0), name="hourly_cost_positive"),
        ]

    def __str__(self):
        return f"{self.volunteer} · {self.year} · {self.hourly_cost} €/h"


class CompanyYear(Declaration):
    """A company's year as its referent declares it: turnover (excluding tax) and the gifts
    made outside Probono, which share the same tax ceiling."""

    company = models.ForeignKey(
        Organisation, verbose_name=_("entreprise"), on_delete=models.CASCADE,
        related_name="mecenat_years",
    )  # fmt: skip
    year = models.PositiveSmallIntegerField(_("année"))
    turnover = models.DecimalField(_("chiffre d'affaires HT"), max_digits=15, decimal_places=2)
    other_gifts = models.DecimalField(
        _("autres dons de l'année (hors Probono)"), max_digits=15, decimal_places=2, default=0
    )

    class Meta:
        verbose_name = _("exercice déclaré")
        verbose_name_plural = _("exercices déclarés")
        constraints = [
            models.UniqueConstraint(fields=["company", "year"], name="one_declaration_per_year"),
            models.CheckConstraint(
                condition=Q(turnover__gte=0) & Q(other_gifts__gte=0),
                name="company_year_amounts_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.company} · {self.year}"
