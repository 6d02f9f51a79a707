# OnRecord with its embedded PostgreSQL 18 (data in /data), or any server via
# ONRECORD_DATABASE_URL. Build: docker build -t onrecord .
# Run:   docker run -p 8000:8000 -v onrecord-data:/data onrecord serve --demo --host 0.0.0.0
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    ONRECORD_DATA_DIR=/data \
    ONRECORD_HOST=0.0.0.0

WORKDIR /srv/onrecord
COPY pyproject.toml README.md alembic.ini ./
COPY app ./app
COPY migrations ./migrations
RUN pip install . \
    && useradd --create-home --uid 10001 onrecord \
    && mkdir -p /data && chown onrecord /data

# PostgreSQL refuses to run as root: the service runs as its own user.
USER onrecord
EXPOSE 8000
VOLUME ["/data"]
ENTRYPOINT ["onrecord"]
CMD ["serve"]
