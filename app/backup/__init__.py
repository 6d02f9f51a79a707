"""``onrecord backup`` / ``onrecord restore``: the database in one file
(``pg_dump`` custom format), and back."""
