"""Build ``static/world-110m.json``, the world map's geometry (a maintainer's command, not a user's).

    npm pack world-atlas@2.0.2 i18n-iso-countries@7.14.0      # in a scratch folder
    python -m natograph.pages.worldmap_build world-atlas-2.0.2.tgz i18n-iso-countries-7.14.0.tgz

Each argument is an npm package, as the ``.tgz`` that ``npm pack`` writes or as its unpacked folder.
world-atlas carries Natural Earth's admin-0 countries as TopoJSON, keyed by ISO 3166-1 numeric code;
i18n-iso-countries carries the numeric to alpha-2 table (``codes.json``) and the English and French
names. The TopoJSON is decoded here (quantized, delta-encoded arcs), each arc projected once with
Equal Earth and simplified (Douglas-Peucker, shared borders stay shared), and the rings written as
SVG paths with rounded coordinates. The same inputs give the same bytes.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import sys
import tarfile
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from .worldmap import FILE, PROJECTION, equal_earth

WIDTH = 2000  # viewBox units from 180°W to 180°E along the equator; coordinates are whole units
SOUTH = -60.0  # the viewBox stops here: Antarctica is left out, nothing else lies further south
EARTH_RADIUS_KM = 6371.0088  # the mean radius (IUGG): turns the equal-area map's units into km²
SCALE = WIDTH / (2 * equal_earth(180, 0)[0])
NORTH_EDGE = equal_earth(0, 90)[1]
# Features of world-atlas 2.0.2 without an ISO numeric code, matched by their name.
BY_NAME = {
    "Kosovo": "XK",  # not an ISO code: the user-assigned code i18n-iso-countries (and the EU) use
    "N. Cyprus": "CY",  # drawn with Cyprus, as ISO 3166 and the UN list it
    "Somaliland": "SO",  # drawn with Somalia, likewise
    "Indian Ocean Ter.": None,  # 1:50m only: Australian territories with codes of their own (CX, CC), left out
    "Siachen Glacier": None,  # 1:50m only: a disputed glacier, no country of its own
}
LEFT_OUT = {"AQ"}  # Antarctica: no country, and half the map's height


MAX_BYTES = 64 * 1024 * 1024  # the largest input file read (world-atlas's largest is 3.7 MB)


class BuildError(Exception):
    """An input the build cannot use; its message is one line."""


def package_reader(path: Path) -> Callable[[str], bytes]:
    """read(name) for the files of an npm package, given as a folder or as ``npm pack``'s .tgz."""

    def read(name: str) -> bytes:
        try:
            if path.is_dir():
                size, data = (path / name).stat().st_size, None
                if size <= MAX_BYTES:
                    data = (path / name).read_bytes()
            else:
                with tarfile.open(path, "r:gz") as archive:
                    member = archive.getmember("package/" + name)
                    size, data = member.size, None
                    if size <= MAX_BYTES:
                        data = archive.extractfile(member).read()
        except KeyError:
            raise BuildError(f"{path}: no package/{name} in the archive") from None
        except (OSError, tarfile.TarError) as error:
            raise BuildError(f"{path}: cannot read {name} ({getattr(error, 'strerror', None) or error})") from None
        if data is None:
            raise BuildError(f"{path}: {name} is {size} bytes, over the {MAX_BYTES}-byte bound")
        return data

    return read


def read_json(read: Callable[[str], bytes], name: str, origin: Path):
    try:
        return json.loads(read(name))
    except ValueError as error:
        raise BuildError(f"{origin}: {name} is not JSON ({error})") from None


# --- TopoJSON (https://github.com/topojson/topojson-specification) -------------------------------

def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Every arc as (lon, lat) points: quantized arcs are delta-encoded integers (specification 2.1.3)."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([(float(p[0]), float(p[1])) for p in arc])
            continue
        (kx, ky), (dx, dy) = transform["scale"], transform["translate"]
        x = y = 0
        points = []
        for p in arc:
            x += p[0]
            y += p[1]
            points.append((x * kx + dx, y * ky + dy))
        arcs.append(points)
    return arcs


def polygons(geometry: dict, what: str = "a country") -> list[list[list[int]]]:
    """A geometry's polygons, each a list of rings, each a list of arc indexes."""
    kind = geometry.get("type")
    if kind == "Polygon":
        return [geometry["arcs"]]
    if kind == "MultiPolygon":
        return geometry["arcs"]
    if kind is None:
        return []
    raise BuildError(f"{what} is a {kind}, not a Polygon or MultiPolygon")


