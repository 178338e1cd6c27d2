"""An HTTP Observatory-style grader of one response: the security headers suite grades every
public page with it, and review links grade theirs."""

import re
from html.parser import HTMLParser

# -------------------------------------------------------------------------------------------------
# An HTTP Observatory-style grader
#
# After Mozilla's published scoring, v2:
#   https://developer.mozilla.org/en-US/observatory/docs/tests_and_scoring
# (the same table as SCORE_TABLE in github.com/mdn/mdn-http-observatory, src/grader/charts.js).
# Each test below gives exactly one result; its modifier is read from RULES. Scoring, as
# Observatory does it: start at 100, subtract every penalty; only if that is 90 or more are the
# bonuses added; never below 0. Grades by the final score, GRADES below.
#
# Graded here from one response's headers (and its HTML, for Subresource Integrity):
# CSP, cookies, CORS, Referrer-Policy, HSTS, SRI, X-Content-Type-Options, X-Frame-Options, CORP.
# Not graded:
# - redirection (http:// -> https://): TLS and its redirect belong to the proxy in front of the
#   app. (The app's own SECURE_SSL_REDIRECT is on and its redirect is checked below.)
# - hsts-preloaded (+5): only for hosts actually in Chromium's preload list, which a test host is
#   not; a `preload` directive alone earns nothing.
# Observatory grades only 2xx responses; the 404 page is graded here all the same.
# -------------------------------------------------------------------------------------------------

