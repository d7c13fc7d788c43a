"""Queries: the stored queries and their ``#+`` headers (``catalogue``), parameters bound as RDF terms
(``binding``), a SPARQL lexer (``lexer``), running a query on a source (``running``), on another
store over HTTP (``remote``), under limits (``limits``), and the rows (``results``) written as text
(``formats``). Built on the graph below; knows nothing of checks, pages, publishing or commands.

Nothing is imported here: a cold query imports only the modules it uses (and never rdflib).
"""
