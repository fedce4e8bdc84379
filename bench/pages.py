"""Page latency and page weight of a running Data School site: a script, not a test.

It starts nothing: serve the site first (``make run``, gunicorn, or a runserver on a spare
port), then point this at it.

Usage::

    .venv/bin/python bench/pages.py                       # http://127.0.0.1:8000, default pages
    .venv/bin/python bench/pages.py --base-url http://127.0.0.1:8123 / /courses/ /blog/
    .venv/bin/python bench/pages.py -n 200 --wrk          # also a wrk run per page, if installed
    .venv/bin/python bench/pages.py --cookie "sessionid=..." /account/profile/
    .venv/bin/python bench/pages.py --budget-kb 60 --strict   # exit 1 if a page is over budget
    .venv/bin/python bench/pages.py --serve               # queries, server time, share of hello
    .venv/bin/python bench/pages.py --serve --user learner@dataschool.local   # signed in

With ``--serve`` it starts gunicorn itself instead (bench/serve.py: production settings,
2 sync workers, port 8123) and prints per page the queries and Redis commands of a request,
the server time p50 / p95, and wrk's throughput as a share of /bench/hello/ on that gunicorn.

For each path it reports:

* latency: p50 / p95 / p99 / max in milliseconds over N sequential GET requests made with
  urllib (a new connection each time, so it includes connect time; the time runs until the
  whole body is read), after a few warm-up requests. Only answers with the page's first
  status count as samples (so a 404 page is still timed); others are counted as errors.
* with ``--wrk`` and ``wrk`` on the PATH: wrk's p50 / p99 and requests per second under
  concurrency (``--wrk-threads``, ``--wrk-connections``, ``--wrk-duration``).
* weight: the HTML plus every stylesheet (``<link rel=stylesheet href>``) and script
  (``<script src>``) it references on the same site, as raw bytes and gzip-compressed
  (level 6, the usual server setting), i.e. what a first visit downloads before images and
  fonts. Pages whose gzip weight exceeds the budget (default 60 KB) are flagged "OVER".
  Assets on other hosts are listed as external and not counted.

Redirects are followed (for example /account/ pages to the login page when no cookie is
given) and the final URL is the one measured, so pass a session cookie for private pages.

Exit status: 0; 1 with ``--strict`` when a page is over budget; 2 when a page cannot be
reached.
"""

from __future__ import annotations

import argparse
import gzip
import math
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

DEFAULT_BASE_URL = "http://127.0.0.1:8000"
DEFAULT_PATHS = ["/", "/courses/", "/blog/", "/accounts/login/", "/accounts/signup/"]
USER_AGENT = "dataschool-bench/1.0"


# --- fetching -----------------------------------------------------------------------------


@dataclass
class Response:
    url: str
    status: int
    body: bytes
    seconds: float
    content_type: str = ""


def fetch(url: str, *, cookie: str | None, timeout: float) -> Response:
    if urlsplit(url).scheme not in {"http", "https"}:
        raise ValueError(f"not an http(s) URL: {url}")
    headers = {"User-Agent": USER_AGENT, "Accept": "text/html,*/*"}
    if cookie:
        headers["Cookie"] = cookie
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (scheme checked)
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = response.read()
            return Response(
                url=response.geturl(),
                status=response.status,
                body=body,
                seconds=time.perf_counter() - started,
                content_type=response.headers.get("Content-Type", ""),
            )
    except urllib.error.HTTPError as error:
        body = error.read()
        return Response(
            url=url, status=error.code, body=body, seconds=time.perf_counter() - started
        )


# --- latency ------------------------------------------------------------------------------


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile of a non-empty list."""
    ordered = sorted(values)
    rank = min(max(1, math.ceil(pct / 100 * len(ordered))), len(ordered))
    return ordered[rank - 1]


@dataclass
class Latency:
    samples_ms: list[float] = field(default_factory=list)
    errors: int = 0

    def pct(self, value: float) -> float | None:
        return percentile(self.samples_ms, value) if self.samples_ms else None


def measure_latency(
    url: str,
    *,
    expected_status: int,
    requests: int,
    warmup: int,
    cookie: str | None,
    timeout: float,
) -> Latency:
    """Times requests answered with the page's status; other answers and failures are errors."""
    for _ in range(warmup):
        fetch(url, cookie=cookie, timeout=timeout)
    latency = Latency()
    for _ in range(requests):
        try:
            response = fetch(url, cookie=cookie, timeout=timeout)
        except (OSError, urllib.error.URLError):
            latency.errors += 1
            continue
        if response.status == expected_status:
            latency.samples_ms.append(response.seconds * 1000)
        else:
            latency.errors += 1
    return latency


