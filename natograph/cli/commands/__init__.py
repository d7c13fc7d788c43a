"""One module per ``natograph`` command (listed, in order, by ``natograph.cli.table``)."""
