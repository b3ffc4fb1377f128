"""The plumbing: no domain. Lists, tables and filters, versioning and conflicts, audit history, bounds and
normalisation of what people type, widgets, template tags, middleware, backup. It imports no app of ours
(tests/test_architecture.py)."""
