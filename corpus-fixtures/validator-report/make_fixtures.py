"""Golden cases for family `validator-report` (validator --out-json reports).

Written from the emitter facts summarised in schema/README.md (variants registry-validation,
saliency-student-validation, vmaf-tiny-validation v2/v3/v4, chug-hdr-held-out-test-validator-v1,
quant-parity) and the emitters read for facts. quant-parity writes a hand-rolled block that does not
conform to ai-run-provenance-v1 (entrypoint without sha256, kind always "file", no inputs/outputs).
Run: python3 corpus-fixtures/validator-report/make_fixtures.py
"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "_lib"))
from emit import SCHEMA, P, Workspace  # noqa: E402

NAN = float("nan")
REPO_ABS = "/home/op/vmafx"


def diag(code, severity, pointer):
    return {"code": code, "severity": severity, "pointer": pointer}


def result(file, valid, diagnostics, variant):
    return {"file": file, "family": "validator-report", "variant": variant, "valid": valid, "diagnostics": diagnostics}


def finish(ws, rel, doc, variant, expect=(), extra=(), self_ptr=None):
    ws.write_json(rel, doc)
    bad = [diag("inconsistent", "error", p) for p in expect]
    pre = [diag("self-reference", "info", self_ptr)] if self_ptr else []
    ok = not bad and not any(d["severity"] == "error" for d in extra)
    ws.case([result(rel, ok, pre + list(extra) + bad, variant)], 0 if ok else 1, targets=[rel])


# -- registry-validation ----------------------------------------------------------------------------
def registry(name, description, *, ok=True, errors=(), registry_present=True, schema_present=True, mutate=None, expect=()):
    ws = Workspace(HERE / name, description)
    script = "ai/scripts/validate_model_registry.py"
    ws.script(script)
    if registry_present:
        ws.write_json("model/tiny/registry.json", {"schema_version": 1, "models": []})
    if schema_present:
        ws.write_json("model/tiny/registry.schema.json", {"type": "object"})
    out = "runs/registry_report.json"
    args = {"out_json": out, "registry": f"{REPO_ABS}/model/tiny/registry.json", "schema": f"{REPO_ABS}/model/tiny/registry.schema.json"}
    block = ws.provenance(script, argv=["--out-json", out], args=args,
                          inputs={"registry": P("model/tiny/registry.json"), "schema": P("model/tiny/registry.schema.json")}, outputs={"report": P(out)})
    doc = {"ok": ok, "error_count": len(errors), "errors": list(errors), "model_count": 31 if ok else 0, "run_provenance": block}
    if mutate:
        mutate(doc)
    finish(ws, out, doc, "registry-validation", expect, self_ptr="/run_provenance/outputs/report")


registry("valid-registry-ok", "validate_model_registry.py --out-json on success: ok, no errors, model_count; args paths absolute, input descriptors repo-relative.")
registry("valid-registry-missing-rc2", "rc 2: the registry is missing (inputs.registry kind missing), ok false, model_count 0.", ok=False,
         errors=[f"registry not found: {REPO_ABS}/model/tiny/registry.json"], registry_present=False)
registry("inconsistent-registry-counts", "error_count differs from errors.length; ok true with errors; model_count set on failure.",
         ok=False, errors=["fr_regressor_v1: sha256 mismatch (file=ab, registry=cd)"],
         mutate=lambda d: d.update(ok=True, error_count=2), expect=["/error_count", "/ok"])
registry("inconsistent-registry-model-count", "ok false with a non-zero model_count.", ok=False, errors=["registry.models must be a list"],
         mutate=lambda d: d.update(model_count=4), expect=["/model_count"])
registry("inconsistent-registry-missing-no-message", "inputs.registry was missing but no 'registry not found' message.", ok=False,
         errors=["schema: <root>: 'models' is a required property"], registry_present=False, expect=["/run_provenance/inputs/registry"])

registry("valid-registry-both-missing-rc2", "rc 2 with both the registry and the schema missing: the validator stops at the first 'not found', so errors names only the registry; the missing schema without its own message is not inconsistent.",
         ok=False, errors=[f"registry not found: {REPO_ABS}/model/tiny/registry.json"], registry_present=False, schema_present=False)
registry("inconsistent-registry-not-found-but-file", "errors says 'registry not found' but inputs.registry is a file descriptor (the message pairs with kind missing).",
         ok=False, errors=[f"registry not found: {REPO_ABS}/model/tiny/registry.json"], expect=["/run_provenance/inputs/registry/kind"])


# -- saliency-student-validation ----------------------------------------------------------------------
def saliency(name, description, codes, mutate=None, expect=()):
    ws = Workspace(HERE / name, description)
    script = "ai/scripts/validate_saliency_student.py"
    ws.script(script)
    ws.write_bytes("model/tiny/saliency_student_v1.onnx", b"\x08\x08saliency")
    out = "runs/saliency_student_validate.json"
    rc = dict(codes, overall=max(codes.values()))
    args = {"onnx": f"{REPO_ABS}/model/tiny/saliency_student_v1.onnx", "out_json": out, "seed": 0, "threshold": 1e-05}
    doc = {"ok": rc["overall"] == 0, "checks": {k: v == 0 for k, v in codes.items()}, "return_codes": rc,
           "run_provenance": ws.provenance(script, argv=["--out-json", out], args=args, inputs={"onnx": P("model/tiny/saliency_student_v1.onnx")},
                                           outputs={"report": P(out)})}
    if mutate:
        mutate(doc)
    finish(ws, out, doc, "saliency-student-validation", expect, self_ptr="/run_provenance/outputs/report")


saliency("valid-saliency-student-registry-fail", "The registry subprocess failed (rc 1): ok false.", {"op_allowlist": 0, "pt_ort_parity": 0, "registry": 1})
saliency("valid-saliency-student-signal-killed", "The registry subprocess was killed by a signal (rc -9): overall = max = 0, so ok is true while checks.registry is false.",
         {"op_allowlist": 0, "pt_ort_parity": 0, "registry": -9})
saliency("inconsistent-saliency-student", "ok true with overall 1; overall not the max; checks.op_allowlist disagrees with its code.",
         {"op_allowlist": 1, "pt_ort_parity": 0, "registry": 0},
         mutate=lambda d: (d.update(ok=True), d["return_codes"].update(overall=1), d["checks"].update(op_allowlist=True)),
         expect=["/ok", "/checks/op_allowlist"])


# -- vmaf-tiny-validation -----------------------------------------------------------------------------
def tiny(name, description, version, *, compare=(), compare_missing=(), plcc=0.998731, mutate=None, expect=(), extra=()):
    ws = Workspace(HERE / name, description)
    script = f"ai/scripts/validate_vmaf_tiny_{version}.py"
    ws.script(script)
    ws.write_bytes(f"model/tiny/vmaf_tiny_{version}.onnx", b"\x08\x08tiny" + version.encode())
    ws.write_bytes("runs/full_features_netflix.parquet", b"PAR1 netflix PAR1")
    out = f"runs/validate_{version}.json"
    flags = {"v2": ["v1_onnx"], "v3": ["v2_onnx"], "v4": ["v2_onnx", "v3_onnx"]}[version]
    args = {"input_name": "features", "min_plcc": 0.97, "onnx": f"model/tiny/vmaf_tiny_{version}.onnx", "out_json": out,
            "parquet": "runs/full_features_netflix.parquet", "rows": 100}
    inputs = {"onnx": P(f"model/tiny/vmaf_tiny_{version}.onnx"), "parquet": P("runs/full_features_netflix.parquet")}
    argv = ["--onnx", args["onnx"], "--parquet", args["parquet"], "--out-json", out]
    diffs = {}
    for f in flags:
        prev = f.split("_")[0]
        path = f"model/tiny/vmaf_tiny_{prev}.onnx"
        if f in compare or f in compare_missing:
            if f in compare:
                ws.write_bytes(path, b"\x08\x08old" + prev.encode())
                diffs[prev] = {"max_abs": 0.5731, "mean": -0.0412}
            args[f] = path
            inputs[f] = P(path)
            argv += [f"--{prev}-onnx", path]
        else:
            args[f] = None
            inputs[f] = None
    doc = {"model": f"vmaf_tiny_{version}", "rows": 100, "min_plcc": 0.97, "plcc": plcc, "rmse": 0.6112, "gate_pass": plcc >= 0.97,
           "sample_predictions": [94.8812, 95.0334, 95.1207, 94.9921, 95.2448], "sample_truth": [95.12, 95.3, 95.04, 94.87, 95.51],
           "run_provenance": ws.provenance(script, argv=argv, args=args, inputs=inputs, outputs={"report": P(out)})}
    if diffs:
        if version == "v4":
            doc["diffs"] = diffs
        else:
            doc[f"{next(iter(diffs))}_diff"] = next(iter(diffs.values()))
    if mutate:
        mutate(doc)
    finish(ws, out, doc, "vmaf-tiny-validation", expect, extra, self_ptr="/run_provenance/outputs/report")


tiny("valid-vmaf-tiny-v2-no-compare", "validate_vmaf_tiny_v2.py without --v1-onnx: inputs.v1_onnx null, no v1_diff.", "v2")
tiny("valid-vmaf-tiny-v3-compare", "validate_vmaf_tiny_v3.py with --v2-onnx present: v2_diff written.", "v3", compare=("v2_onnx",))
tiny("valid-vmaf-tiny-v4-partial-nan", "validate_vmaf_tiny_v4.py: v2 compared, --v3-onnx given but absent (missing descriptor, no diffs.v3); plcc NaN fails the gate.",
     "v4", compare=("v2_onnx",), compare_missing=("v3_onnx",), plcc=NAN, extra=[diag("non-standard-number", "warning", "/plcc")])
tiny("inconsistent-vmaf-tiny-gate", "gate_pass true below min_plcc; model differs from the entrypoint's model.", "v3", plcc=0.95,
     mutate=lambda d: d.update(gate_pass=True, model="vmaf_tiny_v4"), expect=["/gate_pass", "/model"])
tiny("inconsistent-vmaf-tiny-diff-without-input", "A v1_diff although --v1-onnx was not given (inputs.v1_onnx null).", "v2",
     mutate=lambda d: d.update(v1_diff={"max_abs": 0.1, "mean": 0.0}), expect=["/v1_diff"])
tiny("schema-vmaf-tiny-wrong-diff-key", "A v3 report with a v4-only diffs block and a diff carrying both error and mean: schema errors.", "v3", compare=("v2_onnx",),
     mutate=lambda d: (d.update(diffs={"v2": {"max_abs": 0.1, "mean": 0.0}}), d["v2_diff"].update(error="boom")),
     extra=[diag("schema", "error", "/diffs"), diag("schema", "error", "/v2_diff/mean"), diag("schema", "error", "/v2_diff/max_abs")])


# -- chug-hdr-held-out-test-validator-v1 ---------------------------------------------------------------
def chug(name, description, *, plcc=0.8712, mutate=None, expect=(), extra=()):
    ws = Workspace(HERE / name, description)
    script = "ai/scripts/validate_chug_hdr_mos_head.py"
    ws.script(script)
    ws.write_bytes("model/tiny/chug_hdr_mos_head_v1.onnx", b"\x08\x08chug")
    shards = [".corpus/chug/training/fr_canonical_shards/output/shard_000.features.jsonl", ".corpus/chug/training/fr_canonical_shards/output/shard_001.features.jsonl"]
    for i, s in enumerate(shards):
        ws.write_text(s, f'{{"split": "test", "mos": 3.{i}}}\n')
    out = ".workingdir2/training/validation/chug_held_out_test_20260527.json"
    md = ".workingdir2/training/validation/chug_held_out_test_20260527.md"
    srocc, rmse = 0.8455, 0.4138
    args = {"feature_jsonl": [], "gate_plcc": 0.85, "gate_rmse": 0.45, "gate_srocc": 0.82, "onnx": "model/tiny/chug_hdr_mos_head_v1.onnx",
            "out_json": f"{REPO_ABS}/{out}", "out_md": f"{REPO_ABS}/{md}", "shard_dir": f"{REPO_ABS}/.corpus/chug/training/fr_canonical_shards/output"}
    passed = plcc == plcc and plcc >= 0.85 and srocc >= 0.82 and rmse <= 0.45
    doc = {"schema": "chug-hdr-held-out-test-validator-v1", "corpus": "chug-hdr", "split": "test", "n_test_rows": 552, "feature_schema": "chug-hdr-wide-v1",
           "metrics": {"plcc": plcc, "srocc": srocc, "rmse": rmse},
           "gate": {"passed": passed, "plcc": plcc, "srocc": srocc, "rmse": rmse, "thresholds": {"plcc_min": 0.85, "rmse_max": 0.45, "srocc_min": 0.82}},
           "sample_predictions": [3.412, 2.887, 3.954, 3.101, 2.456], "sample_mos": [3.55, 2.71, 4.02, 3.24, 2.3],
           "run_provenance": ws.provenance(script, argv=["--onnx", "model/tiny/chug_hdr_mos_head_v1.onnx"], args=args,
                                           inputs={"onnx": P("model/tiny/chug_hdr_mos_head_v1.onnx"), "shards": [P(s) for s in shards]},
                                           outputs={"json": P(out), "md": P(md)})}
    if mutate:
        mutate(doc)
    ws.write_json(out, doc)
    ws.write_text(md, "# CHUG HDR MOS Head - Held-Out Test Validation\n")
    bad = [diag("inconsistent", "error", p) for p in expect]
    ok = not bad and not any(d["severity"] == "error" for d in extra)
    ws.case([result(out, ok, [diag("self-reference", "info", "/run_provenance/outputs/json")] + list(extra) + bad, "chug-hdr-held-out-test-validator-v1")],
            0 if ok else 1, targets=[out])


chug("valid-chug-validator-pass", "validate_chug_hdr_mos_head.py: write_run_manifest envelope (top-level schema), shards an array of descriptors, json/md outputs stale by design (md first run: missing).")
chug("valid-chug-validator-nan-fail", "plcc NaN (constant predictions): gate.passed false, NaN in metrics and gate.", plcc=NAN,
     extra=[diag("non-standard-number", "warning", "/metrics/plcc"), diag("non-standard-number", "warning", "/gate/plcc")])
chug("inconsistent-chug-validator", "gate.plcc differs from metrics.plcc; passed true with rmse over the threshold; a threshold differs from args.gate_rmse.",
     mutate=lambda d: (d["gate"].update(plcc=0.9, rmse=0.6), d["gate"]["thresholds"].update(rmse_max=0.5)),
     expect=["/gate/plcc", "/gate/rmse", "/gate/passed", "/gate/thresholds/rmse_max"])


# -- quant-parity --------------------------------------------------------------------------------------
def hand_rolled_block(ws, script, argv, args, *, script_exists=True):
    """validate_quant_parity.py's own block: no sha256, kind hard-coded "file", no inputs/outputs."""
    return {"schema": SCHEMA, "entrypoint": {"path": script, "exists": script_exists, "kind": "file"}, "argv": argv, "args": dict(sorted(args.items()))}


