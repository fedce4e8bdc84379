"""The SQL exercise sandbox: right answers pass, and hostile queries are refused or stopped."""

import time
from decimal import Decimal

import pytest
from django.db import connection

from learning.sql_sandbox import (
    QueryResult,
    SandboxError,
    compare_results,
    drop_dataset,
    drop_roles,
    load_dataset,
    run_query,
    table_from_csv,
)

SCHEMA = "sqlx_shop"
ORDERS_CSV = """id,customer,amount,placed_on,paid
1,ada,12.50,2026-01-03,true
2,bob,7,2026-01-04,false
3,ada,30.25,2026-02-10,true
4,cyd,,2026-02-11,true
"""

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def dataset():
    load_dataset(schema=SCHEMA, tables=[table_from_csv(name="orders", text=ORDERS_CSV)])
    yield SCHEMA
    drop_dataset(schema=SCHEMA)
    drop_roles()


def test_csv_columns_get_the_narrowest_type():
    table = table_from_csv(name="orders", text=ORDERS_CSV)
    assert table.columns == [
        ("id", "bigint"),
        ("customer", "text"),
        ("amount", "numeric"),
        ("placed_on", "date"),
        ("paid", "boolean"),
    ]
    assert table.rows[3][2] is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("id,id\n1,2\n", "same name"),
        ("id;drop\n1\n", "letters, digits"),
        ("id,name\n1\n", "Line 2 has 1 values"),
    ],
)
def test_a_bad_csv_gets_a_clear_message(text, message):
    with pytest.raises(SandboxError, match=message):
        table_from_csv(name="orders", text=text)


def test_a_query_reads_the_dataset(dataset):
    result = run_query(
        schema=dataset,
        query="SELECT customer, sum(amount) AS total FROM orders "
        "WHERE customer LIKE 'a%' GROUP BY customer",
    )
    assert result.columns == ["customer", "total"]
    assert result.rows == [("ada", Decimal("42.75"))]
    assert not result.truncated


def test_rows_past_the_limit_are_not_fetched(dataset):
    result = run_query(
        schema=dataset, query="SELECT * FROM generate_series(1, 100000)", row_limit=5
    )
    assert len(result.rows) == 5
    assert result.truncated


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("DELETE FROM orders", "not allowed|read-only"),
        ("DROP TABLE orders", "not allowed|read-only"),
        ("CREATE TABLE x (id int)", "not allowed|read-only"),
        ("SELECT 1; DELETE FROM orders", "one statement"),
        ("COPY orders TO '/tmp/stolen.csv'", "not allowed|read-only"),
        ("COPY (SELECT 1) TO PROGRAM 'id'", "not allowed|read-only"),
        ("SELECT pg_read_file('/etc/passwd')", "not allowed"),
        ("SELECT * FROM pg_ls_dir('.')", "not allowed"),
        ("SELECT lo_import('/etc/passwd')", "not allowed|read-only"),
        ("SET ROLE postgres", "not allowed|rows"),
        ("SELECT set_config('role', 'postgres', false)", "not allowed"),
        ("SELECT * FROM public.accounts_user", "not allowed"),
        ("SELECT * FROM purchases_order", "failed"),
        ("SELEC 1", "Syntax error"),
        ("", "Write a query"),
    ],
)
def test_hostile_or_broken_queries_are_refused_with_a_message(dataset, query, message):
    with pytest.raises(SandboxError, match=f"(?i){message}"):
        run_query(schema=dataset, query=query)


def test_a_slow_query_is_stopped_after_the_timeout(dataset, settings):
    settings.SQL_SANDBOX_TIMEOUT_MS = 300
    started = time.monotonic()
    with pytest.raises(SandboxError, match=r"longer than 0\.3 seconds"):
        run_query(schema=dataset, query="SELECT pg_sleep(5)")
    assert time.monotonic() - started < 2


def test_a_huge_cross_join_is_stopped(dataset, settings):
    settings.SQL_SANDBOX_TIMEOUT_MS = 500
    with pytest.raises(SandboxError):
        run_query(
            schema=dataset,
            query="SELECT count(*) FROM generate_series(1, 100000) a, generate_series(1, 100000) b",
        )


def test_the_application_connection_is_untouched(dataset):
    with pytest.raises(SandboxError):
        run_query(schema=dataset, query="SELECT pg_sleep(10)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone() == (connection.settings_dict["USER"],)


def _result(*rows, columns=("a",)):
    return QueryResult(columns=list(columns), rows=list(rows), truncated=False)


def test_order_does_not_matter_unless_asked():
    got, expected = _result((2,), (1,)), _result((1,), (2,))
    assert compare_results(got=got, expected=expected, ordered=False).correct
    verdict = compare_results(got=got, expected=expected, ordered=True)
    assert not verdict.correct
    assert verdict.message == "Row 1 differs: expected (1), got (2)."


def test_numbers_compare_by_value():
    got = _result((Decimal("42.750"),))
    assert compare_results(got=got, expected=_result((42.75,)), ordered=False).correct


@pytest.mark.parametrize(
    ("got", "message"),
    [
        (_result((1,)), "missing from your result: (2)"),
        (_result((1,), (2,), (3,)), "should not be there: (3)"),
        (_result((1, 2), columns=("a", "b")), "2 columns"),
        (_result((1,), (2,), (2,)), "should not be there: (2)"),
    ],
)
def test_the_first_difference_is_named(got, message):
    verdict = compare_results(got=got, expected=_result((1,), (2,)), ordered=False)
    assert not verdict.correct
    assert message in verdict.message
