from django import template

register = template.Library()

STATUS_CLASSES = {
    "registered": "text-bg-secondary",
    "accepted": "text-bg-info",
    "mediating": "text-bg-primary",
    "succeeded": "text-bg-success",
    "failed": "text-bg-warning",
    "referred": "text-bg-warning",
    "followed_up": "text-bg-success",
    "close_requested": "text-bg-warning",
    "closed": "text-bg-dark",
}


@register.filter
def percent(value) -> str:
    """0.9812 → "98.1%"; None (nothing to divide by) → "—"."""
    if value is None:
        return "—"
    return f"{value * 100:.1f}%"


@register.filter
def status_class(status: str) -> str:
    return STATUS_CLASSES.get(status, "text-bg-secondary")
