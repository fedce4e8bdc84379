"""Locust learners for `make loadtest` (bench/loadtest.py seeds them and runs this headless).

A learner arrives as a returning learner with a session cookie (seeded by bench/loadtest.py);
LOGIN_SHARE of them (default 0) log in with their password instead. Logins are left out by
default because every Locust user comes from 127.0.0.1, so allauth's per-IP login rate limit
answers 429 after a few, and each login costs a PBKDF2 hash (1,000,000 iterations, about half
a second of one core here): login capacity is that hash rate, not a page budget. The learner
then browses the catalog, searches (often with a typo), opens a course, studies its lessons
and marks them done, with think times of THINK_MIN..THINK_MAX seconds (30-90 s by default, as
in Moodle's load model). Buying is left out: `make cluster` runs production settings (DEBUG
off), where the local test gateway refuses to run, and Stripe is unreachable from this
machine; bench/drill.py drives the payment path with signed webhook events instead.

Request names group the statistics per page type: home, catalog, search, course, lesson,
complete, my-learning, login.

    .venv/bin/locust -f bench/learners.py --headless -u 500 -r 10 -t 3m \
        --host http://127.0.0.1:8080   # once make loadtest has written var/cluster/learners.json
"""

import itertools
import json
import os
import random
import re
from pathlib import Path

from locust import HttpUser, between, task

DATA = Path(
    os.environ.get(
        "LEARNERS_DATA", Path(__file__).resolve().parents[1] / "var" / "cluster" / "learners.json"
    )
)
THINK_MIN = float(os.environ.get("THINK_MIN", 30))
THINK_MAX = float(os.environ.get("THINK_MAX", 90))
LOGIN_SHARE = float(os.environ.get("LOGIN_SHARE", 0))

with DATA.open() as fh:
    SEED = json.load(fh)
SESSIONS = itertools.cycle(SEED["sessions"])
TYPOS = [
    "pyhton",
    "statistcs",
    "machne lerning",
    "tableu",
    "sql",
    "pandas",
    "dashbords",
    "regresion",
    "data viz",
    "excell",
]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Learner(HttpUser):
    wait_time = between(THINK_MIN, THINK_MAX)

    def on_start(self) -> None:
        account = next(SESSIONS)
        self.courses = SEED["enrolled"]
        if random.random() < LOGIN_SHARE:
            page = self.client.get("/accounts/login/", name="login")
            token = self.client.cookies.get("csrftoken", "")
            self.client.post(
                "/accounts/login/",
                data={
                    "login": account["email"],
                    "password": SEED["password"],
                    "csrfmiddlewaretoken": token,
                },
                headers={"Referer": page.url},
                name="login",
            )
        else:
            self.client.cookies.set("sessionid", account["session"])

    @task(2)
    def home(self) -> None:
        self.client.get("/", name="home")

    @task(3)
    def browse(self) -> None:
        self.client.get(
            random.choice(["/courses/", "/courses/?page=2", "/courses/?sort=rating"]),
            name="catalog",
        )

    @task(3)
    def search(self) -> None:
        self.client.get("/courses/", params={"q": random.choice(TYPOS)}, name="search")

    @task(3)
    def course(self) -> None:
        self.client.get(f"/courses/{random.choice(SEED['catalog'])}/", name="course")

    @task(6)
    def study(self) -> None:
        course = random.choice(self.courses)
        lesson = random.choice(course["lessons"])
        url = f"/courses/{course['slug']}/lessons/{lesson}/"
        page = self.client.get(url, name="lesson")
        token = self.client.cookies.get("csrftoken") or next(iter(CSRF.findall(page.text)), "")
        if token and random.random() < 0.5:
            self.client.post(
                f"{url}complete/",
                data={"csrfmiddlewaretoken": token},
                headers={"Referer": page.url, "X-CSRFToken": token},
                name="complete",
            )

    @task(1)
    def my_learning(self) -> None:
        self.client.get("/courses/my-learning/", name="my-learning")
