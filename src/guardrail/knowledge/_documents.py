"""The versioned knowledge base: documents ``{id, version, effective_from, effective_to,
text}`` from a folder of Markdown files with front matter, or from one JSON file."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .._files import load_json
from ..errors import ConfigError
from ._versions import as_utc, check_no_overlap, pick


class Document(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    version: str = Field(min_length=1)
    effective_from: datetime | None = None
    effective_to: datetime | None = None
    title: str = ""
    text: str

    @field_validator("version", mode="before")
    @classmethod
    def _text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("effective_from", "effective_to", mode="before")
    @classmethod
    def _dates(cls, value: object) -> datetime | None:
        return as_utc(value, where="effective date")


def _front_matter(path: Path) -> dict[str, str]:
    """Parse ``---``-fenced ``key: value`` front matter (scalars only) and the body."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise ConfigError(f"{path}: a knowledge-base file starts with '---' front matter")
    try:
        end = next(i for i, line in enumerate(lines[1:], 1) if line.strip() == "---")
    except StopIteration:
        raise ConfigError(f"{path}: front matter is not closed with '---'") from None
    meta: dict[str, str] = {}
    for n, line in enumerate(lines[1:end], 2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition(":")
        if not sep or not key.strip():
            raise ConfigError(f"{path}:{n}: front matter lines are 'key: value'")
        value = value.strip().strip("'\"")
        meta[key.strip()] = value
    meta["text"] = "\n".join(lines[end + 1 :]).strip()
    return meta


class KnowledgeBase:
    """Every version of every document; look up by id and version, or by id and moment."""

    def __init__(self, documents: Iterable[Document]) -> None:
        by_id: dict[str, list[Document]] = defaultdict(list)
        for doc in documents:
            if any(d.version == doc.version for d in by_id[doc.id]):
                raise ConfigError(f"document {doc.id!r} version {doc.version!r} is defined twice")
            by_id[doc.id].append(doc)
        for doc_id, versions in by_id.items():
            check_no_overlap(versions, what=f"document {doc_id!r}")
        self._by_id = dict(by_id)

    @classmethod
    def load(cls, path: str | Path) -> KnowledgeBase:
        path = Path(path)
        if path.is_dir():
            raw: list[tuple[object, object]] = []
            for file in sorted(path.glob("*.md")):
                meta = _front_matter(file)
                meta.setdefault("id", file.stem)
                raw.append((file, meta))
            return cls(_validate(raw))
        data = load_json(path, "knowledge base")
        if not isinstance(data, dict) or not isinstance(data.get("documents"), list):
            raise ConfigError(f'{path}: expected {{"documents": [...]}}')
        items = [(f"{path}: documents[{i}]", d) for i, d in enumerate(data["documents"])]
        return cls(_validate(items))

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_id.values())

    def ids(self) -> list[str]:
        return list(self._by_id)

    def versions(self, doc_id: str) -> list[Document]:
        return list(self._by_id.get(doc_id, ()))

    def get(self, doc_id: str, version: str) -> Document | None:
        return next((d for d in self._by_id.get(doc_id, ()) if d.version == version), None)

    def in_force(self, doc_id: str, at: datetime) -> Document | None:
        return pick(self._by_id.get(doc_id, ()), at)


def _validate(items: Sequence[tuple[object, object]]) -> list[Document]:
    docs = []
    for where, item in items:
        try:
            docs.append(Document.model_validate(item))
        except ValidationError as exc:
            err = exc.errors()[0]
            loc = ".".join(str(p) for p in err["loc"])
            raise ConfigError(f"{where}: {loc}: {err['msg']}") from None
        except ConfigError as exc:
            raise ConfigError(f"{where}: {exc}") from None
    return docs
