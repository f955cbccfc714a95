"""Celery entry point: ``celery -A services.markets.worker worker -Q markets``."""

from . import create_app

flask_app = create_app()
celery = flask_app.extensions["celery"]
