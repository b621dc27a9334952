"""Where things live: the files shipped inside the package, and the user's data directory.

One module so that a checkout, an installed wheel and a frozen bundle all find the same files. The
shipped files (JSON rules and templates, translations, the ONNX models and their manifest) live in
``moderator_app/resources/`` and are found with :mod:`importlib.resources`, never relative to the
working directory or the repository: in a checkout and an installed wheel that is the package folder;
in a PyInstaller bundle the package's data is collected under ``moderator_app/resources`` inside
``sys._MEIPASS``, which ``importlib.resources`` finds in the same way.

Nothing here reads the environment: overrides ($MODERATOR_DATA_DIR, ...) are read once by
:mod:`moderator_app.settings` at the entry point and passed down.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from platformdirs import user_config_path, user_data_path

APP_NAME = "moderator-workstation"
PACKAGE = "moderator_app"


def package_root() -> Path:
    return _as_path(resources.files(PACKAGE))


def resources_dir() -> Path:
    """The shipped resources (``moderator_app/resources``)."""
    return package_root() / "resources"


def models_dir() -> Path:
    """The shipped ONNX models and their manifest (``moderator_app/resources/models``)."""
    return resources_dir() / "models"


def user_data_dir() -> Path:
    """The platform's per-user data folder (XDG_DATA_HOME on Linux); $MODERATOR_DATA_DIR is a Settings matter."""
    return user_data_path(APP_NAME, appauthor=False)


def default_database_path(data_dir: Path | None = None) -> Path:
    return (data_dir or user_data_dir()) / "moderator.db"


def user_config_dir() -> Path:
    """The platform's per-user config folder (XDG_CONFIG_HOME on Linux): the workstation id, the audit
    signing key and the keys it trusts; $MODERATOR_CONFIG_DIR is a Settings matter."""
    return user_config_path(APP_NAME, appauthor=False)


def _as_path(root: object) -> Path:
    # A package imported from folders (checkout, wheel, PyInstaller bundle) is a real pathlib.Path; the
    # models are opened by onnxruntime and Qt by file name, so a zipped install is refused clearly.
    if isinstance(root, Path):
        return root
    raise RuntimeError(f"{PACKAGE} must be installed as files, not imported from an archive ({root})")
