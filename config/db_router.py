"""Dashboards read from a PostgreSQL read replica when DATABASE_REPLICA_URL names one.

Installed by the settings only when the replica is configured (alias "replica", mirrored to the
primary in tests). What goes there:

- reads of the stats app's own tables (the pre-aggregated cells the dashboards and reports show),
  routed by app label, so the dashboards need no change;
- any other read a dashboard or report makes through `reporting_db()`:
  `Visit.objects.using(reporting_db())…`.

What never goes there: writes (the replica is read-only), and reads made inside a transaction on
the primary — the stats engine reads the stored cells and rewrites them in one transaction, and a
stale read from the replica would be written back as truth. A replica lags the primary by the
replication delay (usually well under a second, minutes during a bulk load); a dashboard can show
that much less, which is why nothing a user has just written is read back from it.
"""
from __future__ import annotations

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
REPLICA_APP_LABELS = frozenset({"stats"})


def reporting_db() -> str:
    """The alias dashboards and reports read from: the replica if there is one, else the primary."""
    return REPLICA if REPLICA in settings.DATABASES else DEFAULT_DB_ALIAS


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if model._meta.app_label not in REPLICA_APP_LABELS:
            return None
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS  # read-modify-write: read what the transaction will overwrite
        return REPLICA

    def db_for_write(self, model, **hints):
        # Explicitly the primary: without an answer Django writes an object back to the database it
        # was read from, which for a dashboard's object would be the read-only replica.
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same rows.
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica receives the schema by replication; it is never migrated itself.
        return db == DEFAULT_DB_ALIAS