def ring(indexes: Sequence[int], arcs: Sequence[Sequence[tuple[float, float]]]) -> list[tuple[float, float]]:
    """Join a ring's arcs: a negative index ~i is arc i reversed; each arc starts where the last ended."""
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


# --- Projection, simplification, rounding ---------------------------------------------------------

def _steps(points: Sequence):
    """Each point with the next one (an open line)."""
    return itertools.pairwise(points)


def _edges(points: Sequence):
    """Each point with the next one, the last with the first (a ring)."""
    return zip(points, [*points[1:], points[0]], strict=True)


def project(lon: float, lat: float) -> tuple[float, float]:
    x, y = equal_earth(lon, lat)
    return WIDTH / 2 + SCALE * x, SCALE * (NORTH_EDGE - y)


def simplify(points: Sequence[tuple[float, float]], tolerance: float) -> list[int]:
    """Douglas-Peucker: the indexes of the points kept when those closer than *tolerance* to the line
    that replaces them are dropped; the ends stay."""
    keep = [True] * len(points)
    if len(points) < 3 or tolerance <= 0:
        return list(range(len(points)))
    keep[1:-1] = [False] * (len(points) - 2)
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        length = math.hypot(bx - ax, by - ay)
        far, index = -1.0, first
        for i in range(first + 1, last):
            px, py = points[i]
            if length:
                distance = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length
            else:
                distance = math.hypot(px - ax, py - ay)
            if distance > far:
                far, index = distance, i
        if far > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [i for i, kept in enumerate(keep) if kept]


