#!/bin/sh
# Entry point of the OnRecord image.
#   serve [OPTIONS] (the default): migrate the database (onrecord db upgrade),
#     then run the API: uvicorn with ONRECORD_WORKERS workers on
#     ONRECORD_HOST:ONRECORD_PORT (0.0.0.0:8000 in the image). `exec` makes it
#     PID 1, so `docker stop` (SIGTERM) lets in-flight requests finish.
#   anything else: run as `onrecord ARGS` (db current, demo load, import...).
set -eu

if [ "$#" -eq 0 ] || [ "$1" = "serve" ]; then
    [ "$#" -gt 0 ] && shift
    onrecord db upgrade
    exec onrecord serve --no-migrate "$@"
fi
exec onrecord "$@"
