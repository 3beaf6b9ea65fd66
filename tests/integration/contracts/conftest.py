"""Contracts on PostgreSQL: the unit tests' story, told to a service on a real database."""

import pytest

from tests.unit.contracts.story import Story


@pytest.fixture
def pg_story(service, token):
    harness = service("contracts", backend="postgres")
    story = Story(harness.client, token, runtime=harness.runtime)
    story.harness = harness
    return story