RULES = {
    # result (Observatory's name)                                   modifier  meaning
    # Content Security Policy
    "csp-implemented-with-no-unsafe-default-src-none": (
        10,
        "default-src 'none', no unsafe source, form-action 'none'/'self'",
    ),
    "csp-implemented-with-no-unsafe": (5, "CSP without 'unsafe-inline' or 'unsafe-eval'"),
    "csp-implemented-with-unsafe-inline-in-style-src-only": (0, "unsafe sources in style-src only"),
    "csp-implemented-with-insecure-scheme-in-passive-content-only": (
        -10,
        "images/media over http:",
    ),
    "csp-implemented-with-unsafe-eval": (-10, "'unsafe-eval' in script-src or style-src"),
    "csp-implemented-with-unsafe-inline": (
        -20,
        "'unsafe-inline'/data: in script-src, or broad or unset script-src/object-src",
    ),
    "csp-implemented-with-insecure-scheme": (-20, "active content over http:"),
    "csp-header-invalid": (-25, "CSP header cannot be parsed"),
    "csp-not-implemented": (-25, "no CSP header"),
    # Cookies ("session" cookie: name contains "sess" or "login"; anti-CSRF: contains "csrf")
    "cookies-secure-with-httponly-sessions-and-samesite": (
        5,
        "all Secure, session cookies HttpOnly, all SameSite",
    ),
    "cookies-not-found": (0, "no cookies"),
    "cookies-secure-with-httponly-sessions": (
        0,
        "all Secure, session cookies HttpOnly, some without SameSite",
    ),
    "cookies-without-secure-flag-but-protected-by-hsts": (-5, "a cookie without Secure, HSTS set"),
    "cookies-session-without-secure-flag-but-protected-by-hsts": (
        -10,
        "session cookie without Secure, HSTS set",
    ),
    "cookies-without-secure-flag": (-20, "a cookie without Secure"),
    "cookies-samesite-flag-invalid": (-20, "SameSite not Strict/Lax (or None without Secure)"),
    "cookies-anticsrf-without-samesite-flag": (-20, "anti-CSRF cookie without SameSite"),
    "cookies-session-without-httponly-flag": (-30, "session cookie without HttpOnly"),
    "cookies-session-without-secure-flag": (-40, "session cookie without Secure"),
    # Cross-Origin Resource Sharing (graded on a request sent with Origin: ORIGIN)
    "cross-origin-resource-sharing-not-implemented": (0, "no Access-Control-Allow-Origin"),
    "cross-origin-resource-sharing-implemented-with-public-access": (
        0,
        "Access-Control-Allow-Origin: *",
    ),
    "cross-origin-resource-sharing-implemented-with-restricted-access": (
        0,
        "allowed to named origins",
    ),
    "cross-origin-resource-sharing-implemented-with-universal-access": (
        -50,
        "any origin reflected, with credentials",
    ),
    # Referrer-Policy
    "referrer-policy-private": (
        5,
        "no-referrer, same-origin, strict-origin or strict-origin-when-cross-origin",
    ),
    "referrer-policy-not-implemented": (0, "no Referrer-Policy"),
    "referrer-policy-unsafe": (
        -5,
        "origin, origin-when-cross-origin, unsafe-url or no-referrer-when-downgrade",
    ),
    "referrer-policy-header-invalid": (-5, "Referrer-Policy not recognised"),
    # Strict-Transport-Security
    "hsts-preloaded": (5, "in the HSTS preload list (never given here)"),
    "hsts-implemented-max-age-at-least-six-months": (0, "max-age >= 15552000"),
    "hsts-implemented-max-age-less-than-six-months": (-10, "max-age < 15552000"),
    "hsts-not-implemented": (-20, "no Strict-Transport-Security"),
    "hsts-header-invalid": (-20, "Strict-Transport-Security not recognised"),
    # Subresource Integrity (same origin = a relative script URL; any absolute URL counts as foreign)
    "sri-implemented-and-all-scripts-loaded-securely": (5, "integrity on same-origin scripts"),
    "sri-implemented-and-external-scripts-loaded-securely": (
        5,
        "integrity on external scripts, over https",
    ),
    "sri-not-implemented-response-not-html": (0, "not HTML"),
    "sri-not-implemented-but-no-scripts-loaded": (0, "no <script>"),
    "sri-not-implemented-but-all-scripts-loaded-from-secure-origin": (
        0,
        "same-origin scripts only",
    ),
    "sri-not-implemented-but-external-scripts-loaded-securely": (
        -5,
        "external scripts over https without integrity",
    ),
    "sri-implemented-but-external-scripts-not-loaded-securely": (
        -20,
        "external scripts over http, with integrity",
    ),
    "sri-not-implemented-and-external-scripts-not-loaded-securely": (
        -50,
        "external scripts over http, no integrity",
    ),
    # X-Content-Type-Options
    "x-content-type-options-nosniff": (0, "nosniff"),
    "x-content-type-options-not-implemented": (-5, "no X-Content-Type-Options"),
    "x-content-type-options-header-invalid": (-5, "X-Content-Type-Options not nosniff"),
    # X-Frame-Options (a CSP frame-ancestors directive overrides the header's result)
    "x-frame-options-implemented-via-csp": (5, "CSP frame-ancestors"),
    "x-frame-options-sameorigin-or-deny": (0, "X-Frame-Options DENY or SAMEORIGIN"),
    "x-frame-options-allow-from-origin": (0, "X-Frame-Options ALLOW-FROM"),
    "x-frame-options-not-implemented": (-20, "no X-Frame-Options nor frame-ancestors"),
    "x-frame-options-header-invalid": (-20, "X-Frame-Options not recognised"),
    # Cross-Origin-Resource-Policy
    "cross-origin-resource-policy-implemented-with-same-origin": (10, "CORP same-origin"),
    "cross-origin-resource-policy-implemented-with-same-site": (10, "CORP same-site"),
    "cross-origin-resource-policy-implemented-with-cross-origin": (0, "CORP cross-origin"),
    "cross-origin-resource-policy-not-implemented": (0, "no CORP (defaults to cross-origin)"),
    "cross-origin-resource-policy-header-invalid": (-5, "CORP not recognised"),
}
MINIMUM_SCORE_FOR_BONUSES = 90
GRADES = [  # lowest score of each grade
    (100, "A+"), (90, "A"), (85, "A-"), (80, "B+"), (70, "B"), (65, "B-"), (60, "C+"),
    (50, "C"), (45, "C-"), (40, "D+"), (30, "D"), (25, "D-"), (0, "F"),
]  # fmt: skip
GRADE_ORDER = [letter for _floor, letter in GRADES]  # best first
SIX_MONTHS = 15_552_000  # Observatory's figure (15768000 is six months; many sites use this)
ORIGIN = "https://observatory.example"  # the Origin sent when grading, for the CORS test
BROAD = {"ftp:", "http:", "https:", "*", "http://*", "http://*.*", "https://*", "https://*.*"}
UNSAFE_INLINE = {"'unsafe-inline'", "data:"}
NONCE_OR_HASH = ("'nonce-", "'sha256-", "'sha384-", "'sha512-")


