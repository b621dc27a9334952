"""Persistence: SQLAlchemy mappings, the database handle, repositories, Alembic migrations, media files."""
