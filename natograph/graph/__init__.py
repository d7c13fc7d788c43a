"""The graph: where its files are (``resources``), its prefixes (``namespaces``), reading them
(``parsing``), RDF terms in both libraries (``terms``), the OWL RL closure (``reasoning``), the store
that holds both (``store``), the graph as rdflib Graphs (``loading``) and its byte-stable
serialization (``serializing``). Nothing here knows queries, checks, pages or commands.

Nothing is imported here: a cold query imports only the modules it uses.
"""
