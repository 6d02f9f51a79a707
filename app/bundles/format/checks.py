"""Checks of a bundle before anything is written: its fields, refs and cycles."""

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from pydantic import ValidationError

from app.bundles.format.records import Bundle, BundleEvent, BundleSource, Record
from app.bundles.format.refs import EXTERNAL_HINTS, KINDS, External, external_kind
from app.bundles.format.refusals import InvalidBundle, field_errors, refusal
from app.errors import FieldError, pointer_for


def parse_bundle(document: Any) -> Bundle:
    """Validate a bundle document; the errors point into it."""
    try:
        return Bundle.model_validate(document)
    except ValidationError as exc:
        errors = field_errors(exc)
        raise InvalidBundle(
            f"{errors[0].pointer or '(root)'}: {errors[0].detail}", errors=errors
        ) from None


def _check_refs(bundle: Bundle) -> tuple[dict[str, str], list[External]]:
    """Refs → their collection, and the references to stored rows; every
    reference must name a record of the right collection or a stored row (by
    UUID, Wikidata id or URL)."""
    owner: dict[str, str] = {}
    externals: list[External] = []
    errors: list[FieldError] = []

    def refuse(pointer: list[str | int], detail: str) -> None:
        errors.append(FieldError(pointer=pointer_for(pointer), location="body", detail=detail))

    for kind in KINDS:
        for index, record in enumerate(bundle.records(kind)):
            if record.ref in owner:
                refuse(
                    [kind, index, "ref"],
                    f"{kind}[{index}]: ref {record.ref!r} is already used by "
                    f"{owner[record.ref]}; refs are unique in a bundle",
                )
            else:
                owner[record.ref] = f"a record of {kind}"
    collection = {record.ref: kind for kind in reversed(KINDS) for record in bundle.records(kind)}
    for kind in KINDS:
        for index, record in enumerate(bundle.records(kind)):
            for path, target, ref in record.references():
                found = collection.get(ref)
                if found == target:  # the usual case: nothing to say or keep
                    continue
                where = f"{kind}[{index}] ({record.ref}): {path}"
                pointer: list[str | int] = [kind, index, *path.split(".")]
                if found is None and not external_kind(ref, target):
                    refuse(
                        pointer,
                        f"{where} refers to {ref!r}, which is no ref of this bundle "
                        f"(nor a UUID{EXTERNAL_HINTS.get(target, '')})",
                    )
                elif found is None:
                    externals.append((pointer_for(pointer), where, target, ref))
                elif found is not None and found != target:
                    refuse(
                        pointer,
                        f"{where} must refer to one of the {target}, but {ref!r} is one of the "
                        f"{found}",
                    )
    if errors:
        raise refusal(errors)
    return collection, externals


R = TypeVar("R", bound=Record)


def _in_order(
    records: Sequence[R],
    depends_on: Callable[[R], Iterable[str]],
    *,
    kind: Callable[[R], str],
    index: Callable[[R], int],
    what: str,
) -> list[R]:
    """Records so that each comes after those it depends on (stable); refuses cycles."""
    by_ref = {record.ref: record for record in records}
    # A record depending on itself is never ready: reported as a cycle of one.
    waiting = {
        record.ref: {ref for ref in depends_on(record) if ref in by_ref} for record in records
    }
    ordered: list[R] = []
    done: set[str] = set()
    progress = True
    while progress and len(ordered) < len(records):
        progress = False
        for record in records:
            if record.ref not in done and waiting[record.ref] <= done:
                ordered.append(record)
                done.add(record.ref)
                progress = True
    if len(ordered) < len(records):
        stuck = [record for record in records if record.ref not in done]
        refs = ", ".join(record.ref for record in stuck)
        detail = f"{what} form a cycle: {refs}"
        raise InvalidBundle(
            detail,
            errors=[
                FieldError(
                    pointer=pointer_for([kind(record), index(record)]),
                    location="body",
                    detail=detail,
                )
                for record in stuck
            ],
        )
    return ordered


def check_bundle(bundle: Bundle) -> tuple[dict[str, str], list[External]]:
    """Everything that can be checked without the database: unique refs,
    references to records of the right collection, and no cycles (roles in
    organisations, time anchors, relay chains). Returns the refs' collections
    and the references to stored rows."""
    collection, externals = _check_refs(bundle)
    position = {
        record.ref: (kind, index)
        for kind in KINDS
        for index, record in enumerate(bundle.records(kind))
    }

    def kind_of(record: Record) -> str:
        return position[record.ref][0]

    def index_of(record: Record) -> int:
        return position[record.ref][1]

    def anchors(record: BundleSource | BundleEvent) -> list[str]:
        time = record.published if isinstance(record, BundleSource) else record.time
        return [ref for ref in (time.anchor_source, time.anchor_event) if ref is not None]

    _in_order(
        bundle.actors,
        lambda actor: [role.organisation for role in actor.roles if role.organisation],
        kind=kind_of,
        index=index_of,
        what="actor roles (organisations)",
    )
    timed: list[BundleSource | BundleEvent] = [*bundle.sources, *bundle.events]
    _in_order(
        timed, anchors, kind=kind_of, index=index_of, what="time anchors of sources and events"
    )
    _in_order(
        bundle.attributions,
        lambda a: [a.relayed_through] if a.relayed_through else [],
        kind=kind_of,
        index=index_of,
        what="relay chains (relayed_through)",
    )
    return collection, externals
