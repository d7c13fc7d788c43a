"""The world map: the shipped geometry covers natograph's countries, draws as valid SVG, stays small,
is projected as Equal Earth says, and its build (run here on a tiny hand-made TopoJSON, as the
npm packages are not available offline) decodes TopoJSON exactly and gives the same bytes twice.

With the two npm packages at hand (``npm pack world-atlas@2.0.2 i18n-iso-countries@7.14.0``), set
NATOGRAPH_WORLD_ATLAS and NATOGRAPH_ISO_COUNTRIES to them: the shipped file is then rebuilt and
compared byte for byte.
"""

from __future__ import annotations

import gzip
import json
import math
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from natograph.graph import resources
from natograph.pages import worldmap, worldmap_build

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "worldmap"
SVG = "{http://www.w3.org/2000/svg}"
ALPHA2 = URIRef("https://w3id.org/natograph/ontology#iso3166Alpha2")


def natograph_countries() -> set[str]:
    graph = Graph()
    for path in resources.data_files():
        graph.parse(path, format="turtle")
    return {str(code) for code in graph.objects(None, ALPHA2)}


def uncovered(world: worldmap.WorldMap, codes: set[str]) -> list[str]:
    """The codes the map can show neither as a shape nor as a marker inside its viewBox."""
    x0, y0, width, height = world.view_box
    out = []
    for code in sorted(codes):
        country = world.countries.get(code)
        inside = country is not None and x0 <= country.point[0] <= x0 + width and y0 <= country.point[1] <= y0 + height
        if country is None or not (country.d or (country.small and inside)):
            out.append(code)
    return out


def rings(d: str) -> list[list[tuple[int, int]]]:
    """The absolute points of each ring of a path written as worldmap_build writes them."""
    out = []
    for move, lines in re.findall(r"M(\d+ \d+)l([^z]*)z", d):
        x, y = (int(v) for v in move.split())
        points = [(x, y)]
        numbers = [int(v) for v in re.findall(r"-?\d+", lines)]
        for dx, dy in zip(numbers[::2], numbers[1::2], strict=True):
            x, y = x + dx, y + dy
            points.append((x, y))
        out.append(points)
    return out


def inside(point: tuple[float, float], d: str) -> bool:
    """Even-odd: is *point* inside the path, as the SVG is filled (fill-rule evenodd)?"""
    x, y = point
    crossings = 0
    for ring in rings(d):
        for (x0, y0), (x1, y1) in zip(ring, [*ring[1:], ring[0]], strict=True):
            if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
                crossings += 1
    return crossings % 2 == 1


# ---------------------------------------------------------------------------
# The shipped file
# ---------------------------------------------------------------------------


def test_every_natograph_country_has_a_shape_or_a_marker():
    codes = natograph_countries()
    assert len(codes) >= 70
    assert uncovered(worldmap.load(), codes) == []


def test_the_coverage_check_catches_a_missing_country_and_a_marker_off_the_map():
    """The check above can fail: a map without Malta, and one with Bahrain's point off the map."""
    world = worldmap.load()
    without_malta = {code: c for code, c in world.countries.items() if code != "MT"}
    bahrain = world.countries["BH"]
    off_map = {**world.countries, "BH": worldmap.Country("BH", None, (-5.0, 10.0), True, bahrain.names)}
    assert uncovered(worldmap.WorldMap(world.view_box, world.scale, world.translate, without_malta), {"MT", "FR"}) == ["MT"]
    assert uncovered(worldmap.WorldMap(world.view_box, world.scale, world.translate, off_map), {"BH", "FR"}) == ["BH"]


def test_the_countries_natural_earth_lacks_at_1_110m_are_the_documented_ones():
    world = worldmap.load()
    codes = natograph_countries()
    assert sorted(c for c in codes if not world.countries[c].d) == ["BH", "MT"]
    assert sorted(c for c in codes if world.countries[c].d and world.countries[c].small) == \
        ["IL", "KW", "LU", "ME", "MK", "QA", "SI"]
    notes = (worldmap.FILE.parent / "world-110m.LICENSE.md").read_text(encoding="utf-8")
    for name in ("Malta (MT)", "Bahrain (BH)", "Israel (IL)", "North\nMacedonia (MK)", "Slovenia (SI)"):
        assert name in notes


def test_the_file_is_small():
    data = worldmap.FILE.read_bytes()
    assert len(data) <= 120_000
    assert len(gzip.compress(data)) <= 30_000


