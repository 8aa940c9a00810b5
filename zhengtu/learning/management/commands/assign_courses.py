"""Daily: assign every person under supervision the courses their group needs now and the month's topic."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from zhengtu.learning.services.assignment import assign_everyone
from zhengtu.supervisees.models import Supervisee


class Command(BaseCommand):
    help = "Assign courses by rule (group, stage, needs) and the month's topic to everyone under supervision."

    def handle(self, *args: Any, **options: Any) -> None:
        created = assign_everyone(Supervisee.objects.all())
        self.stdout.write(f"{created} course assignments made")
