from django_tasks import task

from portail.messaging import delivery


@task()
def deliver_email(email_id: int) -> str:
    return delivery.deliver(email_id)


@task()
def deliver_emails(email_ids: list[int]) -> int:
    """A batch queued together (send_emails); each is sent and retried on its own."""
    for email_id in email_ids:
        delivery.deliver(email_id)
    return len(email_ids)