def test_every_shape_stays_in_the_viewbox_and_no_edge_crosses_the_map():
    """An edge longer than a tenth of the map is a ring joined across the 180° meridian."""
    world = worldmap.load()
    x0, y0, width, height = world.view_box
    for code, country in world.countries.items():
        for ring in rings(country.d or ""):
            assert len(ring) >= 3, code
            for (xa, ya), (xb, yb) in zip(ring, [*ring[1:], ring[0]], strict=True):
                assert x0 <= xa <= x0 + width and y0 <= ya <= y0 + height, code
                assert math.hypot(xb - xa, yb - ya) < width / 10, (code, (xa, ya), (xb, yb))


def test_each_marker_point_is_inside_its_country():
    world = worldmap.load()
    for code, country in world.countries.items():
        if country.d:
            assert inside(country.point, country.d), code


def test_capitals_land_in_their_countries():
    """Coordinates of each capital to 0.01°, as atlases give them; Valletta and Manama by their markers."""
    world = worldmap.load()
    for code, lon, lat in (("FR", 2.35, 48.86), ("US", -77.04, 38.91), ("AU", 149.13, -35.28), ("JP", 139.69, 35.69),
                           ("UA", 30.52, 50.45), ("MN", 106.91, 47.92), ("CO", -74.07, 4.71)):
        assert inside(world.project(lon, lat), world.countries[code].d), code
    for code, lon, lat in (("MT", 14.51, 35.90), ("BH", 50.58, 26.23)):
        x, y = world.project(lon, lat)
        px, py = world.countries[code].point
        assert math.hypot(x - px, y - py) < 6, code  # under 6 units of 2000: a marker's radius


# ---------------------------------------------------------------------------
# The projection
# ---------------------------------------------------------------------------


def test_equal_earth_lands_where_the_formulas_say():
    a1, a2, a3, a4, m = 1.340264, -0.081106, 0.000893, 0.003796, math.sqrt(3) / 2
    assert worldmap.equal_earth(0, 0) == (0.0, 0.0)
    # On the equator theta = 0: x = lambda / (M A1).
    assert worldmap.equal_earth(180, 0)[0] == pytest.approx(math.pi / (m * a1), rel=1e-12)
    assert worldmap.equal_earth(-180, 0)[0] == pytest.approx(-math.pi / (m * a1), rel=1e-12)
    # At the pole sin(theta) = M, so theta = pi/3: y is the polynomial there, and the pole is a line
    # (x is not 0 away from the central meridian).
    t = math.pi / 3
    pole = t * (a1 + a2 * t**2 + a3 * t**6 + a4 * t**8)
    assert worldmap.equal_earth(0, 90) == pytest.approx((0, pole), rel=1e-12)
    end = math.pi * 0.5 / (m * (a1 + 3 * a2 * t**2 + 7 * a3 * t**6 + 9 * a4 * t**8))
    assert worldmap.equal_earth(180, 90) == pytest.approx((end, pole), rel=1e-12)
    assert worldmap.equal_earth(-20, -35) == pytest.approx(tuple(-v for v in worldmap.equal_earth(20, 35)), rel=1e-12)


def test_equal_earth_keeps_areas():
    """The Jacobian of (x, y) over (lambda, sin phi) is the same everywhere: the projection is equal-area."""
    def determinant(lon, lat, h=1e-4):
        def at(lam, s):
            return worldmap.equal_earth(math.degrees(lam), math.degrees(math.asin(s)))
        lam, s = math.radians(lon), math.sin(math.radians(lat))
        (xa, ya), (xb, yb) = at(lam + h, s), at(lam - h, s)
        (xc, yc), (xd, yd) = at(lam, s + h), at(lam, s - h)
        return ((xa - xb) * (yc - yd) - (xc - xd) * (ya - yb)) / (4 * h * h)

    expected = determinant(0, 0)
    for lon, lat in ((10, 10), (-120, 45), (170, -70), (60, 80)):
        assert determinant(lon, lat) == pytest.approx(expected, rel=1e-6)


def test_the_viewbox_puts_the_equator_ends_and_the_pole_at_its_edges():
    world = worldmap.load()
    assert world.view_box[:3] == (0, 0, 2000)
    assert world.project(0, 0) == pytest.approx((1000, world.translate[1]), abs=1e-4)
    assert world.project(180, 0) == pytest.approx((2000, world.translate[1]), abs=1e-4)
    assert world.project(-180, 0) == pytest.approx((0, world.translate[1]), abs=1e-4)
    assert world.project(0, 90) == pytest.approx((1000, 0), abs=1e-4)
    assert world.project(0, -60)[1] == pytest.approx(world.view_box[3], abs=1)  # the map stops at 60°S


# ---------------------------------------------------------------------------
# The SVG
# ---------------------------------------------------------------------------


