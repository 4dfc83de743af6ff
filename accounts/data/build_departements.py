"""Build departements.csv, the population of each département, from Etalab's data files.

Source: the npm package @etalab/decoupage-administratif, version 6.0.0 (the 2026 vintage), the
same as communes.csv: data/departements.json for the names, data/communes.json for the
populations (INSEE's *population légale* of each commune; Mayotte's from INSEE's 2017 census,
as the package documents). Its data are under the Licence Ouverte / Open Licence 2.0 (Etalab),
which allows reuse with attribution ("Etalab, @etalab/decoupage-administratif 6.0.0, INSEE");
its code is MIT. To refresh the table:

    cd /tmp && npm pack @etalab/decoupage-administratif@6.0.0 && tar xzf etalab-*.tgz
    python accounts/data/build_departements.py /tmp/package/data

A département's population is the sum over its current communes ("commune-actuelle"). The
municipal arrondissements of Paris, Lyon and Marseille are left out: the commune itself carries
their total. Only the 101 départements are kept (01–95 with 2A and 2B, 971–974, 976), not the
collectivités (975, 977, 978, 98x).

Used by the national benchmark (bench/national.py) to spread synthetic needs and offers in
proportion to population. No Django import: this runs on its own, once, when the source changes.
"""

import csv
import json
import sys
from collections import Counter
from pathlib import Path

OUTPUT = Path(__file__).with_name("departements.csv")

# Overseas départements; every two-character code (01–95, 2A, 2B) is a mainland one.
OVERSEAS_DEPARTEMENTS = {"971", "972", "973", "974", "976"}


def is_departement(code):
    return len(code) == 2 or code in OVERSEAS_DEPARTEMENTS


def populations(communes):
    """{département: sum of its current communes' populations}."""
    totals = Counter()
    for commune in communes:
        if commune["type"] == "commune-actuelle" and is_departement(commune["departement"]):
            totals[commune["departement"]] += commune.get("population", 0)
    return totals


def rows(departements, totals):
    """(code, name, population) of each of the 101 départements, in the source's order."""
    for departement in departements:
        code = departement["code"]
        if is_departement(code):
            yield code, departement["nom"], totals[code]


def main(data_dir):
    data_dir = Path(data_dir)
    communes = json.loads((data_dir / "communes.json").read_text(encoding="utf-8"))
    departements = json.loads((data_dir / "departements.json").read_text(encoding="utf-8"))
    table = list(rows(departements, populations(communes)))
    with OUTPUT.open("w", encoding="utf-8", newline="") as output:
        writer = csv.writer(output, delimiter=";", lineterminator="\n")
        writer.writerow(("code", "name", "population"))
        writer.writerows(table)
    total = sum(row[2] for row in table)
    print(f"{OUTPUT.name}: {len(table)} départements, {total:,} inhabitants")
    if len(table) != 101:
        sys.exit(f"Expected the 101 départements, found {len(table)}.")
    if empty := [code for code, _, population in table if population <= 0]:
        sys.exit(f"No population for {', '.join(empty)}.")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(f"usage: python {sys.argv[0]} path/to/package/data")
    main(sys.argv[1])
