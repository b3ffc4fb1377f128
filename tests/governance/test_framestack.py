"""governance/framestack.py: a call made from a fresh chunk of CPython's frame stack is the same call."""

import sys

import pytest

from governance.framestack import in_fresh_chunk


def _at_depth(depth, function):
    return function() if depth == 0 else _at_depth(depth - 1, function)


def _nested(depth):
    return 0 if depth == 0 else 1 + _nested(depth - 1)


@pytest.mark.parametrize("depth", [0, 1, 37, 120, 263])
def test_a_call_from_a_fresh_chunk_returns_what_the_call_returns_at_any_depth(depth):
    assert _at_depth(depth, lambda: in_fresh_chunk(_nested, 60)) == 60
    assert _at_depth(depth, lambda: in_fresh_chunk(lambda a, b: (a, b), "a", b"b")) == ("a", b"b")


def test_an_exception_raised_below_comes_through_unchanged():
    def fail(message):
        raise ValueError(message)

    with pytest.raises(ValueError, match="因为"):
        in_fresh_chunk(fail, "因为")


def test_the_recursion_limit_still_applies():
    with pytest.raises(RecursionError):
        in_fresh_chunk(_nested, sys.getrecursionlimit() + 10)
