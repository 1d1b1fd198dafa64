"""``guard.wrap``: turn an agent's reply function (sync or async) into one returning a
Decision."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, cast

from .errors import UserError
from .models import Conversation, Decision, Draft

if TYPE_CHECKING:
    from .pipeline import Guardrail


def _conversation(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Conversation:
    for value in (*args, *kwargs.values()):
        if isinstance(value, Conversation):
            return value
    raise UserError("a wrapped reply function must be called with a Conversation argument")


def _draft(value: object, fn: Callable[..., Any]) -> Draft:
    if not isinstance(value, Draft):
        raise UserError(
            f"{fn.__qualname__} returned {type(value).__name__}; a wrapped reply function "
            "must return a guardrail.Draft"
        )
    return value


def wrap(guard: Guardrail, fn: Callable[..., Any]) -> Callable[..., Any]:
    if inspect.iscoroutinefunction(fn):
        async_fn = cast(Callable[..., Awaitable[object]], fn)

        @functools.wraps(fn)
        async def async_wrapper(*args: Any, **kwargs: Any) -> Decision:
            conversation = _conversation(args, kwargs)
            draft = _draft(await async_fn(*args, **kwargs), fn)
            return await guard.acheck(conversation, draft)

        return async_wrapper

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Decision:
        conversation = _conversation(args, kwargs)
        return guard.check(conversation, _draft(fn(*args, **kwargs), fn))

    return wrapper
