"""Configuration: one pydantic model per function, read from the environment once.

A plain pydantic model filled from ``os.environ`` rather than pydantic-settings: the
benchmark measured pydantic-settings (with python-dotenv) at 65-80 ms of every cold start,
for features (dotenv files, nested sources) no Lambda here uses.
"""

from __future__ import annotations

import os
from functools import cache
from typing import TypeVar

from pydantic import BaseModel, ConfigDict


class Settings(BaseModel):
    """Base for every function's settings. Field ``customers_table_name`` reads
    ``CUSTOMERS_TABLE_NAME``; the names come from ``infrastructure.manifest``."""

    model_config = ConfigDict(frozen=True, extra="ignore")


S = TypeVar("S", bound=Settings)


@cache
def load(settings_type: type[S]) -> S:
    """The settings of this process, read on first use (never at import).

    A missing variable fails validation naming the field: a deployment error, loudly.
    """
    values = {
        name: os.environ[name.upper()] for name in settings_type.model_fields if name.upper() in os.environ
    }
    return settings_type.model_validate(values)
