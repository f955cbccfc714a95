"""The contractor's pages (/markets/contractor/): their own work orders, one order with
its units (reported, verified, sent back with the reason, paid), and the completion report
form for a phone: photos from the camera, serial, note. POST → 303 → GET with a message;
errors re-show the form (422) with the error summary linked to each field. Another
contractor's order answers 404, as one that does not exist.
"""

from __future__ import annotations

from flask import abort, current_app, flash, g, redirect, render_template, request

from services.common import paging
from services.common.auth import roles
from services.common.web import upload_limit

from ..adapters.photos import PhotoRefused
from ..api.completions import ROUTE_LIMIT
from ..domain.completions import MAX_NOTE, MAX_PHOTO_BYTES, MAX_PHOTOS, MAX_SERIAL
from ..domain.model import DomainError
from ..domain.work_orders import Conflict, NotFound
from ..service_layer import completions, work_orders
from ..service_layer.work_orders import Viewer
from . import pages

LABELS = {"unit": "설치 단위", "store_number": "점포 번호", "serial": "일련번호",
          "photos": "사진", "note": "메모"}  # fmt: skip
LIMITS = {"max_photos": MAX_PHOTOS, "max_mb": MAX_PHOTO_BYTES // 1024 // 1024,
          "max_note": MAX_NOTE, "max_serial": MAX_SERIAL}  # fmt: skip


def _runtime():
    return current_app.extensions["runtime"]


def _viewer() -> Viewer:
    return Viewer(g.principal.name, contractor=g.principal.role == "contractor")


@pages.get("/markets/contractor/")
@roles("contractor")
def orders():
    """내 발주: the orders of the signed-in contractor, newest first."""
    number, size = paging.from_args()
    page = work_orders.page(_runtime(), _viewer(), {}, number, size)
    return render_template("markets/contractor/orders.html", page=page)


def _order(order_id: str) -> dict:
    try:
        return work_orders.detail(_runtime(), order_id, _viewer())
    except NotFound:
        abort(404, "발주를 찾을 수 없습니다.")


def _show(order: dict, form: dict, errors: dict):
    open_units = [u for u in order["units"] if u["status"] != "verified"]
    options = [(u["code"], f"{u['store_number']}번 {u['store_name'] or ''} · 단위 {u['code']} "
                           f"({u['status_name']})") for u in open_units]  # fmt: skip
    room = order["status"] == "issued" and len(order["units"]) < order["quantity"]
    return render_template(
        "markets/contractor/order.html", order=order, form=form, errors=errors, labels=LABELS,
        open_units=open_units, unit_options=options, room=room, **LIMITS,
    ), (422 if errors else 200)  # fmt: skip


@pages.get("/markets/contractor/orders/<order_id>")
@roles("contractor")
def order(order_id):
    """One order: its units and statuses, and the completion report form."""
    return _show(_order(order_id), {"unit": request.args.get("unit", "")}, {})


def _check(form: dict, photos: list) -> tuple[dict, int | None]:
    errors: dict[str, str] = {}
    store = None
    if form["store_number"]:
        if form["store_number"].isascii() and form["store_number"].isdigit():
            store = int(form["store_number"])
        else:
            errors["store_number"] = "점포 번호는 숫자로 적어 주세요 (예: 12)."
    if not form["unit"] and store is None and "store_number" not in errors:
        errors["unit"] = "보고할 설치 단위를 고르거나 점포 번호를 적어 주세요."
    if not form["serial"]:
        errors["serial"] = "기기·소화기 일련번호를 적어 주세요."
    elif len(form["serial"]) > MAX_SERIAL:
        errors["serial"] = f"일련번호는 {MAX_SERIAL}자 이하로 적어 주세요."
    if len(form["note"]) > MAX_NOTE:
        errors["note"] = f"메모는 {MAX_NOTE:,}자 이하로 적어 주세요."
    if not photos:
        errors["photos"] = "설치한 모습의 사진을 한 장 이상 올려 주세요."
    elif len(photos) > MAX_PHOTOS:
        errors["photos"] = f"사진은 한 번에 {MAX_PHOTOS}장까지 올릴 수 있습니다."
    return errors, store


@pages.post("/markets/contractor/orders/<order_id>/report")
@roles("contractor")
@upload_limit(ROUTE_LIMIT)
def report(order_id):
    """완료 보고 from the form (multipart, photos from the phone's camera)."""
    order = _order(order_id)
    form = {k: request.form.get(k, "").strip() for k in ("unit", "store_number", "serial")}
    form["note"] = request.form.get("note", "").strip()
    photos = [f for f in request.files.getlist("photos") if f and f.filename]
    errors, store = _check(form, photos)
    if not errors:
        uploads = tuple(completions.Upload(f.filename or "", f.read()) for f in photos)
        cmd = completions.ReportCompletion(order_id, form["unit"] or None, store,
                                           form["serial"], form["note"], uploads)  # fmt: skip
        try:
            done = completions.report(_runtime(), cmd, _viewer())
        except NotFound:
            abort(404, "발주를 찾을 수 없습니다.")
        except PhotoRefused as exc:
            errors["photos"] = str(exc)
        except (Conflict, DomainError) as exc:
            field = "serial" if "일련번호" in str(exc) else "unit"
            if field == "unit" and not form["unit"] and store is not None:
                field = "store_number"
            errors[field] = str(exc)
        else:
            code = form["unit"] or _reported_code(done, form["serial"])
            flash(f"설치 단위 {code}의 완료 보고를 보냈습니다. 구청 담당자가 검수합니다.")
            return redirect(f"/markets/contractor/orders/{order_id}", 303)
    return _show(order, form, errors)


def _reported_code(order: dict, serial: str) -> str:
    return next((u["code"] for u in order["units"] if u["serial"] == serial), "")
