"""The toy service's app and its test client, for the chassis tests."""

import pytest

from tests.support.helpers import key_settings
from tests.unit.chassis import toy


@pytest.fixture
def app(tmp_path, key_dir):
    return toy.make_app(tmp_path, key_settings(key_dir))


@pytest.fixture
def client(app):
    return app.test_client()
