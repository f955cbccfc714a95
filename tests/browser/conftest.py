"""Browser tests: Playwright for Python driving Debian's Chromium (installed with apt-get
when missing; never a browser download) against `make run`'s own processes, signed in as
the demo people of var/demo-users.json. Each journey saves screenshots under
test-output/browser/, and every page it opens is checked with the vendored axe-core.

They run once, in the embedded (SQLite) pass: `make run` uses its own embedded defaults
whatever database the rest of the suite is given. Without a browser and without a way to
install one they are skipped, unless REQUIRE_BROWSER=1 (CI), where that is a failure."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from launcher import interrupt, launch_env, start

from services.common.config import SERVICES

from infra import ROOT, wait_until

OUT = ROOT / "test-output" / "browser"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SERIOUS = ("serious", "critical")
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

pytestmark = pytest.mark.integration


def _unavailable(reason: str):
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


def _chromium() -> str | None:
    found = shutil.which("chromium")
    if found or not shutil.which("apt-get") or os.geteuid() != 0:
        return found
    install = ["apt-get", "install", "-y", "--no-install-recommends", "chromium", "fonts-noto-cjk"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if subprocess.run(install, env=env, capture_output=True).returncode != 0:
        subprocess.run(["apt-get", "update"], env=env, capture_output=True)
        subprocess.run(install, env=env, capture_output=True)
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def chromium_path():
    if os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("browser journeys run once, in the embedded pass (make run's own defaults)")
    path = _chromium()
    if not path:
        _unavailable("Debian's chromium is not installed and apt-get could not install it")
    return path


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=chromium_path, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield chromium
        chromium.close()


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=3) as answer:
            return answer.status == 200
    except OSError:
        return False


@pytest.fixture(scope="session")
def system(tmp_path_factory, chromium_path):
    """`make run` as a person starts it: base URL and the demo people's sign-ins."""
    var = tmp_path_factory.mktemp("run")
    env, base = launch_env(var)
    proc = start(env, var / "run.log")
    try:
        for service in SERVICES:
            wait_until(lambda s=service: _ready(f"{base}/{s}/readyz"), timeout=180)
        users = json.loads((var / "demo-users.json").read_text())
        yield {"base": base, "users": users, "var": var, "env": env}
    finally:
        interrupt(proc)


class Visit:
    """One person's browser tab: sign in, go, check the page with axe, take a screenshot."""

    def __init__(self, page, system, journey: str):
        self.page, self.base, self.users = page, system["base"], system["users"]
        self.journey, self.step, self.checked = journey, 0, []
        (OUT / journey).mkdir(parents=True, exist_ok=True)

    def go(self, path: str):
        answer = self.page.goto(self.base + path)
        self.check()
        return answer

    def sign_in(self, role: str, next_path: str = "/"):
        person = self.users[role] if isinstance(role, str) else role
        self.page.goto(f"{self.base}/login?next={next_path}")
        self.page.get_by_label("아이디").fill(person["username"])
        self.page.get_by_label("비밀번호").fill(person["password"])
        self.page.get_by_role("button", name="로그인").click()
        self.page.wait_for_load_state()

    def check(self, name: str | None = None) -> None:
        """axe-core with the WCAG 2.1 A/AA rules: no serious or critical violation."""
        self.page.add_script_tag(path=str(AXE))
        found = self.page.evaluate(
            "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
        )
        bad = [v for v in found["violations"] if v["impact"] in SERIOUS]
        where = self.page.url.removeprefix(self.base)
        self.checked.append(where)
        assert not bad, f"{where}: " + "; ".join(
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
            for v in bad
        )
        self.shot(name)

    def shot(self, name: str | None = None) -> Path:
        self.step += 1
        where = self.page.url.removeprefix(self.base).strip("/")
        label = name or re.sub(r"[^\w.-]+", "_", where)[:60]
        path = OUT / self.journey / f"{self.step:02d}-{label or 'index'}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def add_person(system):
    """Another account, made as an administrator makes one: the CLI, its password once."""

    def add(role: str) -> dict:
        name = f"{role}-{os.urandom(3).hex()}"
        done = subprocess.run(
            [sys.executable, "-m", "deploy.manage", "accounts", "add", "--name", name,
             "--role", role], cwd=ROOT, env=system["env"], capture_output=True, text=True,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        password = re.search(r"비밀번호: (\S+)", done.stdout).group(1)
        return {"username": name, "password": password}

    return add


@pytest.fixture
def visit(browser, system, request):
    """``visit("phone")`` or ``visit()``: a fresh browser context (its own cookies)."""
    contexts = []

    def open_(viewport: str = "desktop", journey: str | None = None) -> Visit:
        size = {"desktop": (1280, 900), "phone": (390, 844)}[viewport]
        context = browser.new_context(
            locale="ko-KR", timezone_id="Asia/Seoul",
            viewport={"width": size[0], "height": size[1]}, is_mobile=viewport == "phone",
        )  # fmt: skip
        contexts.append(context)
        offline = []  # no page may reach outside the system
        context.on("request", lambda r: None if r.url.startswith(system["base"]) or
                   r.url.startswith("data:") else offline.append(r.url))  # fmt: skip
        tab = Visit(context.new_page(), system, journey or request.node.name)
        tab.offline = offline
        return tab

    yield open_
    for context in contexts:
        context.close()
