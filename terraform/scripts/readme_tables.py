#!/usr/bin/env python3
"""Keeps the Inputs and Outputs tables of each README in step with variables.tf and outputs.tf.

Rewrites the text between <!-- BEGIN_TF_TABLES --> and <!-- END_TF_TABLES --> in README.md of
every directory given. With --check it changes nothing and exits 1 when a table is stale
(terraform/check.sh runs it that way). A small reader for this repository's own layout (one
attribute per line, two-space indent), not a general HCL parser.
"""
import pathlib
import re
import sys

BEGIN, END = "<!-- BEGIN_TF_TABLES -->", "<!-- END_TF_TABLES -->"
BLOCK = re.compile(r'^(variable|output) "([^"]+)" \{\n(.*?)^\}', re.S | re.M)


def attr(body, name):
    m = re.search(rf'^  {name}\s*=\s*(.+)$', body, re.M)
    if not m:
        return None
    value = m.group(1).strip()
    if value in ("{", "[", "object({"):  # multi-line value: show its shape only
        return {"{": "{ ... }", "[": "[ ... ]", "object({": "object({ ... })"}[value]
    return value


def cell(text):
    return text.replace("|", "\\|")


def description(body):
    d = attr(body, "description") or '""'
    return d[1:-1].replace('\\"', '"')


def tables(directory):
    out = ["### Inputs", "", "| Name | Description | Type | Default | Required |", "|---|---|---|---|:-:|"]
    variables = (directory / "variables.tf").read_text()
    for kind, name, body in BLOCK.findall(variables):
        typ = attr(body, "type") or "any"
        default = attr(body, "default")
        out.append(
            f"| `{name}` | {cell(description(body))} | `{cell(typ)}` | "
            f"{'n/a' if default is None else '`' + cell(default) + '`'} | {'yes' if default is None else 'no'} |"
        )
    out += ["", "### Outputs", "", "| Name | Description |", "|---|---|"]
    outputs = (directory / "outputs.tf").read_text()
    for kind, name, body in BLOCK.findall(outputs):
        out.append(f"| `{name}` | {cell(description(body))} |")
    return "\n".join(out)


def main(argv):
    check = "--check" in argv
    stale = []
    for d in [pathlib.Path(a) for a in argv if a != "--check"]:
        readme = d / "README.md"
        text = readme.read_text()
        start, end = text.find(BEGIN), text.find(END)
        if start < 0 or end < 0:
            stale.append(f"{readme}: missing {BEGIN} / {END} markers")
            continue
        new = text[: start + len(BEGIN)] + "\n" + tables(d) + "\n" + text[end:]
        if new != text:
            if check:
                stale.append(f"{readme}: inputs/outputs tables are stale (run terraform/scripts/readme_tables.py {d})")
            else:
                readme.write_text(new)
    for s in stale:
        print(s, file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
