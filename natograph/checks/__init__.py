"""Checks: validation of the graph or the user's files (``validation``) by the shapes and SPARQL checks
(``rules``), SHACL in slices (``shacl``, ``slicing``), the findings kept per store entry
(``findings``), the reports in four formats (``reports``), what an edit changes (``diff``), and
validating again on every save (``watching``). Built on queries and the graph; knows nothing of pages,
publishing or commands.

Nothing is imported here: each caller names the module it needs.
"""
