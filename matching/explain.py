"""Turn a proposal's score parts into the French sentence staff read."""

from django.utils.translation import gettext as _

from accounts.departements import DEPARTEMENTS

from .models import Level


def _departement_name(code):
    return DEPARTEMENTS.get(code, code)


def explain(proposal, skill_name):
    """« Compétence : fonds européens, niveau expert · Même département : Aisne · … »"""
    details = proposal.details
    level = Level(details["level"]).label.lower() if details.get("level") else ""
    pieces = [
        _("Compétence : %(skill)s, niveau %(level)s")
        % {"skill": skill_name.lower(), "level": level}
    ]
    pieces.append(_place(details))
    overlap = details.get("overlap")
    if overlap is not None:
        pieces.append(
            _("Disponible sur %(percent)s %% de la période") % {"percent": round(overlap * 100)}
        )
    if details.get("waiting_days"):
        pieces.append(_("En attente depuis %(days)s jours") % {"days": details["waiting_days"]})
    if proposal.parts.get("equity") and details.get("departement_needs"):
        share = details["departement_served"] / details["departement_needs"]
        pieces.append(
            _(
                "Territoire moins bien servi : %(share)s %% des besoins pourvus "
                "(région : %(region)s %%)"
            )
            % {"share": round(share * 100), "region": round(details["region_share"] * 100)}
        )
    return " · ".join(pieces)


def _place(details):
    place = details.get("place")
    if place == "same":
        return _("Même département : %(name)s") % {
            "name": _departement_name(details["departement"])
        }
    if place == "neighbour":
        return _("Département voisin : %(via)s, pour %(name)s") % {
            "via": _departement_name(details.get("via_departement") or ""),
            "name": _departement_name(details["departement"]),
        }
    return _("À distance")
