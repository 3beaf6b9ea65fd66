"""Scheme definitions the evaluation tests share."""

from __future__ import annotations

import copy
from typing import Any

from deploy.demo.evaluation_reference import default_definition


def two_indicator_definition(
    committee: str = "0.5", subdistrict: str = "0.3", third_party: str = "0.2"
) -> dict[str, Any]:
    """One dimension, two party indicators A and B (0.5 each), three scoring parties."""
    return {
        "title": "Test scheme",
        "parties": [
            {"party": "committee", "weight": committee},
            {"party": "subdistrict", "weight": subdistrict},
            {"party": "third_party", "weight": third_party},
        ],
        "dimensions": [
            {
                "code": "d",
                "name": "Dimension",
                "weight": "1",
                "children": [
                    {"code": "A", "name": "Indicator A", "weight": "0.5", "source": "party"},
                    {"code": "B", "name": "Indicator B", "weight": "0.5", "source": "party"},
                ],
            }
        ],
    }


def template(**changes: Any) -> dict[str, Any]:
    """The default template (deep copy) with top-level changes."""
    definition = copy.deepcopy(default_definition("花果山"))
    definition.update(changes)
    return definition
