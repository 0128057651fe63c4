"""Evidence records, evidence cards, the evidence table and glossary definitions in place.

One YAML record per empirical study the book cites lives in ``chapters/_data/evidence/``,
named by its ``references.bib`` key (``shao2021.yml``). Each is validated against
:data:`SCHEMA` when the build starts: a record missing a field, a malformed value, a key that
is not in ``references.bib`` or a card template naming an unknown number stops the build with
an error naming the file.

In a chapter::

    ```{evidence} shao2021
    ```

renders a compact card ("mice · 6 + 6 · 1 mg/kg i.p. · spine density +7 % at day 1 (per
dendrite)") as a ``<details>`` element: it opens with a click, a tap or Enter, and
``_static/evidence.js`` also opens it on hover and focus. Without JavaScript it is still a
working disclosure. ``{evidence-table}`` renders a plain table of every record that the same
script makes sortable and filterable.

Glossary definitions in place (:mod:`booktools.glossary_tips`) are set up with this extension
and share its script and styles.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import yaml
from docutils import nodes
from docutils.parsers.rst import Directive, directives
from sphinx.errors import ExtensionError

EVIDENCE_DIR = "chapters/_data/evidence"
TABLE_DOC = "chapters/evidence-table"
OTHER_SOURCES = "_other-sources.yml"

PROVENANCE = {
    "abstract": "abstract",
    "full text": "full text",
    "recomputed": "recomputed from the authors' public data",
    "unverified": "unverified (not checked against the paper)",
}

_TEXT = {"type": "string", "minLength": 1}
_NUMBER = {
    "type": "object",
    "required": ["value", "unit", "what", "provenance"],
    "additionalProperties": False,
    "properties": {
        "value": {"type": "number"},
        "low": {"type": "number"},
        "high": {"type": "number"},
        "unit": {"type": "string"},
        "what": _TEXT,
        "provenance": {"enum": list(PROVENANCE)},
        "note": _TEXT,
    },
}

#: JSON schema of one evidence record (checked with jsonschema at build and in the tests).
SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "required": [
        "key",
        "kind",
        "species",
        "population",
        "sex",
        "groups",
        "unit",
        "design",
        "dose",
        "route",
        "measure",
        "time_points",
        "result",
        "uncertainty",
        "caveats",
        "numbers",
        "card",
    ],
    "properties": {
        "key": {"type": "string", "pattern": r"^[a-z0-9]+$"},
        "kind": {
            "enum": [
                "animal experiment",
                "cell and animal experiments",
                "human experiment",
                "human imaging study",
                "clinical trial",
                "meta-research",
            ]
        },
        "species": _TEXT,
        "population": _TEXT,
        "sex": _TEXT,
        "groups": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["name", "n"],
                "additionalProperties": False,
                "properties": {
                    "name": _TEXT,
                    "n": {"type": ["integer", "null"], "minimum": 1},
                    "note": _TEXT,
                },
            },
        },
        "unit": _TEXT,
        "design": {
            "type": "object",
            "required": ["randomized", "blinded", "control", "summary"],
            "additionalProperties": False,
            "properties": {k: _TEXT for k in ("randomized", "blinded", "control", "summary")},
        },
        "dose": _TEXT,
        "route": _TEXT,
        "measure": _TEXT,
        "time_points": _TEXT,
        "result": _TEXT,
        "uncertainty": _TEXT,
        "caveats": {"type": "array", "minItems": 1, "items": _TEXT},
        "numbers": {
            "type": "object",
            "propertyNames": {"pattern": r"^[a-z][a-z0-9_]*$"},
            "additionalProperties": _NUMBER,
        },
        "card": _TEXT,
    },
}


class EvidenceError(ValueError):
    """A record that is malformed, or names a study or number that does not exist."""


def bib_keys(path: Path) -> set[str]:
    """Entry keys of a BibTeX file."""
    text = path.read_text(encoding="utf-8")
    return set(re.findall(r"@\w+\s*\{\s*([^,\s]+)\s*,", text))


def bib_labels(path: Path) -> dict[str, str]:
    """``{key: "Shao et al. 2021"}`` from the first author's surname and the year."""
    labels = {}
    text = path.read_text(encoding="utf-8")
    for m in re.finditer(r"@\w+\s*\{\s*([^,\s]+)\s*,(.*?)\n\}", text, flags=re.DOTALL):
        author = re.search(r"author\s*=\s*\{(.*?)\}\s*,?\s*$", m.group(2), flags=re.M)
        year = re.search(r"year\s*=\s*\{?(\d{4})", m.group(2))
        names = [a.strip() for a in (author.group(1) if author else "").split(" and ")]
        first = names[0].split(",")[0].strip("{} ") if names and names[0] else m.group(1)
        more = (
            " et al."
            if len(names) > 2
            else (f" and {names[1].split(',')[0]}" if len(names) == 2 else "")
        )
        labels[m.group(1)] = f"{first}{more} {year.group(1) if year else ''}".strip()
    return labels


