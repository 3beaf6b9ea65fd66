"""Evaluation: the annual multi-party performance evaluation."""
