"""Notifications to villagers: pluggable backends (console/file, HTTP SMS gateway), sent after commit, retried."""
