import pytest

from tests.unit.contracts.story import Story


@pytest.fixture
def story(service, token):
    harness = service("contracts")
    s = Story(harness.client, token, runtime=harness.runtime)
    s.harness = harness
    return s
