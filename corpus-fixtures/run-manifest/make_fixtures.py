"""Golden cases for the block, the generic envelope, the JSON dialect and the hash policy.

Run: python3 corpus-fixtures/run-manifest/make_fixtures.py
"""
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "_lib"))
from emit import P, Workspace, dumps, sha256_file  # noqa: E402

NAN = float("nan")
INF = float("inf")
SCRIPT = "ai/scripts/make_report.py"
REPORT = "runs/report.json"


def diag(code, severity, pointer):
    return {"code": code, "severity": severity, "pointer": pointer}


def result(file, valid, diagnostics, family="run-manifest", variant="envelope"):
    return {"file": file, "family": family, "variant": variant, "valid": valid, "diagnostics": diagnostics}


def base(name, description):
    ws = Workspace(HERE / name, description)
    ws.script(SCRIPT)
    ws.write_bytes("data/features.parquet", b"PAR1 fixture table PAR1")
    ws.write_bytes("runs/model.onnx", b"\x08\x08fixture-onnx-graph")
    return ws


def envelope(ws, block, **sections):
    doc = {"schema": "my-report-v1", "run_provenance": block}
    doc.update(sections)
    return doc


# -- valid ---------------------------------------------------------------------------------
ws = base("valid-every-value-form", "A write_run_manifest envelope with every value form of inputs/outputs; the report names itself (first run).")
block = ws.provenance(
    SCRIPT,
    argv=["--features", "data/features.parquet", "--out", REPORT],
    # A default built from the repository root is absolute (any checkout: a fixed one keeps the case stable).
    args={"features": "/home/ci/vmafx/data/features.parquet", "out": REPORT, "lr": 0.001, "seeds": [0, 1], "flag": True, "none": None},
    inputs={"features": P("data/features.parquet"), "teacher": "vmaf_v1.0.16_3d0h", "cache": None, "n": 3, "dry": False,
            "shards": [P("data/features.parquet"), None, "label"], "extra": []},
    outputs={"model": P("runs/model.onnx"), "report": P(REPORT), "report_target": REPORT},
)
ws.write_json(REPORT, envelope(ws, block, metrics={"plcc": 0.97, "srocc": 0.95}, notes="caf\u00e9 \u2014 ok"))
ws.case([result(REPORT, True, [diag("self-reference", "info", "/run_provenance/outputs/report")])], 0)

ws = base("valid-nan-infinity", "Bare NaN/Infinity/-Infinity as the emitters write them (allow_nan=True): warnings, still valid.")
block = ws.provenance(SCRIPT, argv=["--lr", "nan"], args={"lr": NAN})
ws.write_json(REPORT, envelope(ws, block, metrics={"plcc": NAN, "worst_abs": INF, "floor": -INF}))
ws.case([result(REPORT, True, [
    diag("non-standard-number", "warning", "/metrics/plcc"),
    diag("non-standard-number", "warning", "/metrics/worst_abs"),
    diag("non-standard-number", "warning", "/metrics/floor"),
    diag("non-standard-number", "warning", "/run_provenance/args/lr"),
])], 0)

ws = base("strict-json-nan", "--strict-json turns NaN tokens into errors.")
block = ws.provenance(SCRIPT, args={"lr": 0.1})
ws.write_json(REPORT, envelope(ws, block, metrics={"plcc": NAN}))
ws.case([result(REPORT, False, [diag("non-standard-number", "error", "/metrics/plcc")])], 1, flags=["--strict-json"])

ws = base("valid-bare-block", "A bare block (family run-provenance), as build_run_provenance returns it.")
ws.write_json("runs/block.json", ws.provenance(SCRIPT, argv=[], args={}))
ws.case([result("runs/block.json", True, [], family="run-provenance", variant="ai-run-provenance-v1")], 0)

ws = base("unknown-json-walked-is-skipped", "Walking skips JSON files that match no family (and counts them); a named one is an error.")
ws.write_json("config/settings.json", {"colour": "blue"})
ws.write_json(REPORT, envelope(ws, ws.provenance(SCRIPT, args={"x": 1})))
ws.case([result(REPORT, True, [])], 0, skipped=1)

