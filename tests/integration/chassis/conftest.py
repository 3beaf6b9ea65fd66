import pytest

from tests.support.helpers import key_settings
from tests.unit.chassis import toy


@pytest.fixture
def toy_runtime(postgres_databases, amqp_url, bus_namespace, tmp_path, key_dir):
    """make(amqp_url=None, database_url=None, **settings) → a toy runtime on PostgreSQL + RabbitMQ."""
    made = []

    def make(amqp=None, database_url=None, **config):
        runtime = toy.make_runtime(
            database_url or postgres_databases.empty("toy"),
            amqp or amqp_url,
            bus_namespace,
            tmp_path,
            key_settings(key_dir),
            **config,
        )
        made.append(runtime)
        return runtime

    yield make
    for runtime in made:
        runtime.database.dispose()
