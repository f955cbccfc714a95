"""Notifications service: templates, channels, delivery, acknowledgements."""


def create_app(environ=None):
    from services.common.app import create_service_app

    from .spec import SPEC

    return create_service_app(SPEC, environ)
