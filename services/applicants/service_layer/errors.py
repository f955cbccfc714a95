"""Use-case failures a person reads (Korean), with the HTTP-neutral kind of failure."""

from __future__ import annotations


class UseCaseError(Exception):
    status = 400

    def __init__(self, message: str, errors: dict | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors


class NotFound(UseCaseError):
    status = 404


class Conflict(UseCaseError):
    status = 409


class Invalid(UseCaseError):
    status = 422