ws = base("unknown-json-named", "A named JSON file that matches no family and has no block: unknown-family error.")
ws.write_json("config/settings.json", {"colour": "blue"})
ws.case([result("config/settings.json", False, [diag("unknown-family", "error", "")], family=None, variant=None)], 1,
        targets=["config/settings.json"])

ws = base("unknown-schema-with-block-is-run-manifest", "Matches no family but carries run_provenance: checked as run-manifest.")
ws.write_json("out/odd.json", {"result": 1, "run_provenance": ws.provenance(SCRIPT, args={})})
ws.case([result("out/odd.json", False, [diag("schema", "error", "")])], 1, targets=["out/odd.json"])

# -- the block's rules -----------------------------------------------------------------------
def bad_block(name, description, mutate, diagnostics):
    ws = base(name, description)
    block = ws.provenance(SCRIPT, args={"x": 1}, inputs={"features": P("data/features.parquet")})
    mutate(block)
    ws.write_json(REPORT, envelope(ws, block))
    ws.case([result(REPORT, False, diagnostics)], 1)

bad_block("invalid-file-without-sha256", "kind file must carry sha256.",
          lambda b: b["inputs"]["features"].pop("sha256"),
          [diag("schema", "error", "/run_provenance/inputs/features")])
bad_block("invalid-uppercase-sha256", "sha256 is 64 lowercase hex digits.",
          lambda b: b["inputs"]["features"].update(sha256=b["inputs"]["features"]["sha256"].upper()),
          [diag("schema", "error", "/run_provenance/inputs/features/sha256")])
bad_block("invalid-directory-with-sha256", "sha256 only with kind file.",
          lambda b: b["inputs"].update(corpus={"path": "data", "exists": True, "kind": "directory", "sha256": "0" * 64}),
          [diag("schema", "error", "/run_provenance/inputs/corpus/sha256")])
bad_block("invalid-file-not-exists", "kind file never has exists:false.",
          lambda b: b["inputs"]["features"].update(exists=False),
          [diag("schema", "error", "/run_provenance/inputs/features/exists")])
bad_block("invalid-extra-block-key", "No builder writes an implementation key.",
          lambda b: b.update(implementation={"path": SCRIPT, "exists": True, "kind": "missing"}),
          [diag("schema", "error", "/run_provenance/implementation")])
bad_block("invalid-empty-outputs", "An emitter leaves an empty map out; {} is never written.",
          lambda b: b.update(outputs={}),
          [diag("schema", "error", "/run_provenance/outputs")])
bad_block("invalid-nested-array", "Arrays hold descriptors and plain values, never arrays.",
          lambda b: b.update(outputs={"shards": [["a"]]}),
          [diag("schema", "error", "/run_provenance/outputs/shards/0")])
bad_block("invalid-wrong-schema-string", "The block's schema string is ai-run-provenance-v1 (v1 checks it by const).",
          lambda b: b.update(schema="ai-run-provenance"),
          [diag("schema", "error", "/run_provenance/schema")])
bad_block("invalid-argv-not-strings", "argv items are strings.",
          lambda b: b.update(argv=["--epochs", 3]),
          [diag("schema", "error", "/run_provenance/argv/1")])
bad_block("invalid-descriptor-typo", "A misspelt descriptor key gives the descriptor's errors, not one per alternative.",
          lambda b: b["inputs"].update(features={"pth": "data/features.parquet", "exists": True, "kind": "missing"}),
          [diag("schema", "error", "/run_provenance/inputs/features"), diag("schema", "error", "/run_provenance/inputs/features/pth")])

# -- the JSON dialect --------------------------------------------------------------------------
def raw(name, description, data, diagnostics, exit_code=1, family="run-manifest", variant="envelope", valid=False):
    ws = base(name, description)
    ws.write_bytes(REPORT, data)
    ws.case([result(REPORT, valid, diagnostics, family=family, variant=variant)], exit_code, targets=[REPORT])

