"""Opening hours (OpenStreetMap opening_hours syntax): validation, French rendering, open now. STUB."""

import datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def is_public_holiday(day):
    return False


def weekly_slots(expression):
    return []
