"""Celery entry point: ``celery -A services.budget.worker worker -Q budget``."""

from . import create_app

flask_app = create_app()
celery = flask_app.extensions["celery"]
