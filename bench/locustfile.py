"""Locust users for the load benchmark: volunteers, associations and CRESS staff at once.

`bench/load_bench.py` runs these users (it seeds the demo, starts gunicorn under the production
settings and prints the figures). They can also be pointed at a server already running the demo:

    .venv/bin/locust -f bench/locustfile.py --headless -u 50 -r 10 -t 60s \
        --host http://127.0.0.1:8000

Every page is reached as a person would: links are read from the pages, forms are filled from
the fields the page offers and posted with the page's CSRF token. The server is taken to sit
behind a TLS-terminating proxy, as in production: each request carries `X-Forwarded-Proto:
https`, and the session and CSRF cookies (Secure under the production settings) are kept on the
loopback's plain HTTP.

A step the application refuses with a message (a proposal another reviewer decided a moment
before) is not an error; such refusals are counted in `REFUSED` and printed apart.
"""

import itertools
import random
import re
import uuid
from collections import Counter
from datetime import date, timedelta
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

from locust import HttpUser, between, task

DEMO_PASSWORD = "probono-demo-2026"
# The demo's well-known log-ins; load_bench.py replaces them with many distinct demo people.
ACCOUNTS = {
    "volunteer": ["benevole.lille@demo.probono.example.org"],
    "association": ["tresoriere.aisne@demo.probono.example.org"],
    "staff": ["cress@demo.probono.example.org"],
}
PASSWORD = DEMO_PASSWORD
# Refused steps, by page and message: the application said no politely (not an error).
REFUSED = Counter()

LOGIN_PATH = "/compte/connexion/"
NEED_LINK = re.compile(r'href="/besoins/(\d+)/"')
OFFER_LINK = re.compile(r'href="/offres/(\d+)/"')
REVIEW_LINK = re.compile(r'href="/cress/revue/(\d+)/"')
NEED_CREATE_LINK = re.compile(r'href="/structures/(\d+)/besoins/nouveau/"')
PAGE_COUNT = re.compile(r"Page \d+ sur (\d+)")
ERROR_MESSAGE = re.compile(r'<p class="message message-error">(.*?)</p>', re.S)
WORDS = ["comptabilité", "fonds européens", "recrutement", "site", "juridique", "marchés"]


class Form:
    """One <form> of a page: where it posts and the fields it offers."""

    def __init__(self, action, method):
        self.action, self.method = action, method
        self.values = {}  # name → value sent as is (hidden, text, the selected option)
        self.choices = {}  # name → values one may pick (select options, radios, checkboxes)

    def pick(self, name, rng):
        """A random non-empty choice of a field."""
        return rng.choice([value for value in self.choices.get(name, []) if value])


class FormParser(HTMLParser):
    """The forms of a page, enough to fill them as a person would."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.form, self.select = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.form = Form(attrs.get("action") or "", (attrs.get("method") or "get").lower())
            self.forms.append(self.form)
        elif self.form is None:
            return
        elif tag == "input" and attrs.get("name"):
            self._input(attrs)
        elif tag == "select":
            self.select = attrs.get("name")
            self.form.choices.setdefault(self.select, [])
        elif tag == "option" and self.select:
            value = attrs.get("value", "")
            self.form.choices[self.select].append(value)
            if "selected" in attrs:
                self.form.values[self.select] = value

    def _input(self, attrs):
        name, kind, value = attrs["name"], attrs.get("type", "text"), attrs.get("value", "")
        if kind in ("radio", "checkbox"):
            self.form.choices.setdefault(name, []).append(value or "on")
            if "checked" in attrs:
                self.form.values[name] = value or "on"
        elif kind != "submit":
            self.form.values[name] = value

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None


def forms_of(html):
    parser = FormParser()
    parser.feed(html)
    return parser.forms


def form_posting_to(html, action):
    """The page's form that posts to this path, or None."""
    return next((f for f in forms_of(html) if f.method == "post" and f.action == action), None)


def filter_form(html):
    """The page's GET filter form (the one with a select), or None."""
    return next((f for f in forms_of(html) if f.method == "get" and f.choices), None)


def random_filters(form, rng):
    """One or two of the filter form's selects set to a random option."""
    names = [name for name, values in form.choices.items() if any(values)]
    chosen = rng.sample(names, k=min(len(names), rng.choice((1, 2))))
    return {name: form.pick(name, rng) for name in chosen}


def last_page(html):
    """The number of pages of a paginated list ("Page 2 sur 15"); 1 when it has one."""
    found = PAGE_COUNT.search(html)
    return int(found.group(1)) if found else 1


