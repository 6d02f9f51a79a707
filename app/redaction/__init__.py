"""Redaction: personal details of an actor, or a span of a source's text,
removed for good (a legal takedown), everywhere they were stored."""
