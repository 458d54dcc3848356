import dataclasses
import datetime
from decimal import Decimal

from portail.agenda.models import Activity, Attendance, Booking


@dataclasses.dataclass(frozen=True)
class BillableItem:
    """One (child, activity, day) to charge, as the consumption run needs it.

    kind: "booked" (booked, present or unexcused), "excused" (booked, excused absence: charged
    at the reason's ratio, possibly 0) or "unbooked" (present without a booking: price + surcharge).
    """

    child_id: int
    household_id: int
    activity_id: int
    date: datetime.date
    kind: str
    ratio: Decimal


def billable_items(day: datetime.date) -> list[BillableItem]:
    """Everything consumed on `day`, from bookings and attendance. Two queries.

    An absence declared by the family cancels the booking and leaves an EXCUSED attendance
    whose reason says how much is charged.
    """
    attendance = {
        (a.child_id, a.activity_id): a
        for a in Attendance.objects.filter(date=day).select_related("absence_reason", "child")
    }
    items = []
    booked = set()
    bookings = Booking.objects.filter(date=day).values_list(
        "child_id", "child__household_id", "activity_id", "status"
    )
    for child_id, household_id, activity_id, status in bookings:
        record = attendance.get((child_id, activity_id))
        if record is not None and record.state == Attendance.State.EXCUSED:
            ratio = record.absence_reason.charge_ratio if record.absence_reason else Decimal(0)
            items.append(BillableItem(child_id, household_id, activity_id, day, "excused", ratio))
        elif status == Booking.Status.BOOKED:
            booked.add((child_id, activity_id))
            items.append(
                BillableItem(child_id, household_id, activity_id, day, "booked", Decimal(1))
            )
    for (child_id, activity_id), record in attendance.items():
        if (child_id, activity_id) not in booked and record.state == Attendance.State.PRESENT:
            items.append(
                BillableItem(
                    child_id, record.child.household_id, activity_id, day, "unbooked", Decimal(1)
                )
            )
    return items


def activities_of_school(school):
    return Activity.objects.filter(school=school)
