"""The /api/v1/ endpoints: short views that validate, call one service or selector, render."""
