"""Splitting a Markdown file into its YAML front matter and body, keeping line numbers."""

import datetime
from dataclasses import dataclass, field

import yaml


@dataclass(frozen=True)
class Problem:
    """Something wrong in a file, said the way compilers say it: FILE:LINE: message."""

    path: str
    line: int
    message: str

    def __str__(self):
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class FrontMatter:
    values: dict
    lines: dict  # key -> line number in the file
    end_line: int  # the closing "---"
    body: str
    body_first_line: int  # file line number of the body's first line
    problems: list = field(default_factory=list)

    def line_of(self, key):
        return self.lines.get(key, 1)


FENCES = ("---", "...")


def split(path, text):
    """The front matter between the first two `---` lines, parsed, and the body after it."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return FrontMatter(
            {},
            {},
            0,
            text,
            1,
            [
                Problem(
                    path,
                    1,
                    "no front matter: the file must start with a line '---', then title, "
                    "date, summary and topic, then '---'",
                )
            ],
        )
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in FENCES), None)
    if end is None:
        return FrontMatter(
            {}, {}, 0, "", 1, [Problem(path, 1, "the front matter is never closed with '---'")]
        )
    front = FrontMatter({}, {}, end + 1, "".join(lines[end + 1 :]), end + 2)
    source = "".join(lines[1:end])
    loader = yaml.SafeLoader(source)
    try:
        node = loader.get_single_node()
        values = loader.construct_document(node) if node is not None else {}
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 2 if mark else 2
        problem = error.problem or error.context or "unreadable"
        front.problems.append(Problem(path, line, f"the front matter is not valid YAML: {problem}"))
        return front
    except yaml.YAMLError as error:
        front.problems.append(Problem(path, 2, f"the front matter is not valid YAML: {error}"))
        return front
    finally:
        loader.dispose()
    if not isinstance(values, dict):
        front.problems.append(
            Problem(path, 2, "the front matter must be 'key: value' lines (title: …, date: …)")
        )
        return front
    front.values = values
    front.lines = {
        str(key.value): key.start_mark.line + 2
        for key, _value in (node.value if isinstance(node, yaml.MappingNode) else [])
    }
    return front


def as_date(value):
    """A YAML date (2024-02-18), or a string in that form; None if it is neither."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None
