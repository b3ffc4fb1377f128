import functools

from django import template
from django.utils import translation
from django.utils.hashable import make_hashable
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from core.keyurls import url_by_key
from core.widgets import fast

register = template.Library()

_CLASSES = {
    "select": "form-select",
    "selectmultiple": "form-select",
    "checkbox": "form-check-input",
    "radioselect": "",
    "checkboxselectmultiple": "",
    "clearablefile": "form-control",
}


@register.filter
def bootstrap(field):
    """Render a bound field with Bootstrap's class for its widget, marked invalid when it has errors."""
    css = _CLASSES.get(field.widget_type, "form-control")
    if field.errors:
        css += " is-invalid"
    existing = field.field.widget.attrs.get("class", "")
    return field.as_widget(widget=fast(field.field.widget), attrs={"class": f"{existing} {css}".strip()})


@register.simple_tag
def filter_fields(form):
    """A list's filter fields, each with its label and its errors (a filter out of bounds says why the list is empty),
    written in one go (the template's loop resolved four variables and a filter for each of up to thirteen fields)."""
    return mark_safe("".join(  # noqa: S308 - format_html escapes every part
        format_html('<div class="col-6 col-md-3 col-xl-2">\n<label class="form-label small mb-0" for="{}">{}</label>\n'
                    "{}\n{}</div>\n", field.id_for_label, field.label, bootstrap(field),
                    format_html_join("", '<div class="invalid-feedback">{}</div>\n', ((e,) for e in field.errors)))
        for field in form.visible_fields()
    ))


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (for links that keep the filters)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + urlencode(sorted(params.lists()), doseq=True) if params else "?"


@register.filter
def url_of(pk, viewname):
    """``{{ record.pk|url_of:"app:detail" }}``: the object's URL (a list's link in each row; core/keyurls.py)."""
    return url_by_key(viewname, pk)


@register.simple_tag
def cell(table, column, record):
    """``{% cell table "lead" record %}``: the cell its table's ``render_<column>(record)`` writes. A row template
    writes the plain cells itself and asks the table for the cells that need code (the method django-tables2 calls)."""
    return getattr(table, f"render_{column}")(record=record)


@functools.cache
def _choice_labels(field, language: str) -> dict:
    return {make_hashable(value): str(label) for value, label in field.flatchoices}


@register.filter
def display(record, name: str):
    """``{{ r|display:"kind" }}`` is ``r.get_kind_display``, from the field's labels gathered once per language: Django
    gathers every choice of the field into a dict, translating each label, at each call (a list page of 25 rows with
    three such columns: some 850 translations)."""
    field = record._meta.get_field(name)
    value = getattr(record, field.attname)
    return _choice_labels(field, translation.get_language()).get(make_hashable(value), value)
