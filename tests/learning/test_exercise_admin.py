"""Staff load a dataset from CSV in the admin; a bad CSV is a form error, a good one loads."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from learning import sql_sandbox
from learning.models import Dataset

pytestmark = pytest.mark.django_db(transaction=True)


def form_data(csv_bytes: bytes) -> dict:
    return {
        "name": "Cities",
        "slug": "cities_admin",
        "description": "",
        "tables-TOTAL_FORMS": "1",
        "tables-INITIAL_FORMS": "0",
        "tables-MIN_NUM_FORMS": "0",
        "tables-MAX_NUM_FORMS": "1000",
        "tables-0-name": "cities",
        "tables-0-upload": SimpleUploadedFile("cities.csv", csv_bytes, "text/csv"),
        "tables-0-csv_text": "",
    }


@pytest.fixture
def cleanup():
    yield
    sql_sandbox.drop_dataset(schema="sqlx_cities_admin")
    sql_sandbox.drop_roles()


def test_a_bad_csv_is_shown_as_a_form_error(client, staff, cleanup):
    client.force_login(staff)
    response = client.post(reverse("admin:learning_dataset_add"), form_data(b"id,name\n1\n"))
    assert response.status_code == 200
    assert "Line 2 has 1 values; the header has 2." in response.content.decode()
    assert not Dataset.objects.exists()


def test_a_good_csv_is_loaded_into_the_dataset_schema(client, staff, cleanup):
    client.force_login(staff)
    csv_bytes = b"id,name,population\n1,Lyon,522000\n2,Graz,291000\n"
    response = client.post(reverse("admin:learning_dataset_add"), form_data(csv_bytes))
    assert response.status_code == 302
    dataset = Dataset.objects.get()
    assert dataset.loaded_at is not None
    table = dataset.tables.get()
    assert table.columns == ["id bigint", "name text", "population bigint"]
    result = sql_sandbox.run_query(
        schema=dataset.schema, query="SELECT name FROM cities ORDER BY population"
    )
    assert result.rows == [("Graz",), ("Lyon",)]
