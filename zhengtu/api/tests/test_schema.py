import io
from collections import defaultdict

import pytest
import yaml
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator


@pytest.mark.django_db
def test_the_schema_documents_the_bearer_scheme_and_the_token_endpoints():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    schemes = schema["components"]["securitySchemes"]
    assert schemes["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "Token from POST /api/v1/auth/token/ (username, password and TOTP code).",
    }
    assert schemes["cookieAuth"]["in"] == "cookie"
    token = schema["paths"]["/api/v1/auth/token/"]["post"]
    assert set(token["responses"]) >= {"200", "401", "429"}
    assert token.get("security", []) in ([], [{}])  # no credentials needed to obtain one
    assert {"bearerAuth": []} in schema["paths"]["/api/v1/auth/tokens/"]["get"]["security"]
    for path in ("/api/v1/auth/token/revoke/", "/api/v1/auth/tokens/", "/api/v1/auth/tokens/{id}/"):
        assert path in schema["paths"]


@pytest.fixture
def schema_file(tmp_path):
    """The schema as `manage.py spectacular --validate --fail-on-warn` writes it: a warning fails the command."""
    GENERATOR_STATS.reset()  # warnings are counted per process; count only this run's
    path = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path), stdout=io.StringIO())
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.django_db
def test_the_schema_generates_without_warnings_and_validates(schema_file):
    assert schema_file["openapi"].startswith("3.")
    assert "/api/v1/supervision/supervisees/{id}/check-ins/" in schema_file["paths"]


@pytest.mark.django_db
def test_each_choice_set_is_one_enum_component_shared_by_requests_and_responses(schema_file):
    schemas = schema_file["components"]["schemas"]
    names_by_values = defaultdict(list)
    for name, component in schemas.items():
        if "enum" in component:
            names_by_values[tuple(component["enum"])].append(name)
    assert [names for names in names_by_values.values() if len(names) > 1] == []
    # A check-in's kind is the same enum whether it is sent or read back.
    assert schemas["CheckInInputRequest"]["properties"]["kind"] == {"$ref": "#/components/schemas/CheckInKind"}
    assert schemas["CheckIn"]["properties"]["kind"]["allOf"] == [{"$ref": "#/components/schemas/CheckInKind"}]
    # Supervision visits and service-ledger visits have the same kinds, under one name.
    visit_type = schemas["ServiceRecord"]["properties"]["visit_type"]
    assert visit_type["oneOf"] == [{"$ref": "#/components/schemas/VisitKind"}, {"type": "string", "enum": [""]}]
