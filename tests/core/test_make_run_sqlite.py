"""`make run` works on its embedded SQLite database: migrated, the demo loaded, and every page one click from each demo
login's home (the dashboard, the lists, their exports) answers without a server error. The rest of the suite runs on
PostgreSQL, so a statement only PostgreSQL understands would otherwise reach a newcomer's first page unseen."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

VISIT = r'''
import re, django
django.setup()
from django.conf import settings
from django.test import Client
from governance.models import User
settings.ALLOWED_HOSTS = ["*"]
failures, seen = [], 0
for name in ["county", "staff", "leader", "cadre", "village", "grid", "head"]:
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username=name))
    home = client.get("/")
    links = {"/", "/dashboards/", "/households/residents/?format=csv", "/households/?format=xlsx"}
    links |= {h.replace("&amp;", "&") for h in re.findall(r'href="(/[^"#]*)"', home.content.decode())
              if not re.search(r"logout|/admin/|/static/|/media/", h)}
    for url in sorted(links):
        response = client.get(url)
        seen += 1
        if response.status_code >= 500:
            failures.append(f"{name} {url} {response.status_code}")
print(seen, "pages")
print("\n".join(failures) or "no server error")
'''


@pytest.mark.real_clock
def test_the_demo_on_sqlite_answers_every_page_one_click_from_each_home_without_a_server_error(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local", "LHT_VAR_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)

    def run(*args):
        result = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                                timeout=600)
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    run("manage.py", "migrate", "-v", "0")
    run("manage.py", "seed_demo", "--townships", "2", "--households", "120")
    out = run("-c", VISIT)
    assert out.strip().endswith("no server error"), out