def letter_grade(score):
    return next(letter for floor, letter in GRADES if score >= floor)


def _header_lists(headers):
    """{lower-case name: [values]} from an http.client.HTTPMessage or a plain mapping."""
    lists = {}
    for name, value in headers.items():
        for item in value if isinstance(value, list | tuple) else [value]:
            lists.setdefault(name.lower(), []).append(item)
    return lists


def parse_csp(policy):
    """One policy as {directive: {sources}}; a repeated directive is ignored, as browsers do."""
    directives = {}
    for part in policy.split(";"):
        tokens = part.split()
        if not tokens:
            continue
        name = tokens[0].lower()
        if not re.fullmatch(r"[a-z][a-z0-9-]*", name):
            raise ValueError(f"not a directive: {name!r}")
        directives.setdefault(name, {token.lower() for token in tokens[1:]})
    if not directives:
        raise ValueError("empty policy")
    return directives


def csp_test(headers):
    """The CSP result, and the parsed policy (None if absent or invalid)."""
    policies = [p.strip() for v in headers.get("content-security-policy", []) for p in v.split(",")]
    policies = [p for p in policies if p]
    if not policies:
        return "csp-not-implemented", None
    try:
        # A second policy can only restrict further: grading the first never flatters.
        csp = parse_csp(policies[0])
    except ValueError:
        return "csp-header-invalid", None
    default = csp.get("default-src")
    script = set(csp.get("script-src") or default or {"*"})
    style = set(csp.get("style-src") or default or {"*"})
    objects = set(csp.get("object-src") or default or {"*"})
    for sources in (script, style):
        if any(s.startswith(NONCE_OR_HASH) for s in sources):
            sources.discard("'unsafe-inline'")
    if "'strict-dynamic'" in script:
        if not any(s.startswith(NONCE_OR_HASH) for s in script):
            return "csp-header-invalid", None
        script = {s for s in script if s not in BROAD | {"'self'", "'unsafe-inline'"}}
    passive = {"img-src", "media-src"}
    active = {s for d, sources in csp.items() if d not in passive | {"script-src"} for s in sources}
    active |= script
    passive_sources = {s for d in passive for s in (csp.get(d) or default or set())}
    insecure = ("http:", "ftp:")  # the site is served over https (behind the proxy)
    if script & (BROAD | UNSAFE_INLINE) or objects & BROAD:
        result = "csp-implemented-with-unsafe-inline"
    elif any(s.startswith(insecure) for s in active):
        result = "csp-implemented-with-insecure-scheme"
    elif "'unsafe-eval'" in script | style:
        result = "csp-implemented-with-unsafe-eval"
    elif any(s.startswith(insecure) for s in passive_sources):
        result = "csp-implemented-with-insecure-scheme-in-passive-content-only"
    elif style & (BROAD | UNSAFE_INLINE):
        result = "csp-implemented-with-unsafe-inline-in-style-src-only"
    elif default == {"'none'"} and csp.get("form-action") in ({"'none'"}, {"'self'"}):
        result = "csp-implemented-with-no-unsafe-default-src-none"
    else:
        result = "csp-implemented-with-no-unsafe"
    return result, csp


def parse_set_cookie(raw):
    pairs = [part.strip() for part in raw.split(";")]
    name = pairs[0].split("=", 1)[0].strip()
    attributes = {}
    for pair in pairs[1:]:
        key, _, value = pair.partition("=")
        attributes[key.strip().lower()] = value.strip()
    return name, attributes