def test_the_svg_parses_and_carries_a_path_title_and_marker_per_country():
    world = worldmap.load()
    colours = {"FR": "member", "MT": "pfp", "LU": "member", "UA": "pfp"}
    svg = worldmap.world_svg(colours, titles={"FR": 'France <"member"> & co'}, lang="fr", label="Carte")
    root = ET.fromstring(svg)
    assert root.tag == SVG + "svg" and root.get("viewBox") == "0 0 2000 889" and root.get("aria-label") == "Carte"
    paths = root.findall(f".//{SVG}path")
    assert len(paths) == sum(1 for c in world.countries.values() if c.d)
    assert len({p.get("id") for p in paths}) == len(paths)
    by_code = {p.get("data-code"): p for p in paths}
    assert by_code["FR"].get("id") == "map-FR" and by_code["FR"].get("class") == "member"
    assert by_code["FR"].find(f"{SVG}title").text == 'France <"member"> & co'
    assert by_code["UA"].find(f"{SVG}title").text == "Ukraine"
    assert by_code["DE"].find(f"{SVG}title").text == "Allemagne" and by_code["DE"].get("class") is None
    markers = {c.get("data-code"): c for c in root.findall(f".//{SVG}circle")}
    assert set(markers) == {"MT", "LU"}  # coloured and small; France and Ukraine are not small
    assert markers["MT"].get("class") == "pfp" and markers["MT"].find(f"{SVG}title").text == "Malte"
    assert (float(markers["MT"].get("cx")), float(markers["MT"].get("cy"))) == world.countries["MT"].point


