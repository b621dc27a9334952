"""All table mappings in one metadata: Alembic and the schema check import this module.

Each mapping module adds its tables to ``Base.metadata`` when imported; new modules are listed here.
"""

from __future__ import annotations

from moderator_app.storage.orm import Base

metadata = Base.metadata
