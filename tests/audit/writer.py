"""A writer process for the concurrency and crash tests:
``python -m tests.audit.writer STORE_URL TENANT COUNT PREFIX`` writes COUNT decisions
(audit ids PREFIX-0 … PREFIX-{COUNT-1}) and prints ``ok <i>`` after each commit."""

from __future__ import annotations

import sys
from pathlib import Path

from guardrail.audit import AuditConfig, open_sql_store
from guardrail.models import Action, Code

from .factory import case, finding


def main(url: str, tenant: str, count: int, prefix: str, report: bool = True) -> None:
    store = open_sql_store(AuditConfig(store=url), Path.cwd(), tenant)
    assert store is not None
    for i in range(count):
        escalate = i % 5 == 0
        conv, draft, decision = case(
            tenant=tenant,
            conversation_id=f"{prefix}-c{i}",
            audit_id=f"{prefix}-{i}",
            action=Action.escalate if escalate else Action.release,
            findings=[finding(Code.POLICY_CONTRADICTION)] if escalate else [],
        )
        store.write(conv, draft, decision)
        if report:
            sys.stdout.write(f"ok {i}\n")
            sys.stdout.flush()
    store.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4])
