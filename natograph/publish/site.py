"""The static linked-data site of a release: one page per resource, its RDF beside it, and the server
rules that make the IRIs resolve (content negotiation on Apache and nginx; the w3id.org redirect).

The pages are those of ``natograph serve``: ``natograph.pages.render`` draws both (one renderer). For a
resource ``https://w3id.org/natograph/id/country/FR`` the release holds::

    id/country/FR.en.html  id/country/FR.fr.html   the page, in English and in French
    id/country/FR.ttl  id/country/FR.nt  id/country/FR.jsonld   its description as data

and the explorer (``explorer_files``): the map through time (``map.en.html``, ``map.fr.html``, ``map.json``),
search without a server (``search.en.html``, ``search.fr.html``, ``search.json``: the index, searched in
the browser by ``static/search.js``), and the ``static/`` files every page links (its stylesheets and scripts).

Pages link to each other without extension (``../framework/PfP``), as the IRIs read; the server maps
such a path to the file the request asks for: Turtle, N-Triples or JSON-LD by ``Accept``, else the
page in the language of ``Accept-Language`` (French when it starts with ``fr``, else English).
Hash IRIs (``ontology#Country``) are sections of their document's page (``ontology``).
"""

from __future__ import annotations

from ..graph.namespaces import BASE

RDF_SUFFIXES = {"turtle": ".ttl", "ntriples": ".nt", "jsonld": ".jsonld"}
MEDIA_TYPES = {".ttl": "text/turtle", ".nt": "application/n-triples", ".jsonld": "application/ld+json"}
LANGUAGES = ("en", "fr")


def documents(engine) -> list[str]:
    """Every document IRI under the base that the graph mentions (a hash IRI counts as its document),
    except the ontology's version IRIs (see :func:`version_files`)."""
    from ..queries.running import select

    rows = select(engine, f"""
        SELECT DISTINCT ?iri WHERE {{
            {{ ?iri ?p ?o }} UNION {{ ?s ?iri ?o }} UNION {{ ?s ?p ?iri }}
            FILTER (isIRI(?iri) && STRSTARTS(STR(?iri), "{BASE}"))
        }}""").terms
    return sorted({iri.value.split("#")[0] for (iri,) in rows} - {BASE} - set(version_iris(engine)))


def version_files(engine, *, doc: bytes, ontologies: dict[str, dict[str, bytes]]) -> dict[str, bytes]:
    """Each ontology's version IRI (``ontology/0.1.0``, ``alignments/0.1.0``) as a resource like the
    others: the documentation as its page, that ontology's own file as its data (Turtle as written)."""
    from ..pages.render import path_of

    files = {}
    for iri in version_iris(engine):
        path = path_of(iri)
        for lang in LANGUAGES:
            files[f"{path}.{lang}.html"] = doc
        for suffix in RDF_SUFFIXES.values():
            files[path + suffix] = ontologies[iri][suffix]
    return files


def version_iris(engine) -> list[str]:
    from ..queries.running import select

    rows = select(engine, "SELECT ?v WHERE { ?o a <http://www.w3.org/2002/07/owl#Ontology> ; "
                          "<http://www.w3.org/2002/07/owl#versionIRI> ?v }", inferred=False).terms
    return sorted(v.value for (v,) in rows)


def site_files(engine) -> dict[str, bytes]:
    """The page (EN, FR) and the RDF (Turtle, N-Triples, JSON-LD) of every document of the graph."""
    from ..pages.layout import RELEASE
    from ..pages.render import path_of, resource_html, resource_rdf

    files: dict[str, bytes] = {}
    missing = []
    for iri in documents(engine):
        path = path_of(iri)
        pages = {lang: resource_html(engine, iri, lang=lang, mode=RELEASE) for lang in LANGUAGES}
        if path is None or any(page is None for page in pages.values()):
            missing.append(iri)
            continue
        for lang, page in pages.items():
            files[f"{path}.{lang}.html"] = page.encode("utf-8")
        data = resource_rdf(engine, iri, "turtle")
        if data is None:
            missing.append(iri)
            continue
        for fmt, suffix in RDF_SUFFIXES.items():
            files[path + suffix] = canonical_bytes(data, fmt)
    if missing:
        from ..errors import InputError

        raise InputError(f"the graph mentions {len(missing)} IRI(s) it does not describe, e.g. <{missing[0]}>: no page")
    return files


