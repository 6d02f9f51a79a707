"""Safe concurrent writes: ETags and If-Match, Idempotency-Key."""
