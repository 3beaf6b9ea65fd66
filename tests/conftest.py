pytest_plugins = ["services.chassis.testing"]
