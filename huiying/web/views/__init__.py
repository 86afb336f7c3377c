"""The staff web app: thin views over the services, selectors and the access module.

Each view validates its input with a form, calls one service or selector, and renders.
HTMX requests get the partial (templates/web/partials/) instead of the whole page.
"""
