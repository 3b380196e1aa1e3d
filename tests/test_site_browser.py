"""The site in a real browser: headless Chromium opens it from file://, a user searches.

Chromium is Debian's ``chromium`` package (``.ci/run`` installs it; nothing is ever
downloaded at run time). It is driven with the Chrome DevTools Protocol over
``--remote-debugging-pipe``: JSON messages ended by NUL on file descriptors 3 (to the
browser) and 4 (from it), so the test needs no driver, no websocket library and no port.
Outside CI a machine without Chromium skips these tests with the reason; in CI (``CI``
set) they must run.
"""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from dutylist.cli import app

from .test_site import EVIL, _evil_root

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "catalogues"
TIMEOUT = 15.0
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--window-size=1280,900",
    "--remote-debugging-pipe",
)
# Chromium reads fd 3 and writes fd 4: a small exec wrapper puts the pipe ends there (moved
# above 9 first, so neither end is overwritten by the other; dash cannot redirect fds > 9)
_EXEC = """\
import fcntl, os, sys
r, w = (fcntl.fcntl(int(fd), fcntl.F_DUPFD, 10) for fd in sys.argv[1:3])
os.dup2(r, 3)
os.dup2(w, 4)
os.close(r)
os.close(w)
os.execv(sys.argv[3], sys.argv[3:])
"""


def chromium() -> str | None:
    for name in ("chromium", "/usr/bin/chromium"):
        found = shutil.which(name)
        if found:
            return found
    return None


