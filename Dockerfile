# syntax=docker/dockerfile:1
# OnRecord: a wheel built in one stage, run from a slim Python as a non-root user.
#   Build:  docker build -t onrecord .
#   Run:    docker compose up --build             (with PostgreSQL 17, see compose.yaml)
#      or:  docker run -p 8000:8000 -v onrecord-data:/data onrecord
#           (no ONRECORD_DATABASE_URL: the embedded PostgreSQL 18, data in /data)
# The entry point migrates the database, then serves on 0.0.0.0:8000 with
# ONRECORD_WORKERS uvicorn workers (docker/entrypoint.sh).
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY app ./app
COPY migrations ./migrations
# OnRecord's wheel and the wheels of all it needs: the runtime stage installs offline.
RUN pip wheel --wheel-dir /wheels .

FROM ${PYTHON_IMAGE} AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    ONRECORD_DATA_DIR=/data \
    ONRECORD_HOST=0.0.0.0 \
    ONRECORD_PORT=8000
RUN --mount=type=bind,from=build,source=/wheels,target=/wheels \
    pip install --no-index --find-links /wheels /wheels/onrecord-*.whl \
    && groupadd --gid 10001 onrecord \
    && useradd --create-home --uid 10001 --gid 10001 onrecord \
    && mkdir -p /data \
    && chown 10001:10001 /data
COPY --chmod=0755 docker/entrypoint.sh /usr/local/bin/onrecord-entrypoint

# PostgreSQL (embedded mode) refuses to run as root, and so does the service.
USER 10001:10001
WORKDIR /home/onrecord
EXPOSE 8000
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('ONRECORD_PORT', '8000') + '/health', timeout=4)"]
ENTRYPOINT ["onrecord-entrypoint"]
CMD ["serve"]
