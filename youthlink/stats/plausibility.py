"""Plausibility checks (数据核查): the checks features registered (youthlink.core.registry.Check), run
over a node's subtree for a period. Two queries per check (count and the first records), whatever
the size of the data."""
from __future__ import annotations

from dataclasses import dataclass

from youthlink.core import registry
from youthlink.orgs.models import Node

from .periods import Period

SHOWN = 100  # records listed per check; the count is of all of them


@dataclass
class Finding:
    check: registry.Check
    count: int
    records: list  # [(label, url or None)], at most SHOWN

    @property
    def more(self) -> int:
        return self.count - len(self.records)


def run_checks(node: Node, period: Period, *, shown: int = SHOWN) -> list[Finding]:
    findings = []
    for check in registry.checks():
        qs = check.find(node, period)
        records = list(qs[:shown])
        count = len(records) if len(records) < shown else qs.count()
        findings.append(Finding(check=check, count=count, records=[
            (check.label_of(r), check.url_of(r) if check.url_of else None) for r in records]))
    return findings
