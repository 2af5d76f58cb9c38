"""Golden cases for the block pinned per emitter: one case per variant, derived from a valid case.

A family generator first writes its valid cases, then calls `block_case(...)` for each variant that
carries a block. The helper reads the valid artifact back, applies one change to its
`run_provenance` per mutation, and writes each mutant into its own folder of the new case's
workspace, `repo/<mutation>/<the artifact's path>`, beside copies of the files of the artifact's
own folder that are not JSON (the ONNX a sidecar is found by). The case runs with `--no-hash`:
only the schema and the family's rules speak, so each mutant's expectation is the valid
artifact's own non-hash diagnostics plus what the mutation breaks:

| mutation | the change | expected |
| --- | --- | --- |
| `entrypoint-swapped` | `entrypoint.path` = `ai/scripts/some_other_script.py` | `inconsistent` error at `/run_provenance/entrypoint/path` |
| `args-key-deleted` | one key the emitter always records, deleted | `schema` error at `/run_provenance/args` |
| `args-key-renamed` | one such key renamed `<key>_renamed` | `schema` error at `/run_provenance/args`, `unknown-key` warning at the new key |
| `inputs-key-renamed` | one input name renamed | `schema` error at `/run_provenance/inputs` when the name is always written; `unknown-key` warning |
| `outputs-key-renamed` | one output name renamed | the same at `/run_provenance/outputs` |
| `inputs-deleted` | `inputs` removed | `schema` error at `/run_provenance` when the emitter always writes inputs |
| `args-new-flag` | `args.new_flag_from_a_newer_emitter` = true | `unknown-key` warning only: still valid |

A mutation that does not apply to a variant (no inputs, no outputs) is left out, and the case
description says so. Extra diagnostics that a family's own rules add for one mutation are
passed in `extra`.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from emit import Workspace, dumps

ENTRYPOINT = "ai/scripts/some_other_script.py"
NEW_FLAG = "new_flag_from_a_newer_emitter"
# Codes of the hash stage, which --no-hash turns off.
HASH_CODES = {"hash-mismatch", "historical-match", "file-missing", "local-only", "outside-root", "self-reference", "lfs-pointer", "uncovered-file", "kind-changed", "unreadable"}
MUTATIONS = ["entrypoint-swapped", "args-key-deleted", "args-key-renamed", "inputs-key-renamed", "outputs-key-renamed", "inputs-deleted", "args-new-flag"]


def D(code: str, severity: str, pointer: str) -> dict:
    return {"code": code, "severity": severity, "pointer": pointer}


def _renamed(obj: dict, key: str) -> dict:
    return {(f"{k}_renamed" if k == key else k): v for k, v in obj.items()}


def block_case(
    family_dir: Path,
    variant: str,
    source: str,
    file: str,
    *,
    args_key: str,
    input_key: str | None = None,
    input_required: bool = True,
    output_key: str | None = None,
    output_required: bool = True,
    inputs_required: bool = True,
    extra: dict[str, list[dict]] | None = None,
    family: str | None = None,
    name: str | None = None,
    source_dir: Path | None = None,
) -> None:
    """Write `<family_dir>/block-<variant>/` from the valid case `source` and its artifact `file`.

    `args_key`: an argument the emitters always record (deleted and renamed). `input_key` /
    `output_key`: the name renamed (default: the first one of the block); `*_required` says whether
    the emitters always write it. `inputs_required`: the emitters always write `inputs`.
    `source_dir`: the family folder of the source case, when another generator's folder holds it.
    """
    family = family or family_dir.name
    src_case = (source_dir or family_dir) / source
    spec = json.loads((src_case / "case.json").read_text())
    base = next(e for e in spec["expect"] if e["file"] == file)
    if not base["valid"]:
        raise ValueError(f"{source}/{file}: the source of block mutants must be valid")
    base_diags = [d for d in base["diagnostics"] if d["code"] not in HASH_CODES]
    text = (src_case / "repo" / file).read_text()
    doc = json.loads(text)
    block = doc["run_provenance"]
    inputs = block.get("inputs")
    outputs = block.get("outputs")
    input_key = input_key or (next(iter(inputs)) if inputs else None)
    output_key = output_key or (next(iter(outputs)) if outputs else None)
    if args_key not in block["args"]:
        raise ValueError(f"{source}/{file}: args has no {args_key}")

    def mutant(change) -> dict:
        d = json.loads(text)
        change(d["run_provenance"])
        return d

    plan: list[tuple[str, dict, list[dict]]] = []
    plan.append(("entrypoint-swapped", mutant(lambda b: b["entrypoint"].update(path=ENTRYPOINT)),
                 [D("inconsistent", "error", "/run_provenance/entrypoint/path")]))
    plan.append(("args-key-deleted", mutant(lambda b: b["args"].pop(args_key)), [D("schema", "error", "/run_provenance/args")]))
    plan.append(("args-key-renamed", mutant(lambda b: b.update(args=_renamed(b["args"], args_key))),
                 [D("schema", "error", "/run_provenance/args"), D("unknown-key", "warning", f"/run_provenance/args/{args_key}_renamed")]))
    skipped = []
    for section, key, required in (("inputs", input_key, input_required), ("outputs", output_key, output_required)):
        if key is None:
            skipped.append(f"{section}-key-renamed (the emitter writes no {section})")
            continue
        expect = [D("unknown-key", "warning", f"/run_provenance/{section}/{key}_renamed")]
        if required:
            expect.insert(0, D("schema", "error", f"/run_provenance/{section}"))
        plan.append((f"{section}-key-renamed", mutant(lambda b, s=section, k=key: b.update({s: _renamed(b[s], k)})), expect))
    if inputs is None:
        skipped.append("inputs-deleted (the emitter writes no inputs)")
    elif not inputs_required:
        skipped.append("inputs-deleted (not every emitter of the variant writes inputs)")
    else:
        plan.append(("inputs-deleted", mutant(lambda b: b.pop("inputs")), [D("schema", "error", "/run_provenance")]))
    plan.append(("args-new-flag", mutant(lambda b: b["args"].update({NEW_FLAG: True})), [D("unknown-key", "warning", f"/run_provenance/args/{NEW_FLAG}")]))

    description = (
        f"run_provenance pinned for {family}/{variant}: the valid artifact of {source} ({file}) with one change to its block per folder "
        f"(entrypoint swapped: inconsistent; an args key the emitter always records ({args_key}) deleted or renamed: schema error; "
        f"an inputs/outputs name renamed: unknown-key warning, and a schema error when the name is always written; inputs deleted: schema error; "
        f"a new args flag: unknown-key warning only). Hashing off: the schema and the rules speak."
    )
    if skipped:
        description += " Left out: " + "; ".join(skipped) + "."
    ws = Workspace(family_dir / (name or f"block-{variant}"), description)
    src_dir = (src_case / "repo" / file).parent
    expect = []
    for folder, mutated, diags in plan:
        rel = f"{folder}/{file}"
        target = ws.root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        for sibling in sorted(src_dir.iterdir()):
            if sibling.is_file() and not sibling.name.endswith(".json"):
                shutil.copyfile(sibling, target.parent / sibling.name)
        ws.write_text(rel, dumps(mutated))
        all_diags = base_diags + diags + (extra or {}).get(folder, [])
        expect.append({"file": rel, "family": family, "variant": base["variant"], "valid": not any(x["severity"] == "error" for x in all_diags),
                       "diagnostics": all_diags, **({"schemaValid": False} if folder == "entrypoint-swapped" else {})})
    ws.case(expect, 1, flags=["--no-hash"], targets=[e["file"] for e in expect])
