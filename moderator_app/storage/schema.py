"""All table mappings in one metadata: Alembic and the schema check import this module.

Each mapping module adds its tables to ``Base.metadata`` when imported; new modules are listed here.
"""

from __future__ import annotations

from moderator_app.storage import (
    orm,  # noqa: F401  (core tables)
    orm_accounts,  # noqa: F401  (accounts, audit log, quality sampling)
    orm_dsa,  # noqa: F401  (DSA: notices, statements, appeals, measures)
    orm_predictions,  # noqa: F401  (product-safety predictions)
)
from moderator_app.storage.orm import Base

metadata = Base.metadata
