"""A structure's postcode is checked against the real table of French postcodes and communes."""

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Organisation

# Each postcode shared by two départements, with a commune of each side (La Poste's data, 2026),
# and 94390, the postcode of Paray-Vieille-Poste, a commune of the Essonne.
POSTCODES_OF_TWO_DEPARTEMENTS = [
    ("01200", "01", "01033"), ("01200", "74", "74109"),
    ("01410", "01", "01081"), ("01410", "39", "39274"),
    ("01590", "01", "01148"), ("01590", "39", "39283"),
    ("05110", "05", "05162"), ("05110", "04", "04066"),
    ("05130", "05", "05170"), ("05130", "04", "04234"),
    ("05160", "05", "05164"), ("05160", "04", "04154"),
    ("05700", "05", "05166"), ("05700", "26", "26374"),
    ("06260", "06", "06099"), ("06260", "04", "04194"),
    ("13780", "13", "13030"), ("13780", "83", "83105"),
    ("21340", "21", "21461"), ("21340", "71", "71085"),
    ("33220", "33", "33324"), ("33220", "24", "24335"),
    ("37160", "37", "37115"), ("37160", "86", "86042"),
    ("42620", "42", "42257"), ("42620", "03", "03250"),
    ("43450", "43", "43033"), ("43450", "15", "15105"),
    ("48250", "48", "48027"), ("48250", "07", "07136"),
    ("52100", "52", "52448"), ("52100", "51", "51478"),
    ("94390", "91", "91479"),
]  # fmt: skip


def organisation(departement, postcode):
    return Organisation(
        kind=Organisation.Kind.ASSOCIATION,
        name="Les Jardins partagés",
        rna="W022001234",
        departement=departement,
        postcode=postcode,
    )


def postcode_errors(departement, postcode):
    try:
        organisation(departement, postcode).full_clean()
    except ValidationError as error:
        return error.message_dict.get("postcode", [])
    return []


@pytest.mark.parametrize(("postcode", "departement", "_insee"), POSTCODES_OF_TWO_DEPARTEMENTS)
def test_a_postcode_is_accepted_in_each_of_its_departements(postcode, departement, _insee):
    """A postcode shared by two départements (01200: Ain and Haute-Savoie) is valid in both."""
    assert postcode_errors(departement, postcode) == []


def test_paray_vieille_poste_is_in_the_essonne_not_the_val_de_marne():
    """94390 is Paray-Vieille-Poste's postcode: Essonne (91), not Val-de-Marne (94)."""
    assert postcode_errors("94", "94390") == [
        "Ce code postal n'appartient pas au département choisi (94)."
    ]


@pytest.mark.parametrize("postcode", ["97133", "97150"])
def test_saint_barthelemy_and_saint_martin_are_not_departements(postcode):
    """97133 and 97150 belong to collectivités, not to Guadeloupe nor any département."""
    assert postcode_errors("971", postcode) == [
        "Ce code postal ne correspond à aucune commune d'un département français."
    ]


@pytest.mark.parametrize(
    ("departement", "postcode"),
    [
        ("02", "02000"), ("59", "59000"), ("80", "80000"), ("75", "75011"), ("13", "13001"),
        ("2A", "20000"), ("2B", "20200"), ("971", "97100"), ("974", "97400"), ("976", "97600"),
    ],
)  # fmt: skip
def test_ordinary_corsican_and_overseas_postcodes_are_accepted(departement, postcode):
    """Postcodes of every kind of département pass: mainland, Paris, Corsica, overseas."""
    assert postcode_errors(departement, postcode) == []


@pytest.mark.parametrize(("departement", "postcode"), [("2A", "20200"), ("2B", "20000")])
def test_corsican_postcodes_belong_to_their_own_departement(departement, postcode):
    """20000 is Ajaccio (Corse-du-Sud), 20200 Bastia (Haute-Corse): not the other way round."""
    assert postcode_errors(departement, postcode) == [
        f"Ce code postal n'appartient pas au département choisi ({departement})."
    ]


@pytest.mark.parametrize(("departement", "postcode"), [("59", "59999"), ("02", "02990")])
def test_an_unknown_postcode_is_refused_in_french(departement, postcode):
    """Five digits are not enough: the postcode must be one La Poste gives a commune."""
    assert postcode_errors(departement, postcode) == [
        "Ce code postal ne correspond à aucune commune d'un département français."
    ]


def test_a_malformed_postcode_is_refused_in_french():
    """Letters or the wrong length are refused with the format's message."""
    assert postcode_errors("02", "2000") == ["Code postal invalide : 5 chiffres."]
