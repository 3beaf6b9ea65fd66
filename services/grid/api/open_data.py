"""Open data of the grid service: the public case list per month, public."""

from __future__ import annotations

from services.chassis.open_data import blueprint

from ..usecases.open_data import DATASETS

blp = blueprint("grid", DATASETS)
