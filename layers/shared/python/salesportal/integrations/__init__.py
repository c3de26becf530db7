"""Clients for the outside world, each behind a small Protocol."""