ok_text = dumps(envelope(None, {"schema": "ai-run-provenance-v1", "entrypoint": {"path": "x.py", "exists": False, "kind": "missing"}, "argv": [], "args": {}}))
raw("parse-truncated", "A truncated file is a parse error with a position.", ok_text[: len(ok_text) // 2].encode(),
    [diag("parse-error", "error", "")], family=None, variant=None)
raw("parse-trailing-garbage", "Data after the JSON value.", (ok_text + "}\n").encode(),
    [diag("parse-error", "error", "")], family=None, variant=None)
raw("parse-invalid-utf8", "Invalid UTF-8 bytes.", ok_text.replace("x.py", "x\xff.py").encode("latin-1"),
    [diag("parse-error", "error", "")], family=None, variant=None)
raw("parse-deep-nesting", "Very deep nesting is a clean error, never a crash.", (b"[" * 100000) + (b"]" * 100000),
    [diag("parse-error", "error", "")], family=None, variant=None)
raw("parse-comment", "Comments are not JSON (no emitter writes them).", ("// note\n" + ok_text).encode(),
    [diag("parse-error", "error", "")], family=None, variant=None)
raw("bom-is-a-warning", "A UTF-8 BOM is read, with a warning (Python's json.load rejects it).", b"\xef\xbb\xbf" + ok_text.encode(),
    [diag("parse-error", "warning", "")], exit_code=0, valid=True)
dup = ok_text.replace('"schema": "my-report-v1"', '"schema": "my-report-v1",\n  "__proto__": 1,\n  "schema": "my-report-v1"')
raw("duplicate-key", "Duplicate keys are errors (parsers disagree on the winner); __proto__ is data.", dup.encode(),
    [diag("duplicate-key", "error", "/schema")])

# -- the hash policy (the root is not a git repository in these cases) -------------------------
ws = base("hash-entrypoint-drift-no-git", "The script changed after the run and no git history can vouch: error.")
block = ws.provenance(SCRIPT, args={})
ws.script(SCRIPT, "print('changed after the run')\n")
ws.write_json(REPORT, envelope(ws, block))
ws.case([result(REPORT, False, [diag("hash-mismatch", "error", "/run_provenance/entrypoint/sha256")])], 1)

ws = base("hash-input-missing", "A recorded input file that is gone (a gitignored corpus): info.")
block = ws.provenance(SCRIPT, args={}, inputs={"features": P("data/features.parquet")})
os.remove(ws.root / "data/features.parquet")
ws.write_json(REPORT, envelope(ws, block))
ws.case([result(REPORT, True, [diag("file-missing", "info", "/run_provenance/inputs/features/sha256")])], 0)

ws = base("hash-input-missing-strict", "--strict-missing makes a missing recorded file an error.")
block = ws.provenance(SCRIPT, args={}, inputs={"features": P("data/features.parquet")})
os.remove(ws.root / "data/features.parquet")
ws.write_json(REPORT, envelope(ws, block))
ws.case([result(REPORT, False, [diag("file-missing", "error", "/run_provenance/inputs/features/sha256")])], 1, flags=["--strict-missing"])

ws = base("hash-local-and-outside", "Absolute paths are local-only and ../ paths outside the root: info, never read.")
block = ws.provenance(SCRIPT, args={})
block["inputs"] = {
    "abs": {"path": "/srv/corpora/konvid/features.parquet", "exists": True, "kind": "file", "sha256": "1" * 64},
    "up": {"path": "../elsewhere/table.csv", "exists": True, "kind": "file", "sha256": "2" * 64},
}
ws.write_json(REPORT, envelope(ws, block))
ws.case([result(REPORT, True, [diag("local-only", "info", "/run_provenance/inputs/abs/sha256"),
                               diag("outside-root", "info", "/run_provenance/inputs/up/sha256")])], 0)

ws = base("hash-symlink-escape", "A path inside the root that a symlink sends outside it: warning, never read.")
block = ws.provenance(SCRIPT, args={})
os.symlink("/etc/hostname", ws.root / "data/link.txt")
block["inputs"] = {"linked": {"path": "data/link.txt", "exists": True, "kind": "file", "sha256": "3" * 64}}
ws.write_json(REPORT, envelope(ws, block))
ws.case([result(REPORT, True, [diag("outside-root", "warning", "/run_provenance/inputs/linked/sha256")])], 0)

ws = base("hash-kind-changed", "A recorded file that is now a directory.")
block = ws.provenance(SCRIPT, args={}, inputs={"features": P("data/features.parquet")})
os.remove(ws.root / "data/features.parquet")
(ws.root / "data/features.parquet").mkdir()
(ws.root / "data/features.parquet/part-0").write_bytes(b"x")
ws.write_json(REPORT, envelope(ws, block))
ws.case([result(REPORT, True, [diag("kind-changed", "warning", "/run_provenance/inputs/features/sha256")])], 0)

LFS_CONTENT = b"the real weights, kept in LFS storage"
ws = base("hash-lfs-pointer-match", "A Git LFS pointer in place of the content: its oid is compared.")
ws.write_bytes("data/weights.bin", LFS_CONTENT)
block = ws.provenance(SCRIPT, args={}, inputs={"weights": P("data/weights.bin")})
import hashlib
oid = hashlib.sha256(LFS_CONTENT).hexdigest()
ws.write_text("data/weights.bin", f"version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize {len(LFS_CONTENT)}\n")
ws.write_json(REPORT, envelope(ws, block))
ws.case([result(REPORT, True, [diag("lfs-pointer", "info", "/run_provenance/inputs/weights/sha256")])], 0)

ws = base("hash-lfs-pointer-mismatch", "An LFS pointer whose oid differs from the recorded digest.")
ws.write_bytes("data/weights.bin", LFS_CONTENT)
block = ws.provenance(SCRIPT, args={}, inputs={"weights": P("data/weights.bin")})
ws.write_text("data/weights.bin", f"version https://git-lfs.github.com/spec/v1\noid sha256:{'4' * 64}\nsize 10\n")
ws.write_json(REPORT, envelope(ws, block))
ws.case([result(REPORT, False, [diag("lfs-pointer", "info", "/run_provenance/inputs/weights/sha256"),
                                diag("hash-mismatch", "error", "/run_provenance/inputs/weights/sha256")])], 1)

ws = base("hash-strict-drift", "--strict-drift: a provenance difference is an error whatever history says.")
block = ws.provenance(SCRIPT, args={}, inputs={"features": P("data/features.parquet")})
ws.write_bytes("data/features.parquet", b"PAR1 rebuilt later PAR1")
ws.write_json(REPORT, envelope(ws, block))
ws.case([result(REPORT, False, [diag("hash-mismatch", "error", "/run_provenance/inputs/features/sha256")])], 1, flags=["--strict-drift"])

ws = base("no-hash", "--no-hash: schema checks only, nothing is read beyond the artifact.")
block = ws.provenance(SCRIPT, args={})
ws.script(SCRIPT, "print('changed')\n")
ws.write_json(REPORT, envelope(ws, block))
ws.case([result(REPORT, True, [])], 0, flags=["--no-hash"])

ws = base("gitignore-respected", "Walking honours .gitignore: an ignored broken artifact is not read.")
ws.write_text(".gitignore", "scratch/\n")
ws.write_text("scratch/broken.json", "{ not json")
ws.write_json(REPORT, envelope(ws, ws.provenance(SCRIPT, args={})))
ws.case([result(REPORT, True, [])], 0, skipped=0)

ws = base("usage-missing-path", "A named path that does not exist is a usage error (exit 2).")
ws.case([], 2, targets=["no/such/file.json"])

ws = base("usage-unknown-family", "--family must name a known family (exit 2).")
ws.write_json(REPORT, envelope(ws, ws.provenance(SCRIPT, args={})))
ws.case([], 2, flags=["--family", "no-such-family"])

ws = base("future-major-version", "A block of a newer major version: one clear error naming the version, no flood of v1 errors.")
block = ws.provenance(SCRIPT, args={})
block["schema"] = "ai-run-provenance-v2"
block["new_field"] = {"anything": True}
ws.write_json(REPORT, envelope(ws, block))
ws.case([result(REPORT, False, [diag("schema", "error", "/run_provenance/schema")], variant=None)], 1)
