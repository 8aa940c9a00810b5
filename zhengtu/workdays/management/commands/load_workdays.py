from typing import Any

from django.core.management.base import BaseCommand

from zhengtu.workdays.calendar import load_known_years


class Command(BaseCommand):
    help = "Load the State Council working-day calendar for every year chinesecalendar knows (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        years = load_known_years()
        if years:
            self.stdout.write(f"Loaded working-day calendar for {years[0]}–{years[-1]}.")
