import pytest
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
