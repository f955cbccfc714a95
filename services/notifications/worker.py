"""Celery entry point: ``celery -A services.notifications.worker worker -Q notifications``."""

from . import create_app

flask_app = create_app()
celery = flask_app.extensions["celery"]
