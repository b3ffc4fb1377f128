import pytest


@pytest.fixture(autouse=True)
def _no_async_unsafe_flag_outside_browser_tests(monkeypatch):
    """tests/conftest.py sets DJANGO_ALLOW_ASYNC_UNSAFE for the whole session once any browser test is collected;
    subprocesses started here (``manage.py check --deploy``) would inherit it and fail async.E001.
    Governance tests run no browser, so they run without it."""
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)
