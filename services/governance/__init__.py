"""Governance: the residents' committee decides as a body, residents have their say."""
