"""natograph on the web: ``natograph serve``, a read-only SPARQL endpoint, the catalogue as an API,
resource pages and a home page.

Modules: ``settings`` (every limit, in one object), ``workers`` (the processes that run queries and
are replaced when one runs past the timeout), ``jobs`` (what a worker does with a query), ``sparql``
(the SPARQL 1.1 Protocol, once), ``negotiation`` (media types), ``catalogue`` (the stored queries as
an API, OpenAPI), ``describe`` (VoID, the service description), ``home`` (the home page), ``app``
(the routes), ``serve`` (uvicorn). The pages themselves are drawn by ``natograph.pages``, which the
release uses too.
"""
