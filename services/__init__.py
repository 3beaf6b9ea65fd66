"""The community services platform: four services on one chassis."""

SERVICES = ("intake", "contracts", "grid", "evaluation")
