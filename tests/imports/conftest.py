import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portail.imports import execution, services
from portail.imports.models import ImportRun
from tests.factories import SchoolFactory, UserFactory

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "import"
SCHOOLS = ("École du Chef-Lieu", "École de Malagny", "École de Veigy")


@pytest.fixture
def admin_user(db):
    user = UserFactory(username="admin1")
    user.is_superuser = user.is_staff = True
    user.save()
    return user


@pytest.fixture
def schools(db):
    return [SchoolFactory(name=name) for name in SCHOOLS]


def load_mapping(name):
    return services.load_mapping_file(json.loads((SAMPLES / f"{name}.json").read_text()))


@pytest.fixture
def arpege(db):
    return load_mapping("arpege")


@pytest.fixture
def technocarte(db):
    return load_mapping("technocarte")


def check(mapping, kind, name, content: bytes, actor) -> ImportRun:
    """Upload and dry-run a file, as the page does (the task runs at once in tests)."""
    upload = SimpleUploadedFile(name, content)
    run = services.start_run(mapping, kind, upload, actor)
    return execution.execute(run.pk, confirm=False)


def confirm(run, actor) -> ImportRun:
    services.confirm_run(run, actor)
    return execution.execute(run.pk, confirm=True)


def import_file(mapping, kind, name, actor, content=None) -> ImportRun:
    content = content if content is not None else (SAMPLES / name).read_bytes()
    run = check(mapping, kind, name, content, actor)
    assert run.status == ImportRun.Status.CHECKED, (run.error, run.lines)
    return confirm(run, actor)
