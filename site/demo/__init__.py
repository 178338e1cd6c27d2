"""The demo site and the benchmark's made-up site: content, loaders and the dev users. Nothing
here is used by the site itself; the commands that fill a site with made-up articles refuse to
run under production settings (ALLOW_FAKE_CONTENT)."""
