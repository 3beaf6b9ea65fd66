"""Marshmallow schemas of the grid API (names end in `Schema`): one module per resource area."""
