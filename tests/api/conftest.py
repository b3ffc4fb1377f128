from __future__ import annotations

import pytest
from django.test import Client

from api.models import ApiToken, hash_token, new_raw_token


def make_token(user, *, access="read", may_reveal=False, kind="personal", township=None, county=None) -> str:
    """A token for ``user`` (its raw value), made directly: the rules of who may make one are tested on their own."""
    raw = new_raw_token()
    ApiToken.objects.create(name="测试令牌", kind=kind, user=user, township=township, county=county, access=access,
                            may_reveal=may_reveal, key_prefix=raw[:12], key_hash=hash_token(raw), created_by=user)
    return raw


class ApiClient:
    """A client that speaks JSON with a bearer token."""

    def __init__(self, raw: str | None):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {raw}"} if raw else {}

    def get(self, url, data=None, **headers):
        return self.client.get(url, data, headers={**self.headers, **headers})

    def post(self, url, data=None, **headers):
        return self.client.post(url, data or {}, content_type="application/json", headers={**self.headers, **headers})

    def all_rows(self, url, **params) -> list[dict]:
        """Every row of a list, following the cursor."""
        rows, response = [], self.get(url, {"page_size": 500, **params})
        while True:
            assert response.status_code == 200, response.content
            body = response.json()
            rows += body["results"]
            if not body["next"]:
                return rows
            response = self.get(body["next"])


@pytest.fixture
def api():
    def for_user(user, **kwargs) -> ApiClient:
        return ApiClient(make_token(user, **kwargs))

    return for_user
