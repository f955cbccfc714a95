"""Domain errors to Problem responses (Korean detail)."""

from __future__ import annotations

from contextlib import contextmanager

from services.common.problems import Problem

from ..domain.commands import Conflict, Forbidden, NotFound
from ..domain.ledger import InsufficientFunds
from ..domain.model import DomainError, UnknownFiscalYear


@contextmanager
def as_problems():
    try:
        yield
    except (NotFound, UnknownFiscalYear) as exc:
        raise Problem(404, str(exc)) from exc
    except Forbidden as exc:
        raise Problem(403, str(exc)) from exc
    except InsufficientFunds as exc:
        raise Problem(
            409,
            str(exc),
            code="insufficient_funds",
            requested_krw=exc.requested,
            available_krw=exc.available,
            shortfall_krw=exc.shortfall,
        ) from exc
    except Conflict as exc:
        raise Problem(409, str(exc)) from exc
    except DomainError as exc:
        raise Problem(422, str(exc)) from exc
