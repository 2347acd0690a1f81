"""The project starts: settings load, the landing page renders, the schema is served."""

import pytest


def test_it_serves_the_landing_page(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"Bozor" in response.content


@pytest.mark.django_db
def test_it_serves_the_openapi_schema(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
