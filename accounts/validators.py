"""Validators for French legal identifiers, built on python-stdnum's check-digit rules."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.fr import siren, siret

from .communes import communes_of

RNA_PATTERN = re.compile(r"^W\d{9}$")


def normalise_identifier(value):
    """Strip spaces, dots and dashes people type in identifiers; upper-case the RNA's W."""
    return re.sub(r"[\s.\-]", "", value or "").upper()


def validate_siren(value):
    """A SIREN: 9 digits with a valid Luhn check digit."""
    if not siren.is_valid(value):
        raise ValidationError(
            _("Numéro SIREN invalide : 9 chiffres avec une clé de contrôle correcte."),
            code="invalid_siren",
        )


def validate_siret(value):
    """A SIRET: 14 digits with a valid check digit (La Poste's rule included)."""
    if not siret.is_valid(value):
        raise ValidationError(
            _("Numéro SIRET invalide : 14 chiffres avec une clé de contrôle correcte."),
            code="invalid_siret",
        )


def validate_rna(value):
    """An RNA number of an association: the letter W followed by 9 digits."""
    if not RNA_PATTERN.match(value):
        raise ValidationError(
            _("Numéro RNA invalide : la lettre W suivie de 9 chiffres (ex. W595012345)."),
            code="invalid_rna",
        )


def validate_postcode(value):
    """A French postcode: 5 digits, serving at least one commune of one of the 101 départements."""
    if not re.fullmatch(r"\d{5}", value or ""):
        raise ValidationError(
            _("Code postal invalide : 5 chiffres."),
            code="invalid_postcode",
        )
    if not communes_of(value):
        raise ValidationError(
            _("Ce code postal ne correspond à aucune commune d'un département français."),
            code="unknown_postcode",
        )
