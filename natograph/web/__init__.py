"""natograph on the web: ``natograph serve`` (a read-only SPARQL endpoint, the catalogue as an API,
resource pages) and the renderers a static release reuses (``natograph.web.render``).

Modules: ``settings`` (every limit, in one object), ``workers`` (the processes that run queries and
are replaced when one runs past the timeout), ``sparql`` (the SPARQL 1.1 Protocol, once),
``render`` (resource pages, resource RDF, VoID, the service description), ``app`` (the routes),
``worldmap`` (the world map as SVG, from ``static/world-110m.json``, which ``worldmap_build`` makes).
"""
