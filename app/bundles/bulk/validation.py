"""Checks in SQL of what is staged, before it is written: references and spans."""

from collections.abc import Sequence

from app.bundles.bulk.report import MAX_ERRORS, refused
from app.bundles.bulk.resolve import Reference
from app.bundles.bulk.staging import REFERENCES_TABLE, Staging
from app.bundles.format import KINDS
from app.errors import FieldError


async def check_references(staging: Staging, references: Sequence[Reference]) -> None:
    """Each reference by id names a stored row, or a staged one, of its collection."""
    if not references:
        return
    connection = await staging.connection()
    await connection.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {REFERENCES_TABLE}"
        " (origin text, pointer text, target text, id uuid) ON COMMIT DROP"
    )
    staging.references_made = True
    await connection.copy_records_to_table(
        REFERENCES_TABLE,
        records=[(r.where, r.pointer, r.target, r.id) for r in references],
    )
    missing = " UNION ALL ".join(
        f"SELECT r.origin, r.pointer, r.target, r.id FROM {REFERENCES_TABLE} r"
        f" WHERE r.target = '{kind}'"
        f" AND NOT EXISTS (SELECT FROM {kind} t WHERE t.id = r.id)"
        f" AND NOT EXISTS (SELECT FROM stage_{kind} s WHERE s.id = r.id)"
        for kind in KINDS
    )
    rows = await staging.fetch(f"SELECT * FROM ({missing}) m LIMIT {MAX_ERRORS + 1}")
    if rows:
        errors = [
            FieldError(
                pointer=pointer,
                location="body",
                detail=f"{where}: no {target[:-1].replace('_', ' ')} has id {row_id}",
            )
            for where, pointer, target, row_id in rows
        ]
        raise refused(errors)


async def check_spans(staging: Staging) -> None:
    """Each span must cover exactly its text in its source's full text."""
    rows = await staging.fetch(
        f"""
        WITH wanted AS (
            SELECT origin, pointer || '/span' AS pointer, source_id,
                   span_start AS start, span_end AS "end", span_text AS text
            FROM stage_attributions WHERE span_start IS NOT NULL
            UNION ALL
            SELECT f.origin, f.pointer, a.source_id, f.start, f."end", f.text
            FROM stage_attribution_spans f
            JOIN stage_attributions a ON a.id = f.attribution_id
        ), texts AS (
            SELECT id, full_text FROM stage_sources
            UNION ALL
            SELECT id, full_text FROM sources
            WHERE id IN (SELECT source_id FROM wanted)
              AND id NOT IN (SELECT id FROM stage_sources)
        )
        SELECT w.origin, w.pointer, w.start, w."end", w.text,
               char_length(t.full_text), substr(t.full_text, w.start + 1, w."end" - w.start)
        FROM wanted w JOIN texts t ON t.id = w.source_id
        WHERE t.full_text IS NULL
           OR substr(t.full_text, w.start + 1, w."end" - w.start) IS DISTINCT FROM w.text
        LIMIT {MAX_ERRORS + 1}
        """
    )
    if not rows:
        return
    errors = []
    for origin, pointer, start, end, wanted, length, covered in rows:
        if length is None:
            detail, where = "the source has no full_text to anchor a span in", ""
        elif end > length:
            detail = f"span end {end} is outside the source text ({length} code points)"
            where = "/end"
        else:
            detail = f"the source text at [{start}, {end}) is {covered!r}, not {wanted!r}"
            where = "/text"
        errors.append(
            FieldError(pointer=pointer + where, location="body", detail=f"{origin}: {detail}")
        )
    raise refused(errors)
