"""The world map: countries as SVG paths, from the file ``static/world-110m.json``.

The file is built by ``natograph.pages.worldmap_build`` (a maintainer's command, see
``static/world-110m.LICENSE.md``) from Natural Earth's 1:110m countries. It holds, for every country
keyed by its ISO 3166-1 alpha-2 code, an SVG path ``d`` in the Equal Earth projection (none for a
country too small for that scale), a ``point`` inside it for a marker, ``small`` when the country
is too small to find on the map, and its names in English and French.

``world_svg({"FR": "member", "MT": "pfp"})`` draws the map: a ``<path>`` per country (``id``,
``data-code``, the class given for it, a ``<title>``), then a ``<circle>`` marker for each
coloured country that is small. Nothing is read at import time.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path

FILE = Path(__file__).resolve().parent / "static" / "world-110m.json"
PROJECTION = "Equal Earth"

# Šavrič, Patterson and Jenny, "The Equal Earth map projection", International Journal of
# Geographical Information Science 33(3), 2019, doi:10.1080/13658816.2018.1504949, equations 1-2.
_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2


def equal_earth(lon: float, lat: float) -> tuple[float, float]:
    """The Equal Earth projection on the unit sphere: degrees in, (x east, y north) out. The
    equator spans x in [-2.7066, 2.7066]; the poles are at y = +-1.3173."""
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(_M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (_M * (_A1 + 3 * _A2 * t2 + t6 * (7 * _A3 + 9 * _A4 * t2)))
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return x, y


@dataclass(frozen=True)
class Country:
    code: str
    d: str | None  # the SVG path; None when Natural Earth's 1:110m has no shape for the country
    point: tuple[float, float]  # inside the country: where a marker goes
    small: bool  # too small to find on the map (or absent from it): drawn with a marker
    names: Mapping[str, str]  # {"en": ..., "fr": ...}


@dataclass(frozen=True)
class WorldMap:
    view_box: tuple[float, float, float, float]
    scale: float  # viewBox units per unit of equal_earth()
    translate: tuple[float, float]  # where equal_earth()'s origin (0°, 0°) lands
    countries: Mapping[str, Country]

    def project(self, lon: float, lat: float) -> tuple[float, float]:
        """Degrees to viewBox coordinates (y down), as the paths in the file were projected."""
        x, y = equal_earth(lon, lat)
        return self.translate[0] + self.scale * x, self.translate[1] - self.scale * y


_CODE = re.compile(r"[A-Z]{2}")
_PATH = re.compile(r"(?:M\d+ \d+l-?\d+(?: ?-\d+| \d+)*z)+")  # what worldmap_build writes: moves, relative lines, closes


def parse(document: Mapping) -> WorldMap:
    """A WorldMap from the file's JSON object; ValueError when it is not one (the paths go into the
    SVG as they are, so each is checked to hold only what the build writes)."""
    projection = document["projection"]
    if projection["name"] != PROJECTION:
        raise ValueError(f"the world map is in the {projection['name']} projection; this code draws {PROJECTION}")
    countries = {}
    for code, entry in document["countries"].items():
        d = entry.get("d")
        if not _CODE.fullmatch(code) or (d is not None and not _PATH.fullmatch(d)):
            raise ValueError(f"the world map's entry {code!r} is not a country code with an SVG path of moves and lines")
        x, y = (float(v) for v in entry["point"])
        countries[code] = Country(code, d, (x, y), bool(entry.get("small")), dict(entry["names"]))
    x0, y0, width, height = (float(v) for v in document["viewBox"])
    tx, ty = (float(v) for v in projection["translate"])
    return WorldMap((x0, y0, width, height), float(projection["scale"]), (tx, ty), countries)


@cache
def load(path: Path = FILE) -> WorldMap:
    """The shipped world map (read once)."""
    return parse(json.loads(path.read_text(encoding="utf-8")))


def _number(value: float) -> str:
    return f"{value:g}"


def world_svg(colours: Mapping[str, str], *, titles: Mapping[str, str] | None = None,
              links: Mapping[str, str] | None = None, lang: str = "en", id_prefix: str = "map-",
              marker_radius: float = 6.0, label: str = "", world: WorldMap | None = None) -> str:
    """The world map as an SVG element.

    *colours* maps alpha-2 codes to CSS classes; every country has a path, with its class when it
    has one. *titles* (code to text) overrides the file's name in *lang* for the hover title;
    *links* (code to URL: relative, http or https) makes a country's shapes links, each with the
    title as its name. A country of *colours* that is small also gets a circle marker of
    *marker_radius* at its point. Every text is escaped. *id_prefix* keeps the ``id`` attributes
    unique in the page holding the map; *label* names the whole map (``aria-label``).
    """
    world = world or load()
    titles = titles or {}
    links = links or {}
    view_box = " ".join(_number(v) for v in world.view_box)
    shapes, markers = [], []
    for code, country in world.countries.items():
        title = titles.get(code) or country.names.get(lang) or country.names.get("en") or code
        css = colours.get(code)
        common = f'data-code="{code}"' + (f' class="{escape(css)}"' if css else "")
        ident = escape(id_prefix + code)
        if country.d:
            shapes.append(_shape(f'<path id="{ident}" {common} d="{country.d}"', "path", title, links.get(code)))
        if css and (country.small or not country.d):
            cx, cy = country.point
            circle = f'<circle id="{ident}-marker" {common} cx="{_number(cx)}" cy="{_number(cy)}" r="{_number(marker_radius)}"'
            markers.append(_shape(circle, "circle", title, links.get(code)))
    role = "group" if links else "img"  # an img's content is hidden from assistive technology: not its links
    aria = f' aria-label="{escape(label)}"' if label else ""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{view_box}" class="worldmap" role="{role}"{aria}>'
            f'<g class="countries" fill-rule="evenodd">{"".join(shapes)}</g>'
            f'<g class="markers">{"".join(markers)}</g></svg>')


def _shape(start: str, tag: str, title: str, href: str | None) -> str:
    """A shape with its title, or a link holding the title (its accessible name) and the shape."""
    title = f"<title>{escape(title)}</title>"
    if not href:
        return f"{start}>{title}</{tag}>"
    scheme = href.split("/")[0].split("?")[0].split("#")[0].partition(":")
    if any(c <= " " or c == "\x7f" for c in href) or (scheme[1] and scheme[0].lower() not in ("http", "https")):
        raise ValueError(f"not a link a map may carry: {href!r} (relative, http or https, no spaces)")
    return f'<a href="{escape(href)}">{title}{start}/></a>'
