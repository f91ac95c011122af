#!/usr/bin/env python3
"""Copies a Signpost corpus's content/ into a Zola site's content/ for scripts/compare.sh.

Zola rejects front-matter keys it does not know, so each page's facets go under
[taxonomies], `summary` becomes `description`, `last_reviewed` becomes `date`, and every other
field goes under [extra]; the markdown body is copied as it is (Zola's `@/` links are the same
as Signpost's). Usage: convert.py SIGNPOST_CONTENT_DIR ZOLA_CONTENT_DIR
"""
import datetime
import json
import os
import sys
import tomllib

FACETS = ("treatment_type", "settings", "substances", "access")
PAGE_KEYS = ("title", "weight", "draft", "slug", "aliases")
SECTION_KEYS = ("title", "description", "weight", "draft")


def value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, (datetime.date, datetime.datetime)):
        return v.isoformat()
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ", ".join(value(x) for x in v) + "]"
    raise ValueError(f"cannot write {v!r} as TOML")


def table(name, items):
    lines = [f"[{name}]"] if name else []
    lines += [f"{k} = {value(v)}" for k, v in items if not isinstance(v, dict)]
    for k, v in items:
        if isinstance(v, dict):
            lines += table(f"{name}.{k}" if name else k, list(v.items()))
    return lines


def convert(text, is_section):
    _, front, body = text.split("+++\n", 2)
    fields = tomllib.loads(front)
    top, taxonomies, extra = [], [], []
    for key, v in fields.items():
        if key in (SECTION_KEYS if is_section else PAGE_KEYS):
            top.append((key, v))
        elif not is_section and key == "summary":
            top.append(("description", v))
        elif not is_section and key == "last_reviewed":
            top.append(("date", v))
            extra.append((key, v))
        elif not is_section and key in FACETS:
            taxonomies.append((key, v if isinstance(v, list) else [v]))
        else:
            extra.append((key, v))
    if is_section:
        top.append(("sort_by", "title"))
    lines = table("", top)
    if taxonomies:
        lines += table("taxonomies", taxonomies)
    if extra:
        lines += table("extra", extra)
    return "+++\n" + "\n".join(lines) + "\n+++\n" + body


def main(source, target):
    for folder, _, files in os.walk(source):
        out = os.path.join(target, os.path.relpath(folder, source))
        os.makedirs(out, exist_ok=True)
        for name in files:
            if not name.endswith(".md"):
                continue
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                text = f.read()
            with open(os.path.join(out, name), "w", encoding="utf-8") as f:
                f.write(convert(text, name == "_index.md"))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
