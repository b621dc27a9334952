"""The review window (PySide6). The only package that imports Qt.

Importing it first guards the process against a reference-counting defect of PySide6 6.12 on Python 3.11
(see :mod:`moderator_app.ui.qt_compat`).
"""

from moderator_app.ui.qt_compat import protect_singletons

protect_singletons()
