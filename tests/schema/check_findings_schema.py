"""Every findings file shipped in findings/ validates against findings/findings.schema.json,
and documents the schema must refuse are refused. Run by ctest with Debian's python3 and
python3-jsonschema."""
import copy
import json
import pathlib
import sys

import jsonschema

root = pathlib.Path(sys.argv[1])
schema = json.loads((root / "findings" / "findings.schema.json").read_text(encoding="utf-8"))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)

failures = []
checked = 0
for path in sorted((root / "findings").rglob("*.json")):
    document = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(document, dict) or "foci_findings" not in document:
        continue  # figure specs and the schema itself
    checked += 1
    for error in validator.iter_errors(document):
        failures.append(f"{path.relative_to(root)}: /{'/'.join(map(str, error.path))}: {error.message}")

if checked < 4:
    failures.append(f"expected at least 4 findings files, found {checked}")

example = json.loads((root / "findings" / "examples" / "minimal.json").read_text(encoding="utf-8"))
bad_cases = {
    "direction 'up'": lambda d: d["findings"][0].update(direction="up"),
    "no source_anchor": lambda d: d["findings"][0].pop("source_anchor"),
    "unknown key": lambda d: d["findings"][0].update(colour="red"),
    "location and endpoints": lambda d: d["findings"][1].update(location={"region": "x"}),
    "empty location": lambda d: d["findings"][0].update(location={"hemisphere": "left"}),
    "p above 1": lambda d: d["findings"][1].update(statistic={"p": 1.5}),
    "coordinate beyond 1000 mm": lambda d: d["findings"][1]["endpoints"][1]["coordinate"].update(x=1e300),
    "wrong version": lambda d: d.update(foci_findings=2),
    "study id of 201 characters": lambda d: d["studies"][0].update(id="a" * 201),
    "region name of 1001 characters": lambda d: d["findings"][0]["location"].update(region="海" * 1001),
    "notes of 100001 characters": lambda d: d["findings"][0].update(notes="n" * 100001),
}
for name, mutate in bad_cases.items():
    document = copy.deepcopy(example)
    mutate(document)
    if validator.is_valid(document):
        failures.append(f"the schema accepts a document with {name}")

for failure in failures:
    print(failure)
print(f"{checked} findings files checked against the schema, {len(bad_cases)} bad documents tried")
sys.exit(1 if failures else 0)
