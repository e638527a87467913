#!/usr/bin/env python3
"""Checks an HTML report in headless Chromium (standard library only).

    check_report_page.py CHROMIUM PAGE.html OUT_PREFIX [--min-charts N]
    check_report_page.py CHROMIUM --self-test WORK_DIR

Renders PAGE.html to OUT_PREFIX.png (1200x3000) and OUT_PREFIX.pdf with Chromium's own flags,
and fails (exit 1, one line per problem) when:
- the HTML could reach the network or run code (a <script>, <link>, src=, @import or url());
- the page is blank: the PNG is (nearly) all one colour;
- the DOM after loading has fewer than N charts (<svg class="chart">), or a chart with no
  element of class "mark";
- the page logged a console error, an uncaught exception or a failed load (read through the
  DevTools protocol over --remote-debugging-pipe);
- the PDF is not a PDF or has no page.

--self-test renders a broken page (blank, a chart with no marks, a console error) and fails
unless every detector above notices.
"""
import html.parser
import json
import os
import re
import select
import struct
import subprocess
import sys
import tempfile
import time
import zlib

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
         "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--mute-audio"]
TIMEOUT = 120


def run_chromium(chromium, args, url):
    """Runs Chromium once in a fresh profile; returns (stdout, stderr)."""
    with tempfile.TemporaryDirectory(prefix="cof-chromium-") as profile:
        done = subprocess.run([chromium, *FLAGS, f"--user-data-dir={profile}", *args, url],
                              capture_output=True, text=True, timeout=TIMEOUT)
    return done.stdout, done.stderr


def static_problems(text):
    """What in the HTML itself could fetch from the network or run code."""
    problems = []
    for pattern, what in [(r"<script", "a <script> element"), (r"<link\b", "a <link> element"),
                          (r"\bsrc\s*=", "a src= attribute"), (r"@import", "a CSS @import"),
                          (r"url\(", "a CSS url()"), (r"\bon[a-z]+\s*=\s*\"", "an event-handler attribute")]:
        if re.search(pattern, text, re.IGNORECASE):
            problems.append(f"the HTML has {what}: a report must be self-contained and need no scripts")
    return problems


