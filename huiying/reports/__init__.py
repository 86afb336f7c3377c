"""Exports to Excel (background, with progress) and the monthly report PDF."""
