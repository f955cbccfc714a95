"""HTTP entry points for work orders (발주): parse, call one use case, map errors.

Staff issue, amend, cancel and verify; a contractor reads only the orders of its own
account (``g.principal.name``): any other order answers 404, as one that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import current_app, g
from flask_smorest import Blueprint

from services.common import paging
from services.common.auth import roles
from services.common.problems import Problem

from ..domain.model import DomainError
from ..domain.work_orders import Conflict, NotFound, Unit
from ..service_layer import work_orders as use_cases
from .work_order_schemas import (
    CancellationIn,
    WorkOrderChange,
    WorkOrderIn,
    WorkOrderListed,
    WorkOrderOut,
    WorkOrderQuery,
)

blp = Blueprint(
    "work_orders",
    __name__,
    url_prefix="/markets/api/v1/work-orders",
    description="안전사업 발주: 발주·변경·취소·검수 (직원), 자기 발주 조회 (시공업체)",
)
T = TypeVar("T")


def _runtime():
    return current_app.extensions["runtime"]


def _viewer() -> use_cases.Viewer:
    p = g.principal
    return use_cases.Viewer(p.name, contractor=p.role == "contractor")


def _call(fn: Callable[..., T], *args) -> T:
    try:
        return fn(*args)
    except NotFound as exc:
        raise Problem(404, str(exc)) from None
    except Conflict as exc:
        raise Problem(409, str(exc)) from None
    except DomainError as exc:
        raise Problem(422, str(exc)) from None


def _units(items: list[dict]) -> tuple[Unit, ...]:
    return tuple(Unit(i.get("code") or str(i["store_number"]), i["store_number"]) for i in items)


@blp.route("", methods=["POST"])
@blp.arguments(WorkOrderIn)
@blp.response(201, WorkOrderOut)
@roles("staff")
def issue(data):
    """발주 (직원): 예산에 지출원인행위를 요청합니다 (결과는 발주의 commitment에 기록)."""
    cmd = use_cases.IssueWorkOrder(**{**data, "units": _units(data["units"])})
    return _call(use_cases.issue, _runtime(), cmd, g.principal.name)


@blp.route("", methods=["GET"])
@blp.arguments(WorkOrderQuery, location="query")
@blp.response(200, WorkOrderListed(many=True))
@blp.paginate(page_size=paging.PAGE_SIZE, max_page_size=paging.MAX_PAGE_SIZE)
@roles("staff", "contractor")
def list_orders(filters, pagination_parameters):
    """발주 목록 (직원: 전체, 시공업체: 자기 발주만; 최근 발주부터, X-Pagination 헤더)"""
    p = pagination_parameters
    found = use_cases.page(_runtime(), _viewer(), filters, p.page, p.page_size)
    p.item_count = found.total
    return found.items


@blp.route("/<order_id>", methods=["GET"])
@blp.response(200, WorkOrderOut)
@roles("staff", "contractor")
def get_order(order_id):
    """발주 하나: 설치 단위, 예산 상태, 지급, 변경 이력 (시공업체는 자기 발주만)"""
    return _call(use_cases.detail, _runtime(), order_id, _viewer())


@blp.route("/<order_id>", methods=["PATCH"])
@blp.arguments(WorkOrderChange)
@blp.response(200, WorkOrderOut)
@roles("staff")
def amend(data, order_id):
    """발주 변경 (직원): 수량, 계약금액, 납기일, 설치 단위. 취소된 발주는 409."""
    if "units" in data:
        data["units"] = _units(data["units"])
    return _call(use_cases.amend, _runtime(), order_id, data, g.principal.name)


@blp.route("/<order_id>/cancellation", methods=["POST"])
@blp.arguments(CancellationIn)
@blp.response(200, WorkOrderOut)
@roles("staff")
def cancel(data, order_id):
    """발주 취소 (직원, 사유 필수): 예산은 잡아 둔 지출원인행위를 해제합니다."""
    return _call(use_cases.cancel, _runtime(), order_id, data["reason"], g.principal.name)


@blp.route("/<order_id>/units/<unit>/verification", methods=["POST"])
@blp.response(200, WorkOrderOut)
@roles("staff")
def verify_unit(order_id, unit):
    """설치 단위 검수 (직원): 단가가 정해지고 예산이 그 금액을 지급합니다."""
    return _call(use_cases.verify, _runtime(), order_id, unit, g.principal.name)
