"""Light and dark themes on Qt's Fusion style, following the system's colour scheme.

Colours are chosen for long sessions: quiet neutrals, one accent, and strong colours kept for what needs
attention (a repeat offender, a missing Art 30 field, a destructive action).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication


@dataclass(frozen=True)
class Colors:
    window: str
    base: str
    alt_base: str
    panel: str
    text: str
    muted: str
    border: str
    accent: str
    accent_text: str
    ok_bg: str
    ok_fg: str
    warn_bg: str
    warn_fg: str
    bad_bg: str
    bad_fg: str
    neutral_bg: str
    neutral_fg: str
    keycap_bg: str
    canvas: str


LIGHT = Colors(
    window="#f3f4f6",
    base="#ffffff",
    alt_base="#f7f8fa",
    panel="#ffffff",
    text="#1f2328",
    muted="#6b7280",
    border="#d9dce1",
    accent="#2563eb",
    accent_text="#ffffff",
    ok_bg="#e3f4e8",
    ok_fg="#17663a",
    warn_bg="#fdf0d5",
    warn_fg="#8a5300",
    bad_bg="#fde2e1",
    bad_fg="#b42318",
    neutral_bg="#e8eaef",
    neutral_fg="#374151",
    keycap_bg="#eef0f3",
    canvas="#2a2d31",
)

DARK = Colors(
    window="#1c1e22",
    base="#24272c",
    alt_base="#2a2d33",
    panel="#24272c",
    text="#e6e8eb",
    muted="#9aa1ab",
    border="#3a3e45",
    accent="#5b8def",
    accent_text="#ffffff",
    ok_bg="#1d3a2a",
    ok_fg="#8fd9a8",
    warn_bg="#45341a",
    warn_fg="#f3c77a",
    bad_bg="#4a2020",
    bad_fg="#ff9b91",
    neutral_bg="#30343b",
    neutral_fg="#cbd0d8",
    keycap_bg="#33373e",
    canvas="#16181b",
)


def system_is_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def palette(c: Colors) -> QPalette:
    p = QPalette()
    role = QPalette.ColorRole
    for r, value in (
        (role.Window, c.window),
        (role.WindowText, c.text),
        (role.Base, c.base),
        (role.AlternateBase, c.alt_base),
        (role.Text, c.text),
        (role.Button, c.base),
        (role.ButtonText, c.text),
        (role.ToolTipBase, c.base),
        (role.ToolTipText, c.text),
        (role.PlaceholderText, c.muted),
        (role.Highlight, c.accent),
        (role.HighlightedText, c.accent_text),
        (role.Link, c.accent),
        (role.Mid, c.border),
        (role.Midlight, c.alt_base),
    ):
        p.setColor(r, QColor(value))
    for r in (role.WindowText, role.Text, role.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, r, QColor(c.muted))
    return p


def style_sheet(c: Colors) -> str:
    return f"""
QMainWindow, #centralArea {{ background: {c.window}; }}
#card {{ background: {c.panel}; border: 1px solid {c.border}; border-radius: 8px; }}
#sectionHeading {{ color: {c.muted}; }}
#mutedText, #counterCaption {{ color: {c.muted}; }}
#fieldCaption {{ color: {c.muted}; }}
#listingTitle {{ background: transparent; color: {c.text}; }}
#listingDescription, #flagsListUnused {{ background: {c.alt_base}; border: 1px solid {c.border}; border-radius: 6px; padding: 4px; }}
QTableView, QListView {{ background: {c.base}; alternate-background-color: {c.alt_base}; border: 1px solid {c.border};
    border-radius: 6px; gridline-color: {c.border}; }}
QHeaderView::section {{ background: {c.alt_base}; color: {c.muted}; border: none; border-bottom: 1px solid {c.border};
    padding: 4px 6px; }}
#queueList {{ font-size: 10.5pt; }}
#queueList::item {{ padding: 6px 4px; }}
#thumbStrip, #flagsList {{ background: transparent; border: none; }}
QLabel[badge="true"] {{ border-radius: 4px; padding: 2px 8px; font-weight: 600; }}
QLabel[badge="true"][level="ok"] {{ background: {c.ok_bg}; color: {c.ok_fg}; }}
QLabel[badge="true"][level="warn"] {{ background: {c.warn_bg}; color: {c.warn_fg}; }}
QLabel[badge="true"][level="bad"] {{ background: {c.bad_bg}; color: {c.bad_fg}; }}
QLabel[badge="true"][level="neutral"] {{ background: {c.neutral_bg}; color: {c.neutral_fg}; }}
#kindBadge, #statusBadge {{ background: {c.neutral_bg}; color: {c.neutral_fg}; }}
#contactsBadge {{ background: {c.warn_bg}; color: {c.warn_fg}; }}
#trustedBadge, #authorityBadge {{ background: {c.neutral_bg}; color: {c.accent}; }}
#repeatOffenderBadge {{ background: #c62828; color: #ffffff; font-size: 10pt; font-weight: 700; padding: 4px 10px;
    border-radius: 6px; letter-spacing: 1px; }}