@dataclass
class WrkResult:
    p50_ms: float | None = None
    p99_ms: float | None = None
    requests_per_second: float | None = None
    error: str = ""


_WRK_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _wrk_ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _WRK_UNITS[unit]


def run_wrk(url: str, *, threads: int, connections: int, duration: str, cookie: str | None):
    wrk = shutil.which("wrk")
    if wrk is None:
        return WrkResult(error="wrk not installed")
    command = [wrk, f"-t{threads}", f"-c{connections}", f"-d{duration}", "--latency", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    try:
        output = subprocess.run(  # noqa: S603 (fixed argument list, no shell)
            command, capture_output=True, text=True, timeout=600, check=True
        ).stdout
    except (subprocess.SubprocessError, OSError) as error:
        return WrkResult(error=str(error))
    result = WrkResult()
    for label, attribute in (("50%", "p50_ms"), ("99%", "p99_ms")):
        match = re.search(rf"^\s*{re.escape(label)}\s+([\d.]+(?:us|ms|s|m))\s*$", output, re.M)
        if match:
            setattr(result, attribute, _wrk_ms(match.group(1)))
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if match:
        result.requests_per_second = float(match.group(1))
    match = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    if match:
        result.error = f"{match.group(1)} non-2xx/3xx responses"
    return result


# --- page weight --------------------------------------------------------------------------


class AssetFinder(HTMLParser):
    """Collects stylesheet and script URLs referenced by a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stylesheets: list[str] = []
        self.scripts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "link" and "stylesheet" in values.get("rel", "").lower().split():
            if values.get("href"):
                self.stylesheets.append(values["href"])
        elif tag == "script" and values.get("src"):
            self.scripts.append(values["src"])


def gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


@dataclass
class Asset:
    url: str
    kind: str  # html, css, js
    raw: int = 0
    gzipped: int = 0
    status: int = 0


@dataclass
class Weight:
    assets: list[Asset] = field(default_factory=list)
    external: list[str] = field(default_factory=list)

    @property
    def raw(self) -> int:
        return sum(asset.raw for asset in self.assets)

    @property
    def gzipped(self) -> int:
        return sum(asset.gzipped for asset in self.assets)

    def gzipped_of(self, kind: str) -> int:
        return sum(asset.gzipped for asset in self.assets if asset.kind == kind)


def measure_weight(
    page: Response, *, cookie: str | None, timeout: float, asset_cache: dict[str, Asset]
) -> Weight:
    html = Asset(page.url, "html", len(page.body), gzip_size(page.body), page.status)
    weight = Weight(assets=[html])
    finder = AssetFinder()
    finder.feed(page.body.decode("utf-8", errors="replace"))
    origin = urlsplit(page.url).netloc
    seen: set[str] = set()
    for kind, references in (("css", finder.stylesheets), ("js", finder.scripts)):
        for reference in references:
            url = urljoin(page.url, reference)
            if url in seen:
                continue
            seen.add(url)
            if urlsplit(url).netloc != origin:
                weight.external.append(url)
                continue
            if url not in asset_cache:
                response = fetch(url, cookie=cookie, timeout=timeout)
                asset_cache[url] = Asset(
                    url, kind, len(response.body), gzip_size(response.body), response.status
                )
            weight.assets.append(asset_cache[url])
    return weight


# --- report -------------------------------------------------------------------------------


def kb(size: int) -> str:
    return f"{size / 1024:.1f}"


def ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def print_table(headers: list[str], rows: list[list[str]]) -> None:
    """First and last columns left-aligned (names, notes), the numbers between right-aligned."""
    widths = [max(len(cell) for cell in column) for column in zip(headers, *rows, strict=True)]
    last = len(widths) - 1

    def render(cells: list[str]) -> str:
        return "  ".join(
            cell.ljust(width) if i in (0, last) else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    print(render(headers))
    print("  ".join("-" * width for width in widths))
    for row in rows:
        print(render(row))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Latency percentiles and page weight of a running site.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("paths", nargs="*", help=f"paths to measure (default {DEFAULT_PATHS})")
    parser.add_argument("--base-url", default=DEFAULT_BASE_URL, help="site to measure")
    parser.add_argument("-n", "--requests", type=int, default=50, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per page first")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per request")
    parser.add_argument("--cookie", help='Cookie header to send, e.g. "sessionid=..."')
    parser.add_argument("--budget-kb", type=float, default=60.0, help="gzip page weight budget")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a page is over budget")
    parser.add_argument("--details", action="store_true", help="list every asset of each page")
    parser.add_argument("--wrk", action="store_true", help="also run wrk per page if installed")
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--wrk-connections", type=int, default=10)
    parser.add_argument("--wrk-duration", default="10s")
    parser.add_argument("--serve", action="store_true", help="start gunicorn, compare to hello")
    parser.add_argument("--port", type=int, default=8123, help="gunicorn port with --serve")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers with --serve")
    parser.add_argument("--user", help="with --serve: measure signed in as this email")
    args = parser.parse_args(argv)
    if args.requests < 1:
        parser.error("--requests must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.serve:
        from serve import run  # bench/serve.py, next to this script

        return run(args, run_wrk=run_wrk, print_table=print_table)
    args.paths = args.paths or DEFAULT_PATHS
    base_url = args.base_url.rstrip("/")
    budget = int(args.budget_kb * 1024)
    asset_cache: dict[str, Asset] = {}
    rows: list[list[str]] = []
    wrk_rows: list[list[str]] = []
    details: list[tuple[str, Weight]] = []
    over = unreachable = 0

    for path in args.paths:
        url = urljoin(base_url + "/", path.lstrip("/"))
        try:
            page = fetch(url, cookie=args.cookie, timeout=args.timeout)
        except (OSError, urllib.error.URLError) as error:
            print(f"{path}: cannot reach {url}: {error}", file=sys.stderr)
            rows.append([path, "ERR", "-", "-", "-", "-", "-", "-", "-", "-", "-", "unreachable"])
            unreachable += 1
            continue
        final_path = urlsplit(page.url).path
        latency = measure_latency(
            page.url,
            expected_status=page.status,
            requests=args.requests,
            warmup=args.warmup,
            cookie=args.cookie,
            timeout=args.timeout,
        )
        weight = measure_weight(
            page, cookie=args.cookie, timeout=args.timeout, asset_cache=asset_cache
        )
        details.append((path, weight))
        flags = []
        if weight.gzipped > budget:
            flags.append("OVER")
            over += 1
        if final_path != urlsplit(url).path:
            flags.append(f"-> {final_path}")
        if latency.errors:
            flags.append(f"{latency.errors} errors")
        if page.status != 200:
            flags.append(f"HTTP {page.status}")
        if any(asset.status != 200 for asset in weight.assets[1:]):
            flags.append("asset errors")
        rows.append(
            [
                path,
                str(page.status),
                ms(latency.pct(50)),
                ms(latency.pct(95)),
                ms(latency.pct(99)),
                ms(max(latency.samples_ms) if latency.samples_ms else None),
                kb(weight.gzipped_of("html")),
                kb(weight.gzipped_of("css")),
                kb(weight.gzipped_of("js")),
                kb(weight.gzipped),
                kb(weight.raw),
                " ".join(flags),
            ]
        )
        if args.wrk:
            result = run_wrk(
                page.url,
                threads=args.wrk_threads,
                connections=args.wrk_connections,
                duration=args.wrk_duration,
                cookie=args.cookie,
            )
            rps = "-" if result.requests_per_second is None else f"{result.requests_per_second:.0f}"
            wrk_rows.append([path, ms(result.p50_ms), ms(result.p99_ms), rps, result.error])

    print(
        f"{base_url}: {args.requests} requests per page after {args.warmup} warm-up; "
        f"weights in KB, gzip level 6; budget {args.budget_kb:g} KB"
    )
    print_table(
        [
            "path",
            "status",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "max ms",
            "html",
            "css",
            "js",
            "gzip total",
            "raw total",
            "flags",
        ],
        rows,
    )
    if wrk_rows:
        print()
        print(
            f"wrk: {args.wrk_threads} threads, {args.wrk_connections} connections, "
            f"{args.wrk_duration}"
        )
        print_table(["path", "p50 ms", "p99 ms", "req/s", "note"], wrk_rows)
    if args.details:
        for path, weight in details:
            print(f"\n{path}")
            print_table(
                ["asset", "kind", "status", "gzip KB", "raw KB"],
                [[a.url, a.kind, str(a.status), kb(a.gzipped), kb(a.raw)] for a in weight.assets],
            )
            for url in weight.external:
                print(f"  external, not counted: {url}")
    if over:
        print(f"\n{over} page(s) over the {args.budget_kb:g} KB budget.")
    if unreachable:
        print(f"\n{unreachable} page(s) could not be reached.", file=sys.stderr)
        return 2
    return 1 if over and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
