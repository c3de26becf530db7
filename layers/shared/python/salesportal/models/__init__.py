"""Pydantic models: API inputs and outputs, events, entities."""
