"""HTTP entry points for markets: parse, call one use case."""

from flask import current_app
from flask_smorest import Blueprint

from services.common.auth import public

from ..service_layer import catalogue as use_cases
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
