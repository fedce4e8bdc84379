"""Run a learner's SQL against an exercise dataset, isolated from everything else.

Each dataset lives in a schema of its own (``sqlx_<name>``) that one NOLOGIN reader role may
read, and nothing else. A learner's query runs on a separate connection that logs in as the
runner role, which holds no privileges itself (NOINHERIT): it takes on the dataset's reader
role for one read-only transaction with a statement timeout, the query goes through the
extended protocol (so one statement only), and at most ``row_limit`` rows are fetched.

Because the runner logs in as itself, the learner cannot take back the application's
privileges with ``SET ROLE`` or ``set_config('role', ...)``: the most it can reach is another
dataset's reader role, which reads nothing but exercise data.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

import psycopg
from django.conf import settings
from django.db import connection
from psycopg import errors, sql

MAX_QUERY_CHARS = 10_000
SCHEMA_NAME = re.compile(r"^[a-z][a-z0-9_]{0,40}$")
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


class SandboxError(Exception):
    """A query that was refused or stopped; the message is for the learner."""


@dataclass(frozen=True)
class Table:
    name: str
    columns: list[tuple[str, str]]  # (name, PostgreSQL type)
    rows: list[tuple]


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple]
    truncated: bool


@dataclass(frozen=True)
class Verdict:
    correct: bool
    message: str


# --- Roles and datasets (run by the application's own, privileged connection) --------------


def _database_name() -> str:
    return connection.settings_dict["NAME"]


def runner_role() -> str:
    """The login role learners' queries run as; named after the database it serves."""
    return f"{_database_name()}_sqlrunner"[:63]


def reader_role(schema: str) -> str:
    return f"{_database_name()}_{schema}"[:63]


def _check_schema(schema: str) -> None:
    if not SCHEMA_NAME.match(schema) or not schema.startswith("sqlx_"):
        raise ValueError(f"Not an exercise schema name: {schema!r}")


def ensure_runner_role() -> None:
    """Create the runner login role once; needs a connection allowed to create roles."""
    role = runner_role()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone():
            return
        password = getattr(settings, "SQL_SANDBOX_PASSWORD", "")
        statement = sql.SQL("CREATE ROLE {} LOGIN NOINHERIT NOCREATEDB NOCREATEROLE").format(
            sql.Identifier(role)
        )
        if password:
            statement += sql.SQL(" PASSWORD {}").format(sql.Literal(password))
        cursor.execute(statement.as_string(cursor.connection))
        # Limits that hold even if a query changes its own settings: writes are impossible
        # and temporary files (huge sorts, cross joins) stop at a small size.
        for setting, value in (
            ("default_transaction_read_only", "on"),
            ("statement_timeout", str(settings.SQL_SANDBOX_TIMEOUT_MS)),
            ("work_mem", "4MB"),
            ("temp_file_limit", "65536"),  # kB
        ):
            cursor.execute(
                sql.SQL("ALTER ROLE {} SET {} = {}")
                .format(sql.Identifier(role), sql.Identifier(setting), sql.Literal(value))
                .as_string(cursor.connection)
            )


def drop_roles() -> None:
    """Remove the runner and reader roles of this database (tests, and tearing down)."""
    prefix = f"{_database_name()}_"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolname FROM pg_roles WHERE rolname LIKE %s",
            [prefix.replace("_", r"\_") + "%"],
        )
        for (role,) in cursor.fetchall():
            if role == runner_role() or role.startswith(f"{prefix}sqlx_"):
                ident = sql.Identifier(role).as_string(cursor.connection)
                cursor.execute(f"DROP OWNED BY {ident}")
                cursor.execute(f"DROP ROLE {ident}")


def load_dataset(*, schema: str, tables: list[Table]) -> None:
    """(Re)create the dataset's schema with its tables and rows, readable by its reader only."""
    _check_schema(schema)
    ensure_runner_role()
    reader = reader_role(schema)
    with connection.cursor() as cursor:
        conn = cursor.connection
        ident = sql.Identifier(schema)
        cursor.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(ident).as_string(conn))
        cursor.execute(sql.SQL("CREATE SCHEMA {}").format(ident).as_string(conn))
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [reader])
        if not cursor.fetchone():
            cursor.execute(
                sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(reader)).as_string(conn)
            )
        cursor.execute(
            sql.SQL("GRANT {} TO {}")
            .format(sql.Identifier(reader), sql.Identifier(runner_role()))
            .as_string(conn)
        )
        for table in tables:
            _create_table(cursor, schema, table)
        cursor.execute(
            sql.SQL("GRANT USAGE ON SCHEMA {} TO {}")
            .format(ident, sql.Identifier(reader))
            .as_string(conn)
        )
        cursor.execute(
            sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA {} TO {}")
            .format(ident, sql.Identifier(reader))
            .as_string(conn)
        )


