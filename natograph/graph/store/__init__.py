"""The store under the graph: a pyoxigraph (Oxigraph) store holding the asserted triples and their
OWL RL closure, built from the parts once per content and opened read-only by every later process.

Nothing else in natograph knows where the store lives. The layout of the cache folder::

    $NATOGRAPH_CACHE_DIR (else $XDG_CACHE_HOME/natograph, else ~/.cache/natograph), mode 0700
        store-<key>/             one entry per distinct set of inputs (<key>: SHA-256 of their bytes,
                                 natograph's version and the installed rdflib, reasoner and pyoxigraph)
            graph.nq             the two graphs as N-Quads, loaded into an in-memory store (small graphs)
            db/                  or an on-disk Oxigraph (RocksDB) database, opened read-only (large graphs):
                                 the closure in its default graph, the asserted triples in ASSERTED
            manifest.json        what the entry holds, with the SHA-256 of every file in it
            memory.nq            beside db/: its two graphs as N-Quads, written once a process asks to hold
                                 it in memory (in_memory: a server's query workers)
            files.nq             each asserted triple in the graph of each file that states it (N-Quads):
                                 what the TriG and N-Quads exports write
            extras/              results computed once per entry (the validation baseline)
        .lock-<key>              serialises the build of one entry between processes

The modules: ``engine`` (the ``Engine``, a read-only view of one store, and its two graphs),
``cache`` (the cache folder, its keys, the manifests and their checks, the locks), ``build`` (an
entry built from the input files: parsing, the closure, filling the store), ``opening`` (the engine
of a set of files, from the cache or built; held in memory; the extras and the files' quads).

Nothing is imported here: each caller names the module it needs.
"""
