"""Stacks composed from the constructs."""
