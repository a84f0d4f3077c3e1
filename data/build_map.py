"""Build data/geo/europe_countries.geojson, the base layer of the offline map.

Maintainer tool, not imported by the application. Standard library only.

Usage:
    python data/build_map.py /work/shared/data            # folder holding geo/ne_110m_admin_0_countries.geojson
    python data/build_map.py /work/shared/data --check    # compare with the committed file (exit 1 if different)

Inputs: Natural Earth 1:110m Admin 0 – Countries (public domain; see data/README.md): the
countries of Europe and nine neighbours, so that the mission's associated cities (Istanbul,
Izmir, Eilat) and the Mediterranean edge lie on the map. Malta is too small for the 1:110m
scale and has no shape there; its outline (Malta, Gozo) is taken from Natural Earth 1:50m
(nvkelso/natural-earth-vector, geojson/ne_50m_admin_0_countries.geojson, commit
0a11ac3093f1084f0119e436583f5f271a24ed42, public domain), copied below, so that Gozo, a
mission city, sits on land. Properties are reduced to `iso_a2` and `name`, coordinates
rounded to 3 decimals (about 100 m).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent / "geo" / "europe_countries.geojson"
SOURCE = Path("geo") / "ne_110m_admin_0_countries.geojson"
NEIGHBOURS = ("TR", "CY", "GE", "AM", "AZ", "IL", "MA", "TN", "DZ")

MALTA = {
    "type": "Feature",
    "properties": {"iso_a2": "MT", "name": "Malta"},
    "geometry": {
        "type": "MultiPolygon",
        "coordinates": [
            [
                [
                    [14.566211, 35.852734],
                    [14.532715, 35.820215],
                    [14.436426, 35.82168],
                    [14.352344, 35.872266],
                    [14.35127, 35.978418],
                    [14.44834, 35.957422],
                    [14.537012, 35.886279],
                    [14.566211, 35.852734],
                ]
            ],
            [
                [
                    [14.313477, 36.027588],
                    [14.253613, 36.012158],
                    [14.194238, 36.042236],
                    [14.180371, 36.0604],
                    [14.263281, 36.075781],
                    [14.303711, 36.062305],
                    [14.320898, 36.03623],
                    [14.313477, 36.027588],
                ]
            ],
        ],
    },
}


def rounded(value):
    if isinstance(value, list):
        return [rounded(v) for v in value]
    return round(value, 3)


def build(folder: Path) -> dict:
    world = json.loads((folder / SOURCE).read_text(encoding="utf-8"))
    features = []
    for feature in world["features"]:
        props = feature["properties"]
        if props["CONTINENT"] != "Europe" and props["ISO_A2"] not in NEIGHBOURS:
            continue
        geometry = feature["geometry"]
        features.append(
            {
                "type": "Feature",
                "properties": {"iso_a2": props["ISO_A2"], "name": props["NAME"]},
                "geometry": {"type": geometry["type"], "coordinates": rounded(geometry["coordinates"])},
            }
        )
    malta = dict(MALTA, geometry=dict(MALTA["geometry"], coordinates=rounded(MALTA["geometry"]["coordinates"])))
    return {"type": "FeatureCollection", "features": [*features, malta]}


def render(collection: dict) -> str:
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="folder holding geo/ne_110m_admin_0_countries.geojson")
    parser.add_argument("--check", action="store_true", help="compare with the committed file")
    args = parser.parse_args()
    text = render(build(args.folder))
    if args.check:
        same = OUTPUT.read_text(encoding="utf-8") == text
        print("# OK" if same else f"# {OUTPUT} differs: run without --check", file=sys.stderr)
        return 0 if same else 1
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"# wrote {OUTPUT}: {len(json.loads(text)['features'])} countries", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
