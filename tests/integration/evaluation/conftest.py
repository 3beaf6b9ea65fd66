"""The evaluation integration tests use the same people as the unit tests."""

from tests.unit.evaluation.conftest import people  # noqa: F401 (a fixture)