def validate_record(data: Any, path: Path, known_keys: set[str] | None = None) -> dict:
    """Check one record against :data:`SCHEMA` and its own consistency; errors name ``path``."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(SCHEMA)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        lines = []
        for err in errors:
            where = "/".join(str(p) for p in err.absolute_path) or "(top level)"
            lines.append(f"{path}: {where}: {err.message}")
        raise EvidenceError("invalid evidence record:\n  " + "\n  ".join(lines))
    if data["key"] != path.stem:
        raise EvidenceError(f"{path}: key '{data['key']}' differs from the file name '{path.stem}'")
    if known_keys is not None and data["key"] not in known_keys:
        raise EvidenceError(f"{path}: key '{data['key']}' is not in references.bib")
    try:
        card_headline(data)
    except (KeyError, ValueError, IndexError) as exc:
        raise EvidenceError(f"{path}: card {data['card']!r} cannot be filled: {exc!r}") from None
    return data


def load_records(folder: Path, known_keys: set[str] | None = None) -> dict[str, dict]:
    """Every record in ``folder`` (files starting with ``_`` are not records), validated."""
    records = {}
    for path in sorted(folder.glob("*.yml")):
        if path.name.startswith("_"):
            continue
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise EvidenceError(f"{path}: not valid YAML: {exc}") from None
        records[path.stem] = validate_record(data, path, known_keys)
    return records


def other_sources(folder: Path) -> dict[str, str]:
    """Cited works without a record (reviews, methods), each with its reason."""
    path = folder / OTHER_SOURCES
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    bad = [k for k, v in data.items() if not isinstance(v, str) or not v.strip()]
    if bad:
        raise EvidenceError(f"{path}: every entry needs a reason; missing for {bad}")
    return data


# -- the card ------------------------------------------------------------------------------------
def _fmt(number: float) -> str:
    return f"{number:g}".replace("-", "−")


def card_headline(record: dict) -> str:
    """The record's ``card`` template filled from its numbers; unverified ones are marked."""
    numbers = record["numbers"]
    used = re.findall(r"\{(\w+)(?::[^}]*)?\}", record["card"])
    text = record["card"].format(**{k: v["value"] for k, v in numbers.items()})
    text = re.sub(r"(?<![\w.])-(?=\d)", "−", text)
    if any(numbers[k]["provenance"] == "unverified" for k in used):
        text += " (unverified)"
    return text


def n_total(record: dict) -> int | None:
    ns = [g["n"] for g in record["groups"]]
    return None if any(n is None for n in ns) else sum(ns)


def n_compact(record: dict) -> str:
    ns = [g["n"] for g in record["groups"]]
    if all(n is None for n in ns):
        return "n not recorded"
    return " + ".join("?" if n is None else str(n) for n in ns)


def dose_route(record: dict) -> str:
    skip = ("none", "not applicable", "not recorded")
    parts = [record[k] for k in ("dose", "route") if not record[k].startswith(skip)]
    return " ".join(parts)


def card_line(record: dict) -> str:
    """``"mice · 6 + 6 · 1 mg/kg i.p. · spine density +7 % at day 1 (per dendrite)"``."""
    parts = [record["species"], n_compact(record), dose_route(record), card_headline(record)]
    return " · ".join(p for p in parts if p)


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _number_item(name: str, num: dict) -> str:
    value = _fmt(num["value"])
    if "low" in num and "high" in num:
        value += f" ({_fmt(num['low'])} to {_fmt(num['high'])})"
    elif "high" in num:
        value += f"–{_fmt(num['high'])}"
    unit = f" {num['unit']}" if num["unit"] else ""
    prov = PROVENANCE[num["provenance"]]
    cls = ' class="rw-unverified"' if num["provenance"] == "unverified" else ""
    return (
        f"<li{cls}><span class='rw-num'>{_e(value + unit)}</span>: {_e(num['what'])} "
        f"<span class='rw-prov'>[{_e(prov)}]</span></li>"
    )


