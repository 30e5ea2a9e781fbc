"""Keep Streamlit's garbage collection after every script run cheap: the process's long-lived
objects (modules, classes, functions, Babel's and plotly's tables) are moved out of its reach.

Streamlit runs a full `gc.collect(2)` after each script run (`runner.postScriptGC`), in the
script's thread, holding the GIL: the browser hears that the run finished only once it is done.
With pandas, plotly, SQLAlchemy and Babel imported the collector walks about 250,000 objects,
0.12–0.25 s on the 2-core machine, on every rerun and page switch; almost all of them live as
long as the process. `gc.freeze()` moves every object then tracked into the permanent
generation, which collections skip, so the collection after a run walks only what was made
since (about 40,000 objects, ~5 ms) and still frees each run's cycles.

A freeze happens when modules were imported since the last one (the process's first run, a
page's first visit loading its charts' or writers' code): a bounded number of times per
process. What is frozen is never collected as a cycle: the few sessions alive at a freeze keep
their cyclic garbage until the process ends, once.
"""

from __future__ import annotations

import gc
import sys
import threading

_lock = threading.Lock()
_modules_frozen = 0  # len(sys.modules) at the last freeze


def freeze_long_lived() -> None:
    """Collect, then freeze every tracked object, when modules were imported since last time."""
    global _modules_frozen
    if len(sys.modules) == _modules_frozen:
        return
    with _lock:
        if len(sys.modules) == _modules_frozen:
            return
        gc.collect()  # the runs' cycles so far are freed, not frozen
        gc.freeze()
        _modules_frozen = len(sys.modules)
