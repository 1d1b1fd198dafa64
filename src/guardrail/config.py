"""The tenant config (``guardrail.toml``), validated strictly.

Every knob has a default; an unknown table or key, or a value of the wrong type, is a
:class:`~guardrail.errors.ConfigError` that names the file and the ``[table] key``.
Paths are relative to the config file.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import Field, ValidationError

from ._section import Section
from .audit._config import AuditConfig
from .errors import ConfigError
from .review._config import ReviewConfig
from .routing._config import BrandConfig, RoutingConfig

__all__ = [
    "AuditConfig",
    "BrandConfig",
    "GroundingConfig",
    "ReviewConfig",
    "RoutingConfig",
    "TenantConfig",
    "TenantSection",
    "ToolsConfig",
    "load_config",
]


class TenantSection(Section):
    id: str = Field(min_length=1)


class GroundingConfig(Section):
    golden_set: str | None = None
    knowledge_base: str | None = None


class ToolsConfig(Section):
    schemas: str | None = None
    #: a Python file defining ``register(tools)`` that registers the tenant's rule functions
    functions: str | None = None
    #: how long one handler may run before its call is failed (outcome: timed_out)
    handler_timeout_s: float = Field(default=30.0, gt=0, le=3600)


class TenantConfig(Section):
    tenant: TenantSection
    grounding: GroundingConfig = GroundingConfig()
    tools: ToolsConfig = ToolsConfig()
    review: ReviewConfig = ReviewConfig()
    routing: RoutingConfig = RoutingConfig()
    brand: BrandConfig = BrandConfig()
    audit: AuditConfig = AuditConfig()


def _describe(path: Path, exc: ValidationError) -> str:
    err = exc.errors()[0]
    loc = [str(p) for p in err["loc"]]
    where = f"[{loc[0]}] {'.'.join(loc[1:])}".strip() if len(loc) > 1 else f"[{loc[0]}]"
    msg = err["msg"]
    if err["type"] == "extra_forbidden":
        msg = "unknown key"
    elif err["type"] == "missing":
        msg = "required key is missing"
    return f"{path}: {where}: {msg}"


def load_config(path: str | Path) -> tuple[TenantConfig, Path]:
    """Read and validate ``path``; return the config and the folder paths resolve from."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    try:
        config = TenantConfig.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(_describe(path, exc)) from None
    return config, path.resolve().parent


def resolve(base: Path, value: str | None) -> Path | None:
    """A config path made absolute against the config file's folder."""
    if value is None:
        return None
    candidate = Path(value).expanduser()
    return candidate if candidate.is_absolute() else base / candidate
