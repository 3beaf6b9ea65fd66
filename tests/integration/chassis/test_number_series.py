"""Human-readable number series: one chassis mechanism, and the move of existing counters."""

import threading

import pytest
from sqlalchemy import create_engine, text

from deploy import registry
from services.chassis import migrations, numbering
from services.chassis.config import Settings
from services.chassis.runtime import Runtime
from tests.unit.chassis import toy

# (service, the revision before the move, its counter table's row, the scope it becomes)
MOVES = [
    ("intake", "908f4c048e87", "INSERT INTO counters (scope, last) VALUES ('case:2026', 41)", "case:2026"),
    ("contracts", "708b75811f05", "INSERT INTO counters (series, last) VALUES ('HT-2026', 7)", "HT-2026"),
    ("grid", "2e3482a69f92", "INSERT INTO case_counters (year, last) VALUES (2026, 123)", "case:2026"),
]


def _check_move(url, service, before, insert, scope):
    migrations.upgrade(registry.migrations(service), url, before)
    engine = create_engine(migrations.normalize_url(url))
    with engine.begin() as connection:
        connection.execute(text(insert))
    migrations.upgrade(registry.migrations(service), url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT scope, last FROM number_series")).all()
    assert [tuple(r) for r in rows] == [(scope, int(insert.rsplit(", ", 1)[1].rstrip(")")))]
    migrations.downgrade(registry.migrations(service), url, before)
    with engine.connect() as connection:
        old_table = insert.split()[2]
        assert connection.execute(text(f"SELECT COUNT(*) FROM {old_table}")).scalar() == 1
    engine.dispose()


@pytest.mark.parametrize(("service", "before", "insert", "scope"), MOVES)
def test_existing_counters_move_into_the_number_series_on_sqlite(service, before, insert, scope, tmp_path):
    _check_move(f"sqlite:///{tmp_path}/{service}.db", service, before, insert, scope)


@pytest.mark.parametrize(("service", "before", "insert", "scope"), MOVES)
def test_existing_counters_move_into_the_number_series_on_postgres(
    service, before, insert, scope, postgres_databases
):
    _check_move(postgres_databases.empty(f"num_{service}"), service, before, insert, scope)


def test_a_series_counts_without_gaps_under_concurrent_takers(postgres_databases, tmp_path):
    runtime = toy.make_runtime(postgres_databases.empty("series"), "memory://", "n", tmp_path, {})
    taken, lock = [], threading.Lock()

    def take():
        for _ in range(25):
            with runtime.unit_of_work() as uow:
                value = numbering.next_value(uow, "ticket:huaguoshan:A")
                uow.commit()
            with lock:
                taken.append(value)

    threads = [threading.Thread(target=take) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(taken) == list(range(1, 201))
    runtime.database.dispose()


def test_own_transaction_numbers_survive_a_rolled_back_request(postgres_databases, tmp_path):
    runtime = toy.make_runtime(postgres_databases.empty("series"), "memory://", "n", tmp_path, {})
    with runtime.unit_of_work() as uow:
        assert numbering.next_value(uow, "s", own_transaction=True) == 1
        uow.rollback()  # the request failed after taking its number: a gap, like a ticket roll
    with runtime.unit_of_work() as uow:
        assert numbering.next_value(uow, "s") == 2
        uow.rollback()  # in the caller's transaction: rolled back with it
    with runtime.unit_of_work() as uow:
        assert numbering.next_value(uow, "s") == 2
        uow.commit()
    runtime.database.dispose()


def test_series_are_counted_apart(tmp_path):
    settings = Settings.from_env("toy", {"data_dir": tmp_path, "database_url": f"sqlite:///{tmp_path}/s.db"})
    runtime = Runtime(settings, toy.Base.metadata)
    toy.Base.metadata.create_all(runtime.database.engine)
    with runtime.unit_of_work() as uow:
        assert [numbering.next_value(uow, s) for s in ("a", "a", "b", "a")] == [1, 2, 1, 3]
        uow.commit()
    runtime.database.dispose()


def test_own_transaction_numbers_are_unique_under_concurrent_takers(postgres_databases, tmp_path):
    runtime = toy.make_runtime(postgres_databases.empty("series"), "memory://", "n", tmp_path, {})
    taken, lock = [], threading.Lock()

    def take():
        for _ in range(25):
            with runtime.unit_of_work() as uow:
                value = numbering.next_value(uow, "ticket:huaguoshan:A", own_transaction=True)
                uow.rollback()
            with lock:
                taken.append(value)

    threads = [threading.Thread(target=take) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(taken) == list(range(1, 201))
    runtime.database.dispose()


def test_own_transaction_numbers_go_on_after_the_kept_connection_is_killed(postgres_databases, tmp_path):
    url = postgres_databases.empty("series")
    runtime = toy.make_runtime(url, "memory://", "n", tmp_path, {})
    with runtime.unit_of_work() as uow:
        assert numbering.next_value(uow, "s", own_transaction=True) == 1
        uow.rollback()
    killer = create_engine(migrations.normalize_url(url))
    with killer.connect() as connection:  # what a database restart does to idle connections
        killed = connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).all()
    killer.dispose()
    assert killed
    with runtime.unit_of_work() as uow:
        assert numbering.next_value(uow, "s", own_transaction=True) == 2
        uow.rollback()
    runtime.database.dispose()
