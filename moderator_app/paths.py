"""Where things live: resources shipped with the app, and the user's data directory.

One module so that a checkout, an installed wheel and a frozen bundle all find the same files.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from platformdirs import user_config_path, user_data_path

APP_NAME = "moderator-workstation"


def package_root() -> Path:
    return Path(__file__).resolve().parent


def resources_dir() -> Path:
    """resources/ beside the package in a checkout, inside the bundle when frozen (PyInstaller)."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return package_root().parent / "resources"


def user_data_dir() -> Path:
    override = os.environ.get("MODERATOR_DATA_DIR")
    return Path(override) if override else user_data_path(APP_NAME, appauthor=False)


def default_database_path() -> Path:
    return user_data_dir() / "moderator.db"


def user_config_dir() -> Path:
    """The user's settings: the workstation id, the audit signing key and the keys it trusts
    (``MODERATOR_CONFIG_DIR`` overrides it, for tests and portable installs)."""
    override = os.environ.get("MODERATOR_CONFIG_DIR")
    return Path(override) if override else user_config_path(APP_NAME, appauthor=False)
