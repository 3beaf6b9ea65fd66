"""Intake: the one-window service desk (一窗式)."""
