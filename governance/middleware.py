from django.conf import settings


class ContentSecurityPolicyMiddleware:
    """Only our own origin: township intranets have no internet, and nothing should load from elsewhere."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response
