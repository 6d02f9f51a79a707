"""The ``redactions`` list of an actor's or a source's document."""

from typing import Any

from sqlalchemy import func, literal
from sqlalchemy.sql.elements import ColumnElement

from app.documents import json_array
from app.redaction.models import Redaction

REDACTIONS = Redaction.__table__


def redactions_json(table_name: str, record_id: ColumnElement[Any]) -> ColumnElement[Any]:
    """The record's redactions, oldest first: when, why, and which fields
    (an actor) or which span of its text (a source)."""
    r = REDACTIONS.alias()
    what: list[Any] = (
        ["fields", r.c.fields]
        if table_name == "actors"
        else ["start", r.c.span_start, "end", r.c.span_end]
    )
    return json_array(
        func.json_build_object("at", r.c.created_at, *what, "reason", r.c.reason),
        r.c.table_name == literal(table_name),
        r.c.record_id == record_id,
        order_by=r.c.id,
    )
