"""Cursor pagination for incremental pulls: rows in the order they last changed (``updated_at``, then id), so that a
client that keeps the ``next`` link, or asks again with ``updated_since``, meets every change once it happened."""

from __future__ import annotations

from rest_framework.pagination import CursorPagination


class UpdatedCursorPagination(CursorPagination):
    ordering = ("updated_at", "pk")
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500
