"""The tests mirror the code: tests/<app>/ (site, delivery, seo, topics, case_studies, demo) and
tests/editorial/<feature>/. At the top are the suites that cut across apps: browser/ (Playwright
in Chromium through the real admin), test_findability, test_security_headers, test_hostile_input
and test_two_servers. People are fixtures in conftest.py; factories.py makes pages and users,
editing.py drives Wagtail's editor, server.py serves the site as deployed."""
