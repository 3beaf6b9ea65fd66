"""Open data of the evaluation service: results of the rounds closed per month, public."""

from __future__ import annotations

from services.chassis.open_data import blueprint

from ..usecases.open_data import DATASETS

blp = blueprint("evaluation", DATASETS)