def record_html(record: dict, label: str) -> str:
    """The full record as a definition list."""
    design = record["design"]
    groups = "; ".join(
        f"{g['name']}: {g['n'] if g['n'] is not None else 'not recorded'}"
        + (f" ({g['note']})" if g.get("note") else "")
        for g in record["groups"]
    )
    rows = [
        ("Kind of study", record["kind"]),
        ("Population", f"{record['species']}: {record['population']}"),
        ("Sex", record["sex"]),
        ("n per group", groups),
        ("Unit of analysis", record["unit"]),
        (
            "Design",
            f"{design['summary']}. Randomized: {design['randomized']}. "
            f"Blinded: {design['blinded']}. Control: {design['control']}.",
        ),
        ("Dose and route", f"{record['dose']}; {record['route']}"),
        ("Measure", record["measure"]),
        ("Time points", record["time_points"]),
        ("Main result", record["result"]),
        ("Uncertainty", record["uncertainty"]),
    ]
    parts = [f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in rows]
    caveats = "".join(f"<li>{_e(c)}</li>" for c in record["caveats"])
    parts.append(f"<dt>Authors' caveats and ours</dt><dd><ul>{caveats}</ul></dd>")
    if record["numbers"]:
        items = "".join(_number_item(k, v) for k, v in record["numbers"].items())
        parts.append(f"<dt>Numbers and where each comes from</dt><dd><ul>{items}</ul></dd>")
    return f"<dl class='rw-record'>{''.join(parts)}</dl>"


def card_html(record: dict, label: str, table_href: str | None) -> str:
    key = record["key"]
    link = (
        f"<p class='rw-evidence-more'><a href='{_e(table_href)}#ev-{key}'>"
        f"All studies in the evidence table</a></p>"
        if table_href
        else ""
    )
    return (
        f"<details class='rw-evidence' id='evidence-{key}' data-key='{key}'>"
        f"<summary><span class='rw-evidence-tag'>Evidence</span> "
        f"<span class='rw-evidence-study'>{_e(label)}:</span> "
        f"<span class='rw-evidence-line'>{_e(card_line(record))}</span></summary>"
        f"<div class='rw-evidence-body'>{record_html(record, label)}{link}</div></details>"
    )


def _provenance_summary(record: dict) -> str:
    counts: dict[str, int] = {}
    for num in record["numbers"].values():
        counts[num["provenance"]] = counts.get(num["provenance"], 0) + 1
    return ", ".join(f"{k} {v}" for k, v in counts.items()) or "qualitative only"


