"""Webhooks: integrations subscribe to concern events; each event is POSTed to them signed
with HMAC-SHA256, and retried with backoff until delivered (see `delivery`)."""
