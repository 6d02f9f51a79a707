"""Corrections and retractions of attributions: changes that say why.

A correction is an update whose revision carries a reason; a retraction
marks the attribution retracted (when, why) and keeps it: it no longer
starts relay chains (so it no longer counts towards corroboration), and it
is left out of attribution lists and of the question endpoints unless asked
for (``?include=retracted``). The reason reaches the history trigger through
the transaction-local setting ``onrecord.reason``.
"""

from uuid import UUID

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.attributions import service as attributions
from app.attributions.models import Attribution
from app.documents import Document
from app.errors import Conflict, InvalidField, NotFound
from app.history.schemas import Correction, Retraction
from app.provenance.corroboration import refresh_corroboration

ATTRIBUTIONS = Attribution.__table__


async def give_reason(session: AsyncSession, reason: str) -> None:
    """The reason the history records for this transaction's changes."""
    await session.execute(select(func.set_config("onrecord.reason", reason, True)))


async def correct_attribution(
    session: AsyncSession, *, attribution_id: UUID, correction: Correction
) -> Document:
    if not correction.changes.model_fields_set:
        raise InvalidField("a correction changes at least one field", field="changes")
    await give_reason(session, correction.reason)
    return await attributions.update_attribution(
        session, attribution_id=attribution_id, data=correction.changes
    )


async def retract_attribution(
    session: AsyncSession, *, attribution_id: UUID, retraction: Retraction
) -> Document:
    await give_reason(session, retraction.reason)
    a = ATTRIBUTIONS.c
    retracted = await session.execute(
        update(Attribution)
        .where(a.id == attribution_id, a.retracted_at.is_(None))
        .values(retracted_at=func.now(), retraction_reason=retraction.reason, updated_at=func.now())
        .returning(a.claim_id)
    )
    claim_id = retracted.scalar_one_or_none()
    if claim_id is None:
        exists = await session.execute(select(a.retracted_at).where(a.id == attribution_id))
        if exists.one_or_none() is None:
            raise NotFound(f"no attribution with id {attribution_id}")
        raise Conflict(f"attribution {attribution_id} is already retracted")
    await refresh_corroboration(session, claim_ids=[claim_id], attribution_ids=[attribution_id])
    return await attributions.get_attribution(session, attribution_id=attribution_id)
