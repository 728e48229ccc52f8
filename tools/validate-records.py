#!/usr/bin/env python3
"""Validate NDJSON incident records against Schemas/incident.schema.json with a real JSON Schema
validator (not our own decoder).

usage: tools/validate-records.py FILE.ndjson [SCHEMA]   ('-' reads stdin)
Prints one line per invalid record (line number and what is wrong) and exits 1 if any; exits 0
when every record is valid. Needs the `jsonschema` package (pip install jsonschema).
"""
import json, os, sys

try:
    import jsonschema
except ImportError:
    sys.exit("validate-records: the jsonschema package is missing (pip install jsonschema)")

args = sys.argv[1:]
if not args:
    sys.exit(__doc__)
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
schema_path = args[1] if len(args) > 1 else os.path.join(root, "Schemas", "incident.schema.json")
with open(schema_path, encoding="utf-8") as handle:
    schema = json.load(handle)
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)

source = sys.stdin if args[0] == "-" else open(args[0], encoding="utf-8")
bad = records = 0
for number, line in enumerate(source, 1):
    if not line.strip():
        continue
    records += 1
    try:
        record = json.loads(line)
    except ValueError as error:
        print(f"line {number}: not JSON: {error}")
        bad += 1
        continue
    errors = sorted(validator.iter_errors(record), key=lambda e: list(e.path))
    for error in errors:
        where = "/".join(str(p) for p in error.path) or "(record)"
        print(f"line {number}, {where}: {error.message}")
    bad += 1 if errors else 0
print(f"{records - bad} of {records} records valid", file=sys.stderr)
sys.exit(1 if bad else 0)
