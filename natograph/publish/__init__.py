"""Publishing: the graph exported for other tools (``exporting``; the ``owl_dl`` and ``wikidata``
profiles; the nodes the ``alignments`` generate), and ``natograph release``: the folder ready to
publish (``release``), what it says the dataset is (``dataset``, ``description``), its notes
(``notes``), the ontology's documentation (``ontodoc``) and the static linked-data site (``site``).
Built on checks, queries, pages and the graph; knows nothing of the web server or the commands.

Nothing is imported here: each caller names the module it needs.
"""
