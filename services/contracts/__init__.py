"""Contracts: government purchase of services, three-party contracts and money flow."""
