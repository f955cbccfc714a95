"""Map use-case failures to problem+json."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from typing import TypeVar

from services.common.problems import Problem

from ..domain.model import DomainError
from ..service_layer.errors import UseCaseError

T = TypeVar("T")


@contextmanager
def as_problems():
    try:
        yield
    except UseCaseError as exc:
        extra = {"errors": {"json": exc.errors}} if exc.errors else {}
        raise Problem(exc.status, exc.message, **extra) from exc
    except DomainError as exc:
        raise Problem(422, str(exc)) from exc


def call(fn: Callable[..., T], *args, **kwargs) -> T:
    with as_problems():
        return fn(*args, **kwargs)
