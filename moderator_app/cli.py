"""Command line (filled in below)."""
