"""The fast path of the models' ``JsonValue`` fields (``Conversation.context``,
``ToolCall.arguments``): a strict all-Rust validator tried before the field's own schema.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ValidationError, ValidationInfo, ValidatorFunctionWrapHandler, WrapValidator
from pydantic_core import SchemaValidator
from pydantic_core import core_schema as cs

__all__ = ["fast_json"]


def fast_json(top: Literal["object", "value"], str_max: int) -> WrapValidator:
    """A wrap validator for a ``JsonValue`` field that tries an all-Rust strict validator
    first. ``JsonValue`` picks each value's branch with a Python discriminator (one Python
    call per value: ~170 µs on a 50 KB context); the strict validator tries strict
    branches left to right instead. Strict branches never coerce (``True`` is not an
    ``int``, ``1`` not a ``float``), so what passes (exact ``str``/``int``/``float``/
    ``bool``/``None`` in ``list``s and ``str``-keyed ``dict``s, strings capped at
    ``str_max`` like every ``str`` of the models) comes out as ``JsonValue`` makes it:
    equal values, same types, fresh containers. Anything else (a subclass, a tuple, bad
    input), and JSON input (where ``JsonValue`` takes any parsed value), gets the field's
    own schema: its result or its error (tests/test_models_fast_json.py pins all this)."""
    key = cs.str_schema(strict=True, max_length=str_max)
    ref = cs.definition_reference_schema("json")
    obj = cs.dict_schema(key, ref, strict=True)
    union = cs.union_schema(
        [
            key,
            obj,
            cs.list_schema(ref, strict=True),
            cs.int_schema(strict=True),
            cs.bool_schema(strict=True),
            cs.float_schema(strict=True),
            cs.none_schema(),
        ],
        mode="left_to_right",
        ref="json",
    )
    strict = SchemaValidator(cs.definitions_schema(obj if top == "object" else ref, [union]))

    def validate(value: object, handler: ValidatorFunctionWrapHandler, info: ValidationInfo) -> Any:
        if info.mode == "python":
            try:
                return strict.validate_python(value)
            except ValidationError:
                pass
        return handler(value)

    return WrapValidator(validate)
