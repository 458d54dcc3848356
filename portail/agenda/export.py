"""The agenda's part of « Mes données »: bookings and attendance of the household's children."""

from portail.agenda.models import Attendance, Booking


def export_household(household) -> dict:
    return {
        "bookings": [
            {
                "child": str(b.child),
                "activity": b.activity.name,
                "date": b.date,
                "status": b.get_status_display(),
            }
            for b in Booking.objects.filter(child__household=household)
            .select_related("child", "activity")
            .order_by("date", "pk")
        ],
        "attendance": [
            {
                "child": str(a.child),
                "activity": a.activity.name,
                "date": a.date,
                "state": a.get_state_display(),
                "reason": a.absence_reason.name if a.absence_reason_id else "",
            }
            for a in Attendance.objects.filter(child__household=household)
            .select_related("child", "activity", "absence_reason")
            .order_by("date", "pk")
        ],
    }
