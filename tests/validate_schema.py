#!/usr/bin/env python3
"""Validates every bundled profile, spec data file and code-list file against
profiles/profile.schema.json (JSON Schema draft 2020-12). Run by ctest."""
import glob, json, os, sys

import jsonschema

root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
schema = json.load(open(os.path.join(root, "profiles/profile.schema.json"), encoding="utf-8"))
defs = schema["$defs"]
checks = [(p, schema) for p in glob.glob(os.path.join(root, "profiles/*/*.json"))]
for kind, pattern in (("dataFile", "specs/*/data-*.json"), ("codeListFile", "specs/*/codes*.json"),
                      ("codeListFile", "specs/common/codes/*.json")):
    sub = {"$schema": schema["$schema"], "$defs": defs, "$ref": "#/$defs/" + kind}
    checks += [(p, sub) for p in glob.glob(os.path.join(root, pattern))]
passed = failed = 0
for path, sch in sorted(checks):
    errors = list(jsonschema.Draft202012Validator(sch).iter_errors(json.load(open(path, encoding="utf-8"))))
    if errors:
        failed += 1
        for e in errors[:5]:
            print(f"{os.path.relpath(path, root)}: {'/'.join(map(str, e.absolute_path))}: {e.message}")
    else:
        passed += 1
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
