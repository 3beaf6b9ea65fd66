"""Database errors quote the statement, never the values bound to it (personal data)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from services.chassis.db import Database


def test_an_error_text_hides_the_bound_values(tmp_path):
    metadata = sa.MetaData()
    people = sa.Table("people", metadata, sa.Column("phone", sa.String(20), primary_key=True))
    database = Database(f"sqlite:///{tmp_path / 'db.sqlite'}", metadata)
    metadata.create_all(database.engine)
    with database.engine.begin() as connection:
        connection.execute(people.insert().values(phone="13912345678"))
    with pytest.raises(IntegrityError) as caught, database.engine.begin() as connection:
        connection.execute(people.insert().values(phone="13912345678"))
    assert "13912345678" not in str(caught.value)
    assert "INSERT INTO people" in str(caught.value)
    database.dispose()
