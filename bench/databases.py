"""The benchmarks' own PostgreSQL databases, made on the server the URL names."""

from urllib.parse import urlsplit


def ensure_database(database_url, fresh=False):
    """Create the database of `database_url` unless it exists (dropped first when `fresh`);
    True when it was created."""
    import psycopg2

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username, dbname="postgres"
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        if fresh:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        created = not cursor.fetchone()
        if created:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    return created
