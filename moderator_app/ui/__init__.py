"""The review window (PySide6). The only package that imports Qt.

Importing it changes nothing in the process: the guard against the reference-counting defect of
PySide6 6.12 on Python 3.11 (:mod:`moderator_app.ui.qt_compat`) runs when the application is made
(:func:`moderator_app.ui.app.ensure_app`).
"""
