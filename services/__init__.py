"""The community services platform: four services on one chassis (listed in `deploy.registry`)."""