def explorer_files(engine) -> dict[str, bytes]:
    """The explorer, to open without a server: the home page's map through time (``map.en.html``,
    ``map.fr.html``: the server's page; ``map.json``: its data, from the stored queries' answers),
    search (``search.en.html``, ``search.fr.html``, and ``search.json``, the index the server searches,
    searched in the browser by ``static/search.js``) and the static files every page links. The map
    shows the day the data last changes; its script moves it to the visitor's today. Links go to
    the pages' files (``id/country/FR.en.html``), so they work on any static server."""
    from ..pages import explorer, layout, relations, search
    from ..pages.templating import STATIC

    data = relations.sweep(engine)
    days = [d for entry in data["countries"].values() for s in entry["spans"] for d in (s["from"], s["until"]) if d]
    day = max(days)
    as_of = layout.data_as_of(engine)
    files = {"map.json": _json(data), "search.json": _json(list(search.build(engine)))}
    for lang in LANGUAGES:
        other = "fr" if lang == "en" else "en"
        site = layout.frame(lang=lang, mode=layout.RELEASE, current="map", other_href=f"map.{other}.html", data_as_of=as_of)
        page = explorer.page_html(data, lang=lang, day=day, max_year=int(day[:4]), today=False,
                                  link="id/country/{code}." + lang + ".html", site=site)
        files[f"map.{lang}.html"] = page.encode("utf-8")
        site = layout.frame(lang=lang, mode=layout.RELEASE, other_href=f"search.{other}.html", data_as_of=as_of)
        files[f"search.{lang}.html"] = search.page_html(lang=lang, site=site).encode("utf-8")
    for name in STATIC_FILES:
        files[f"static/{name}"] = (STATIC / name).read_bytes()
    return files


STATIC_FILES = ("natograph.css", "map.css", "map.js", "links.js", "search.js")
"""The static files the release's pages link (the query console's script stays on the server)."""


def _json(data) -> bytes:
    import json

    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def canonical_bytes(turtle: bytes, fmt: str) -> bytes:
    """The renderer's description of a resource, written by natograph's exporter: canonical blank-node
    labels and sorted statements, so the bytes do not change when the store is rebuilt (pyoxigraph
    relabels blank nodes on every load, and DESCRIBE's order follows the store's)."""
    from rdflib import Graph

    from ..graph.serializing import serialize

    graph = Graph()
    graph.parse(data=turtle, format="turtle")
    return serialize(graph, fmt)


# ---------------------------------------------------------------------------
# Server rules
# ---------------------------------------------------------------------------


def htaccess(*, version: str) -> str:
    return f"""# natograph release {version}: content negotiation for Apache 2.4 (mod_rewrite, mod_headers, mod_mime).
# Put the release folder at the root of the host the w3id.org redirect points to.
Options -MultiViews
# ontology/ (the folder of the versions) must not shadow ontology.en.html (the ontology's page)
DirectorySlash Off
AddType text/turtle .ttl
AddType application/n-triples .nt
AddType application/ld+json .jsonld
AddType application/rdf+xml .rdf
AddType application/sparql-query .rq
AddType text/markdown .md
AddType text/plain SHA256SUMS
RemoveEncoding .gz
AddType application/gzip .gz
AddCharset utf-8 .html .ttl .nt .jsonld .rdf .rq .md
<IfModule mod_headers.c>
    Header merge Vary "Accept, Accept-Language"
    Header set Access-Control-Allow-Origin "*"
</IfModule>

RewriteEngine On

# The dataset: its description as data, else the landing page.
RewriteCond %{{HTTP_ACCEPT}} text/turtle
RewriteRule ^dataset$ void.ttl [L]
RewriteRule ^dataset$ index.html [L]
RewriteRule ^\\.well-known/void$ void.ttl [L]

# A resource (id/..., ontology, ontology/VERSION): the data the Accept header asks for, else the page in the reader's language.
RewriteCond %{{HTTP_ACCEPT}} text/turtle
RewriteCond %{{REQUEST_FILENAME}}.ttl -f
RewriteRule ^(.+)$ $1.ttl [L]
RewriteCond %{{HTTP_ACCEPT}} application/ld\\+json
RewriteCond %{{REQUEST_FILENAME}}.jsonld -f
RewriteRule ^(.+)$ $1.jsonld [L]
RewriteCond %{{HTTP_ACCEPT}} application/n-triples
RewriteCond %{{REQUEST_FILENAME}}.nt -f
RewriteRule ^(.+)$ $1.nt [L]
RewriteCond %{{HTTP:Accept-Language}} ^fr [NC]
RewriteCond %{{REQUEST_FILENAME}}.fr.html -f
RewriteRule ^(.+)$ $1.fr.html [L]
RewriteCond %{{REQUEST_FILENAME}}.en.html -f
RewriteRule ^(.+)$ $1.en.html [L]
"""


