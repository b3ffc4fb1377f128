from django.core.management.base import BaseCommand

from governance.demo import DEMO_PASSWORD
from governance.models import User


class Command(BaseCommand):
    help = "Print the URL and one demo login per role."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/")

    def handle(self, *args, url, **options):
        users = User.objects.filter(username__in=["admin", "county", "county-leader", "staff", "leader", "cadre", "village", "grid", "head"])
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"联户通 is at {url}"))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for user in users.order_by("date_joined", "pk"):
            role = "系统管理员 administrator" if user.is_superuser else f"{user.get_role_display()} {user.role}"
            self.stdout.write(f"  {user.username:<13} {role:<28} {user.display_name}")
        self.stdout.write("")