class ProbonoUser(HttpUser):
    """A signed-in person behind the production proxy; subclasses say who and what they do."""

    abstract = True
    kind = None
    wait_time = between(0.5, 1.5)

    def on_start(self):
        self.rng = random.Random()
        self.email = self._next_account()
        self.client.headers["X-Forwarded-Proto"] = "https"
        self.log_in()

    @classmethod
    def _next_account(cls):
        # One counter per class: consecutive users take consecutive accounts of their kind.
        if "_accounts" not in cls.__dict__:
            cls._accounts = itertools.cycle(ACCOUNTS[cls.kind])
        return next(cls._accounts)

    # Requests -----------------------------------------------------------------------------

    def page(self, path, name, params=None):
        """GET a page that must answer 200; its HTML, or None when it failed."""
        url = path + ("?" + urlencode(params) if params else "")
        headers = {"X-Bench-Page": name, **self.cookie_header()}
        with self.client.get(
            url, name=name, headers=headers, allow_redirects=False,
            catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code != 200:
                where = response.headers.get("Location", "")
                response.failure(f"HTTP {response.status_code} {where}".strip())
                return None
            return response.text

    def post_form(self, path, data, name, referer):
        """POST a form as the browser does; the redirect's target, or None when it failed."""
        origin = "https://" + urlsplit(self.host).netloc
        headers = {
            "Origin": origin, "Referer": origin + referer, "X-Bench-Page": name,
            **self.cookie_header(),
        }  # fmt: skip
        with self.client.post(
            path, data=data, name=name, headers=headers, allow_redirects=False,
            catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code != 302:
                response.failure(f"HTTP {response.status_code}: {form_errors(response.text)}")
                return None
            return urlsplit(response.headers["Location"]).path

    def cookie_header(self):
        """The session's cookies, Secure ones included: the browser speaks HTTPS to the proxy.

        (requests keeps Secure cookies but sends them only over https.)
        """
        cookies = "; ".join(f"{c.name}={c.value}" for c in self.client.cookies)
        return {"Cookie": cookies} if cookies else {}

    def refused(self, html, step):
        """Whether a page followed a step with an error message (counted, not failed)."""
        messages = ERROR_MESSAGE.findall(html or "")
        for message in messages:
            REFUSED[(step, " ".join(message.split())[:90])] += 1
        return bool(messages)

    # Log-in, once per user (hashing the password is slow on purpose), and the baseline page -

    def log_in(self):
        html = self.page(LOGIN_PATH, "log-in page")
        form = html and form_posting_to(html, "")
        if form:
            # A wrong password answers 200 with the form again: post_form fails it.
            data = {**form.values, "username": self.email, "password": PASSWORD}
            self.post_form(LOGIN_PATH, data, "log-in (POST)", LOGIN_PATH)

    @task(2)
    def log_in_page(self):
        """The baseline: the log-in page, a form with no query of its own."""
        self.page(LOGIN_PATH, "log-in page")


class Volunteer(ProbonoUser):
    """A company employee or public agent looking for a need to help with."""

    kind = "volunteer"
    weight = 3

    def on_start(self):
        super().on_start()
        self.need_ids, self.offer_ids, self.pages = [], [], 1

    def _remember_needs(self, html):
        if html:
            self.need_ids = NEED_LINK.findall(html) or self.need_ids
            self.pages = last_page(html)
        return html

    @task(4)
    def needs_list(self):
        page = self.rng.randint(1, self.pages)
        self._remember_needs(self.page("/besoins/", "needs list", {"page": page}))

    @task(3)
    def needs_filtered(self):
        html = self.page("/besoins/", "needs list")
        form = html and filter_form(html)
        if not form:
            return
        params = random_filters(form, self.rng)
        if self.rng.random() < 0.3:
            params["q"] = self.rng.choice(WORDS)  # full-text search on PostgreSQL
        self._remember_needs(self.page("/besoins/", "needs list, filtered", params))

    @task(4)
    def need_detail(self):
        if not self.need_ids:
            return self.needs_list()
        self.page(f"/besoins/{self.rng.choice(self.need_ids)}/", "need detail")

    @task(1)
    def my_offers(self):
        html = self.page("/offres/mes-offres/", "my offers")
        if html:
            self.offer_ids = OFFER_LINK.findall(html)

    @task(1)
    def offer_detail(self):
        if not self.offer_ids:
            return self.my_offers()
        self.page(f"/offres/{self.rng.choice(self.offer_ids)}/", "offer detail")


class Association(ProbonoUser):
    """A member of an ESS structure who posts a need and publishes it."""

    kind = "association"
    weight = 1

    def on_start(self):
        super().on_start()
        html = self.page("/", "home")
        found = NEED_CREATE_LINK.search(html or "")
        self.organisation = found and found.group(1)

    @task(2)
    def our_needs(self):
        if self.organisation:
            self.page(f"/structures/{self.organisation}/besoins/", "our needs")

    @task(1)
    def post_and_publish_a_need(self):
        if not self.organisation:
            return
        form_path = f"/structures/{self.organisation}/besoins/nouveau/"
        html = self.page(form_path, "need form")
        form = html and form_posting_to(html, "")
        if not form:
            return
        need_path = self.post_form(form_path, self.need_data(form), "need create (POST)", form_path)
        html = need_path and self.page(need_path, "need detail (own)")
        publish_path = f"{need_path}publier/"
        publish = html and form_posting_to(html, publish_path)
        if not publish:
            return
        if self.post_form(publish_path, publish.values, "need publish (POST)", need_path):
            self.refused(self.page(need_path, "need detail (own)"), "need publish")

    def need_data(self, form):
        """A plausible need: a skill the form offers, dates ahead, hours fitting the format."""
        start = date.today() + timedelta(days=self.rng.randint(3, 30))
        fmt = form.pick("format", self.rng)
        data = {
            **form.values,
            "title": f"Besoin d'essai de charge {uuid.uuid4().hex[:8]}",
            "description": "Un besoin posté par le banc de charge, à ignorer.",
            "main_skill": form.pick("main_skill", self.rng),
            "format": fmt,
            "estimated_hours": 2 if fmt == "short_session" else self.rng.randint(8, 60),
            "wished_start": start.isoformat(),
            "wished_end": (start + timedelta(days=self.rng.randint(30, 120))).isoformat(),
        }
        if self.rng.random() < 0.5:
            data["remote_ok"] = "on"
        return data


class CressStaff(ProbonoUser):
    """A reviewer of the CRESS going through the matcher's proposals."""

    kind = "staff"
    weight = 1

    def on_start(self):
        super().on_start()
        self.proposal_ids, self.pages = [], 1

    def _remember_proposals(self, html):
        if html:
            self.proposal_ids = REVIEW_LINK.findall(html)
            self.pages = last_page(html)
        return html

    @task(3)
    def review_queue(self):
        page = self.rng.randint(1, self.pages)
        self._remember_proposals(self.page("/cress/revue/", "review queue", {"page": page}))

    @task(2)
    def review_queue_filtered(self):
        html = self.page("/cress/revue/", "review queue")
        form = html and filter_form(html)
        if form:
            params = random_filters(form, self.rng)
            self._remember_proposals(self.page("/cress/revue/", "review queue, filtered", params))

    @task(4)
    def review_page(self):
        if not self.proposal_ids:
            return self.review_queue()
        self.page(f"/cress/revue/{self.rng.choice(self.proposal_ids)}/", "review page")

    @task(1)
    def decide(self):
        """Approve or reject a proposal through the review page's own forms."""
        if not self.proposal_ids:
            return self.review_queue()
        pk = self.proposal_ids.pop(self.rng.randrange(len(self.proposal_ids)))
        path = f"/cress/revue/{pk}/"
        html = self.page(path, "review page")
        approve = html and form_posting_to(html, f"{path}approuver/")
        reject = html and form_posting_to(html, f"{path}rejeter/")
        if approve and self.rng.random() < 0.5:
            data = {**approve.values, "no_commercial_link": "on"}
            step, target = "approve", self.post_form(approve.action, data, "approve (POST)", path)
        elif reject:
            reason = self.rng.choice([v for v in reject.choices["reason"] if v and v != "other"])
            data = {**reject.values, "reason": reason, "comment": "Banc de charge."}
            step, target = "reject", self.post_form(reject.action, data, "reject (POST)", path)
        else:
            return  # decided by someone else since the queue was read
        if target == path:  # refused: back to the review page with the reason
            self.refused(self.page(path, "review page"), step)


def form_errors(html):
    """The error lines of a form answered with errors, for the failure report."""
    found = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', html or "", re.S)
    text = " ".join(re.sub(r"<[^>]+>", " ", item) for item in found)
    return " ".join(text.split())[:200] or "no redirect"
