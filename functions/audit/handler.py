"""GET /admin/audit?entity=<type>#<id>: an entity's history, newest first, for admins.

One Query on the audit table's partition (the entity), paginated. Personal fields were
masked when the record was written; nothing here can unmask them.
"""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from salesportal.config import Settings, load
from salesportal.data.audit import AuditRepository
from salesportal.domain.outbox import AuditRecord
from salesportal.http import caller, rest_resolver
from salesportal.models.admin import AUDIT_ENTITY, AUDIT_ENTITY_EXAMPLES, AuditEntry, FieldChange
from salesportal.models.common import Page
from salesportal.observability import entrypoint

app = rest_resolver()


class AuditSettings(Settings):
    audit_table_name: str


@app.get("/admin/audit")
def history(
    entity: Annotated[str, Query(pattern=AUDIT_ENTITY, description=AUDIT_ENTITY_EXAMPLES)],
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
    next_token: Annotated[str | None, Query(alias="nextToken", max_length=2048)] = None,
) -> Page[AuditEntry]:
    caller(app)
    page = AuditRepository(load(AuditSettings).audit_table_name).history(
        entity, limit=limit, token=next_token
    )
    return Page[AuditEntry](items=[_entry(r) for r in page.items], next_token=page.next_token)


def _entry(record: AuditRecord) -> AuditEntry:
    return AuditEntry(
        entity=record.entity,
        action=record.action,
        actor=record.actor,
        at=record.at,
        event_id=record.event_id,
        changes=[FieldChange(field=c.field, before=c.before, after=c.after) for c in record.changes],
    )


@entrypoint(correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
