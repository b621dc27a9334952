"""Plain data and rules of the workstation. Standard library only: no Qt, no SQLAlchemy."""
