"""Lists in pages, for the API and the pages alike.

The API keeps its arrays and says where it is in flask-smorest's ``X-Pagination`` header
(``@blp.paginate()``: ``page``, ``page_size``, total, first, last, previous, next); pages
show the same figures under the table (``common/forms.html``'s ``pagination``). Both count
with one query and fetch one page with another.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil
from typing import Any
from urllib.parse import urlencode

from flask import request
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


@dataclass(frozen=True)
class Page:
    items: list[Any]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.page_size))

    @property
    def first_item(self) -> int:
        return 0 if not self.total else (self.page - 1) * self.page_size + 1

    @property
    def last_item(self) -> int:
        return min(self.total, self.page * self.page_size)

    def numbers(self, around: int = 2) -> list[int | None]:
        """Page numbers to show, ``None`` where a run is left out (1 … 4 5 6 … 20)."""
        wanted = {1, self.pages, *range(self.page - around, self.page + around + 1)}
        shown: list[int | None] = []
        for number in sorted(n for n in wanted if 1 <= n <= self.pages):
            if shown and number - (shown[-1] or 0) > 1:
                shown.append(None)
            shown.append(number)
        return shown

    def href(self, number: int) -> str:
        """This page's address with the same filters, at another page number."""
        args = [(k, v) for k, v in request.args.items(multi=True) if k != "page"]
        return f"{request.path}?{urlencode([*args, ('page', number)])}"


def fetch(session: Session, query: Select, page: int, page_size: int) -> Page:
    total = session.execute(
        select(func.count()).select_from(query.order_by(None).subquery())
    ).scalar_one()
    offset = (page - 1) * page_size
    # Past the end there is nothing to read (and an offset beyond 64 bits, as a hand-made
    # ``page`` may ask for, would not reach the database).
    rows = session.execute(query.limit(page_size).offset(offset)).all() if offset < total else []
    return Page([dict(r._mapping) for r in rows], total, page, page_size)


def from_args(args=None, page_size: int = PAGE_SIZE) -> tuple[int, int]:
    """Page number and size from a page's query string; nonsense falls back (people edit
    addresses by hand, and a list should still show)."""
    args = request.args if args is None else args

    def number(name: str, default: int, top: int) -> int:
        try:
            return min(max(int(args.get(name, default)), 1), top)
        except ValueError:
            return default

    return number("page", 1, 100_000), number("page_size", page_size, MAX_PAGE_SIZE)