def test_links_wrap_shapes_and_only_safe_links_are_taken():
    svg = worldmap.world_svg({"MT": "pfp"}, links={"MT": "id/country/MT?lang=fr&x=1", "FR": "https://example.org/FR"})
    root = ET.fromstring(svg)
    links = root.findall(f".//{SVG}a")
    assert {a.get("href") for a in links} == {"id/country/MT?lang=fr&x=1", "https://example.org/FR"}
    assert {child.get("data-code") for a in links for child in a if child.tag != SVG + "title"} == {"MT", "FR"}
    assert root.get("role") == "group"  # not "img", whose content (the links) assistive technology skips
    assert links[0][0].tag == SVG + "title"  # the link's name
    for bad in ("javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "\tjavascript:x", "data:text/html,x"):
        with pytest.raises(ValueError, match="not a link"):
            worldmap.world_svg({}, links={"FR": bad})
    assert ET.fromstring(worldmap.world_svg({})).get("role") == "img"


def test_a_file_with_something_else_than_a_path_is_refused():
    document = json.loads(worldmap.FILE.read_text(encoding="utf-8"))
    document["countries"]["FR"]["d"] += '"/><script>alert(1)</script><path d="'
    with pytest.raises(ValueError, match="'FR'"):
        worldmap.parse(document)
    document = json.loads(worldmap.FILE.read_text(encoding="utf-8"))
    document["projection"]["name"] = "Mercator"
    with pytest.raises(ValueError, match="Mercator"):
        worldmap.parse(document)


# ---------------------------------------------------------------------------
# The build, on a tiny TopoJSON
# ---------------------------------------------------------------------------


def build(tmp_path: Path, *extra: str, atlas: Path = FIXTURE / "world-atlas", name: str = "out.json"):
    out = tmp_path / name
    done = subprocess.run([sys.executable, "-m", "natograph.pages.worldmap_build", str(atlas),
                           str(FIXTURE / "i18n-iso-countries"), "--out", str(out), *extra],
                          capture_output=True, text=True, timeout=120)
    return done, out


def test_topojson_arcs_are_decoded_exactly():
    topology = json.loads((FIXTURE / "world-atlas" / "countries-110m.json").read_text(encoding="utf-8"))
    arcs = worldmap_build.decode_arcs(topology)
    assert arcs[0] == [(10, 40), (10, 50)]
    assert arcs[3] == [(178, -16), (-178, -16), (-178, -20), (178, -20), (178, -16)]
    germany = topology["objects"]["countries"]["geometries"][1]
    outer, island = (worldmap_build.ring(r, arcs) for (r,) in worldmap_build.polygons(germany))
    assert outer == [(10, 40), (20, 40), (20, 50), (10, 50), (10, 40)]  # arc 2, then arc 0 reversed (index -1)
    assert island == [(25, 55), (27, 55), (27, 57), (25, 57), (25, 55)]
    unquantized = json.loads((FIXTURE / "world-atlas" / "countries-50m.json").read_text(encoding="utf-8"))
    assert worldmap_build.decode_arcs(unquantized)[0][2] == (14.5, 36.0)


def test_a_ring_across_180_degrees_is_cut_in_two():
    west, east = worldmap_build.cut([(178, -16), (-178, -16), (-178, -20), (178, -20), (178, -16)])
    assert sorted(west) == sorted([(178, -16), (180, -16), (180, -20), (178, -20), (178, -16)])
    assert sorted(east) == sorted([(-180, -16), (-178, -16), (-178, -20), (-180, -20)])


def test_the_build_is_exact_and_gives_the_same_bytes_twice(tmp_path):
    first, out = build(tmp_path)
    assert first.returncode == 0, first.stderr
    again, out2 = build(tmp_path, name="again.json")
    assert again.returncode == 0, again.stderr
    assert out.read_bytes() == out2.read_bytes()
    world = worldmap.parse(json.loads(out.read_bytes()))
    assert sorted(world.countries) == ["DE", "FJ", "FR", "MT", "XK"]  # Antarctica left out, Kosovo by name

    def corners(*points):
        return [tuple(round(v) for v in world.project(lon, lat)) for lon, lat in points]

    assert rings(world.countries["FR"].d) == [corners((10, 40), (10, 50), (0, 50), (0, 40))]
    assert rings(world.countries["DE"].d) == [corners((10, 40), (20, 40), (20, 50), (10, 50)),
                                              corners((25, 55), (27, 55), (27, 57), (25, 57))]
    fiji = rings(world.countries["FJ"].d)
    assert sorted(fiji) == sorted([corners((178, -16), (180, -16), (180, -20), (178, -20)),
                                   corners((-180, -16), (-178, -16), (-178, -20), (-180, -20))])
    malta = world.countries["MT"]
    assert malta.d is None and malta.small and malta.names == {"en": "Malta", "fr": "Malte"}
    (left, top), (right, bottom) = world.project(14.25, 36), world.project(14.5, 35.75)
    assert left < malta.point[0] < right and top < malta.point[1] < bottom
    assert world.countries["DE"].names["en"] == "Germany"  # the first, official, form of a list
    assert world.countries["XK"].small and not world.countries["FR"].small


def test_bad_inputs_are_refused_in_one_line_and_leave_the_output_alone(tmp_path):
    atlas = tmp_path / "atlas"
    atlas.mkdir()
    (atlas / "package.json").write_text('{"version": "1"}', encoding="utf-8")
    (atlas / "countries-50m.json").write_bytes((FIXTURE / "world-atlas" / "countries-50m.json").read_bytes())
    topology = json.loads((FIXTURE / "world-atlas" / "countries-110m.json").read_text(encoding="utf-8"))
    (tmp_path / "out.json").write_text("kept", encoding="utf-8")
    for change, message in (
        (lambda t: t["objects"]["countries"]["geometries"][0].update(id="999"), "'France' has the numeric code 999"),
        (lambda t: t["objects"]["countries"]["geometries"][3]["properties"].update(name="Atlantis"),
         "'Atlantis' has no numeric code and no entry in BY_NAME"),
        (lambda t: t["objects"]["countries"]["geometries"][0].update(type="LineString"), "not a Polygon"),
        (lambda t: t["objects"]["countries"]["geometries"][0].update(arcs=[[0, 99]]), "FR's arcs cannot be read"),
    ):
        broken = json.loads(json.dumps(topology))
        change(broken)
        (atlas / "countries-110m.json").write_text(json.dumps(broken), encoding="utf-8")
        done, out = build(tmp_path, atlas=atlas)
        assert done.returncode == 2, done.stderr
        assert done.stderr.count("\n") == 1 and message in done.stderr, done.stderr
        assert out.read_text(encoding="utf-8") == "kept"
    (atlas / "countries-110m.json").write_text("[]", encoding="utf-8")
    done, _ = build(tmp_path, atlas=atlas)
    assert done.returncode == 2 and done.stderr.startswith("error: ") and done.stderr.count("\n") == 1, done.stderr
    (atlas / "countries-110m.json").write_text("{", encoding="utf-8")
    done, _ = build(tmp_path, atlas=atlas)
    assert done.returncode == 2 and "countries-110m.json is not JSON" in done.stderr
    done, _ = build(tmp_path, "--tolerance", "11")
    assert done.returncode == 2 and "between 0 and 10" in done.stderr
    done, _ = build(tmp_path, atlas=tmp_path / "missing.tgz")
    assert done.returncode == 2 and "cannot read package.json" in done.stderr


@pytest.mark.skipif(not (os.environ.get("NATOGRAPH_WORLD_ATLAS") and os.environ.get("NATOGRAPH_ISO_COUNTRIES")),
                    reason="set NATOGRAPH_WORLD_ATLAS and NATOGRAPH_ISO_COUNTRIES to the npm packages to rebuild the map")
def test_the_shipped_file_is_what_the_build_makes_of_the_npm_packages():
    data = worldmap_build.build(Path(os.environ["NATOGRAPH_WORLD_ATLAS"]), Path(os.environ["NATOGRAPH_ISO_COUNTRIES"]))
    assert data == worldmap.FILE.read_bytes()
