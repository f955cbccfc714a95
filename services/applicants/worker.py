"""Celery entry point: ``celery -A services.applicants.worker worker -Q applicants``."""

from . import create_app

flask_app = create_app()
celery = flask_app.extensions["celery"]
