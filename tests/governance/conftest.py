import pytest

DB_FIXTURES = {"db", "transactional_db", "django_db_setup", "live_server"}


@pytest.fixture(autouse=True)
def _no_async_unsafe_flag_without_the_database(request, monkeypatch):
    """tests/conftest.py sets DJANGO_ALLOW_ASYNC_UNSAFE for the whole session once a browser test is collected
    (Playwright's event loop stays on the main thread, so ORM calls need it). A subprocess such as
    ``manage.py check --deploy`` inherits it and fails async.E001; tests that touch no database run without it."""
    if not DB_FIXTURES & set(request.fixturenames):
        monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)
