"""`flask backup PATH` and `flask restore PATH`: a consistent copy of the SQLite database, and back.

SQLite's online backup API copies a live database page by page, so the app may keep serving while
it runs. PostgreSQL has its own tools (pg_dump, pg_restore), which these commands point to.
"""
import sqlite3
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import inspect

from drafting.extensions import db

PG_BACKUP = "For PostgreSQL use pg_dump: pg_dump --format=custom --file={path} \"$DRAFTING_DATABASE_URL\""
PG_RESTORE = "For PostgreSQL use pg_restore: pg_restore --clean --dbname=\"$DRAFTING_DATABASE_URL\" {path}"


def _sqlite_connection():
    """The configured database's own sqlite3 connection, or None when it is not SQLite."""
    if db.engine.dialect.name != "sqlite":
        return None
    return db.engine.raw_connection()


def backup_to(path):
    """Copy the configured SQLite database to `path` while it stays in use."""
    source = _sqlite_connection()
    try:
        target = sqlite3.connect(path)
        try:
            source.driver_connection.backup(target)
        finally:
            target.close()
    finally:
        source.close()


def row_count(connection, tables):
    return sum(connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables)


def is_empty():
    """True when the configured database holds no rows in any of the app's tables."""
    existing = set(inspect(db.engine).get_table_names())
    tables = [t.name for t in db.metadata.sorted_tables if t.name in existing]
    connection = _sqlite_connection()
    try:
        return row_count(connection.driver_connection, tables) == 0
    finally:
        connection.close()


def restore_from(path):
    """Replace the configured SQLite database with the backup at `path`."""
    source = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
    try:
        if source.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise click.ClickException(f"{path} is damaged: SQLite's quick check failed.")
        names = {r[0] for r in source.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "alembic_version" not in names:
            raise click.ClickException(f"{path} is not a Drafting Room database (no alembic_version).")
        target = _sqlite_connection()
        try:
            source.backup(target.driver_connection)
        finally:
            target.close()
    finally:
        source.close()
    db.engine.dispose()


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
@with_appcontext
def backup(path, force):
    """Write a consistent copy of the database to PATH (SQLite; the app may keep running)."""
    if db.engine.dialect.name != "sqlite":
        raise click.ClickException(PG_BACKUP.format(path=path))
    if Path(path).exists() and not force:
        raise click.ClickException(f"{path} exists; pass --force to overwrite it.")
    Path(path).unlink(missing_ok=True)
    backup_to(path)
    click.echo(f"Backed up the database to {path}.")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--force", is_flag=True, help="Overwrite a database that already holds data.")
@with_appcontext
def restore(path, force):
    """Replace the (stopped) app's SQLite database with the backup at PATH."""
    if db.engine.dialect.name != "sqlite":
        raise click.ClickException(PG_RESTORE.format(path=path))
    if not force and not is_empty():
        raise click.ClickException("The database already holds data; pass --force to replace it.")
    restore_from(path)
    click.echo(f"Restored the database from {path}. Run `flask db upgrade` if the backup is older "
               "than this version of the app.")
