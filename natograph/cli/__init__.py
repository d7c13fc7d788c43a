"""The ``natograph`` command: ``main(argv) -> int`` (``program``) over the command table (``table``),
one module per command (``commands``), the argument parser built from it (``parser``) and what the
commands share (``options``). The top layer: it imports every layer below, none imports it.

``main`` and the console script's ``entry_point`` are named here, the command's public face.
"""

from .program import entry_point, main

__all__ = ["entry_point", "main"]