def table_html(records: dict[str, dict], labels: dict[str, str]) -> str:
    """Every record as one accessible table, sortable and filterable by evidence.js."""
    head = [
        ("Study", "text"),
        ("Species", "text"),
        ("Design", "text"),
        ("Randomized", "text"),
        ("Blinded", "text"),
        ("n", "number"),
        ("Dose and route", "text"),
        ("Main result", "text"),
        ("Numbers by source", "text"),
    ]
    ths = "".join(f"<th scope='col' data-type='{t}'>{_e(h)}</th>" for h, t in head)
    rows = []
    for key, r in sorted(records.items(), key=lambda kv: labels.get(kv[0], kv[0])):
        n = n_total(r)
        cells = [
            f"<th scope='row' id='ev-{key}'>{_e(labels.get(key, key))}</th>",
            f"<td>{_e(r['species'])}</td>",
            f"<td>{_e(r['kind'])}</td>",
            f"<td>{_e(r['design']['randomized'])}</td>",
            f"<td>{_e(r['design']['blinded'])}</td>",
            f"<td data-value='{n if n is not None else ''}'>"
            f"{_e(n_compact(r) if n is None or len(r['groups']) == 1 else f'{n} ({n_compact(r)})')}"
            "</td>",
            f"<td>{_e(dose_route(r) or 'none')}</td>",
            f"<td>{_e(card_headline(r))}</td>",
            f"<td>{_e(_provenance_summary(r))}</td>",
        ]
        rows.append(
            f"<tr data-species='{_e(r['species'])}' data-kind='{_e(r['kind'])}'>"
            f"{''.join(cells)}</tr>"
        )
    return (
        "<div class='rw-evtable' role='region' aria-label='Evidence table' tabindex='0'>"
        "<table class='rw-evtable-table table'>"
        f"<caption>All {len(records)} empirical studies the book cites, one row each "
        "(n: participants, animals or meta-analyses in total).</caption>"
        f"<thead><tr>{ths}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


# -- Sphinx ------------------------------------------------------------------------------------
def _records(env) -> dict[str, dict]:
    return getattr(env, "rw_evidence", {})


def _table_href(env, docname: str) -> str | None:
    if TABLE_DOC not in env.found_docs:
        return None
    try:
        return env.app.builder.get_relative_uri(docname, TABLE_DOC)
    except Exception:  # noqa: BLE001 (builders without relative URIs: no link)
        return None


class EvidenceDirective(Directive):
    """``{evidence} KEY``: the compact card of one study."""

    required_arguments = 1
    has_content = False

    def run(self):
        env = self.state.document.settings.env
        key = self.arguments[0].strip()
        record = _records(env).get(key)
        if record is None:
            folder = env.config.evidence_dir
            raise self.error(
                f"evidence card names an unknown study '{key}': no record {folder}/{key}.yml"
            )
        label = env.rw_evidence_labels.get(key, key)
        env.note_dependency(str(Path(env.srcdir) / env.config.evidence_dir / f"{key}.yml"))
        return [
            nodes.raw("", card_html(record, label, _table_href(env, env.docname)), format="html")
        ]


class EvidenceTableDirective(Directive):
    """``{evidence-table}``: every record in one table."""

    has_content = False
    option_spec = {"class": directives.class_option}

    def run(self):
        env = self.state.document.settings.env
        for key in _records(env):
            env.note_dependency(str(Path(env.srcdir) / env.config.evidence_dir / f"{key}.yml"))
        return [nodes.raw("", table_html(_records(env), env.rw_evidence_labels), format="html")]


def _load(app) -> None:
    folder = Path(app.srcdir) / app.config.evidence_dir
    names = app.config.evidence_bibfiles or getattr(app.config, "bibtex_bibfiles", None) or []
    bibs = [Path(app.srcdir) / b for b in names]
    known = set().union(*(bib_keys(b) for b in bibs)) if bibs else None
    try:
        records = load_records(folder, known) if folder.is_dir() else {}
    except EvidenceError as exc:
        raise ExtensionError(str(exc)) from None
    labels: dict[str, str] = {}
    for b in bibs:
        labels.update(bib_labels(b))
    app.env.rw_evidence = records
    app.env.rw_evidence_labels = labels


def _defer_own_script(context: dict[str, Any]) -> None:
    from sphinx.builders.html._assets import _JavaScript

    scripts = context.get("script_files")
    if not isinstance(scripts, list):
        return
    for i, js in enumerate(scripts):
        name = str(getattr(js, "filename", "") or "").split("?")[0]
        attrs = getattr(js, "attributes", {}) or {}
        if name.endswith("/evidence.js") or name == "evidence.js":
            if "defer" not in attrs:
                scripts[i] = _JavaScript(
                    js.filename, priority=js.priority, **{**attrs, "defer": "defer"}
                )


def _page_context(app, pagename, templatename, context, doctree) -> None:
    _defer_own_script(context)


def setup(app) -> dict[str, Any]:
    app.add_config_value("evidence_dir", EVIDENCE_DIR, "env")
    # Where record keys are looked up; by default sphinxcontrib-bibtex's bibtex_bibfiles.
    app.add_config_value("evidence_bibfiles", None, "env")
    app.connect("builder-inited", _load)
    app.connect("html-page-context", _page_context)
    # Glossary definitions in place use the same script and styles (booktools.glossary_tips).
    app.setup_extension("booktools.glossary_tips")
    app.add_directive("evidence", EvidenceDirective)
    app.add_directive("evidence-table", EvidenceTableDirective)
    # Jupyter Book 1 adds every CSS and JS file in _static to every page: evidence.css and
    # evidence.js need no registration here; the script is made deferred in _page_context.
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
