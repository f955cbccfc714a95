"""HTTP entry points of completion reports: a contractor reports a unit (multipart, with
photos), staff send a reported unit back, the order's owner and staff read a photo.

Photos make this the one kind of request larger than 1 MiB: the route takes up to
``MAX_PHOTOS`` photos of ``MAX_PHOTO_BYTES`` each (``upload_limit``); a larger photo is
answered 413 by name, a file that is not a JPEG, PNG or HEIC photo 422.
"""

from __future__ import annotations

from flask import Response, g
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from webargs.flaskparser import FlaskParser
from werkzeug.datastructures import MultiDict

from services.common.auth import roles
from services.common.problems import Problem
from services.common.web import upload_limit

from ..adapters.photos import PhotoRefused
from ..domain.completions import MAX_NOTE, MAX_PHOTO_BYTES, MAX_PHOTOS, MAX_REASON, MAX_SERIAL
from ..service_layer import completions as use_cases
from .work_order_schemas import NOT_BLANK, WorkOrderOut
from .work_orders import _call, _runtime, _viewer


class _MultipartParser(FlaskParser):
    """Form fields and files of one multipart body, read as one schema (flask-smorest
    documents two argument schemas as two bodies, which OpenAPI 3 cannot state)."""

    __location_map__ = {**FlaskParser.__location_map__, "multipart": "load_multipart"}

    def load_multipart(self, req, schema):
        data = MultiDict(req.form)
        data.update(req.files)  # update appends: every file of a repeated field is kept
        return self._makeproxy(data, schema)


class MultipartBlueprint(Blueprint):
    ARGUMENTS_PARSER = _MultipartParser()
    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = {
        **Blueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
        "multipart": "multipart/form-data",
    }


blp = MultipartBlueprint(
    "completions",
    __name__,
    url_prefix="/markets/api/v1/work-orders",
    description="완료 보고: 시공업체가 설치 단위별로 일련번호·사진·메모를 보고, 직원이 반려",
)
IMAGE_TYPES = ("image/jpeg", "image/png")
ROUTE_LIMIT = MAX_PHOTOS * MAX_PHOTO_BYTES + 1024 * 1024  # the photos and the form fields


class CompletionForm(Schema):
    unit = fields.String(
        validate=validate.Regexp(
            r"^[0-9A-Za-z][0-9A-Za-z._-]{0,39}$",
            error="설치 단위 코드는 영문·숫자·.-_ 1~40자입니다 (예: 12, 12-1).",
        ),
        metadata={"description": "설치 단위 코드 (없으면 점포 번호의 보고 전 단위, 또는 "
                  "수량 안에서 새 단위)"},
    )  # fmt: skip
    store_number = fields.Integer(
        validate=validate.Range(min=1, max=100_000, error="점포 번호는 1 이상입니다."),
        metadata={"description": "점포 번호 (설치 단위 코드가 없을 때 필수)"},
    )
    serial = fields.String(
        required=True,
        validate=[
            validate.Length(max=MAX_SERIAL, error=f"일련번호는 {MAX_SERIAL}자 이하입니다."),
            validate.Regexp(NOT_BLANK, error="일련번호를 입력해 주세요."),
        ],
        metadata={"description": "감지기·소화기·카메라의 일련번호 (다른 단위와 겹치면 422)"},
    )
    note = fields.String(
        load_default="",
        validate=validate.Length(max=MAX_NOTE, error=f"메모는 {MAX_NOTE:,}자 이하입니다."),
        metadata={"description": "메모"},
    )
    photos = fields.List(
        fields.Raw(metadata={"type": "string", "format": "binary"}),
        load_default=list,  # none: a Korean 422 from the use case (1 to MAX_PHOTOS)
        metadata={"description": f"사진 1~{MAX_PHOTOS}장 (JPEG·PNG·HEIC, 한 장에 "
                  f"{MAX_PHOTO_BYTES // 1024 // 1024} MB 이하; 위치정보 등 EXIF는 지워 저장)"},
    )  # fmt: skip


class ReturnIn(Schema):
    reason = fields.String(
        required=True,
        validate=[
            validate.Length(max=MAX_REASON, error=f"반려 사유는 {MAX_REASON:,}자 이하입니다."),
            validate.Regexp(NOT_BLANK, error="반려 사유를 입력해 주세요."),
        ],
        metadata={"description": "반려 사유 (시공업체에게 보입니다)"},
    )


def _uploads(files) -> tuple[use_cases.Upload, ...]:
    return tuple(use_cases.Upload(f.filename or "", f.read()) for f in files if hasattr(f, "read"))


@blp.route("/<order_id>/completions", methods=["POST"])
@blp.arguments(CompletionForm, location="multipart")
@blp.response(200, WorkOrderOut)
@roles("contractor")
@upload_limit(ROUTE_LIMIT)
def report(form, order_id):
    """완료 보고 (시공업체, 자기 발주만): 설치 단위 하나의 일련번호, 사진, 메모.

    일부 단위만 보고해도 됩니다 (기성). 검수된 단위는 409, 다른 단위에 보고된 일련번호는
    422, 큰 사진은 413, 사진이 아닌 파일은 422; 거절되면 아무것도 저장하지 않습니다."""
    cmd = use_cases.ReportCompletion(
        order_id, form.get("unit"), form.get("store_number"), form["serial"], form["note"],
        _uploads(form["photos"]),
    )  # fmt: skip
    return _call(_report, _runtime(), cmd, _viewer())


def _report(*args) -> dict:
    try:
        return use_cases.report(*args)
    except PhotoRefused as exc:  # a photo too large: 413; not a photo: 422
        raise Problem(413 if exc.too_large else 422, str(exc)) from None


@blp.route("/<order_id>/units/<unit>/return", methods=["POST"])
@blp.arguments(ReturnIn)
@blp.response(200, WorkOrderOut)
@roles("staff")
def send_back(data, order_id, unit):
    """반려 (직원): 완료 보고된 단위를 사유와 함께 돌려보냅니다. 시공업체가 다시 보고합니다."""
    return _call(use_cases.send_back, _runtime(), order_id, unit, data["reason"], g.principal.name)


@blp.route("/<order_id>/photos/<photo_id>", methods=["GET"])
@blp.doc(responses={"200": {"description": "사진 (EXIF 없이 저장한 JPEG 또는 PNG)", "content": {
    kind: {"schema": {"type": "string", "format": "binary"}} for kind in IMAGE_TYPES}}})  # fmt: skip
@roles("staff", "contractor")
def get_photo(order_id, photo_id):
    """완료 보고 사진 (직원, 그 발주의 시공업체만; 그 밖에는 404)"""
    data, content_type = _call(use_cases.photo, _runtime(), order_id, photo_id, _viewer())
    return Response(data, mimetype=content_type, headers={
        "Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff",
        "Content-Disposition": "inline"})  # fmt: skip
