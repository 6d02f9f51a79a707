"""History of every change: revisions, the changes feed, corrections."""
