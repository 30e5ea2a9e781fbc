"""Progress reporting for long work (demo build, import, export), free of any UI library."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

Progress = Callable[[str, int, int], None]
"""Called as progress(stage, done, total): a stage name, units done so far, units in all."""


def silent(_stage: str, _done: int, _total: int) -> None:
    """A Progress that shows nothing (tests, library use)."""


@contextmanager
def terminal_progress() -> Iterator[Progress]:
    """A Progress that draws one tqdm bar per stage on stderr."""
    from tqdm import tqdm

    bars: dict[str, tqdm] = {}

    def report(stage: str, done: int, total: int) -> None:
        bar = bars.get(stage)
        if bar is None:
            bar = bars[stage] = tqdm(total=total, desc=stage, unit_scale=True, dynamic_ncols=True)
        bar.total = total
        bar.update(done - bar.n)

    try:
        yield report
    finally:
        for bar in bars.values():
            bar.close()