class Browser:
    """One headless Chromium, one tab, spoken to in CDP over a pair of pipes."""

    def __init__(self, exe: str, workdir: Path) -> None:
        profile = workdir / "profile"
        profile.mkdir()
        to_r, to_w = os.pipe()
        from_r, from_w = os.pipe()
        self.log = open(workdir / "chromium.log", "wb")  # noqa: SIM115 - closed in close()
        args = [exe, *FLAGS, f"--user-data-dir={profile}", "about:blank"]
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _EXEC, str(to_r), str(from_w), *args],
            pass_fds=(to_r, from_w),
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=self.log,
        )
        os.close(to_r)
        os.close(from_w)
        self._out, self._in = to_w, from_r
        self._buf = b""
        self._next = 0
        self.events: list[dict[str, Any]] = []
        self.session: str | None = None
        target = self.call("Target.createTarget", {"url": "about:blank"}, browser=True)["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True}, browser=True)[
            "sessionId"
        ]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable")

    def call(self, method: str, params: dict[str, Any] | None = None, browser: bool = False) -> dict[str, Any]:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if self.session and not browser:
            message["sessionId"] = self.session
        os.write(self._out, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT
        while True:
            reply = self._read(deadline)
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result
            self.events.append(reply)

    def _read(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no answer from Chromium")
            if select.select([self._in], [], [], left)[0]:
                chunk = os.read(self._in, 1 << 16)
                if not chunk:
                    raise EOFError("Chromium closed the pipe")
                self._buf += chunk
        message, _, self._buf = self._buf.partition(b"\0")
        data: dict[str, Any] = json.loads(message)
        return data

    def js(self, expression: str) -> Any:
        reply = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in reply:
            raise AssertionError(f"{expression}: {reply['exceptionDetails']}")
        return reply["result"].get("value")

    def wait(self, expression: str) -> Any:
        """Poll until ``expression`` is truthy; its value."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            try:
                value = self.js(expression)
            except RuntimeError:  # asked while the page was being replaced: ask the new one
                value = None
            if value:
                return value
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {expression}")

    def load(self, action: str, url: str) -> None:
        """Run an action that navigates (``Page.navigate`` or a click) and wait for the page."""
        if action == "navigate":
            self.call("Page.navigate", {"url": url})
        else:
            self.js(action)
        self.wait(f"document.readyState === 'complete' && location.href.split('#')[0] === {json.dumps(url)}")

    def type(self, selector: str, text: str) -> None:
        """Focus a field, clear it, and type as a user (or an input method) would."""
        self.js(f"(() => {{ const e = document.querySelector({json.dumps(selector)}); e.focus(); e.select(); }})()")
        self.call("Input.dispatchKeyEvent", {"type": "keyDown", "key": "Backspace", "windowsVirtualKeyCode": 8})
        self.call("Input.dispatchKeyEvent", {"type": "keyUp", "key": "Backspace", "windowsVirtualKeyCode": 8})
        self.call("Input.insertText", {"text": text})

    def wait_event(self, method: str) -> dict[str, Any]:
        deadline = time.monotonic() + TIMEOUT
        while True:
            for event in self.events:
                if event.get("method") == method:
                    return event
            self.events.append(self._read(deadline))

    def screenshot(self, path: Path) -> Path:
        path.write_bytes(base64.b64decode(self.call("Page.captureScreenshot", {"format": "png"})["data"]))
        return path

    def problems(self) -> list[str]:
        """Console errors, uncaught exceptions and dialogs (an alert would mean injected script ran)."""
        out = []
        for e in self.events:
            method, params = e.get("method"), e.get("params", {})
            if method == "Runtime.exceptionThrown" or method == "Page.javascriptDialogOpening":
                out.append(f"{method}: {params}")
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                out.append(str(params["entry"].get("text")))
            elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
                out.append(str(params.get("args")))
        return out

    def requests(self) -> list[str]:
        return [e["params"]["request"]["url"] for e in self.events if e.get("method") == "Network.requestWillBeSent"]

    def close(self) -> None:
        try:
            self.call("Browser.close", browser=True)
            self.proc.wait(5)
        except (OSError, RuntimeError, TimeoutError, EOFError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait(5)
        finally:
            os.close(self._out)
            os.close(self._in)
            self.log.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    exe = chromium()
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set but Chromium is not installed: apt-get install chromium (see .ci/run)")
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium); the browser test runs in CI")
    b = Browser(exe, tmp_path_factory.mktemp("chromium"))
    try:
        yield b
    finally:
        b.close()


def _build(out: Path, root: Path) -> Path:
    result = CliRunner().invoke(app, ["site", "2024", "2025", "--out", str(out), "--root", str(root)])
    assert result.exit_code == 0, result.output
    return out


def test_a_user_finds_who_does_an_item_by_searching(browser: Browser, tmp_path: Path) -> None:
    site = _build(tmp_path / "site", SAMPLES)
    browser.events.clear()
    top = (site / "index.html").as_uri()
    version = (site / "2025" / "index.html").as_uri()
    browser.load("navigate", top)
    assert browser.js("getComputedStyle(document.querySelector('header.top')).backgroundColor") == "rgb(18, 53, 91)"
    browser.load("document.querySelector('a[href=\"2025/index.html\"]').click()", version)

    browser.type("#q", "桃花节")
    browser.wait("document.querySelectorAll('#results li').length > 0")
    results = browser.js("document.getElementById('results').innerText")
    assert "组织桃花节文旅活动服务保障" in results and "桃源镇" in results
    shot = browser.screenshot(tmp_path / "search.png")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000

    # full-width and upper case are folded (NFKC, lower case), as people type on Chinese keyboards
    browser.type("#q", "ＴＡＯＹＵＡＮ－Ｂ－１０２")
    browser.wait("document.getElementById('results').innerText.includes('桃花节')")

    # the township in the results leads to its page, at the item's row
    href = browser.js("[...document.querySelectorAll('#results a')].find(a => a.textContent === '桃源镇').href")
    assert href.endswith("/2025/units/taoyuan.html#basic-TAOYUAN-B-102")
    click = "[...document.querySelectorAll('#results a')].find(a => a.textContent === '桃源镇').click()"
    browser.load(click, href.split("#")[0])
    assert browser.js("document.querySelector('h1').textContent") == "桃源镇"
    assert browser.js("document.querySelector('tr:target td:nth-child(2)').textContent") == "组织桃花节文旅活动服务保障"

    assert browser.problems() == []  # the CSP let our stylesheet and script through, and nothing failed
    assert all(url.startswith("file://") for url in browser.requests()), browser.requests()


def test_catalogue_text_stays_text_in_the_browser(browser: Browser, tmp_path: Path) -> None:
    site = _build(tmp_path / "site", _evil_root(tmp_path))
    browser.events.clear()
    for page in ("2025/index.html", "2025/units/fgz.html", "2025/units/zrzy.html", "changes/2024--2025.html"):
        browser.load("navigate", (site / page).as_uri())
        assert browser.js("document.querySelectorAll('img, b, i, iframe').length") == 0, page
    browser.load("navigate", (site / "2025" / "index.html").as_uri())
    browser.type("#q", "alert(1)")
    browser.wait("document.querySelectorAll('#results li').length > 0")
    assert browser.js("document.querySelector('#results strong').textContent") == EVIL
    assert browser.problems() == []  # no alert() ever opened a dialog
    browser.screenshot(tmp_path / "escaped.png")


def test_the_checks_would_see_an_injected_script(browser: Browser, tmp_path: Path) -> None:
    """The problems above are really watched: an alert() opens a dialog the test sees."""
    page = tmp_path / "injected.html"
    page.write_text("<!DOCTYPE html><title>x</title><script>alert(1)</script>", encoding="utf-8")
    browser.events.clear()
    browser.call("Page.navigate", {"url": page.as_uri()})
    browser.wait_event("Page.javascriptDialogOpening")
    browser.call("Page.handleJavaScriptDialog", {"accept": True})
    assert browser.problems()
