"""The markets service's pages: staff's work orders and coverage (staff_orders.py); the
contractor's page is added beside them. They call this service's own use cases only."""

from flask import Blueprint

pages = Blueprint("markets_pages", __name__, template_folder="../templates")

from . import contractor, staff_orders  # noqa: E402,F401  (routes register on import)
