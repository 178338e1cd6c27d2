"""Editorial features: each a package that owns its models, views, admin hooks and templates,
as Wagtail's contrib apps do. This package itself holds what they share: the editorial workflow's
mails, the grants that let authors write, and the reports' refusal page."""
