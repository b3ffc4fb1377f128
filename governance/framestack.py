"""Calls made from a fresh chunk of CPython's frame stack.

CPython (3.11 to 3.13) keeps the frames of Python calls in chunks of 16 KB. A call that does not fit in what is left
of the current chunk gets a new chunk (mmap), which is freed (munmap) as soon as that call returns. A loop sitting
just below a chunk's end therefore pays an mmap and a munmap, about 9 µs, for every call it makes, where a call
otherwise costs a tenth of a microsecond. Where the chunks end depends on everything above on the stack, so a page
either hits this or not: measured with ``strace -c -e trace=mmap,munmap`` over `make bench`'s pages, the dispute list
made 480 such pairs a request and the petition list 660 (the bare baseline list none), 4 to 6 ms of their 25 to 30.

``in_fresh_chunk(function, *args)`` calls ``function`` through two frames of a little over half a chunk each: the
second never fits beside the first, so it always starts a chunk of its own, and ``function`` and what it calls have
the rest of that chunk (7 KB, some forty frames) to themselves, whatever was used of the stack before. One chunk is
allocated for the call, not one for each call inside it.
"""

from __future__ import annotations

# Over half of 16 KB in locals (8 bytes each), so that two such frames never share a chunk; no more, so that the
# second leaves as much of its chunk as possible to the calls below it.
_LOCALS = 1100


def _wide_function():
    names = " = ".join(f"_{i}" for i in range(_LOCALS))
    namespace: dict = {}
    # The locals are only declared (never assigned): they size the frame.
    exec(f"def wide(function, *args):\n    if False:\n        {names} = None\n    return function(*args)\n",  # noqa: S102
         namespace)
    return namespace["wide"]


_wide = _wide_function()


def in_fresh_chunk(function, *args):
    """``function(*args)``, its calls made from the start of a chunk of the frame stack (see the module's text)."""
    return _wide(_wide, function, *args)
