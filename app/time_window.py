"""``?time_from=`` and ``?time_to=``: the days a list keeps, those whose
records' (fuzzy) time overlaps the window. One declaration a kind of time
(said, happened, published), so that every list filtering by it documents
it alike."""

from typing import Annotated

from fastapi import Query

from app.fields import Day

SaidFrom = Annotated[Day | None, Query(description="Said on or after (overlap).")]
SaidTo = Annotated[Day | None, Query(description="Said on or before (overlap).")]
HappenedFrom = Annotated[Day | None, Query(description="Happened on or after (overlap).")]
HappenedTo = Annotated[Day | None, Query(description="Happened on or before (overlap).")]
PublishedFrom = Annotated[Day | None, Query(description="Published on or after (overlap).")]
PublishedTo = Annotated[Day | None, Query(description="Published on or before (overlap).")]
