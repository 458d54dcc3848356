import datetime

import pytest

from portail.core import clock
from portail.core.models import AuditEvent


@pytest.mark.django_db
def test_on_days_counts_whole_paris_days():
    """« Between 2 and 3 December »: from midnight in Paris, not in UTC."""
    utc = datetime.UTC
    for at in (
        datetime.datetime(2026, 12, 1, 22, 59, tzinfo=utc),  # 1 Dec 23:59 in Paris
        datetime.datetime(2026, 12, 1, 23, 0, tzinfo=utc),  # 2 Dec 00:00 in Paris
        datetime.datetime(2026, 12, 3, 22, 59, tzinfo=utc),  # 3 Dec 23:59 in Paris
        datetime.datetime(2026, 12, 3, 23, 0, tzinfo=utc),  # 4 Dec in Paris
    ):
        AuditEvent.objects.create(at=at, action="test", object_type="x", object_id="1")
    inside = AuditEvent.objects.filter(
        clock.on_days("at", datetime.date(2026, 12, 2), datetime.date(2026, 12, 3))
    )
    assert sorted(e.at.astimezone(clock.PARIS).day for e in inside) == [2, 3]
    assert AuditEvent.objects.filter(clock.on_days("at")).count() == 4
