"""Unit tests of deploy/: the `community` command."""
