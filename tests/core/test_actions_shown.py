"""What is shown is what may be done: for every demo role, every action link and form on its main pages and on the
pages those lead to is followed (a link fetched, a form posted with what it carries, then rolled back), and none of
them answers 403 «无权操作». A button a role cannot use is not on its pages."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve

from governance.models import User

# Never followed: leaving, switching language, Django's admin, files to download, the browser's own anchors.
SKIP = re.compile(r"^/(logout|i18n|admin|static|media)/|/export|\.(xlsx|csv|pdf|docx)$|format=")
DETAIL = re.compile(r"/\d+/$")


class _Page(HTMLParser):
    """The links of a page's main part and its forms, with the fields each form would send as it is."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._in_main = False
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "main":
            self._in_main = True
        if not self._in_main:
            return
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = {"action": a.get("action") or "", "method": (a.get("method") or "get").lower(), "data": {}}
            self.forms.append(self._form)
        elif self._form is not None and tag == "input" and a.get("name"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self._form["data"].setdefault(a["name"], a.get("value") or "")
        elif self._form is not None and tag == "button" and a.get("name"):
            self._form["data"].setdefault(a["name"], a.get("value") or "")
        elif self._form is not None and tag == "select" and a.get("name"):
            self._select = a["name"]
        elif self._select and tag == "option" and "selected" in a and self._form is not None:
            self._form["data"][self._select] = a.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "main":
            self._in_main = False


def _route(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def _parse(response) -> _Page:
    page = _Page()
    page.feed(response.content.decode())
    return page


class Crawl:
    def __init__(self, client: Client):
        self.client = client
        self.seen: set[tuple[str, str]] = set()
        self.refused: list[str] = []

    def _internal(self, base: str, href: str) -> str | None:
        url = urljoin(base, href)
        parts = urlsplit(url)
        if parts.scheme and parts.netloc not in ("", "testserver") or href.startswith(("#", "javascript:", "mailto:")):
            return None
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        return None if SKIP.search(path) else path

    def visit(self, url: str, depth: int) -> None:
        response = self.client.get(url)
        if response.status_code == 403:
            self.refused.append(f"GET {url}")
        if response.status_code != 200 or "text/html" not in response.get("content-type", ""):
            return
        page = _parse(response)
        details = 0
        for href in page.links:
            target = self._internal(url, href)
            if not target:
                continue
            key = ("GET", _route(urlsplit(target).path) or target)
            if key in self.seen:
                continue
            # From a list: the first object's page (and its actions) of each kind, not every row.
            if DETAIL.search(urlsplit(target).path):
                details += 1
            self.seen.add(key)
            if depth > 0:
                self.visit(target, depth - 1)
            else:
                status = self.client.get(target).status_code
                if status == 403:
                    self.refused.append(f"GET {target} (from {url})")
        for form in page.forms:
            if form["method"] != "post":
                continue
            target = self._internal(url, form["action"] or url)
            if not target:
                continue
            key = ("POST", _route(urlsplit(target).path) or target)
            if key in self.seen:
                continue
            self.seen.add(key)
            self.post(target, form["data"], url)

    def post(self, url: str, data: dict, origin: str) -> None:
        class Undo(Exception):
            pass

        status = None
        try:
            with transaction.atomic():
                status = self.client.post(url, data).status_code
                raise Undo
        except Undo:
            pass
        if status == 403:
            self.refused.append(f"POST {url} (from {origin})")


@pytest.fixture
def demo(db, today):
    call_command("seed_demo", "--households", "60", "--townships", "2", "--seed", "11", "--today", today.isoformat(), verbosity=0)


@pytest.mark.parametrize("username", ["staff", "leader", "cadre", "village", "grid", "head", "county", "county-leader"])
def test_no_button_a_role_sees_answers_403(demo, username):
    user = User.objects.filter(username=username).first()
    if user is None:
        pytest.skip(f"the demo has no {username}")
    client = Client(headers={"accept-language": "zh-hans"})
    client.force_login(user)
    crawl = Crawl(client)
    home = client.get("/")
    starts = ["/"] + [link for link in re.findall(r'<a class="nav-link[^"]*"[^>]*href="([^"]+)"', home.content.decode())]
    for url in starts:
        crawl.seen.add(("GET", _route(urlsplit(url).path) or url))
        crawl.visit(url, depth=2)
    assert not crawl.refused, "\n".join(crawl.refused)
