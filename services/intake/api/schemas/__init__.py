"""Marshmallow schemas of the intake API: `catalogue` (and shared query parameters), `desk`
(tickets, cases, feedback, hall display), `analytics`."""
