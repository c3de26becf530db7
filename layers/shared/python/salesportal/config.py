"""Configuration: one pydantic settings model per function, read from the environment once."""

from __future__ import annotations

from functools import cache
from typing import TypeVar

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Base for every function's settings. Field ``customers_table_name`` reads
    ``CUSTOMERS_TABLE_NAME``; the names come from ``infrastructure.manifest``."""

    model_config = SettingsConfigDict(frozen=True, extra="ignore", case_sensitive=False)


S = TypeVar("S", bound=Settings)


@cache
def load(settings_type: type[S]) -> S:
    """The settings of this process, read on first use (never at import)."""
    return settings_type()
