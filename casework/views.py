"""The in-app inbox of deadline reminders and the notification preferences. Owner only: a notification that is
not the user's own answers 404, exactly like a missing one (a township scope does not reach someone's inbox)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db.models import URLField
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.generic import ListView

from core.scoping import get_visible_or_404

from . import notifications
from .models import Notification, NotificationPreference, ResponsibilityAssignment

INBOX_CHANGED = "inbox-changed"


class InboxView(ListView):
    template_name = "casework/inbox_list.html"
    context_object_name = "items"
    paginate_by = 25

    def only_unread(self) -> bool:
        return self.request.GET.get("show") == "unread"

    def get_queryset(self):
        items = Notification.objects.inbox_of(self.request.user).select_related("reminder__assignment__lead")
        return items.unread() if self.only_unread() else items

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["only_unread"] = self.only_unread()
        context["today"] = timezone.localdate()
        return context


inbox_list = InboxView.as_view()


@require_GET
@never_cache
def inbox_badge(request: HttpRequest) -> HttpResponse:
    """The bell's unread count, loaded by htmx after the page: pages themselves make no query for it."""
    count = Notification.objects.inbox_of(request.user).unread().count()
    return render(request, "casework/inbox_badge.html", {"unread": count})


def _own(request: HttpRequest, pk: int) -> Notification:
    return get_object_or_404(Notification.objects.inbox_of(request.user).select_related("reminder__assignment"), pk=pk)


@require_GET
def inbox_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the case of a notification; opening it is reading it."""
    notification = _own(request, pk)
    notification.mark_read()
    url = notification.link
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return redirect(url)
    return redirect("inbox:list")


@require_POST
def inbox_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = _own(request, pk)
    notification.mark_read()
    if request.htmx:
        # The row, and the bell's new count in the same response (out of band): a second request for the count could
        # lose a race with the page's first one on a slow link.
        response = render(request, "casework/inbox_read.html", {
            "item": notification, "today": timezone.localdate(),
            "unread": Notification.objects.inbox_of(request.user).unread().count(),
        })
        response["HX-Trigger"] = INBOX_CHANGED
        return response
    return redirect(_back_to_list(request))


@require_POST
def inbox_read_all(request: HttpRequest) -> HttpResponse:
    count = Notification.objects.inbox_of(request.user).unread().update(read_at=timezone.now())
    messages.success(request, _("%(count)d reminders marked as read.") % {"count": count})
    return redirect(_back_to_list(request))


@require_GET
def approvals(request: HttpRequest) -> HttpResponse:
    """待我审批: every close-out (and other request) that waits for this user's decision, from every case type."""
    from .notices import approvals_for

    return render(request, "casework/approvals.html", {"items": approvals_for(request.user)})


def _back_to_list(request: HttpRequest) -> str:
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return back
    return reverse("inbox:list")


# --- Preferences ---------------------------------------------------------------------------------------------


def _formfield(field, **kwargs):
    if isinstance(field, URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class PreferenceForm(forms.ModelForm):
    email_address = forms.EmailField(label=gettext_lazy("Email address"), required=False)

    class Meta:
        model = NotificationPreference
        fields = ["email", "webhook", "webhook_url", "wecom"]
        formfield_callback = _formfield
        help_texts = {
            "email": gettext_lazy("Sent only when an email address is given above."),
            "webhook_url": gettext_lazy("The address of a WeCom group robot (企业微信群机器人)."),
            "wecom": gettext_lazy("Sent to your own WeCom when the township has set up WeCom and your login has a "
                                  "WeCom user ID."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["email_address"].initial = user.email
        self.order_fields(["email_address", "email", "webhook", "webhook_url", "wecom"])

    def clean_webhook_url(self) -> str:
        url = self.cleaned_data.get("webhook_url", "")
        if url and not notifications.webhook_host_allowed(url):
            raise forms.ValidationError(
                _("Only these hosts may receive webhooks: %(hosts)s.")
                % {"hosts": ", ".join(settings.NOTIFY_WEBHOOK_HOSTS)}
            )
        return url

    def clean(self):
        data = super().clean()
        if data.get("webhook") and not data.get("webhook_url"):
            self.add_error("webhook_url", _("Enter the webhook address, or switch the webhook off."))
        return data

    def save(self, commit: bool = True) -> NotificationPreference:
        preference = super().save(commit=commit)
        if commit and self.user.email != self.cleaned_data["email_address"]:
            self.user.email = self.cleaned_data["email_address"]
            self.user.save(update_fields=["email"])
        return preference


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    user = request.user
    instance = NotificationPreference.objects.filter(user=user).first() or NotificationPreference(user=user)
    form = PreferenceForm(request.POST or None, instance=instance, user=user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your notification settings were saved."))
        return redirect("inbox:preferences")
    problems = (
        Notification.objects.filter(recipient=user, status=Notification.Status.FAILED)
        .select_related("reminder__assignment").order_by("-created_at")[:20]
    )
    return render(request, "casework/inbox_preferences.html", {"form": form, "problems": problems})


@require_POST
def retry_delivery(request: HttpRequest, pk: int) -> HttpResponse:
    """Try a delivery that gave up once more (after fixing the address, say)."""
    notification = get_object_or_404(Notification.objects.filter(recipient=request.user), pk=pk)
    if notifications.retry_failed(user=request.user, notification_id=notification.pk):
        from .tasks import deliver_notification

        deliver_notification.delay(notification.pk)
        messages.success(request, _("The delivery will be tried again."))
    return redirect("inbox:preferences")


def supervision_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """督办通知书 of a 挂牌督办 assignment, on A4, Chinese whatever the UI (any case type: it reads the assignment)."""
    assignment = get_visible_or_404(
        ResponsibilityAssignment.objects.select_related("township", "lead", "supervised_by"), request.user, pk=pk)
    if request.method != "GET":  # after the lookup: out of scope is 404 whatever the method
        return HttpResponseNotAllowed(["GET"])
    if not assignment.supervision_level:
        messages.error(request, _("This case is not under supervision."))
        return redirect(assignment.case_url or "home")
    with translation.override("zh-hans"):
        level = str(assignment.get_supervision_level_display())

    def chinese(day) -> str:
        return f"{day.year}年{day.month}月{day.day}日" if day else ""

    return render(request, "casework/supervision_notice.html", {
        "assignment": assignment, "level": level, "team": "、".join(str(u) for u in assignment.team.all()),
        "deadline": chinese(assignment.deadline),
        "supervised_on": chinese(timezone.localdate(assignment.supervised_at) if assignment.supervised_at else None),
    })
