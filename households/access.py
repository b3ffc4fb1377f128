"""The order of refusals for a view of one object: out of scope is 404 whatever the method (as for a missing
object), then a wrong method is 405, then the view checks the role (403)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpResponseNotAllowed

from governance.scoping import get_visible_or_404


def scoped_object(queryset, *, methods: tuple[str, ...] = ("GET",), kwarg: str = "pk") -> Callable:
    """Look ``kwargs[kwarg]`` up in ``queryset`` within the user's scope, check the method, then call
    ``view(request, obj, **other_kwargs)``."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, **kwargs):
            obj = get_visible_or_404(queryset, request.user, pk=kwargs.pop(kwarg))
            if request.method not in methods:
                return HttpResponseNotAllowed(methods)
            return view(request, obj, **kwargs)

        return wrapper

    return decorator
