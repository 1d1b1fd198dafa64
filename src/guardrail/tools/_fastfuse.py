"""Fused closures of the rule fast path (:mod:`._fastops` builds them): a comparison
whose operands are short paths (``root.a`` / ``root.a.b``, the nodes ``_fastops``
unrolls) walks them itself, in one call per evaluation instead of two or three. Each
takes exactly the steps of the nodes it replaces, in the same order, and raises
:class:`Bail` (or the same ``KeyError``) where they would."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping
from typing import Any

from ._fastvals import INT_MAX, INT_MIN, Bail

__all__ = ["FUSED", "Walk", "path_versus", "paths_relation", "quantify_versus"]

_Node = Callable[[Mapping[str, Any]], Any]
#: a short path: (root variable, first key, second key or None)
Walk = tuple[str, str, str | None]


def path_versus(
    op: Callable[[Any, Any], Any], test: Callable[[Any, Any], bool], walk: Walk, c: object
) -> _Node:
    """``root.a <op> c`` / ``root.a.b <op> c`` (``c`` a string or an int64): the
    ``_fastops._short_path`` walk, then the ``_fastops._versus_constant`` comparison."""
    root, first, second = walk
    kind: Any = type(c)

    def path_versus(env: Mapping[str, Any]) -> Any:
        a: Any = env[root]
        if type(a) is not dict or first not in a:
            raise Bail
        a = a[first]
        if second is not None:
            if type(a) is not dict or second not in a:
                raise Bail
            a = a[second]
        if type(a) is kind and (kind is str or INT_MIN <= a <= INT_MAX):
            return test(a, c)
        return op(a, c)

    FUSED[path_versus] = (op, test, walk, c)
    return path_versus


#: the :func:`path_versus` closures → what they were built from
FUSED: weakref.WeakKeyDictionary[_Node, tuple[Any, Any, Walk, object]] = weakref.WeakKeyDictionary()


def quantify_versus(
    receiver: _Node, body: tuple[Any, Any, Walk, object], *, decisive: bool
) -> _Node:
    """``list.exists(v, v.a <op> c)`` / ``list.all(v, v.a.b <op> c)``: the
    ``_fastops.quantifier`` loop with its body, a :func:`path_versus` walking from the
    macro variable, run inline on each item (the walk starts at ``scope[v]``, the item
    itself): a failed step or a ``Bail`` of ``op`` makes the element unsure, as the
    body's ``Bail`` does there; no other exception is caught, as there."""
    op, test, (_, first, second), c = body
    kind: Any = type(c)

    def quantify(env: Mapping[str, Any]) -> bool:
        items = receiver(env)
        if type(items) is not list:
            raise Bail
        unsure = False
        for a in items:
            if type(a) is not dict or first not in a:
                unsure = True
                continue
            a = a[first]
            if second is not None:
                if type(a) is not dict or second not in a:
                    unsure = True
                    continue
                a = a[second]
            if type(a) is kind and (kind is str or INT_MIN <= a <= INT_MAX):
                value = test(a, c)
            else:
                try:
                    value = op(a, c)
                except Bail:
                    unsure = True
                    continue
            if value is decisive:
                return bool(decisive)
            if type(value) is not bool:
                unsure = True
        if unsure:
            raise Bail
        return not decisive

    return quantify


def paths_relation(
    op: Callable[[Any, Any], Any], test: Callable[[Any, Any], bool], left: Walk, right: Walk
) -> _Node:
    """``x <op> y`` with both operands short paths: the left walk, the right walk, then
    the ``_fastops._relation`` comparison."""
    lroot, lfirst, lsecond = left
    rroot, rfirst, rsecond = right

    def paths_relation(env: Mapping[str, Any]) -> Any:
        a: Any = env[lroot]
        if type(a) is not dict or lfirst not in a:
            raise Bail
        a = a[lfirst]
        if lsecond is not None:
            if type(a) is not dict or lsecond not in a:
                raise Bail
            a = a[lsecond]
        b: Any = env[rroot]
        if type(b) is not dict or rfirst not in b:
            raise Bail
        b = b[rfirst]
        if rsecond is not None:
            if type(b) is not dict or rsecond not in b:
                raise Bail
            b = b[rsecond]
        kind = type(a)
        if kind is type(b) and (
            kind is str or (kind is int and INT_MIN <= a <= INT_MAX and INT_MIN <= b <= INT_MAX)
        ):
            return test(a, b)
        return op(a, b)

    return paths_relation
