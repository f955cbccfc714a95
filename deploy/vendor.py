"""Refresh the vendored page assets from npm (``make vendor``); ``make run`` needs only Python.

    python -m deploy.vendor

Downloads the pinned packages with ``npm pack`` (no node_modules, no build), copies the
files the pages use into ``services/common/static/vendor/`` keeping KRDS's relative layout
(its CSS refers to ``../../img`` and imports ``../../css/token``), and writes NOTICE.md with
each package's licence. Not used: ``resources/cdn/krds.min.css`` (its icons load from the
KRDS web site) and ``component.css`` (wrong ``url()`` paths) — see DESIGN.md.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "services" / "common" / "static" / "vendor"
TEST_VENDOR = ROOT / "tests" / "browser" / "vendor"  # only the browser tests load these
PACKAGES = {"krds-uiux": "1.1.0", "htmx.org": "2.0.4", "axe-core": "4.11.0"}
KRDS_FILES = (
    "resources/css/component/output.css",
    "resources/css/token/krds_tokens.css",
    "resources/js/component/ui-script.js",
    "resources/img/component",
    "resources/fonts/PretendardGOV-Regular.subset.woff2",
    "resources/fonts/PretendardGOV-Medium.subset.woff2",
    "resources/fonts/PretendardGOV-Bold.subset.woff2",
)
NOTICE = """# Vendored page assets

Refreshed by `make vendor` (deploy/vendor.py) from npm; do not edit by hand.

| package | version | files | licence |
|---|---|---|---|
| krds-uiux (대한민국 디지털 정부 디자인 시스템, KRDS) | {krds} | `krds/resources/css/component/output.css`, `krds/resources/css/token/krds_tokens.css`, `krds/resources/js/component/ui-script.js`, `krds/resources/img/component/`, `krds/resources/fonts/PretendardGOV-*.subset.woff2` | package.json: ISC. Its README: "본 패키지는 대한민국 디지털 정부 디자인 시스템(KRDS)의 이용약관을 따름." The Pretendard GOV fonts are under the SIL Open Font License 1.1. |
| htmx.org | {htmx} | `htmx/htmx.min.js` | Zero-Clause BSD |
"""


def _pack(name: str, version: str, into: Path) -> Path:
    subprocess.run(["npm", "pack", f"{name}@{version}", "--silent"], cwd=into, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    [tgz] = into.glob(f"{name.replace('.', '?')}-{version}.tgz")
    target = into / name
    with tarfile.open(tgz) as archive:
        archive.extractall(target, filter="data")
    return target / "package"


def main() -> int:
    if shutil.which("npm") is None:
        print("npm is needed to refresh the vendored assets (the repository already has them)")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        krds = _pack("krds-uiux", PACKAGES["krds-uiux"], work)
        htmx = _pack("htmx.org", PACKAGES["htmx.org"], work)
        shutil.rmtree(VENDOR, ignore_errors=True)
        for relative in KRDS_FILES:
            source, target = krds / relative, VENDOR / "krds" / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            if source.is_dir():
                shutil.copytree(source, target)
            else:
                shutil.copy2(source, target)
        (VENDOR / "htmx").mkdir(parents=True)
        shutil.copy2(htmx / "dist" / "htmx.min.js", VENDOR / "htmx" / "htmx.min.js")
        axe = _pack("axe-core", PACKAGES["axe-core"], work)
        shutil.rmtree(TEST_VENDOR, ignore_errors=True)
        TEST_VENDOR.mkdir(parents=True)
        for name in ("axe.min.js", "LICENSE"):
            shutil.copy2(axe / name, TEST_VENDOR / name)
        (TEST_VENDOR / "NOTICE.md").write_text(
            f"axe-core {PACKAGES['axe-core']} (Deque Systems), Mozilla Public License 2.0 "
            "(LICENSE). Loaded only by tests/browser; refreshed by `make vendor`.\n"
        )
    (VENDOR / "NOTICE.md").write_text(
        NOTICE.format(krds=PACKAGES["krds-uiux"], htmx=PACKAGES["htmx.org"])
    )
    print(f"vendored into {VENDOR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