def quant(name, description, *, mutate=None, expect=(), extra=(), script_exists=True, gt=True):
    ws = Workspace(HERE / name, description)
    script = "ai/scripts/validate_quant_parity.py"
    if script_exists:
        ws.script(script)
    out = "runs/quant_parity.json"
    th = {"max_mean_delta": 0.1, "max_single_delta": 0.5, "min_plcc": 0.99}
    args = {"all": False, "features": f"{REPO_ABS}/testdata/scores_cpu_576.json", "fp32": None, "int8": None, **th, "model": None,
            "model_id": None, "onnx": "vmaf_tiny_v3", "out_json": out}
    m = {"model_id": "vmaf_tiny_v3", "fp32_path": f"{REPO_ABS}/model/tiny/vmaf_tiny_v3.onnx", "int8_path": f"{REPO_ABS}/model/tiny/vmaf_tiny_v3.int8.onnx",
         "n_frames": 48, "mean_abs_delta": 0.1437, "max_abs_delta": 0.6021, "plcc": 0.99812, "pass_mean": False, "pass_max": False, "pass_plcc": True,
         "ok": False, "fp32_sample": [92.1432, 91.8876, 92.0041, 91.7712, 92.3308], "int8_sample": [92.0215, 91.7301, 91.8809, 91.6614, 92.1874],
         "gt_plcc_fp32": 0.99641 if gt else None, "gt_plcc_int8": 0.99517 if gt else None}
    doc = {"gate_pass": False, "thresholds": th, "features_path": f"{REPO_ABS}/testdata/scores_cpu_576.json", "n_frames": 48, "models": [m],
           "run_provenance": hand_rolled_block(ws, script, ["vmaf_tiny_v3", "--out-json", out], args, script_exists=script_exists)}
    if mutate:
        mutate(doc)
    finish(ws, out, doc, "quant-parity", expect, extra)


