"""``POST /v1/imports/brat``: one article annotated in brat standoff, imported."""

from typing import Annotated

from fastapi import Response
from pydantic import BaseModel, Field, StringConstraints

from app.bundles.brat.build import convert_article
from app.bundles.brat.metadata import ArticleMetadata
from app.bundles.brat.reader import parse_ann
from app.bundles.brat.report import BratReport
from app.bundles.bulk import OnChangedQuery, load_bundle
from app.bundles.format import BundleSummary
from app.bundles.format.summary import NOTHING_WRITTEN, import_response
from app.db import SessionDep
from app.errors import PROBLEM_RESPONSES, FieldError, ProblemError, pointer_for
from app.fields import WHITESPACE, LongText
from app.routing import Router
from app.schemas import Input

router = Router(prefix="/v1/imports", tags=["imports"], responses=PROBLEM_RESPONSES)

MAX_ANNOTATORS = 50


class BratAnnotation(Input):
    annotator: Annotated[
        str,
        StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$"),
        Field(
            description="Who annotated (a short name): attribution refs are "
            "`<annotator>-E<n>`, one per E line.",
            examples=["4e07"],
        ),
    ]
    ann: LongText = Field(description="The `.ann` file's text.")


class BratImport(Input):
    name: Annotated[
        str,
        StringConstraints(
            min_length=1,
            max_length=200,
            pattern=rf"^[^{WHITESPACE}/\u0000][^{WHITESPACE}\u0000]*$",
        ),
        Field(
            description="The article's name, which fixes its records' ids: the same name "
            "imports into the same records (`onrecord import-brat` uses "
            "`<compartment>/<file name>`).",
            examples=["train/breitbart_2015-11-16_o-malley-campaign-to-shift-staff"],
        ),
    ]
    text: LongText = Field(min_length=1, description="The `.txt` file's text (UTF-8).")
    annotations: list[BratAnnotation] = Field(
        default_factory=list,
        max_length=MAX_ANNOTATORS,
        description="One `.ann` file per annotator; the offsets are code points into `text`.",
    )
    metadata: ArticleMetadata | None = None


class BratImportResult(BaseModel):
    summary: BundleSummary = Field(description="What the load wrote, and the id of every ref.")
    report: BratReport = Field(description="Every T and E line imported, or skipped and why.")


class UnparseableAnnotations(ProblemError):
    """Lines of an ``.ann`` text that are not brat standoff at all."""

    status, slug, title = 422, "invalid-field", "Invalid field value"


@router.post(
    "/brat",
    response_model=BratImportResult,
    status_code=201,
    summary="Import an article annotated in brat standoff",
    responses=NOTHING_WRITTEN,
)
async def import_brat(
    body: BratImport, session: SessionDep, on_changed: OnChangedQuery = "refuse"
) -> Response:
    """Convert the article and its annotations (see "Importing brat standoff" in
    docs/design.md) and load the result as one bundle, in one transaction:
    one source, its speakers, a claim per Content, an attribution per E line
    with every annotated fragment in `spans`.

    Lines that cannot be parsed at all are a 422 naming each one; annotations
    that parse but are not imported (Discuss and Discard spans, E lines
    without Content, spans whose text is not the text's) are listed in the
    report. Idempotent: importing the same article again, under any name, writes nothing
    (200); a changed article text is refused unless `on_changed=update`."""
    errors: list[FieldError] = []
    seen: set[str] = set()
    anns = []
    for index, annotation in enumerate(body.annotations):
        if annotation.annotator in seen:
            errors.append(
                FieldError(
                    pointer=pointer_for(["annotations", index, "annotator"]),
                    location="body",
                    detail=f"annotator {annotation.annotator!r} is given twice",
                )
            )
        seen.add(annotation.annotator)
        ann = parse_ann(
            annotation.ann, name=f"{annotation.annotator}.ann", annotator=annotation.annotator
        )
        errors += [
            FieldError(
                pointer=pointer_for(["annotations", index, "ann"]),
                location="body",
                detail=f"line {issue.line}: {issue.detail}",
            )
            for issue in ann.issues
            if issue.reason == "malformed-line"
        ]
        anns.append(ann)
    if errors:
        raise UnparseableAnnotations(
            errors[0].detail + (f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""),
            errors=errors,
        )
    bundle, report = convert_article(body.name, body.text, anns, body.metadata)
    summary = await load_bundle(session, bundle, on_changed=on_changed)
    result = BratImportResult(summary=summary, report=report)
    return import_response(summary, result)
