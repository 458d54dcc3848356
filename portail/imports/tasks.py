from django_tasks import task

from portail.imports import execution


@task()
def run_import(run_id: int, confirm: bool) -> str:
    return execution.execute(run_id, confirm).status
