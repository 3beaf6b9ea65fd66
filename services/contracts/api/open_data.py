"""Open data of the contracts service: contracts, payments and budgets per month, public."""

from __future__ import annotations

from services.chassis.open_data import blueprint

from ..usecases.open_data import DATASETS

blp = blueprint("contracts", DATASETS)