def cookies_test(cookies, hsts_passes):
    worse = [  # Observatory's order, least bad first: the worst one found is the result
        "cookies-without-secure-flag-but-protected-by-hsts",
        "cookies-without-secure-flag",
        "cookies-session-without-secure-flag-but-protected-by-hsts",
        "cookies-samesite-flag-invalid",
        "cookies-anticsrf-without-samesite-flag",
        "cookies-session-without-httponly-flag",
        "cookies-session-without-secure-flag",
    ]
    if not cookies:
        return "cookies-not-found"
    found, missing_samesite = [], False
    for raw in cookies:
        name, attributes = parse_set_cookie(raw)
        session = any(marker in name.lower() for marker in ("sess", "login"))
        secure = "secure" in attributes
        samesite = attributes.get("samesite")
        if samesite is not None and samesite.lower() not in {"lax", "strict", "none"}:
            found.append("cookies-samesite-flag-invalid")
        if not secure and (samesite or "").lower() == "none":
            found.append("cookies-samesite-flag-invalid")
        if not secure:
            found.append(
                "cookies-without-secure-flag-but-protected-by-hsts"
                if hsts_passes
                else "cookies-without-secure-flag"
            )
        if "csrf" in name.lower() and not samesite:
            found.append("cookies-anticsrf-without-samesite-flag")
        if session and not secure:
            found.append(
                "cookies-session-without-secure-flag-but-protected-by-hsts"
                if hsts_passes
                else "cookies-session-without-secure-flag"
            )
        if session and "httponly" not in attributes:
            found.append("cookies-session-without-httponly-flag")
        missing_samesite = missing_samesite or not samesite
    if found:
        return max(found, key=worse.index)
    if missing_samesite:
        return "cookies-secure-with-httponly-sessions"
    return "cookies-secure-with-httponly-sessions-and-samesite"


def cors_test(headers):
    allow_origin = (headers.get("access-control-allow-origin") or [None])[0]
    if not allow_origin:
        return "cross-origin-resource-sharing-not-implemented"
    allow_origin = allow_origin.strip().lower()
    credentials = (headers.get("access-control-allow-credentials") or [""])[0]
    if allow_origin == "*":
        return "cross-origin-resource-sharing-implemented-with-public-access"
    if allow_origin == ORIGIN and credentials.strip().lower() == "true":
        return "cross-origin-resource-sharing-implemented-with-universal-access"
    return "cross-origin-resource-sharing-implemented-with-restricted-access"


def referrer_policy_test(headers):
    values = headers.get("referrer-policy", [])
    if not values:
        return "referrer-policy-not-implemented"
    private = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}
    unsafe = {"origin", "origin-when-cross-origin", "unsafe-url", "no-referrer-when-downgrade"}
    known = [t.strip().lower() for t in ", ".join(values).split(",")]
    known = [t for t in known if t in private | unsafe]  # the last one a browser knows applies
    if known and known[-1] in private:
        return "referrer-policy-private"
    if known:
        return "referrer-policy-unsafe"
    return "referrer-policy-header-invalid"


def hsts_test(headers):
    values = headers.get("strict-transport-security", [])
    if not values:
        return "hsts-not-implemented"
    if "," in values[0]:
        return "hsts-header-invalid"
    max_age = None
    for parameter in (p.strip().lower() for p in values[0].split(";")):
        if parameter.startswith("max-age="):
            try:
                max_age = int(parameter[len("max-age=") :].strip('"'))
            except ValueError:
                return "hsts-header-invalid"
    if max_age is None:
        return "hsts-header-invalid"
    if max_age < SIX_MONTHS:
        return "hsts-implemented-max-age-less-than-six-months"
    return "hsts-implemented-max-age-at-least-six-months"


class _Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts.append(dict(attrs))


def sri_test(headers, html):
    content_type = (headers.get("content-type") or [""])[0].split(";")[0].strip().lower()
    if content_type not in {"text/html", "application/xhtml+xml"}:
        return "sri-not-implemented-response-not-html"
    parser = _Scripts()
    parser.feed(html)
    if not parser.scripts:
        return "sri-not-implemented-but-no-scripts-loaded"
    worse = [
        "sri-implemented-and-all-scripts-loaded-securely",
        "sri-implemented-and-external-scripts-loaded-securely",
        "sri-implemented-but-external-scripts-not-loaded-securely",
        "sri-not-implemented-but-external-scripts-loaded-securely",
        "sri-not-implemented-and-external-scripts-not-loaded-securely",
    ]
    found, foreign = [], False
    for script in parser.scripts:
        src, integrity = script.get("src"), script.get("integrity")
        if not src:
            continue
        if not src.startswith(("//", "http://", "https://")):  # same origin, over https
            if integrity:
                found.append("sri-implemented-and-all-scripts-loaded-securely")
            continue
        foreign = True
        secure = src.startswith("https://")
        if integrity:
            found.append(
                "sri-implemented-and-external-scripts-loaded-securely"
                if secure
                else "sri-implemented-but-external-scripts-not-loaded-securely"
            )
        else:
            found.append(
                "sri-not-implemented-but-external-scripts-loaded-securely"
                if secure
                else "sri-not-implemented-and-external-scripts-not-loaded-securely"
            )
    if found:
        return max(found, key=worse.index)
    if foreign:
        return "sri-implemented-and-external-scripts-loaded-securely"
    return "sri-not-implemented-but-all-scripts-loaded-from-secure-origin"


