"""Reading a tenant's JSON files: one place for the errors that name the file."""

from __future__ import annotations

import json
from pathlib import Path

from .errors import ConfigError


def load_json(path: Path, what: str) -> object:
    """Parse ``path`` as UTF-8 JSON; a missing or malformed file is a ConfigError naming it
    (``what`` says which kind of file, e.g. "golden set")."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: {what} file not found") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid JSON ({exc})") from None
