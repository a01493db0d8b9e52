"""The tests' throw-away PostgreSQL 15 cluster (and the two-process test's children, the kill harness):
renewal_desk/core/pg_local.py, which the benchmark uses too; here a missing PostgreSQL skips the test."""

from __future__ import annotations

from renewal_desk.core import pg_local
from renewal_desk.core.pg_local import APP_ROLE, PG_BIN, SUPERUSER, ClusterUnavailable


class Cluster(pg_local.Cluster):
    @classmethod
    def start(cls, durable: bool = False) -> Cluster:
        missing = pg_local.available()
        if missing:
            import pytest

            pytest.skip(missing)
        return super().start(durable)


__all__ = ["APP_ROLE", "PG_BIN", "SUPERUSER", "Cluster", "ClusterUnavailable"]