def x_content_type_options_test(headers):
    value = (headers.get("x-content-type-options") or [None])[0]
    if value is None:
        return "x-content-type-options-not-implemented"
    if value.strip().lower() == "nosniff":
        return "x-content-type-options-nosniff"
    return "x-content-type-options-header-invalid"


def x_frame_options_test(headers, csp):
    if csp and "frame-ancestors" in csp:
        return "x-frame-options-implemented-via-csp"
    value = (headers.get("x-frame-options") or [None])[0]
    if value is None:
        return "x-frame-options-not-implemented"
    value = value.strip().lower()
    if value in {"deny", "sameorigin"}:
        return "x-frame-options-sameorigin-or-deny"
    if value.startswith("allow-from"):
        return "x-frame-options-allow-from-origin"
    return "x-frame-options-header-invalid"


def corp_test(headers):
    value = (headers.get("cross-origin-resource-policy") or [None])[0]
    if value is None:
        return "cross-origin-resource-policy-not-implemented"
    return {
        "same-origin": "cross-origin-resource-policy-implemented-with-same-origin",
        "same-site": "cross-origin-resource-policy-implemented-with-same-site",
        "cross-origin": "cross-origin-resource-policy-implemented-with-cross-origin",
    }.get(value.strip().lower(), "cross-origin-resource-policy-header-invalid")


def grade(headers, cookies, html=None):
    """Score, letter grade and notes for one response, as described above RULES.

    headers: the response headers (an http.client.HTTPMessage or a mapping); cookies: the raw
    Set-Cookie values; html: the body, for Subresource Integrity (not graded when None).
    """
    headers = _header_lists(headers)
    csp_result, csp = csp_test(headers)
    hsts_result = hsts_test(headers)
    results = {
        "content-security-policy": csp_result,
        "cookies": cookies_test(
            cookies, hsts_result == "hsts-implemented-max-age-at-least-six-months"
        ),
        "cross-origin-resource-sharing": cors_test(headers),
        "referrer-policy": referrer_policy_test(headers),
        "strict-transport-security": hsts_result,
        "x-content-type-options": x_content_type_options_test(headers),
        "x-frame-options": x_frame_options_test(headers, csp),
        "cross-origin-resource-policy": corp_test(headers),
    }
    if html is not None:
        results["subresource-integrity"] = sri_test(headers, html)
    modifiers = {test: RULES[result][0] for test, result in results.items()}
    before_bonuses = 100 + sum(m for m in modifiers.values() if m < 0)
    bonuses = sum(m for m in modifiers.values() if m > 0)
    score = (
        before_bonuses + bonuses if before_bonuses >= MINIMUM_SCORE_FOR_BONUSES else before_bonuses
    )
    score = max(score, 0)
    notes = [
        f"{f'{modifiers[test]:+d}' if modifiers[test] else '0':>4}  {test}: {result}"
        f" ({RULES[result][1]})"
        for test, result in results.items()
    ]
    if bonuses and before_bonuses < MINIMUM_SCORE_FOR_BONUSES:
        notes.append(f"bonuses (+{bonuses}) withheld: {before_bonuses} before bonuses is below 90")
    if html is None:
        notes.append("   0  subresource-integrity: not graded (no HTML given)")
    if any("preload" in v.lower() for v in headers.get("strict-transport-security", [])):
        notes.append("   0  hsts-preloaded: `preload` sent, but not in the preload list: no bonus")
    notes.append("   0  redirection: not graded (TLS and its redirect are the proxy's)")
    return score, letter_grade(score), notes


def at_least(letter, floor):
    return GRADE_ORDER.index(letter) <= GRADE_ORDER.index(floor)


# The grader against cases worked by hand from Mozilla's table.