def _create_table(cursor, schema: str, table: Table) -> None:
    conn = cursor.connection
    if not IDENTIFIER.match(table.name):
        raise ValueError(f"Not a table name: {table.name!r}")
    columns = sql.SQL(", ").join(
        sql.SQL("{} {}").format(sql.Identifier(name), sql.SQL(_pg_type(kind)))
        for name, kind in table.columns
    )
    qualified = sql.Identifier(schema, table.name)
    cursor.execute(sql.SQL("CREATE TABLE {} ({})").format(qualified, columns).as_string(conn))
    if table.rows:
        placeholders = sql.SQL(", ").join(sql.Placeholder() * len(table.columns))
        insert = sql.SQL("INSERT INTO {} VALUES ({})").format(qualified, placeholders)
        cursor.executemany(insert.as_string(conn), table.rows)


def _pg_type(kind: str) -> str:
    allowed = {"bigint", "numeric", "date", "boolean", "text"}
    if kind not in allowed:
        raise ValueError(f"Unsupported column type: {kind}")
    return kind


def drop_dataset(*, schema: str) -> None:
    _check_schema(schema)
    with connection.cursor() as cursor:
        conn = cursor.connection
        cursor.execute(
            sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE")
            .format(sql.Identifier(schema))
            .as_string(conn)
        )
        reader = reader_role(schema)
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [reader])
        if cursor.fetchone():
            cursor.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(reader)).as_string(conn))


# --- CSV to table -------------------------------------------------------------------------


def table_from_csv(*, name: str, text: str, max_rows: int = 50_000) -> Table:
    """Read a CSV with a header row; each column gets the narrowest type all its values fit."""
    if not IDENTIFIER.match(name):
        raise SandboxError("A table name uses letters, digits and underscores only.")
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise SandboxError("The CSV file is empty.") from None
    names = [column.strip() for column in header]
    if not names or any(not IDENTIFIER.match(column) for column in names):
        raise SandboxError(
            "Every column name in the header must use letters, digits and underscores only."
        )
    if len(set(names)) != len(names):
        raise SandboxError("Two columns in the header have the same name.")
    raw = []
    for number, row in enumerate(reader, start=2):
        if not row:
            continue
        if len(row) != len(names):
            raise SandboxError(f"Line {number} has {len(row)} values; the header has {len(names)}.")
        raw.append(row)
        if len(raw) > max_rows:
            raise SandboxError(f"A dataset table holds at most {max_rows} rows.")
    kinds = [_column_kind([row[i] for row in raw]) for i in range(len(names))]
    rows = [
        tuple(_convert(value, kind) for value, kind in zip(row, kinds, strict=True)) for row in raw
    ]
    return Table(name=name, columns=list(zip(names, kinds, strict=True)), rows=rows)


def _column_kind(values: list[str]) -> str:
    present = [value.strip() for value in values if value.strip() != ""]
    for kind in ("bigint", "numeric", "date", "boolean"):
        if present and all(_fits(value, kind) for value in present):
            return kind
    return "text"


def _fits(value: str, kind: str) -> bool:
    try:
        _convert(value, kind)
    except (ValueError, InvalidOperation):
        return False
    return True


def _convert(value: str, kind: str):
    value = value.strip()
    if value == "":
        return None
    if kind == "bigint":
        return int(value)
    if kind == "numeric":
        number = Decimal(value)
        if not number.is_finite():
            raise ValueError(value)
        return number
    if kind == "date":
        return date.fromisoformat(value)
    if kind == "boolean":
        lowered = value.lower()
        if lowered in ("true", "false"):
            return lowered == "true"
        raise ValueError(value)
    return value


# --- Running a learner's query --------------------------------------------------------------


def _runner_conninfo() -> str:
    params = connection.settings_dict
    return psycopg.conninfo.make_conninfo(
        host=params.get("HOST") or "127.0.0.1",
        port=str(params.get("PORT") or 5432),
        dbname=params["NAME"],
        user=runner_role(),
        password=getattr(settings, "SQL_SANDBOX_PASSWORD", "") or None,
        connect_timeout="3",
        application_name="dataschool-sql-exercise",
    )


