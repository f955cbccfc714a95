"""HTTP entry points for markets: parse, call one use case."""

from flask import current_app
from flask_smorest import Blueprint
from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate

from services.common.auth import public, roles

from ..service_layer import catalogue as use_cases
from ..service_layer import stores as stores_use_cases
from .schemas import MarketSchema

blp = Blueprint(
    "markets",
    __name__,
    url_prefix="/markets/api/v1/markets",
    description="전통시장과 상점가",
)


@blp.route("")
@blp.response(200, MarketSchema(many=True))
@blp.doc(security=[])  # public: the document must not ask for a token
@public
def list_markets():
    """시장·상점가 목록"""
    return use_cases.list_markets(current_app.extensions["runtime"])


class StoreQuery(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    page_size = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))


class StoreOut(Schema):
    id = fields.String()
    number = fields.Integer(metadata={"description": "점포 번호: 상호·점주가 바뀌어도 그대로"})
    name = fields.String()
    name_generated = fields.Boolean(metadata={"description": "보고서에 없어 생성한 이름"})
    lane = fields.String(allow_none=True)
    floor = fields.String(allow_none=True)
    map_x = fields.Float(allow_none=True)
    map_y = fields.Float(allow_none=True)
    merchant_name_masked = fields.String(allow_none=True)
    merchant_phone_masked = fields.String(allow_none=True)


class StorePage(Schema):
    items = fields.List(fields.Nested(StoreOut))
    total = fields.Integer()
    page = fields.Integer()
    page_size = fields.Integer()


class StoreFile(Schema):
    file = Upload(required=True, metadata={"description": "CSV(UTF-8/CP949) 또는 XLSX"})


class ImportResult(Schema):
    created = fields.Integer()
    updated = fields.Integer()


@blp.route("/<market_id>/stores")
@blp.arguments(StoreQuery, location="query")
@blp.response(200, StorePage)
@roles("staff")
def list_stores(query, market_id):
    """시장의 점포 목록 (점포 번호순, 전화번호 가림)"""
    return stores_use_cases.list_stores(current_app.extensions["runtime"], market_id, **query)


@blp.route("/<market_id>/stores/import", methods=["POST"])
@blp.arguments(StoreFile, location="files")
@blp.response(200, ImportResult)
@roles("staff")
def import_stores(files, market_id):
    """점포 일괄 등록·갱신 (CSV/XLSX; 열: 번호, 상호, 통로, 층, x, y, 점포주, 휴대전화, 알림톡)"""
    upload = files["file"]
    return stores_use_cases.import_stores(
        current_app.extensions["runtime"], market_id, upload.filename or "", upload.read()
    )
