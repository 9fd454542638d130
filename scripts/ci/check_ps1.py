#!/usr/bin/env python3
"""Parse PowerShell scripts with tree-sitter-pwsh and report syntax errors.

    python scripts/ci/check_ps1.py deploy.ps1 [more.ps1 ...]

Exits 1 when any file has an ERROR or MISSING node (or cannot be read), 2 on bad usage.
PowerShell itself is not installable on the CI machine, so this grammar-level parse is
the offline check; it does not know cmdlet names or parameters.
"""

from __future__ import annotations

import sys

import tree_sitter_pwsh
from tree_sitter import Language, Node, Parser


def problems(node: Node) -> list[Node]:
    found: list[Node] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if current.is_error or current.is_missing:
            found.append(current)
        stack.extend(current.children)
    return sorted(found, key=lambda n: n.start_point)


def main(paths: list[str]) -> int:
    if not paths:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    parser = Parser(Language(tree_sitter_pwsh.language()))
    status = 0
    for path in paths:
        try:
            with open(path, "rb") as handle:
                source = handle.read()
        except OSError as exc:
            print(f"{path}: cannot read: {exc.strerror}")
            status = 1
            continue
        tree = parser.parse(source)
        errors = problems(tree.root_node)
        for node in errors:
            line, column = node.start_point
            what = f"missing {node.type}" if node.is_missing else "syntax error"
            snippet = source.splitlines()[line].decode("utf-8", "replace").strip() if source else ""
            print(f"{path}:{line + 1}:{column + 1}: {what}: {snippet[:80]}")
        if errors:
            status = 1
        else:
            print(f"{path}: ok ({tree.root_node.end_point[0] + 1} lines parsed)")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
