"""Build communes.csv, the postcode → commune → département table, from Etalab's communes.json.

Source: the npm package @etalab/decoupage-administratif, version 6.0.0 (the 2026 vintage),
file data/communes.json: INSEE's Code officiel géographique with La Poste's postcodes.
Its data are under the Licence Ouverte / Open Licence 2.0 (Etalab), which allows reuse with
attribution ("Etalab, @etalab/decoupage-administratif 6.0.0, INSEE COG and La Poste's base
officielle des codes postaux"); its code is MIT. To refresh the table:

    cd /tmp && npm pack @etalab/decoupage-administratif@6.0.0 && tar xzf etalab-*.tgz
    python accounts/data/build_communes.py /tmp/package/data/communes.json

Kept: current communes ("commune-actuelle") of the 101 départements. Left out: the municipal
arrondissements of Paris, Lyon and Marseille (their postcodes are listed on the commune itself),
delegated and associated communes (their postcodes too), and the collectivités that are not
départements (975 Saint-Pierre-et-Miquelon, 977 Saint-Barthélemy, 978 Saint-Martin, 98x),
so that their postcodes — 97133 and 97150 among them — are refused.

No Django import: this runs on its own, once, when the source changes; the app only reads the CSV.
"""

import csv
import json
import sys
from pathlib import Path

OUTPUT = Path(__file__).with_name("communes.csv")

# Overseas départements; every two-character code (01–95, 2A, 2B) is a mainland one.
OVERSEAS_DEPARTEMENTS = {"971", "972", "973", "974", "976"}


def is_departement(code):
    return len(code) == 2 or code in OVERSEAS_DEPARTEMENTS


def rows(communes):
    """(postcode, INSEE code, name, département) for each postcode of each current commune."""
    for commune in communes:
        if commune["type"] != "commune-actuelle" or not is_departement(commune["departement"]):
            continue
        for postcode in commune.get("codesPostaux", []):
            yield postcode, commune["code"], commune["nom"], commune["departement"]


def main(source):
    communes = json.loads(Path(source).read_text(encoding="utf-8"))
    table = sorted(set(rows(communes)))
    with OUTPUT.open("w", encoding="utf-8", newline="") as output:
        writer = csv.writer(output, delimiter=";", lineterminator="\n")
        writer.writerow(("postcode", "insee", "name", "departement"))
        writer.writerows(table)
    postcodes, communes, departements = ({row[i] for row in table} for i in (0, 1, 3))
    print(
        f"{OUTPUT.name}: {len(table)} rows, {len(postcodes)} postcodes, "
        f"{len(communes)} communes, {len(departements)} départements"
    )
    if len(departements) != 101:
        sys.exit(f"Expected the 101 départements, found {len(departements)}.")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(f"usage: python {sys.argv[0]} path/to/communes.json")
    main(sys.argv[1])
