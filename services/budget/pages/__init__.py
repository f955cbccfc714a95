"""Finance's pages, served by the budget service from its own templates and calling its
own service layer only: 예산현황, 지출원인행위 and 지출 forms, the commitments list with
release and reversal, 전용·이용 requests and approvals, the ledger check."""

from . import commitments, expenditures, ledger_check, report, transfers  # noqa: F401 (routes)
from .web import pages

__all__ = ["pages"]