def cut(points: Sequence[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """A ring that crosses the antimeridian (a step of more than 180° of longitude, as Fiji's and
    Russia's do in world-atlas) cut into a ring each side of it; any other ring as it is."""
    if all(abs(b[0] - a[0]) <= 180 for a, b in _steps(points)):
        return [list(points)]
    unwrapped = [points[0]]
    for lon, lat in points[1:]:
        previous = unwrapped[-1][0]
        lon += 360 * round((previous - lon) / 360)
        unwrapped.append((lon, lat))
    if abs(unwrapped[-1][0] - unwrapped[0][0]) > 1e-9:
        raise BuildError("a ring goes round the pole (as Antarctica's does): it cannot be drawn")
    edge = 180.0 if max(lon for lon, _ in unwrapped) > 180 else -180.0
    near, far = _clip(unwrapped, edge, edge < 0), _clip(unwrapped, edge, edge > 0)
    return [r for r in (near, [(lon - math.copysign(360, edge), lat) for lon, lat in far]) if len(r) >= 3]


def _clip(points: Sequence[tuple[float, float]], edge: float, east: bool) -> list[tuple[float, float]]:
    """Sutherland-Hodgman: the part of a ring east (or west) of the meridian *edge*."""
    out = []
    for (x0, y0), (x1, y1) in _edges(points):
        in0, in1 = (x0 >= edge) == east or x0 == edge, (x1 >= edge) == east or x1 == edge
        if in0:
            out.append((x0, y0))
        if in0 != in1 and x0 != edge and x1 != edge:
            out.append((edge, y0 + (edge - x0) * (y1 - y0) / (x1 - x0)))
    return out


def rounded(points: Iterable[tuple[float, float]]) -> list[tuple[int, int]]:
    """Points rounded to whole units, a point equal to the one before it dropped."""
    out: list[tuple[int, int]] = []
    for x, y in points:
        p = (round(x), round(y))
        if not out or p != out[-1]:
            out.append(p)
    return out


def area(points: Sequence[tuple[float, float]]) -> float:
    """The signed area of a closed ring (shoelace; positive when clockwise on screen, y down)."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in _edges(points)) / 2


def path_data(rings: Iterable[Sequence[tuple[int, int]]]) -> str:
    """SVG path data: an absolute move to each ring's start, relative lines on, a close."""
    parts = []
    for points in rings:
        numbers = [f"{x - px} {y - py}".replace(" -", "-") for (px, py), (x, y) in _steps(points)]
        parts.append(f"M{points[0][0]} {points[0][1]}l" + "".join(
            n if i == 0 or n.startswith("-") else " " + n for i, n in enumerate(numbers)) + "z")
    return "".join(parts)


# --- Countries --------------------------------------------------------------------------------------

def country_code(geometry: dict, codes: dict[str, str], origin: str) -> str | None:
    """The alpha-2 code of a world-atlas feature: by its numeric ``id``, else by its name (BY_NAME)."""
    name = geometry.get("properties", {}).get("name", "")
    if "id" in geometry:
        try:
            return codes[geometry["id"]]
        except KeyError:
            raise BuildError(f"{origin}: {name!r} has the numeric code {geometry['id']}, not in codes.json") from None
    try:
        return BY_NAME[name]
    except KeyError:
        raise BuildError(f"{origin}: {name!r} has no numeric code and no entry in BY_NAME") from None


def countries(topology: dict, codes: dict[str, str], origin: str, tolerance: float) -> dict[str, list]:
    """{alpha-2: polygons}, each polygon a list of rings of projected (x, y) points, its outer ring first.
    Each arc is simplified once, so the borders two countries share stay the same line."""
    try:
        arcs = []
        for arc in decode_arcs(topology):
            arcs.append([arc[i] for i in simplify([project(lon, lat) for lon, lat in arc], tolerance)])
        geometries = topology["objects"]["countries"]["geometries"]
    except (KeyError, TypeError, ValueError, IndexError) as error:
        raise BuildError(f"{origin}: not world-atlas's TopoJSON ({type(error).__name__}: {error})") from None
    found: dict[str, list] = {}
    for geometry in geometries:
        code = country_code(geometry, codes, origin)
        if code is None or code in LEFT_OUT:
            continue
        for polygon in polygons(geometry, f"{origin}: {code}"):
            try:
                outer, *holes = [ring(r, arcs) for r in polygon]
            except (IndexError, TypeError, ValueError) as error:
                raise BuildError(f"{origin}: {code}'s arcs cannot be read ({error})") from None
            pieces = cut(outer)
            for i, piece in enumerate(pieces):
                rings = [piece, *holes] if i == 0 else [piece]
                found.setdefault(code, []).append([[project(lon, lat) for lon, lat in r] for r in rings])
    return found


def drawn(polygons_: list) -> list[list[tuple[int, int]]]:
    """The rings to draw: rounded, closing point dropped (the path's z closes), rings that rounding
    flattened left out."""
    out = []
    for polygon in polygons_:
        for points in polygon:
            points = rounded(points)
            if len(points) > 1 and points[0] == points[-1]:
                points.pop()
            if len(points) >= 3 and area(points):
                out.append(points)
    return out


def inside(x: float, y: float, points: Sequence[tuple[float, float]]) -> bool:
    """Even-odd rule: a ray from (x, y) eastwards crosses the ring an odd number of times."""
    crossings = False
    for (x0, y0), (x1, y1) in _edges(points):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            crossings = not crossings
    return crossings


def marker_point(polygons_: list) -> tuple[float, float]:
    """A point inside the country's largest polygon: its outer ring's centroid when that is inside
    (and outside its holes), else the middle of the widest span across it at the centroid's height."""
    polygon = max(polygons_, key=lambda rings: abs(area(rings[0])))
    outer = polygon[0]
    a = area(outer)
    if not a:  # a flat ring: any of its points
        return outer[0]
    cx = sum((x0 + x1) * (x0 * y1 - x1 * y0) for (x0, y0), (x1, y1) in _edges(outer)) / (6 * a)
    cy = sum((y0 + y1) * (x0 * y1 - x1 * y0) for (x0, y0), (x1, y1) in _edges(outer)) / (6 * a)
    if sum(inside(cx, cy, r) for r in polygon) % 2:
        return cx, cy
    xs = sorted(x0 + (cy - y0) * (x1 - x0) / (y1 - y0) for r in polygon
                for (x0, y0), (x1, y1) in _edges(r) if (y0 > cy) != (y1 > cy))
    spans = list(zip(xs[::2], xs[1::2], strict=False))
    if not spans:  # the centroid's height only touches a vertex
        return cx, cy
    left, right = max(spans, key=lambda span: span[1] - span[0])
    return (left + right) / 2, cy


def km2(polygons_: list) -> float:
    """The country's area from the equal-area map (outer rings less holes)."""
    units = sum(abs(area(p[0])) - sum(abs(area(r)) for r in p[1:]) for p in polygons_)
    return units * (EARTH_RADIUS_KM / SCALE) ** 2


# --- The file -------------------------------------------------------------------------------------

def build(world_atlas: Path, iso_countries: Path, *, tolerance: float = 1.0, small_km2: float = 25_000) -> bytes:
    """The bytes of ``world-110m.json`` from the two npm packages."""
    atlas, iso = package_reader(world_atlas), package_reader(iso_countries)
    atlas_version = read_json(atlas, "package.json", world_atlas).get("version")
    iso_version = read_json(iso, "package.json", iso_countries).get("version")
    try:
        codes = {numeric: alpha2 for alpha2, _, numeric, *_ in read_json(iso, "codes.json", iso_countries)}
        names = {lang: read_json(iso, f"langs/{lang}.json", iso_countries)["countries"] for lang in ("en", "fr")}
    except (KeyError, TypeError, ValueError) as error:
        raise BuildError(f"{iso_countries}: not i18n-iso-countries's codes.json and langs/ ({error})") from None
    coarse = countries(read_json(atlas, "countries-110m.json", world_atlas), codes, "countries-110m.json", tolerance)
    fine = countries(read_json(atlas, "countries-50m.json", world_atlas), codes, "countries-50m.json", 0)
    height = math.ceil(project(0, SOUTH)[1])
    entries = {}
    for code in sorted(coarse.keys() | fine.keys()):
        shapes = drawn(coarse.get(code, []))
        source = coarse[code] if shapes else fine.get(code) or coarse[code]
        for x, y in (p for r in shapes for p in r):
            if not (0 <= x <= WIDTH and 0 <= y <= height):
                raise BuildError(f"countries-110m.json: {code} reaches ({x}, {y}), outside the viewBox 0 0 {WIDTH} {height}")
        entry = {"names": {lang: _name(names[lang], code, lang) for lang in names},
                 "point": [round(v, 1) + 0.0 for v in marker_point(source)]}
        if shapes:
            entry["d"] = path_data(shapes)
        if not shapes or km2(source) < small_km2:
            entry["small"] = True
        entries[code] = entry
    document = {
        "about": "The world's countries for natograph's map: Natural Earth (public domain) 1:110m admin-0 countries, "
                 "projected and simplified; see world-110m.LICENSE.md.",
        "source": {"world-atlas": atlas_version, "i18n-iso-countries": iso_version},
        "projection": {"name": PROJECTION, "scale": round(SCALE, 6), "translate": [WIDTH / 2, round(SCALE * NORTH_EDGE, 6)]},
        "viewBox": [0, 0, WIDTH, height],
        "simplified": tolerance,
        "smallKm2": small_km2,
        "countries": entries,
    }
    return (json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode("utf-8")


def _name(table: dict, code: str, lang: str) -> str:
    name = table.get(code)
    if not name:
        raise BuildError(f"i18n-iso-countries: no {lang} name for {code}")
    return name[0] if isinstance(name, list) else name  # a list starts with the official name


def write_atomically(target: Path, data: bytes) -> None:
    """Write *data* to *target* whole or not at all."""
    handle, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(tmp, 0o644)  # mkstemp makes it 0600; the file ships to every reader
        os.replace(tmp, target)
    except BaseException:
        os.unlink(tmp)
        raise


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m natograph.pages.worldmap_build", description=__doc__.split("\n\n")[0])
    parser.add_argument("world_atlas", type=Path, help="the world-atlas npm package (.tgz or folder)")
    parser.add_argument("iso_countries", type=Path, help="the i18n-iso-countries npm package (.tgz or folder)")
    parser.add_argument("--out", type=Path, default=FILE, help=f"the file to write (default: {FILE.name} in the package)")
    parser.add_argument("--tolerance", type=float, default=1.0, metavar="UNITS",
                        help=f"Douglas-Peucker tolerance in viewBox units, 0 to 10 (default 1; the map is {WIDTH} wide)")
    parser.add_argument("--small-km2", type=float, default=25_000, metavar="KM2",
                        help="countries smaller than this get a marker, 0 to 1000000 (default 25000)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if not 0 <= args.tolerance <= 10:
            raise BuildError(f"--tolerance {args.tolerance}: must be between 0 and 10")
        if not 0 <= args.small_km2 <= 1_000_000:
            raise BuildError(f"--small-km2 {args.small_km2}: must be between 0 and 1000000")
        data = build(args.world_atlas, args.iso_countries, tolerance=args.tolerance, small_km2=args.small_km2)
        if not args.out.parent.is_dir():
            raise BuildError(f"--out {args.out}: no such folder {args.out.parent}")
        write_atomically(args.out, data)
    except BuildError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except (ArithmeticError, AttributeError, LookupError, TypeError, ValueError) as error:  # a shape no check foresaw
        print(f"error: the inputs are not world-atlas's and i18n-iso-countries's files as expected "
              f"({type(error).__name__}: {error})", file=sys.stderr)
        return 2
    print(f"wrote {args.out} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
