"""Deployment: the embedded runner, the local stack, container and cluster files."""
