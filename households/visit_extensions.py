"""Sections that other apps add to the visit diary, so that households imports none of them (tests/test_architecture).

An app registers a ``VisitExtension`` from its ``AppConfig.ready()``:

- ``form_class``: a self-contained form whose fields carry the extension's own prefix (monitoring's are ``risk_…``),
  made as ``form_class(data, user=, households=)`` — ``households`` are the ones ticked on the visit, once known — and
  rendered on the visit form by its own template (``form_class.template_name``, given the form as ``form``). Once the visit exists, ``form.save(visit=, by=)`` runs in
  the visit's transaction and returns a message for the user (or ""). A ``ValidationError`` there leaves the whole
  visit unsaved, with the message on the section.
- ``panel``: optional, ``panel(visit=, households=, user=)`` returns ``(template, context)`` for a box on the visit's
  page, or None when there is nothing to show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class VisitExtension:
    name: str
    form_class: type
    roles: tuple = ()  # who is offered the section; empty: everyone who logs visits
    panel: Callable | None = None

    def offered_to(self, user) -> bool:
        return not self.roles or user.has_role(*self.roles)


_extensions: dict[str, VisitExtension] = {}


def register_visit_extension(extension: VisitExtension) -> None:
    _extensions[extension.name] = extension


def visit_extensions(user) -> list[VisitExtension]:
    return [e for e in _extensions.values() if e.offered_to(user)]


def sections_for(user, data=None, *, households=()) -> list:
    """The bound (or blank) forms of the sections offered to ``user``."""
    return [e.form_class(data, user=user, households=list(households)) for e in visit_extensions(user)]


class SectionRefused(Exception):
    """A section refused its input once the visit existed: the caller rolls the visit back."""


def sections_save(sections, *, visit, by) -> list[str]:
    """Save every section for ``visit`` (inside the visit's transaction); the messages to show."""
    said = []
    for section in sections:
        try:
            said.append(section.save(visit=visit, by=by))
        except ValidationError as exc:
            section.add_error(None, exc)
            raise SectionRefused from exc
    return [s for s in said if s]


def panels_for(*, visit, households, user) -> list[tuple[str, dict]]:
    panels = []
    for extension in _extensions.values():
        if extension.panel is not None:
            found = extension.panel(visit=visit, households=households, user=user)
            if found:
                panels.append(found)
    return panels
