"""``InvalidBundle``, the one problem a refused bundle raises, and its errors."""

from collections.abc import Sequence

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from app.errors import FieldError, ProblemError, pointer_for


class InvalidBundle(ProblemError):
    status, slug, title = 422, "invalid-bundle", "Bundle is not valid"


def error_message(error: ErrorDetails) -> str:
    """Pydantic's message without the prefix it puts before a validator's own."""
    return str(error["msg"]).removeprefix("Value error, ")


def field_errors(exc: ValidationError) -> list[FieldError]:
    return [
        FieldError(
            pointer=pointer_for([str(part) for part in error["loc"]]),
            location="body",
            detail=error_message(error),
        )
        for error in exc.errors()
    ]


def refusal(errors: Sequence[FieldError], *, most: int | None = None) -> InvalidBundle:
    """The errors as one problem: the first is its detail, the others are counted;
    ``most`` bounds the errors listed."""
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return InvalidBundle(errors[0].detail + more, errors=list(errors[:most]))
