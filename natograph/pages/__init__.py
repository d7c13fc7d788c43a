"""Pages: every HTML page natograph draws, from one place, for ``natograph serve`` and for the static
release alike: the templates and static files (``templating``), and each resource's page and its
description as data (``render``). Built on the graph; knows nothing of the web server or the release
that use it.

Nothing is imported here: jinja2 loads only when a page is drawn.
"""
