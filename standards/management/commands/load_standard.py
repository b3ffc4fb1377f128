"""``manage.py load_standard [--replace]``: load GB/T 31000-2015's data elements and code tables into the tables."""

from django.core.management.base import BaseCommand

from standards import loader
from standards.models import CodeValue, DataElement


class Command(BaseCommand):
    help = "Load the GB/T 31000-2015 mapping (standards/data/gbt31000-2015.json) into the database."

    def add_arguments(self, parser):
        parser.add_argument("--replace", action="store_true", help="overwrite rows changed in the admin")

    def handle(self, *args, replace: bool, **options):
        elements, codes = loader.load(DataElement, CodeValue, replace=replace)
        self.stdout.write(f"{elements} data elements and {codes} code values written.")
