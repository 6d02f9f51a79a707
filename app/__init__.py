"""OnRecord: who said what, when, and on whose report."""
