"""Bundles: many records in one document, in and out of OnRecord (see format.py)."""
