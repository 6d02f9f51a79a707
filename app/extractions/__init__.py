"""``POST /v1/extractions`` and ``onrecord extract``: a text's proposed
attributions (``app.extraction``, run in a worker process), their speakers
resolved (``app.identity``), as a proposal and as the bundle that stores it."""