#traderName {{ font-size: 13pt; font-weight: 600; }}
#counterTile {{ background: {c.alt_base}; border: 1px solid {c.border}; border-radius: 6px; }}
#counterTile[level="warn"] {{ background: {c.warn_bg}; border-color: {c.warn_bg}; }}
#counterTile[level="bad"] {{ background: {c.bad_bg}; border-color: {c.bad_fg}; }}
#counterValue {{ font-size: 15pt; font-weight: 700; }}
#counterValue[level="warn"] {{ color: {c.warn_fg}; }}
#counterValue[level="bad"] {{ color: {c.bad_fg}; }}
QLabel[level="missingField"] {{ color: {c.bad_fg}; font-weight: 600; }}
#imageStack {{ background: {c.canvas}; border-radius: 6px; }}
#imagePlaceholder, #imageLoading, #imageNone {{ background: {c.canvas}; }}
#imagePlaceholder QLabel, #imageLoading QLabel, #imageNone QLabel {{ color: #c9ced6; }}
#placeholderIcon {{ font-size: 30pt; color: #f3c77a; }}
#placeholderTitle {{ font-size: 12pt; font-weight: 600; }}
#decisionBar {{ background: {c.panel}; border-top: 1px solid {c.border}; }}
#actionButton {{ background: {c.base}; border: 1px solid {c.border}; border-radius: 6px; text-align: left; }}
#actionButton:hover {{ border-color: {c.accent}; }}
#actionButton:checked[kind="ok"] {{ background: {c.ok_bg}; border: 2px solid {c.ok_fg}; }}
#actionButton:checked[kind="bad"] {{ background: {c.bad_bg}; border: 2px solid {c.bad_fg}; }}
#actionButton:checked[kind="warn"] {{ background: {c.warn_bg}; border: 2px solid {c.warn_fg}; }}
#actionButton:checked[kind="neutral"] {{ background: {c.neutral_bg}; border: 2px solid {c.neutral_fg}; }}
#actionButton:disabled {{ background: {c.alt_base}; }}
#actionLabel {{ font-weight: 600; }}
#keycap, #smallKeycap {{ background: {c.keycap_bg}; color: {c.neutral_fg}; border: 1px solid {c.border};
    border-bottom-width: 2px; border-radius: 4px; padding: 1px 6px; font-family: monospace; font-weight: 700; }}
#smallKeycap {{ padding: 0px 4px; font-size: 8pt; }}
#confirmButton {{ background: {c.accent}; color: {c.accent_text}; border: none; border-radius: 6px; padding: 8px 18px;
    font-weight: 600; }}
#confirmButton:disabled {{ background: {c.neutral_bg}; color: {c.muted}; }}
#decisionHint {{ color: {c.muted}; }}
#messageBar {{ border-radius: 6px; padding: 2px; }}
#messageBar[level="idle"] {{ background: transparent; }}
#messageBar[level="idle"] QLabel {{ color: {c.muted}; }}
#messageBar[level="info"] {{ background: {c.neutral_bg}; }}
#messageBar[level="success"] {{ background: {c.ok_bg}; }}
#messageBar[level="warning"] {{ background: {c.warn_bg}; }}
#messageBar[level="error"] {{ background: {c.bad_bg}; }}
#messageBar[level="success"] QLabel {{ color: {c.ok_fg}; }}
#messageBar[level="warning"] QLabel {{ color: {c.warn_fg}; }}
#messageBar[level="error"] QLabel {{ color: {c.bad_fg}; font-weight: 600; }}
#emptyTitle {{ font-size: 16pt; font-weight: 600; }}
#emptyText {{ color: {c.muted}; }}
QStatusBar {{ background: {c.panel}; border-top: 1px solid {c.border}; }}
QStatusBar QLabel {{ color: {c.muted}; padding: 0 8px; }}
QSplitter::handle {{ background: {c.window}; }}
QScrollBar:vertical {{ background: transparent; width: 10px; margin: 2px; }}
QScrollBar:horizontal {{ background: transparent; height: 10px; margin: 2px; }}
QScrollBar::handle {{ background: {c.border}; border-radius: 3px; min-height: 24px; min-width: 24px; }}
QScrollBar::handle:hover {{ background: {c.muted}; }}
QScrollBar::add-line, QScrollBar::sub-line {{ width: 0; height: 0; }}
QScrollBar::add-page, QScrollBar::sub-page {{ background: transparent; }}
"""


def apply_theme(app: QApplication, dark: bool | None = None) -> bool:
    """Fusion style with the light or dark palette (the system's choice when ``dark`` is None)."""
    if dark is None:
        dark = system_is_dark()
    colors = DARK if dark else LIGHT
    app.setStyle("Fusion")
    app.setPalette(palette(colors))
    app.setStyleSheet(style_sheet(colors))
    return dark


def canvas_color(dark: bool) -> QColor:
    return QColor((DARK if dark else LIGHT).canvas)
