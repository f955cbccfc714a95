# One image for every process of the deployment: the four APIs (gunicorn), their Celery
# workers, beat, Flower and the one-shot `init` (migrations + demo data).
# docker-compose.yml chooses the process with `command:` and defines the health checks.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    VAR_DIR=/var/lib/ydp

# Non-root user; /var/lib/ydp is the only place it may write (beat keeps its schedule there).
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --home-dir /home/app --create-home \
        --shell /usr/sbin/nologin app \
 && mkdir -p /var/lib/ydp/beat /var/lib/ydp/uploads/markets \
 && chown -R app:app /var/lib/ydp

WORKDIR /app

COPY pyproject.toml ./
COPY services/ services/
COPY deploy/ deploy/

# The project and its dependencies from pyproject.toml; Flower is a deployment-only tool.
# PYTHONPATH=/app makes every entry point (gunicorn, celery, python -m) import the copies
# under /app, so non-Python files (migrations, templates, demo/*.toml) sit beside the code.
RUN pip install . "flower>=2.0,<3" \
 && rm -rf build ./*.egg-info

USER app

EXPOSE 8000

CMD ["gunicorn", "-b", "0.0.0.0:8000", "--workers", "2", "--threads", "4", "services.applicants:create_app()"]
