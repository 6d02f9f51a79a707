"""Query parameters other routers take for history and retractions."""

from typing import Annotated, Literal

from fastapi import Query

from app.fields import Moment

AsOf = Annotated[
    Moment | None,
    Query(
        description="A past time (ISO 8601, with a time zone): the record as it was then, from "
        "its history; 404 if it did not exist then. Its parts (translations, spans...) are "
        "today's."
    ),
]
Include = Annotated[
    Literal["retracted"] | None,
    Query(description="`retracted`: include retracted attributions (left out by default)."),
]
