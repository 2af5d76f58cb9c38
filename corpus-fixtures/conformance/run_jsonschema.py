#!/usr/bin/env python3
"""Run the run-provenance conformance vectors with Python's `jsonschema`.

Usage:
    /usr/bin/python3 corpus-fixtures/conformance/run_jsonschema.py [--json] [VECTOR.json ...]

With no file, runs every `*.json` beside this script. Each vector file is a JSON array of
JSON-Schema-Test-Suite groups `{description, schema, tests: [{description, data, valid}]}`,
where `schema` is `{"$ref": "<bundle $id>"}` or `{"$ref": "<bundle $id>#/$defs/<variant>"}`.
The bundles are read from `generated/bundled/*.schema.json` (or `--bundles DIR`), each
registered under its `$id`; they are self-contained (every `$ref` local), so nothing is
fetched from the network. `format` is an annotation (no format checker), as in `runprov`.

Exit status 0 when every verdict equals the vector's `valid`, 1 otherwise. `--json` prints
one JSON array of `{file, group, test, expected, valid}` (the parity test reads it).
Works with jsonschema 4.10 (Debian 12's python3-jsonschema, RefResolver) and >= 4.18
(the `referencing` registry).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import jsonschema
from jsonschema import Draft202012Validator

HERE = Path(__file__).resolve().parent
DEFAULT_BUNDLES = HERE.parents[1] / "generated" / "bundled"


def load_bundles(folder: Path) -> dict:
    bundles = {}
    for path in sorted(folder.glob("*.schema.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        bundles[schema["$id"]] = schema
    return bundles


def make_validator(schema: dict, bundles: dict) -> Draft202012Validator:
    Draft202012Validator.check_schema(schema)
    try:  # jsonschema >= 4.18
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT202012

        registry = Registry().with_resources(
            (uri, Resource.from_contents(doc, default_specification=DRAFT202012)) for uri, doc in bundles.items()
        )
        return Draft202012Validator(schema, registry=registry)
    except ImportError:  # jsonschema 4.0 - 4.17
        resolver = jsonschema.RefResolver.from_schema(schema, store=dict(bundles))
        return Draft202012Validator(schema, resolver=resolver)


def strict_json(text: str):
    def bad_constant(name):
        raise ValueError(f"non-standard number {name} in a vector (vectors are strict JSON)")

    return json.loads(text, parse_constant=bad_constant)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--bundles", type=Path, default=DEFAULT_BUNDLES)
    ap.add_argument("--json", action="store_true", help="print every verdict as JSON")
    opts = ap.parse_args(argv)
    bundles = load_bundles(opts.bundles)
    files = opts.files or sorted(p for p in HERE.glob("*.json"))
    verdicts = []
    failures = 0
    for file in files:
        groups = strict_json(file.read_text(encoding="utf-8"))
        for group in groups:
            validator = make_validator(group["schema"], bundles)
            for test in group["tests"]:
                valid = validator.is_valid(test["data"])
                verdicts.append(
                    {
                        "file": file.name,
                        "group": group["description"],
                        "test": test["description"],
                        "expected": test["valid"],
                        "valid": valid,
                    }
                )
                if valid != test["valid"]:
                    failures += 1
                    if not opts.json:
                        print(f"FAIL {file.name}: {group['description']} / {test['description']}: "
                              f"expected {test['valid']}, got {valid}")
    if opts.json:
        json.dump(verdicts, sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        print(f"{len(verdicts)} vectors, {len(verdicts) - failures} as expected, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
