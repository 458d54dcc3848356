from django_tasks import task

from portail.messaging import services


@task()
def deliver_email(email_id: int) -> str:
    return services.deliver(email_id)