quant("valid-quant-parity-hand-rolled-block", "validate_quant_parity.py --out-json: the hand-rolled block (entrypoint without sha256, no inputs/outputs) is accepted for this variant only.")
quant("valid-quant-parity-script-absent-no-gt", "The hand-rolled block records kind \"file\" even when the script did not exist (exists false); features without ground truth: gt_plcc_* null.",
      script_exists=False, gt=False)
def two_models(d):
    d["gate_pass"] = True
    d["models"][0]["pass_plcc"] = False
    second = dict(d["models"][0], model_id="vmaf_tiny_v4", pass_plcc=True, ok=True, n_frames=47)
    d["models"].append(second)


quant("inconsistent-quant-parity", "gate_pass true with a failing model; pass_plcc contradicts the threshold; a model ok although pass_max is false, with another n_frames.",
      mutate=two_models, expect=["/gate_pass", "/models/0/pass_plcc", "/models/1/ok", "/models/1/n_frames"])
quant("schema-quant-parity-block-inputs", "A quant-parity block with inputs: the emitter never writes them (and a conforming block shape is not what it writes either).",
      mutate=lambda d: d["run_provenance"].update(inputs={"features": {"exists": True, "kind": "file", "path": "testdata/scores_cpu_576.json", "sha256": "0" * 64}}),
      extra=[diag("schema", "error", "/run_provenance/inputs"), diag("file-missing", "info", "/run_provenance/inputs/features/sha256")])

# ---- the block pinned per emitter (issue 14): one case per variant, derived from a valid case
from block_mutants import D as _D, block_case  # noqa: E402

block_case(HERE, "registry-validation", "valid-registry-ok", "runs/registry_report.json", args_key="out_json")
block_case(HERE, "saliency-student-validation", "valid-saliency-student-registry-fail", "runs/saliency_student_validate.json", args_key="seed")
block_case(HERE, "vmaf-tiny-validation", "valid-vmaf-tiny-v3-compare", "runs/validate_v3.json", args_key="input_name", input_key="v2_onnx")
block_case(HERE, "chug-hdr-held-out-test-validator-v1", "valid-chug-validator-pass", ".workingdir2/training/validation/chug_held_out_test_20260527.json", args_key="shard_dir")
block_case(HERE, "quant-parity", "valid-quant-parity-hand-rolled-block", "runs/quant_parity.json", args_key="model_id")
