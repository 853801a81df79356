"""The ``progress=`` argument of the long calls: ``False`` (default), ``True`` (a tqdm bar, or a
plain one-line counter on stderr when tqdm is not installed) or a callable ``f(done, total)``.

The compiled module calls the callback from the calling thread, at most every 50 ms and only
when the count moved, with the GIL held; returning ``False`` from a callable stops the work
(raising :class:`channelwise.CancelledError`), an exception it raises stops it too and
propagates. Ctrl-C stops the work and raises ``KeyboardInterrupt`` whichever form is used.
"""

from __future__ import annotations

import sys
from typing import Any, Callable, Optional

Callback = Callable[[int, int], Any]


class _PlainBar:
    """tqdm's ``update``/``close`` on one stderr line, for ``progress=True`` without tqdm."""

    def __init__(self, total: int, desc: str, unit: str) -> None:
        self.total, self.desc, self.unit, self.n = total, desc, unit, 0
        self._file = sys.stderr

    def update(self, k: int) -> None:
        self.n += k
        pct = 100 * self.n // self.total if self.total else 100
        self._file.write(f"\r{self.desc}: {self.n}/{self.total} {self.unit} ({pct}%)")
        self._file.flush()

    def close(self) -> None:
        self._file.write("\n")
        self._file.flush()


class Progress:
    """Turns ``progress=`` into the callback the compiled module takes; a context manager that
    closes the bar however the call ends."""

    def __init__(self, progress: Any, desc: str, unit: str) -> None:
        if progress is None or progress is False:
            self.callback: Optional[Callback] = None
        elif progress is True:
            self.callback = self._bar
        elif callable(progress):
            self.callback = progress
        else:
            from . import _channelwise as _cw

            raise _cw.InvalidParameterError(
                f"invalid progress: {progress!r} (expected True, False or a callable f(done, total))"
            )
        self._desc, self._unit = desc, unit
        self._bar_obj: Any = None

    def _bar(self, done: int, total: int) -> None:
        if self._bar_obj is None:
            try:
                from tqdm.auto import tqdm
            except ImportError:
                self._bar_obj = _PlainBar(total, self._desc, self._unit)
            else:
                self._bar_obj = tqdm(total=total, desc=self._desc, unit=f" {self._unit}")
        bar = self._bar_obj
        if done > bar.n:
            bar.update(done - bar.n)

    def __enter__(self) -> Optional[Callback]:
        return self.callback

    def __exit__(self, *exc: Any) -> None:
        if self._bar_obj is not None:
            self._bar_obj.close()
