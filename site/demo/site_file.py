"""`content/site.yaml`: the demo site around its Markdown pages, read with the line of every value
so that each problem is reported as FILE:LINE: message, like the Markdown's."""

from dataclasses import dataclass, field

import yaml

from topics.markdown.front_matter import Problem

# section -> key -> (required, what it is). Lists of mappings name their items' keys under "[]".
SCHEMA = {
    "home": {
        "title": (True, "text"),
        "headline": (True, "text"),
        "intro": (True, "text"),
        "search_description": (False, "text"),
        "featured_case_studies": (False, "paths"),
    },
    "writing": {"title": (True, "text"), "lede": (False, "text")},
    "case_studies": {"title": (True, "text"), "lede": (False, "text")},
    "services": {"title": (True, "text"), "lede": (False, "text")},
    "book_a_call": {
        "title": (True, "text"),
        "intro": (False, "markdown"),
        "thank_you_text": (False, "markdown"),
        "subject": (True, "text"),
        "fields": (True, "items"),
    },
    "calls_to_action": {
        "service_prompt": (True, "text"),
        "book_call_heading": (True, "text"),
        "book_call_text": (False, "text"),
        "book_call_link_text": (True, "text"),
    },
    "submissions": (False, "items"),
}
ITEMS = {
    ("book_a_call", "fields"): {
        "label": (True, "text"),
        "type": (True, "text"),
        "required": (False, "yes/no"),
        "help_text": (False, "text"),
    },
    ("submissions",): {
        "from": (False, "path"),
        "days_ago": (True, "days"),
        "name": (True, "text"),
        "company": (False, "text"),
        "message": (True, "text"),
    },
}


@dataclass
class SiteFile:
    path: str
    values: dict = field(default_factory=dict)
    lines: dict = field(default_factory=dict)  # key path (tuple) -> line of the key or item
    text_lines: dict = field(default_factory=dict)  # key path -> first line of a text value
    problems: list = field(default_factory=list)

    def line(self, *key):
        while key and key not in self.lines:
            key = key[:-1]
        return self.lines.get(key, 1)

    def problem(self, key, message):
        self.problems.append(Problem(self.path, self.line(*key), message))

    def get(self, *key, default=None):
        value = self.values
        for part in key:
            if isinstance(value, dict):
                value = value.get(part, default)
            elif isinstance(value, list) and isinstance(part, int) and part < len(value):
                value = value[part]
            else:
                return default
        return value


def read_site_file(path):
    site = SiteFile(str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        site.problems.append(Problem(site.path, 1, f"cannot read the file: {error.strerror}"))
        return site
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        site.values = loader.construct_document(node) if node is not None else {}
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        site.problems.append(
            Problem(site.path, mark.line + 1 if mark else 1, f"not valid YAML: {error.problem}")
        )
        return site
    finally:
        loader.dispose()
    if node is not None:
        note_lines(site, node, ())
    check(site)
    return site


def note_lines(site, node, key):
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            here = (*key, key_node.value)
            site.lines[here] = key_node.start_mark.line + 1
            note_lines(site, value_node, here)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            here = (*key, index)
            site.lines[here] = item.start_mark.line + 1
            note_lines(site, item, here)
    elif isinstance(node, yaml.ScalarNode):
        # A block scalar (| or >) starts on the line after its indicator.
        block = node.style in ("|", ">")
        site.text_lines[key] = node.start_mark.line + 1 + (1 if block else 0)


def check(site):
    if not isinstance(site.values, dict):
        site.problem((), "the file must be sections of 'key: value' lines (home:, writing: …)")
        site.values = {}
        return
    for name in site.values:
        if name not in SCHEMA:
            site.problem((name,), f"unknown section '{name}': the sections are {', '.join(SCHEMA)}")
    for name, keys in SCHEMA.items():
        if isinstance(keys, tuple):
            check_value(site, (name,), keys, site.values.get(name))
            continue
        section = site.values.get(name)
        if not isinstance(section, dict):
            site.problem((name,), f"the file needs a section '{name}:' with {', '.join(keys)}")
            continue
        check_mapping(site, (name,), keys, section)


def check_mapping(site, key, keys, mapping):
    for name in mapping:
        if name not in keys:
            site.problem((*key, name), f"unknown key '{name}': the keys are {', '.join(keys)}")
    for name, rule in keys.items():
        check_value(site, (*key, name), rule, mapping.get(name))


def check_value(site, key, rule, value):
    required, kind = rule
    name = key[-1]
    if value is None or value == "":
        if required:
            site.problem(key, f"'{name}' is missing")
        return
    if kind in ("text", "markdown") and (isinstance(value, bool) or not isinstance(value, str)):
        site.problem(key, f"'{name}' must be text")
    elif kind == "path" and not (isinstance(value, str) and value.startswith("/")):
        site.problem(key, f"'{name}' must be a path on the site, such as /writing/")
    elif kind == "paths" and not (
        isinstance(value, list) and all(isinstance(v, str) and v.startswith("/") for v in value)
    ):
        site.problem(key, f"'{name}' must be a list of paths on the site, such as /case-studies/x/")
    elif kind == "days" and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        site.problem(key, f"'{name}' must be a whole number of days, 0 or more")
    elif kind == "yes/no" and not isinstance(value, bool):
        site.problem(key, f"'{name}' must be true or false")
    elif kind == "items":
        if not isinstance(value, list):
            site.problem(key, f"'{name}' must be a list")
            return
        item_keys = ITEMS[tuple(part for part in key if isinstance(part, str))]
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                site.problem((*key, index), f"each of '{name}' is 'key: value' lines")
                continue
            check_mapping(site, (*key, index), item_keys, item)