def nginx(*, version: str) -> str:
    return f"""# natograph release {version}: content negotiation for nginx. The two maps go in the http {{}} block,
# the server {{}} block is an example: set server_name and root (the release folder).
map $http_accept $natograph_rdf {{
    default "";
    "~*text/turtle" ".ttl";
    "~*application/ld\\+json" ".jsonld";
    "~*application/n-triples" ".nt";
}}
map $http_accept_language $natograph_page {{
    default ".en.html";
    "~*^fr" ".fr.html";
}}

server {{
    listen 80;
    server_name natograph.example;
    root /srv/natograph;
    charset utf-8;
    charset_types text/turtle application/n-triples application/ld+json application/rdf+xml text/markdown text/plain;
    types {{
        text/html html;
        text/turtle ttl;
        application/n-triples nt;
        application/ld+json jsonld;
        application/rdf+xml rdf;
        application/sparql-query rq;
        text/markdown md;
        image/svg+xml svg;
        application/gzip gz;
        application/zip zip;
    }}
    default_type text/plain;
    add_header Vary "Accept, Accept-Language" always;
    add_header Access-Control-Allow-Origin "*" always;

    location = /.well-known/void {{ rewrite ^ /void.ttl last; }}
    location = /dataset {{
        if ($natograph_rdf = ".ttl") {{ rewrite ^ /void.ttl last; }}
        rewrite ^ /index.html last;
    }}
    location / {{
        index index.html;
        try_files $uri$natograph_rdf $uri$natograph_page $uri $uri/ =404;
    }}
}}
"""


def w3id(*, version: str, site_url: str) -> str:
    site = site_url.rstrip("/")
    return f"""# natograph: https://w3id.org/natograph/ -> {site}/ (release {version}).
# Submit this file as natograph/.htaccess in a pull request to https://github.com/perma-id/w3id.org,
# with a natograph/README.md naming the maintainers and how to reach them (w3id.org asks for it).
# Resources answer 303 See Other to their data or page, chosen here, so the target host needs no
# content negotiation of its own (GitHub Pages and most static hosts have none); everything else is a 302.
Options +FollowSymLinks
RewriteEngine on
Header merge Vary "Accept, Accept-Language"

RewriteRule ^$ {site}/ [R=302,L]

RewriteCond %{{HTTP_ACCEPT}} text/turtle
RewriteRule ^dataset$ {site}/void.ttl [R=303,L]
RewriteRule ^dataset$ {site}/ [R=303,L]
RewriteRule ^\\.well-known/void$ {site}/void.ttl [R=303,L]

RewriteCond %{{HTTP_ACCEPT}} text/turtle
RewriteRule ^(ontology|ontology/[0-9.]+|id/.+)$ {site}/$1.ttl [R=303,L]
RewriteCond %{{HTTP_ACCEPT}} application/ld\\+json
RewriteRule ^(ontology|ontology/[0-9.]+|id/.+)$ {site}/$1.jsonld [R=303,L]
RewriteCond %{{HTTP_ACCEPT}} application/n-triples
RewriteRule ^(ontology|ontology/[0-9.]+|id/.+)$ {site}/$1.nt [R=303,L]
RewriteCond %{{HTTP:Accept-Language}} ^fr [NC]
RewriteRule ^(ontology|ontology/[0-9.]+|id/.+)$ {site}/$1.fr.html [R=303,L]
RewriteRule ^(ontology|ontology/[0-9.]+|id/.+)$ {site}/$1.en.html [R=303,L]

RewriteRule ^(.*)$ {site}/$1 [R=302,L]
"""


def conneg_files(*, version: str, site_url: str | None) -> dict[str, bytes]:
    files = {".htaccess": htaccess(version=version).encode("utf-8"), "nginx.conf": nginx(version=version).encode("utf-8")}
    if site_url:
        files["w3id/.htaccess"] = w3id(version=version, site_url=site_url).encode("utf-8")
    return files
