"""Contract tests: schemathesis generates requests from the OpenAPI schema for every endpoint,
with a token holding every scope; no answer is a 500 and every answer matches the schema
(status documented, body valid, content type)."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings

from portail.api.api import api
from tests.api.conftest import make_application

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1"))
schema.app = get_wsgi_application()


@pytest.fixture
def token(town, settings):
    # schemathesis also calls with invalid tokens, hundreds of times: lift the guessing limit.
    settings.API_UNKNOWN_TOKEN_PER_MINUTE = 100_000
    return make_application(rate_limit=100_000)[1]


@pytest.fixture
def real_ids(town):
    return {"household_id": town["household"].pk, "child_id": town["child"].pk}


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Calls go through the WSGI handler, whose request signals would close the database
    connection of the test's transaction (Django's test client unhooks them the same way)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
@pytest.mark.django_db
def test_every_endpoint_keeps_its_contract(case, token, real_ids):
    def check():
        return case.call_and_validate(
            headers={"Authorization": f"Bearer {token}"},
            # A period is checked across two fields (end after start, at most 366 days): a rule
            # OpenAPI cannot state, so schema-valid periods may get a (French) 422.
            excluded_checks=[schemathesis.checks.positive_data_acceptance],
        )

    response = check()
    # Generated ids rarely exist: a valid request that got 404 is sent again on the town's
    # household and child, so that reads and writes of real objects are checked too.
    ids = case.path_parameters or {}
    positive = case.meta is None or case.meta.generation.mode.name == "POSITIVE"
    if response.status_code == 404 and positive and any(name in real_ids for name in ids):
        case.path_parameters = {**ids, **{k: real_ids[k] for k in ids if k in real_ids}}
        check()
