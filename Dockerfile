# trixie: its PostgreSQL client (17) can dump the PostgreSQL 16 server.
FROM python:3.11-slim-trixie

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=config.settings.production \
    LHT_VAR_DIR=/app/var
RUN apt-get update && apt-get install -y --no-install-recommends gettext postgresql-client curl \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml ./
COPY config ./config
COPY core ./core
COPY governance ./governance
COPY households ./households
COPY disputes ./disputes
COPY petitions ./petitions
COPY dashboards ./dashboards
RUN pip install --no-cache-dir .
COPY . .
RUN SECRET_KEY=build-only DATABASE_URL=sqlite:////tmp/build.sqlite3 python manage.py collectstatic --no-input -v 0 \
    && python manage.py compilemessages --ignore=.venv -v 0
RUN useradd --create-home --uid 10001 lht && mkdir -p /app/var/media && chown -R lht /app/var
USER lht
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
