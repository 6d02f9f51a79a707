"""``DriverSQL.inlined``: the text ``onrecord_recount_few`` runs with
``EXECUTE ... USING`` (migration 0015)."""

import pytest
from sqlalchemy import bindparam, column, literal, select, table

from app.sqlcompile import DriverSQL

ROWS = table("rows", column("a"), column("b"))


def test_named_parameters_are_numbered_as_given_and_constants_written_out():
    statement = select(ROWS.c.a).where(
        ROWS.c.b == bindparam("second"),
        ROWS.c.a - literal(-1) > bindparam("first"),
        ROWS.c.b != literal("it's"),
        ROWS.c.a != bindparam("second"),
    )
    sql = DriverSQL.compile(statement, ("first", "second")).inlined(("first", "second"))
    assert "rows.b = $2" in sql
    assert "rows.a != $2" in sql
    assert "> $1" in sql
    assert "- (-1)" in sql  # never "--1", a comment
    assert "'it''s'" in sql


def test_floats_are_written_out_and_other_constants_refused():
    statement = select(ROWS.c.a).where(ROWS.c.b == literal(1.5), ROWS.c.a != literal(-2.5))
    sql = DriverSQL.compile(statement, ()).inlined(())
    assert "rows.b = (1.5)" in sql
    assert "!= (-2.5)" in sql
    statement = select(ROWS.c.a).where(ROWS.c.b == literal(b"bytes"))
    with pytest.raises(TypeError):
        DriverSQL.compile(statement, ()).inlined(())
