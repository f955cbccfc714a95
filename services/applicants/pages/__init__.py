"""The applicants service's pages: the public form and status lookup (public.py) and the
staff's recruitments, applications and draw (staff.py). They call this service's own use
cases only."""

from flask import Blueprint

pages = Blueprint("applicants_pages", __name__, template_folder="../templates")

from . import public, staff  # noqa: E402,F401  (routes register on import)
