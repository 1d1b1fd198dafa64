"""Build a :class:`~guardrail.Guardrail` from a tenant's ``guardrail.toml``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .audit import open_store
from .config import TenantConfig, load_config, resolve
from .grounding import GroundingLayer
from .knowledge import GoldenSet, Knowledge, KnowledgeBase
from .review import build_review_layer
from .routing import Router, build_sinks, build_triggers
from .tools import load_tools_layer

if TYPE_CHECKING:
    from .pipeline import Guardrail


def load_knowledge(config: TenantConfig, base: Path) -> Knowledge:
    golden_path = resolve(base, config.grounding.golden_set)
    kb_path = resolve(base, config.grounding.knowledge_base)
    golden = GoldenSet.load(golden_path) if golden_path else GoldenSet(())
    documents = KnowledgeBase.load(kb_path) if kb_path else KnowledgeBase(())
    return Knowledge(golden=golden, documents=documents)


def build_from_config(cls: type[Guardrail], path: str | Path, **overrides: Any) -> Guardrail:
    config, base = load_config(path)
    knowledge = load_knowledge(config, base)
    if "audit" in overrides:
        audit = overrides["audit"]
    else:
        audit = open_store(config.audit, base, config.tenant.id)
    parts: dict[str, Any] = {
        "tenant": config.tenant.id,
        "knowledge": knowledge,
        "tools": load_tools_layer(config.tools, base, knowledge),
        "grounding": GroundingLayer(knowledge),
        "review": build_review_layer(config.review, knowledge),
        "triggers": build_triggers(config.routing, config.brand),
        "router": Router(config.routing),
        "audit": audit,
        "handoff_sinks": build_sinks(config.routing, audit),
        "handler_timeout_s": config.tools.handler_timeout_s,
    }
    parts.update(overrides)
    guard = cls(**parts)
    guard.config = config
    return guard
