"""Departments' subscriptions: grants, signed webhooks with retries, a delivery log."""