def png_pixels(path):
    """The PNG's pixel rows as bytes (8-bit RGB or RGBA, non-interlaced), and bytes per pixel."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        raise ValueError(f"unsupported PNG (depth {depth}, colour type {colour}, interlace {interlace})")
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    rows, previous = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up = previous[i]
            upper_left = previous[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - upper_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - upper_left)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else upper_left)) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, rows, bpp


def png_problems(path):
    """Whether the screenshot is blank: (nearly) one colour, or hardly any colour at all."""
    try:
        width, height, rows, bpp = png_pixels(path)
    except (OSError, ValueError, zlib.error, TypeError) as error:
        return [f"{path}: cannot read the screenshot ({error})"]
    counts = {}
    for row in rows[::2]:
        for x in range(0, width * bpp, bpp * 2):
            pixel = row[x:x + 3]
            counts[pixel] = counts.get(pixel, 0) + 1
    total = sum(counts.values())
    commonest = max(counts.values())
    coloured = sum(n for pixel, n in counts.items() if max(pixel) - min(pixel) > 60)
    problems = []
    if len(counts) < 16 or commonest > 0.995 * total:
        problems.append(f"{path}: the page looks blank ({len(counts)} distinct colours; the commonest covers {100 * commonest / total:.1f}%)")
    elif coloured < 0.002 * total:
        problems.append(f"{path}: the page has almost no colour ({100 * coloured / total:.2f}% of pixels): are the charts drawn?")
    return problems


class ChartCounter(html.parser.HTMLParser):
    """Counts, for each <svg class="chart">, the elements inside it with class "mark"."""

    def __init__(self):
        super().__init__()
        self.charts, self.depth, self.text = [], 0, 0

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "svg" and "chart" in classes:
            self.charts.append([dict(attrs).get("id", "?"), 0])
            self.depth = 1
        elif self.depth:
            self.depth += 1
            if "mark" in classes:
                self.charts[-1][1] += 1

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if self.depth:
            self.depth -= 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        self.text += len(data.strip())


def dom_problems(dom, min_charts):
    counter = ChartCounter()
    counter.feed(dom)
    problems = []
    if counter.text < 200:
        problems.append(f"the page has almost no text ({counter.text} characters after loading)")
    if len(counter.charts) < min_charts:
        problems.append(f"expected at least {min_charts} charts (<svg class=\"chart\">), found {len(counter.charts)}")
    for chart_id, marks in counter.charts:
        if marks == 0:
            problems.append(f"chart '{chart_id}' has no marks (no element of class \"mark\")")
    return problems, counter.charts


def console_problems(chromium, url):
    """Errors the page reports while loading, read through the DevTools protocol over a pipe
    (Chromium reads commands on fd 3 and writes replies on fd 4, each JSON message ending in NUL)."""
    to_child_read, to_child_write = os.pipe()
    from_child_read, from_child_write = os.pipe()

    def wire():
        # Move both ends out of the way first, so that neither dup2 clobbers the other.
        a, b = os.dup(to_child_read), os.dup(from_child_write)
        os.dup2(a, 3)
        os.dup2(b, 4)

    with tempfile.TemporaryDirectory(prefix="cof-chromium-") as profile:
        child = subprocess.Popen([chromium, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe", "about:blank"],
                                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 preexec_fn=wire, close_fds=False)
        os.close(to_child_read)
        os.close(from_child_write)
        buffer, next_id, problems = b"", [0], []
        deadline = time.monotonic() + TIMEOUT

        def send(method, params=None, session=None):
            next_id[0] += 1
            message = {"id": next_id[0], "method": method, "params": params or {}}
            if session:
                message["sessionId"] = session
            os.write(to_child_write, json.dumps(message).encode() + b"\0")
            return next_id[0]

        def messages(wait):
            nonlocal buffer
            end = min(deadline, time.monotonic() + wait)
            while time.monotonic() < end:
                ready, _, _ = select.select([from_child_read], [], [], max(0.0, end - time.monotonic()))
                if not ready:
                    break
                chunk = os.read(from_child_read, 1 << 20)
                if not chunk:
                    break
                buffer += chunk
                while b"\0" in buffer:
                    raw, buffer = buffer.split(b"\0", 1)
                    yield json.loads(raw)

        def reply(wanted, wait=30):
            for message in messages(wait):
                note(message)
                if message.get("id") == wanted:
                    if "error" in message:
                        raise RuntimeError(f"DevTools: {message['error']}")
                    return message.get("result", {})
            raise RuntimeError("DevTools: no reply in time")

        loaded = [False]

        def note(message):
            method, params = message.get("method"), message.get("params", {})
            if method == "Runtime.exceptionThrown":
                details = params.get("exceptionDetails", {})
                problems.append("uncaught exception: " + (details.get("exception", {}).get("description") or details.get("text", "?")))
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                args = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
                problems.append(f"console.{params.get('type')}: {args}")
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                entry = params["entry"]
                problems.append(f"console error ({entry.get('source')}): {entry.get('text')} {entry.get('url', '')}".rstrip())
            elif method == "Page.loadEventFired":
                loaded[0] = True

        try:
            target = reply(send("Target.createTarget", {"url": "about:blank"}))["targetId"]
            session = reply(send("Target.attachToTarget", {"targetId": target, "flatten": True}))["sessionId"]
            for method in ("Runtime.enable", "Log.enable", "Page.enable"):
                reply(send(method, session=session))
            reply(send("Page.navigate", {"url": url}, session=session))
            for message in messages(60):
                note(message)
                if loaded[0]:
                    break
            if not loaded[0]:
                problems.append("the page did not finish loading within 60 s")
            for message in messages(0.5):  # late messages
                note(message)
            send("Browser.close")
        except (RuntimeError, OSError, KeyError, ValueError) as error:
            problems.append(f"cannot read the page's console through the DevTools protocol: {error}")
        finally:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
            os.close(to_child_write)
            os.close(from_child_read)
    return problems


def pdf_problems(path):
    try:
        data = open(path, "rb").read()
    except OSError as error:
        return [f"{path}: no PDF ({error})"]
    if not data.startswith(b"%PDF-"):
        return [f"{path}: not a PDF"]
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    return [] if pages > 0 else [f"{path}: the PDF has no page"]


def check(chromium, page, prefix, min_charts):
    """All the checks of one page; returns (problems, summary)."""
    url = "file://" + os.path.abspath(page)
    png, pdf = prefix + ".png", prefix + ".pdf"
    for stale in (png, pdf):
        if os.path.exists(stale):
            os.remove(stale)
    problems = static_problems(open(page, encoding="utf-8").read())
    run_chromium(chromium, [f"--screenshot={os.path.abspath(png)}", "--window-size=1200,3000"], url)
    problems += png_problems(png)
    run_chromium(chromium, [f"--print-to-pdf={os.path.abspath(pdf)}", "--no-pdf-header-footer"], url)
    problems += pdf_problems(pdf)
    dom, _ = run_chromium(chromium, ["--dump-dom"], url)
    found, charts = dom_problems(dom, min_charts)
    problems += found
    problems += console_problems(chromium, url)
    marks = ", ".join(f"{chart_id} {count}" for chart_id, count in charts)
    return problems, f"{len(charts)} charts (marks: {marks}); {png}, {pdf}"


def self_test(chromium, work):
    """A blank page with an empty chart and a console error must fail every detector."""
    page = os.path.join(work, "broken.html")
    with open(page, "w", encoding="utf-8") as out:
        out.write('<!DOCTYPE html><html><body><svg class="chart" id="empty"></svg>'
                  '<script>console.error("planted error")</script></body></html>')
    problems, _ = check(chromium, page, os.path.join(work, "broken"), 1)
    expected = {"<script>": "the static check", "looks blank": "the screenshot check",
                "has no marks": "the chart check", "planted error": "the console check"}
    missed = [what for needle, what in expected.items() if not any(needle in p for p in problems)]
    return [f"self-test: {what} did not notice the broken page" for what in missed]


def main(argv):
    if len(argv) == 4 and argv[2] == "--self-test":
        problems = self_test(argv[1], argv[3])
        for problem in problems:
            print(f"check-report: {problem}", file=sys.stderr)
        return 1 if problems else 0
    if len(argv) not in (4, 6) or (len(argv) == 6 and argv[4] != "--min-charts"):
        print(__doc__, file=sys.stderr)
        return 64
    chromium, page, prefix = argv[1:4]
    min_charts = int(argv[5]) if len(argv) == 6 else 1
    problems, summary = check(chromium, page, prefix, min_charts)
    for problem in problems:
        print(f"check-report: {page}: {problem}", file=sys.stderr)
    if not problems:
        print(f"check-report: {page}: ok: {summary}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
