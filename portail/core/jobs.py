"""The one registry of periodic jobs: what runs, and when.

Both schedulers read it: `manage.py run_scheduler` (started by `make run` beside the task
worker) and the systemd timers of `deploy/systemd/` (written from it by `manage.py
systemd_units`; a test keeps them in sync). Each run goes through `core.services.run_job`, which
claims the (job, slot) row first, so a slot never runs twice whoever triggers it.

Times are Europe/Paris; daily jobs avoid 02:00-03:00, which a DST change skips or repeats.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portail.core.clock import PARIS

_EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


@dataclass(frozen=True)
class Every:
    """Every `minutes` minutes, on the clock (:00, :05, ...); `minutes` divides 60."""

    minutes: int

    def __post_init__(self):
        assert 60 % self.minutes == 0, "minutes must divide an hour"

    def previous(self, moment: datetime.datetime) -> datetime.datetime:
        step = datetime.timedelta(minutes=self.minutes)
        return _EPOCH + (moment - _EPOCH) // step * step

    def next(self, moment: datetime.datetime) -> datetime.datetime:
        return self.previous(moment) + datetime.timedelta(minutes=self.minutes)

    @property
    def period(self) -> datetime.timedelta:
        return datetime.timedelta(minutes=self.minutes)

    def on_calendar(self) -> str:
        return f"*-*-* *:00/{self.minutes}:00 Europe/Paris"

    def describe(self) -> str:
        return _("every %(minutes)d minutes") % {"minutes": self.minutes}


@dataclass(frozen=True)
class Daily:
    """Every day at a Paris time."""

    at: datetime.time

    def _slot(self, day: datetime.date) -> datetime.datetime:
        return datetime.datetime.combine(day, self.at, tzinfo=PARIS)

    def previous(self, moment: datetime.datetime) -> datetime.datetime:
        day = moment.astimezone(PARIS).date()
        slot = self._slot(day)
        return slot if slot <= moment else self._slot(day - datetime.timedelta(days=1))

    def next(self, moment: datetime.datetime) -> datetime.datetime:
        day = moment.astimezone(PARIS).date()
        slot = self._slot(day)
        return slot if slot > moment else self._slot(day + datetime.timedelta(days=1))

    @property
    def period(self) -> datetime.timedelta:
        return datetime.timedelta(days=1)

    def on_calendar(self) -> str:
        return f"*-*-* {self.at:%H:%M}:00 Europe/Paris"

    def describe(self) -> str:
        return _("every day at %(time)s") % {"time": f"{self.at:%H:%M}"}


@dataclass(frozen=True)
class Yearly:
    """Once a year, on a day and at a Paris time."""

    month: int
    day: int
    at: datetime.time

    def _slot(self, year: int) -> datetime.datetime:
        return datetime.datetime.combine(
            datetime.date(year, self.month, self.day), self.at, tzinfo=PARIS
        )

    def previous(self, moment: datetime.datetime) -> datetime.datetime:
        year = moment.astimezone(PARIS).year
        slot = self._slot(year)
        return slot if slot <= moment else self._slot(year - 1)

    def next(self, moment: datetime.datetime) -> datetime.datetime:
        year = moment.astimezone(PARIS).year
        slot = self._slot(year)
        return slot if slot > moment else self._slot(year + 1)

    @property
    def period(self) -> datetime.timedelta:
        return datetime.timedelta(days=365)

    def on_calendar(self) -> str:
        return f"*-{self.month:02d}-{self.day:02d} {self.at:%H:%M}:00 Europe/Paris"

    def describe(self) -> str:
        day = date_format(datetime.date(2000, self.month, self.day), "j F")
        if self.day == 1:
            day = day.replace("1 ", _("1st") + " ", 1)
        return _("every year on %(day)s at %(time)s") % {"day": day, "time": f"{self.at:%H:%M}"}


@dataclass(frozen=True)
class Job:
    name: str
    command: str
    schedule: Every | Daily | Yearly
    description: str
    args: tuple[str, ...] = field(default=())
    # `--date` given to the command: the slot's Paris day plus this many days (None: no date),
    # so that a run started late still does the work of the day it was due for.
    date_offset: int | None = None
    # Slots looked back at: missed ones (server down) are run in order, oldest first.
    catch_up: int = 1

    def arguments(self, slot: datetime.datetime | None) -> list[str]:
        args = list(self.args)
        if self.date_offset is not None and slot is not None:
            day = slot.astimezone(PARIS).date() + datetime.timedelta(days=self.date_offset)
            args.append(f"--date={day.isoformat()}")
        return args

    def due_slots(self, moment: datetime.datetime) -> list[datetime.datetime]:
        """The slots due at `moment`, oldest first (the latest, and `catch_up - 1` before)."""
        slots = [self.schedule.previous(moment)]
        while len(slots) < self.catch_up:
            slots.append(self.schedule.previous(slots[-1] - datetime.timedelta(microseconds=1)))
        return slots[::-1]

    @property
    def grace(self) -> datetime.timedelta:
        """How late a run may start before the job is shown as late."""
        return min(self.schedule.period, datetime.timedelta(minutes=30))


def _at(hour, minute=0):
    return datetime.time(hour, minute)


JOBS: tuple[Job, ...] = (
    Job(
        "send_emails",
        "send_emails",
        Every(5),
        gettext_lazy("Send the e-mails whose retry time has come."),
    ),
    Job(
        "poll_payments",
        "poll_payments",
        Every(5),
        gettext_lazy("Ask the bank about pending online payments; abandon the stale ones."),
    ),
    Job(
        "bill_consumption",
        "bill_consumption",
        Daily(_at(0, 30)),
        gettext_lazy("Debit the prepaid accounts for the previous day's consumption."),
        date_offset=-1,
        catch_up=7,
    ),
    Job(
        "documents_daily",
        "documents_daily",
        Daily(_at(1, 0)),
        gettext_lazy("Mark expired supporting documents and warn the families beforehand."),
        date_offset=0,
    ),
    Job(
        "purge_unactivated_accounts",
        "purge_unactivated_accounts",
        Daily(_at(1, 15)),
        gettext_lazy("Delete the accounts never activated within the delay."),
    ),
    Job(
        "purge_drafts",
        "purge_drafts",
        Daily(_at(1, 30)),
        gettext_lazy("Delete the draft requests left untouched for too long."),
        date_offset=0,
    ),
    Job(
        "purge_api_calls",
        "purge_api_calls",
        Daily(_at(1, 45)),
        gettext_lazy("Delete the partner API's call log past its retention."),
    ),
    Job(
        "check_ledger",
        "check_ledger",
        Daily(_at(5, 30)),
        gettext_lazy("Check that every stored balance equals the sum of its ledger entries."),
    ),
    Job(
        "send_agent_digest",
        "send_agent_digest",
        Daily(_at(7, 0)),
        gettext_lazy("Send the agents who asked for it the daily digest of new work."),
        date_offset=0,
    ),
    Job(
        "load_closures",
        "load_closures",
        Yearly(8, 1, _at(3, 30)),
        gettext_lazy("Store the new school year's public and school holidays as closed days."),
    ),
)

BY_NAME = {job.name: job for job in JOBS}


def get(name: str) -> Job:
    return BY_NAME[name]
