"""Search and catalog latency on a large catalog (not part of the tests).

    .venv/bin/python bench/search.py              # 100,000 courses in the configured database
    .venv/bin/python bench/search.py --courses 20000 --repeat 30
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ds_bench1m \
        .venv/bin/python bench/search.py --courses 1000000 --search-only

Seeds synthetic courses with `seed_demo --courses N` when fewer exist, then prints p50/p95/p99
for a fixed list of queries (misspellings included) through the search selector, and for the
catalog page through Django's test client (anonymous, cache bypassed by a signed-in user).

Each figure comes twice: "cold" runs bump the catalog version before every call, as happens
after any edit, so nothing cached is used (facet tables, categories); "warm" runs repeat the
same call, so the facet table of the query comes from Redis and only the page is queried.
The 1-minute load average is printed next to every figure: on a shared machine it explains
most of the spread.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from courses.caching import bump_catalog_version  # noqa: E402
from courses.models import Course  # noqa: E402
from courses.search.filters import CatalogFilters  # noqa: E402
from courses.selectors.catalog import search_catalog  # noqa: E402

QUERIES = [
    "python",
    "sql",
    "machine learning",
    "time series forecasting",
    "pandas for analysts",
    "dashboards",
    "kafka streaming",
    "pyhton",  # misspellings: corrected against title words
    "statistcs",
    "machne lerning",
    "tableu",
    '"deep learning" -pytorch',
]
CATALOG_PARAMS = [
    {},
    {"sort": "popular"},
    {"level": "advanced", "price": "free"},
    {"q": "python", "sort": "rating"},
    {"page": "500"},
]


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)

    def pick(p: float) -> float:
        return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))] * 1000

    return f"p50 {pick(0.50):7.1f} ms   p95 {pick(0.95):7.1f} ms   p99 {pick(0.99):7.1f} ms"


def load() -> str:
    return f"load {os.getloadavg()[0]:5.2f}"


def timed(function, repeat: int, *, cold: bool = False) -> list[float]:
    function()  # warm-up (plans, caches)
    samples = []
    for _ in range(repeat):
        if cold:
            bump_catalog_version()
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--courses", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument(
        "--search-only", action="store_true", help="skip the catalog pages (test client)"
    )
    args = parser.parse_args()

    print(f"Database: {settings.DATABASES['default']['NAME']}")
    call_command("seed_demo", courses=args.courses)
    total = Course.objects.filter(status="published").count()
    print(
        f"Published courses: {total:,}   {load()}\n\nSearch selector ({args.repeat} runs per query)"
    )

    for cold in (True, False):
        print(f"  {'cold' if cold else 'warm'}")
        everything = []
        for query in QUERIES:
            filters = CatalogFilters(q=query)
            samples = timed(lambda f=filters: search_catalog(f, page=1), args.repeat, cold=cold)
            everything += samples
            hits = search_catalog(filters, page=1).total
            capped = "+" if search_catalog(filters, page=1).total_capped else " "
            print(f"  {query!r:30} {hits:>7,}{capped}hits   {percentiles(samples)}   {load()}")
        print(f"  {'all queries':30} {'':>12}   {percentiles(everything)}   {load()}")

    if args.search_only:
        return

    print(f"\nCatalog page through the test client, uncached ({args.repeat} runs each)")
    client = Client(HTTP_HOST="localhost")
    # A signed-in visitor skips the anonymous fragment cache, so each run does the real work.
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(email="bench@dataschool.local")
    client.force_login(user)
    url = reverse("courses:catalog")
    for cold in (True, False):
        print(f"  {'cold' if cold else 'warm'}")
        pages = []
        for params in CATALOG_PARAMS:
            samples = timed(lambda p=params: client.get(url, p), args.repeat, cold=cold)
            pages += samples
            assert client.get(url, params).status_code == 200
            print(f"  {params!s:40} {percentiles(samples)}   {load()}")
        print(f"  {'all catalog pages':40} {percentiles(pages)}   {load()}")

    client.logout()
    samples = timed(lambda: client.get(url), args.repeat)
    print(f"\nCatalog page, anonymous (cached fragment): {percentiles(samples)}   {load()}")


if __name__ == "__main__":
    main()
