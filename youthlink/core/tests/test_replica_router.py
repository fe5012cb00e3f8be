"""The read replica (DATABASE_REPLICA_URL): dashboard reads go to it, writes and everything else to
the primary, and a transaction on the primary reads the primary."""
import pytest
from django.db import transaction

from config.db_router import REPLICA, ReplicaRouter
from youthlink.appeals.models import Appeal
from youthlink.core.tests.test_settings import run_manage
from youthlink.stats.models import Cell

router = ReplicaRouter()


def test_reads_of_the_stats_app_go_to_the_replica_and_writes_to_the_primary():
    assert router.db_for_read(Cell) == REPLICA
    assert router.db_for_write(Cell) == "default"
    cell = Cell()
    cell._state.db = REPLICA  # as if read from the replica: saved to the primary all the same
    assert router.db_for_write(Cell, instance=cell) == "default"


def test_other_apps_are_not_routed():
    assert router.db_for_read(Appeal) is None
    assert router.db_for_write(Appeal) == "default"


@pytest.mark.django_db
def test_reads_inside_a_transaction_on_the_primary_stay_on_the_primary():
    with transaction.atomic():
        assert router.db_for_read(Cell) == "default"


def test_only_the_primary_is_migrated():
    assert router.allow_migrate("default", "stats") is True
    assert router.allow_migrate(REPLICA, "stats") is False
    assert router.allow_migrate(REPLICA, "appeals") is False


def test_settings_add_the_replica_and_its_router_only_when_configured():
    script = ("from django.conf import settings; from django.db import router; "
              "from config.db_router import reporting_db; "
              "from youthlink.stats.models import Cell; from youthlink.appeals.models import Appeal; "
              "print(sorted(settings.DATABASES), settings.DATABASES.get('replica', {}).get('HOST'), "
              "router.db_for_read(Cell), router.db_for_write(Cell), router.db_for_read(Appeal), reporting_db())")
    with_replica = run_manage("shell", "--no-imports", "-c", script,
                              DATABASE_REPLICA_URL="postgres://youthlink@replica.internal:5432/youthlink")
    assert with_replica.returncode == 0, with_replica.stderr
    assert with_replica.stdout.split() == ["['default',", "'replica']", "replica.internal", "replica", "default",
                                           "default", "replica"]
    without = run_manage("shell", "--no-imports", "-c", script)
    assert without.returncode == 0, without.stderr
    assert without.stdout.split() == ["['default']", "None", "default", "default", "default", "default"]


def test_deploy_checks_pass_with_a_replica_and_refuse_one_that_is_not_postgresql():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING",
                        DATABASE_REPLICA_URL="postgres://youthlink@replica.internal:5432/youthlink")
    assert result.returncode == 0, result.stdout + result.stderr
    refused = run_manage("check", DATABASE_REPLICA_URL="sqlite:///replica.sqlite3")
    assert refused.returncode != 0 and "DATABASE_REPLICA_URL" in refused.stderr
