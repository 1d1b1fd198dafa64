"""Tool specs: the JSON Schema a call's arguments must satisfy, the CEL policy rules, and
the optional keys the gate reads — ``context`` (which argument names which entity),
``accumulate`` (running totals across the calls of one draft) and ``commitment`` (the
kind of promise an allowed call backs in the reply text).

A spec comes from a ``tool_schemas/*.json`` file (:meth:`ToolSpec.from_file`) or from a
pydantic model (:meth:`ToolSpec.from_model`); both paths give the same object.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .._files import load_json
from ..errors import ConfigError

__all__ = ["Accumulator", "Commitment", "CommitmentKind", "Rule", "ToolSpec"]

#: What a reply can promise; a spec says which one its allowed calls back.
CommitmentKind = Literal[
    "refund",
    "store_credit",
    "cancel_order",
    "cancel_subscription",
    "pause_subscription",
    "exchange",
    "address_change",
    "sale",
]

_NAME = r"^[A-Za-z0-9_-]{1,64}$"  # what both Anthropic and OpenAI accept as a tool name
_ID = r"^[A-Za-z0-9_.:-]{1,80}$"
_TERM = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Rule(_Strict):
    """One policy rule: a CEL expression that must evaluate to ``true``."""

    id: str = Field(pattern=_ID)
    rule: str = Field(min_length=1, max_length=4000)
    message: str = Field(min_length=1, max_length=500)
    #: the argument a violation points at; inferred from the first ``args.X`` if unset
    argument: str | None = None


class Accumulator(_Strict):
    """A running total over the earlier *allowed* calls of one draft.

    Every earlier allowed call whose spec declares an accumulator of the same ``name``
    (and, with ``per``, the same value of that argument) adds its ``sum`` argument; rules
    read the total as ``prior.<name>`` (0 when nothing came before).
    """

    name: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
    sum: str
    per: str | None = None


class Commitment(_Strict):
    """The promise an allowed call of this tool backs (``amount`` names the cents arg)."""

    kind: CommitmentKind
    amount: str | None = None


class ToolSpec(_Strict):
    """One tool: what the agent sees (name, description, parameters) and what the gate
    enforces (policy rules, context bindings, accumulators, the commitment it backs)."""

    name: str = Field(pattern=_NAME)
    description: str = ""
    parameters: dict[str, Any]
    policy: tuple[Rule, ...] = ()
    #: entity name → the argument holding its id, e.g. ``{"order": "order_id"}``
    context: dict[str, str] = Field(default_factory=dict)
    accumulate: tuple[Accumulator, ...] = ()
    commitment: Commitment | None = None
    #: named terms: name → CEL expression, read in rules as ``terms.<name>`` (in order:
    #: a term may read the terms before it)
    terms: dict[str, str] = Field(default_factory=dict)
    #: the tenant functions (``@guard.tools.function``) its rules and terms call
    functions: tuple[str, ...] = ()

    # -- construction -------------------------------------------------------------------

    @classmethod
    def from_dict(cls, data: object, *, source: str = "<dict>") -> ToolSpec:
        """Validate a spec object; a malformed one is a ConfigError naming ``source``."""
        if isinstance(data, Mapping) and isinstance(data.get("parameters"), Mapping):
            params = dict(data["parameters"])
            params.setdefault("additionalProperties", False)  # closed unless said otherwise
            data = {**data, "parameters": params}
        try:
            spec = cls.model_validate(data)
        except ValidationError as exc:
            err = exc.errors()[0]
            loc = ".".join(str(p) for p in err["loc"]) or "(top level)"
            msg = "unknown key" if err["type"] == "extra_forbidden" else err["msg"]
            raise ConfigError(f"{source}: {loc}: {msg}") from None
        spec._check(source)
        return spec

    @classmethod
    def from_file(cls, path: str | Path) -> ToolSpec:
        path = Path(path)
        return cls.from_dict(load_json(path, "tool schema"), source=str(path))

    @classmethod
    def from_model(
        cls,
        name: str,
        model: type[BaseModel],
        *,
        description: str | None = None,
        policy: Iterable[Rule | Mapping[str, Any]] = (),
        context: Mapping[str, str] | None = None,
        accumulate: Iterable[Accumulator | Mapping[str, Any]] = (),
        commitment: Commitment | Mapping[str, Any] | None = None,
        terms: Mapping[str, str] | None = None,
        functions: Iterable[str] = (),
    ) -> ToolSpec:
        """Declare a tool in Python: the pydantic model gives the JSON Schema."""
        schema = model.model_json_schema()
        schema.pop("title", None)
        doc = description if description is not None else (model.__doc__ or "").strip()
        return cls.from_dict(
            {
                "name": name,
                "description": doc,
                "parameters": schema,
                "policy": [_plain(r) for r in policy],
                "context": dict(context or {}),
                "accumulate": [_plain(a) for a in accumulate],
                "commitment": _plain(commitment) if commitment is not None else None,
                "terms": dict(terms or {}),
                "functions": list(functions),
            },
            source=f"<model {model.__name__}>",
        )

    # -- views --------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The ``tool_schemas/*.json`` shape (omitting empty optional keys)."""
        return self.model_dump(mode="json", exclude_defaults=True) | {
            "name": self.name,
            "parameters": self.parameters,
        }

    @property
    def properties(self) -> Mapping[str, Any]:
        props = self.parameters.get("properties", {})
        return props if isinstance(props, Mapping) else {}

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.policy if r.id == rule_id), None)

    # -- consistency --------------------------------------------------------------------

    def _check(self, source: str) -> None:
        if self.parameters.get("type") != "object":
            raise ConfigError(f"{source}: parameters: the top level must be type 'object'")
        ids = [r.id for r in self.policy]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ConfigError(f"{source}: policy: rule id {dupes[0]!r} is used twice")
        self._need_args(source, "context", self.context.values())
        for acc in self.accumulate:
            self._need_args(source, f"accumulate {acc.name!r}", [acc.sum, *_opt(acc.per)])
        for name, text in self.terms.items():
            if not _TERM.match(name) or not isinstance(text, str) or not 0 < len(text) <= 4000:
                raise ConfigError(f"{source}: terms: {name!r} must be a name and a CEL expression")
        for name in self.functions:
            if not _TERM.match(name):
                raise ConfigError(f"{source}: functions: {name!r} is not a function name")
        if self.commitment is not None and self.commitment.amount is not None:
            self._need_args(source, "commitment", [self.commitment.amount])

    def _need_args(self, source: str, where: str, names: Iterable[str]) -> None:
        for arg in names:
            if arg not in self.properties:
                raise ConfigError(f"{source}: {where}: {arg!r} is not one of the parameters")


def _opt(value: str | None) -> Sequence[str]:
    return (value,) if value is not None else ()


def _plain(value: BaseModel | Mapping[str, Any]) -> dict[str, Any]:
    return value.model_dump() if isinstance(value, BaseModel) else dict(value)
