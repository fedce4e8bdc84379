"""Create the PostgreSQL database named in DATABASE_URL when it does not exist yet."""

import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand
from psycopg import sql


class Command(BaseCommand):
    help = "Create the configured PostgreSQL database if it is missing (used by make run/test)."

    def handle(self, *args, **options) -> None:
        db = settings.DATABASES["default"]
        params = {
            "host": db.get("HOST") or None,
            "port": db.get("PORT") or None,
            "user": db.get("USER") or None,
            "password": db.get("PASSWORD") or None,
            "dbname": "postgres",
        }
        with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]
            ).fetchone()
            if exists:
                self.stdout.write(f"Database {db['NAME']} exists.")
                return
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
            self.stdout.write(self.style.SUCCESS(f"Created database {db['NAME']}."))
