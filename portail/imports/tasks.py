from django_tasks import task

from portail.imports import services


@task()
def run_import(run_id: int, confirm: bool) -> str:
    return services.execute(run_id, confirm).status
