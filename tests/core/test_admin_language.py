"""The admin's login lock-out pages (django-axes, which has no Chinese of its own) speak Chinese."""

from django.urls import reverse


def test_the_axes_pages_of_the_admin_are_in_chinese(admin_client):
    from axes.models import AccessAttempt

    AccessAttempt.objects.create(username="zhang", ip_address="10.0.0.9", user_agent="x", failures_since_start=3)
    index = admin_client.get(reverse("admin:index"), headers={"accept-language": "zh-hans"}).content.decode()
    assert "登录防护" in index and "登录尝试" in index
    page = admin_client.get(reverse("admin:axes_accessattempt_changelist"), headers={"accept-language": "zh-hans"})
    body = page.content.decode()
    assert page.status_code == 200
    assert "IP 地址" in body and "失败次数" in body
    assert "Access attempts" not in body and "IP Address" not in body