def run_query(*, schema: str, query: str, row_limit: int | None = None) -> QueryResult:
    """Run one learner statement in the dataset's schema; SandboxError says what went wrong."""
    _check_schema(schema)
    row_limit = row_limit or settings.SQL_SANDBOX_ROW_LIMIT
    query = query.strip()
    if not query:
        raise SandboxError("Write a query first.")
    if len(query) > MAX_QUERY_CHARS:
        raise SandboxError(f"A query may be at most {MAX_QUERY_CHARS} characters long.")
    if "\x00" in query:
        raise SandboxError("The query contains a character that is not allowed.")
    timeout = int(settings.SQL_SANDBOX_TIMEOUT_MS)
    try:
        with (
            psycopg.connect(_runner_conninfo(), autocommit=True) as conn,
            conn.cursor() as cursor,
        ):
            cursor.execute("BEGIN READ ONLY")
            cursor.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(reader_role(schema))))
            cursor.execute(sql.SQL("SET LOCAL search_path = {}").format(sql.Identifier(schema)))
            cursor.execute(sql.SQL("SET LOCAL statement_timeout = {}").format(sql.Literal(timeout)))
            # prepare=True sends the text through the extended protocol, which refuses a
            # second statement, and keeps "%" in the learner's SQL as it is.
            cursor.execute(query, prepare=True)
            if cursor.description is None:
                raise SandboxError("Only queries that return rows (SELECT …) can be run here.")
            columns = [column.name for column in cursor.description]
            rows = cursor.fetchmany(row_limit + 1)
            cursor.execute("ROLLBACK")
    except SandboxError:
        raise
    except errors.QueryCanceled:
        raise SandboxError(
            f"Your query took longer than {timeout / 1000:g} seconds and was stopped."
        ) from None
    except errors.InsufficientPrivilege:
        raise SandboxError(
            "That is not allowed here: you can read the tables of this exercise only."
        ) from None
    except errors.ReadOnlySqlTransaction:
        raise SandboxError("Exercises are read-only: only SELECT queries can be run.") from None
    except errors.ConfigurationLimitExceeded:
        raise SandboxError("Your query needed too much working space and was stopped.") from None
    except errors.SyntaxError as error:
        if "multiple commands" in str(error):
            raise SandboxError("Run one statement at a time.") from None
        raise SandboxError(f"Syntax error: {_first_line(error)}") from None
    except psycopg.OperationalError:
        raise SandboxError(
            "The exercise database is not reachable right now; try again soon."
        ) from None
    except psycopg.Error as error:
        raise SandboxError(f"The query failed: {_first_line(error)}") from None
    return QueryResult(columns=columns, rows=rows[:row_limit], truncated=len(rows) > row_limit)


def _first_line(error: Exception) -> str:
    diag = getattr(error, "diag", None)
    message = (diag.message_primary if diag else None) or str(error)
    return message.splitlines()[0][:300]


# --- Comparing with the reference result ----------------------------------------------------


def _normal(value):
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float | Decimal):
        try:
            return Decimal(str(value)).quantize(Decimal("0.000001")).normalize()
        except InvalidOperation:
            return str(value)
    return str(value)


def _show(row: tuple) -> str:
    return "(" + ", ".join("NULL" if value is None else str(value) for value in row) + ")"


def compare_results(*, got: QueryResult, expected: QueryResult, ordered: bool) -> Verdict:
    """Correct when the rows match (a multiset unless order matters), else the first difference."""
    if len(got.columns) != len(expected.columns):
        return Verdict(
            False,
            f"Your result has {len(got.columns)} columns; the expected result has "
            f"{len(expected.columns)} ({', '.join(expected.columns)}).",
        )
    mine = [tuple(_normal(value) for value in row) for row in got.rows]
    theirs = [tuple(_normal(value) for value in row) for row in expected.rows]
    if ordered:
        for number, (a, b) in enumerate(zip(mine, theirs, strict=False), start=1):
            if a != b:
                return Verdict(False, f"Row {number} differs: expected {_show(b)}, got {_show(a)}.")
    else:
        missing = Counter(theirs) - Counter(mine)
        extra = Counter(mine) - Counter(theirs)
        if missing:
            return Verdict(
                False, f"A row is missing from your result: {_show(next(iter(missing)))}."
            )
        if extra:
            return Verdict(
                False,
                f"Your result has a row that should not be there: {_show(next(iter(extra)))}.",
            )
    if len(mine) != len(theirs):
        return Verdict(
            False, f"Your result has {len(mine)} rows; the expected result has {len(theirs)}."
        )
    return Verdict(True, "Correct: your result matches the expected result.")
