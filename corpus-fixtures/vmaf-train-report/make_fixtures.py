"""Golden cases for family vmaf-train-report (`vmaf-train <subcommand> --json`).

Written from the emitter facts summarised in schema/README.md
("Facts behind each family"), not from the emitter's code.
Run: python3 corpus-fixtures/vmaf-train-report/make_fixtures.py
"""
import copy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "_lib"))
from emit import P, Workspace  # noqa: E402

NAN = float("nan")
FAM = "vmaf-train-report"
CLI = "ai/src/vmaf_train/cli.py"
FR = "model/tiny/fr_regressor_v1.onnx"
FEAT = "runs/feat.parquet"


def diag(code, severity, pointer):
    return {"code": code, "severity": severity, "pointer": pointer}


def nan(*pointers):
    return [diag("non-standard-number", "warning", p) for p in pointers]


BAD = lambda p: diag("inconsistent", "error", p)  # noqa: E731
SCHEMA = lambda p: diag("schema", "error", p)  # noqa: E731


def make(name, description, sub, payload, args, argv, inputs, variant=None, extra=(), mutate=None, outputs_extra=None):
    ws = Workspace(HERE / name, description)
    ws.script(CLI, '"""vmaf-train CLI (fixture)."""\n')
    ws.write_bytes(FR, b"\x08\x07fr-v1")
    ws.write_bytes(FEAT, b"PAR1 features PAR1")
    ws.write_bytes("model/tiny/learned_filter_v1.onnx", b"\x08\x07lf")
    ws.write_bytes("runs/frames.npy", b"\x93NUMPY frames")
    for i in (0, 10, 20, 30):
        ws.write_bytes(f"ckpt/epoch_{i:02d}.onnx", f"ckpt{i}".encode())
    report = args["json"]
    outputs = {"json_report": report, **(outputs_extra or {})}  # plain strings, never descriptors
    doc = copy.deepcopy(payload)
    doc["run_provenance"] = ws.provenance(CLI, argv=[sub, *argv, "--json", report], args=args, inputs=inputs, outputs=outputs)
    if mutate:
        mutate(doc)
    ws.write_json(report, doc)
    diags = list(extra)
    valid = not any(d["severity"] == "error" for d in diags)
    ws.case([{"file": report, "family": FAM, "variant": variant or sub, "valid": valid, "diagnostics": diags}], 0 if valid else 1, targets=[report])


# -- validate-norm -----------------------------------------------------------------------------
def vn(name, description, mutate=None, extra=()):
    drift = {"declared_mean": 0.93, "declared_std": 0.05, "mean_shift_sigma": NAN, "name": "adm2", "observed_mean": NAN,
             "observed_std": NAN, "outlier_fraction": 0.01}
    make(name, description, "validate-norm",
         {"drifts": [drift], "n_samples": 5120, "ok": True, "sidecar": "model/tiny/fr_regressor_v1.json", "warnings": []},
         {"fail_on_warning": False, "features": FEAT, "json": "runs/validate_norm.json", "model": FR},
         ["--model", FR, "--features", FEAT], {"model": P(FR), "features": P(FEAT)}, mutate=mutate,
         extra=[*nan("/drifts/0/mean_shift_sigma", "/drifts/0/observed_mean", "/drifts/0/observed_std"), *extra])


vn("valid-validate-norm", "NaN parquet cells give NaN observed statistics (not masked); no warning, ok true.")
vn("invalid-validate-norm-ok", "ok is true exactly when warnings is empty.", mutate=lambda d: d.update(warnings=["adm2: declared mean drift 4.00\u03c3 from observed data"]),
   extra=[BAD("/ok")])

# -- profile -----------------------------------------------------------------------------------
NR = "model/tiny/learned_filter_v1.onnx"


def prof(name, description, provider=None, mutate=None, extra=()):
    res = {"iters": 100, "mean_ms": 1.84, "p50_ms": 1.79, "p99_ms": 2.61, "peak_rss_delta_kb": 10452, "provider": "CPUExecutionProvider", "shape": [1, 1, 224, 224]}
    make(name, description, "profile", {"model": NR, "results": [res]},
         {"iters": 100, "json": "runs/profile.json", "model": NR, "provider": provider, "shape": None, "warmup": 5},
         ["--model", NR], {"model": P(NR)}, mutate=mutate, extra=extra)


prof("valid-profile", "Repeatable options not given are null in args (Typer >= 0.10).")
prof("invalid-profile-provider", "With --provider only the requested providers are profiled.", provider=["CUDAExecutionProvider"],
     extra=[BAD("/results/0/provider")])
prof("invalid-profile-negative-rss", "peak_rss_delta_kb is a non-negative integer.", mutate=lambda d: d["results"][0].update(peak_rss_delta_kb=-3),
     extra=[SCHEMA("/results/0/peak_rss_delta_kb")])

# -- audit-learned-filter ----------------------------------------------------------------------
FRAME = {"clip_fraction": 0.0004, "max_abs_delta": 0.11, "mean_input": 0.42, "mean_output": 0.43, "mean_shift": 0.01, "ssim": 0.97,
         "std_input": 0.21, "std_output": 0.2, "std_ratio": 0.952}


def alf(name, description, mutate=None, extra=()):
    f2 = dict(FRAME, mean_shift=-0.03, std_ratio=1.1, clip_fraction=0.0001)
    make(name, description, "audit-learned-filter",
         {"avg_ssim": 0.97, "frames": [dict(FRAME), f2], "max_clip_fraction": 0.0004, "max_mean_shift": 0.03, "max_std_ratio": 1.1,
          "model": NR, "n_frames": 2, "ok": True, "peak": 1.0, "warnings": []},
         {"clip_fraction_max": 0.01, "fail_on_warning": False, "frames": "runs/frames.npy", "input_name": "input", "json": "runs/lf_audit.json",
          "mean_shift_max": 0.05, "model": NR, "peak": 1.0, "ssim_min": 0.6, "std_ratio_max": 2.0},
         ["--model", NR, "--frames", "runs/frames.npy"], {"model": P(NR), "frames": P("runs/frames.npy")}, mutate=mutate, extra=extra)


alf("valid-audit-learned-filter", "Two frames; summary maxima over the frames (max |mean_shift|).")
alf("invalid-alf-n-frames", "n_frames is the number of frames.", mutate=lambda d: d.update(n_frames=3), extra=[BAD("/n_frames")])
alf("invalid-alf-max-std-ratio", "max_std_ratio is the maximum over frames.", mutate=lambda d: d.update(max_std_ratio=0.952), extra=[BAD("/max_std_ratio")])

# -- quantize-int8 -----------------------------------------------------------------------------
def q8(name, description, mutate=None, extra=()):
    make(name, description, "quantize-int8",
         {"compression_ratio": 10240 / 6144, "fp32_bytes": 10240, "fp32_path": FR, "int8_bytes": 6144, "int8_path": "runs/fr_regressor_v1.int8.onnx",
          "max_abs_error": 0.8123, "n_calibration": 512, "n_held_out": 128, "rmse": 0.2311},
         {"batch_size": 32, "calibration": FEAT, "fp32": FR, "input_name": "features", "json": "runs/q8.json", "n_calibration": 512,
          "output": "runs/fr_regressor_v1.int8.onnx", "rmse_gate": 1.0},
         ["--fp32", FR, "--output", "runs/fr_regressor_v1.int8.onnx", "--calibration", FEAT],
         {"fp32": P(FR), "calibration": P(FEAT)}, mutate=mutate, extra=extra, outputs_extra={"int8_model": "runs/fr_regressor_v1.int8.onnx"})


q8("valid-quantize-int8", "outputs.json_report and outputs.int8_model are plain strings (never hashed); the int8 file is not even present.")
q8("invalid-q8-ratio", "compression_ratio is fp32_bytes / int8_bytes.", mutate=lambda d: d.update(compression_ratio=2.0), extra=[BAD("/compression_ratio")])
q8("invalid-q8-int8-path", "int8_path is --output as given (also outputs.int8_model).", mutate=lambda d: d.update(int8_path="runs/other.int8.onnx"),
   extra=[BAD("/int8_path"), BAD("/int8_path")])
q8("invalid-q8-held-out", "n_held_out is at most 128.", mutate=lambda d: d.update(n_held_out=256), extra=[SCHEMA("/n_held_out")])

# -- cross-backend -----------------------------------------------------------------------------
def xb(name, description, mutate=None, extra=(), comparisons=None, missing=None, provider=("CUDAExecutionProvider", "OpenVINOExecutionProvider")):
    comps = comparisons if comparisons is not None else [{"max_abs_error": 0.00021, "mean_abs_error": 3.1e-05, "provider": "CUDAExecutionProvider", "shape": [256, 6]}]
    miss = missing if missing is not None else ["OpenVINOExecutionProvider"]
    make(name, description, "cross-backend",
         {"atol": 0.001, "comparisons": comps, "missing": miss, "model": FR, "ok": all(c["max_abs_error"] <= 0.001 for c in comps),
          "reference_provider": "CPUExecutionProvider"},
         {"atol": 0.001, "fail_on_mismatch": False, "features": FEAT, "json": "runs/xb.json", "model": FR, "n_rows": 256,
          "provider": list(provider) if provider else None, "shape": None},
         ["--model", FR, "--features", FEAT], {"model": P(FR), "features": P(FEAT)}, mutate=mutate, extra=extra)


xb("valid-cross-backend", "CUDA compared, OpenVINO requested but missing.")
xb("valid-cross-backend-cpu-only", "No alternate provider: comparisons [] and ok true.", comparisons=[], missing=[], provider=None)
xb("valid-cross-backend-nan", "A NaN max error fails the atol check: ok false.",
   comparisons=[{"max_abs_error": NAN, "mean_abs_error": NAN, "provider": "CUDAExecutionProvider", "shape": [256, 6]}],
   extra=nan("/comparisons/0/max_abs_error", "/comparisons/0/mean_abs_error"))
xb("invalid-xb-ok", "ok is true only when every max_abs_error <= atol.",
   mutate=lambda d: d["comparisons"][0].update(max_abs_error=0.01), extra=[BAD("/ok")])
xb("invalid-xb-providers", "comparisons plus missing are the requested providers.", mutate=lambda d: d.update(missing=[]), extra=[BAD("/comparisons")])
xb("invalid-xb-reference", "The reference provider is always CPU.", mutate=lambda d: d.update(reference_provider="CUDAExecutionProvider"),
   extra=[SCHEMA("/reference_provider")])

# -- bisect-model-quality ----------------------------------------------------------------------
MODELS = [f"ckpt/epoch_{i:02d}.onnx" for i in (0, 10, 20, 30)]


def step(i, plcc, passed=None):
    return {"index": i, "model": MODELS[i], "passed": plcc >= 0.9 if passed is None else passed,
            "report": {"n": 900, "plcc": plcc, "rmse": 4.1 + i, "srocc": plcc - 0.01}}


def bis(name, description, steps, fb, lg, verdict, mutate=None, extra=()):
    make(name, description, "bisect-model-quality",
         {"first_bad_index": fb, "first_bad_model": MODELS[fb] if fb is not None else None, "last_good_index": lg,
          "last_good_model": MODELS[lg] if lg is not None else None, "n_models": 4, "steps": steps, "threshold_kind": "min_plcc",
          "threshold_value": 0.9, "verdict": verdict},
         {"fail_on_first_bad": False, "features": "runs/heldout.parquet", "input_name": "input", "json": "runs/bisect.json", "max_rmse": None,
          "min_plcc": 0.9, "min_srocc": None, "models": MODELS},
         [*MODELS, "--features", "runs/heldout.parquet", "--min-plcc", "0.9"],
         {"models": [P(m) for m in MODELS], "features": P(FEAT)}, mutate=mutate, extra=extra)


BISECTED = [step(0, 0.95), step(1, 0.93), step(2, 0.81), step(3, 0.62)]
V_BIS = "first bad: index 2 (epoch_20.onnx) \u2014 last good: index 1 (epoch_10.onnx)"
bis("valid-bisect", "A bisection: first bad 2, last good 1; the verdict's dash is written as \\u2014.", BISECTED, 2, 1, V_BIS)
bis("valid-bisect-first-fails", "The first model already fails: only first_bad_* set; both ends visited.", [step(0, 0.5), step(3, 0.4)], 0, None,
    "first model (index 0) already fails gate; nothing to bisect")
bis("valid-bisect-nan-fails", "A NaN PLCC fails a min_plcc gate (NaN >= x is false); the last model still passes.",
    [step(0, 0.95), step(3, NAN, passed=False)], 3, 2, V_BIS.replace("2 (epoch_20", "3 (epoch_30").replace("1 (epoch_10", "2 (epoch_20"),
    mutate=lambda d: d["steps"].insert(1, step(2, 0.91)) or d["steps"].insert(1, step(1, 0.92)),
    extra=nan("/steps/3/report/plcc", "/steps/3/report/srocc"))
bis("invalid-bisect-passed", "passed follows the gate.", BISECTED, 2, 1, V_BIS, mutate=lambda d: d["steps"][2].update(passed=True),
    extra=[BAD("/steps/2/passed"), BAD("/first_bad_index")])
bis("invalid-bisect-adjacent", "A bisection ends with first_bad_index = last_good_index + 1.", BISECTED, 2, 1, V_BIS,
    mutate=lambda d: d.update(last_good_index=0, last_good_model=MODELS[0]), extra=[BAD("/first_bad_index")])
bis("invalid-bisect-model-name", "first_bad_model is the model of that step.", BISECTED, 2, 1, V_BIS,
    mutate=lambda d: d.update(first_bad_model=MODELS[3]), extra=[BAD("/first_bad_model")])
bis("invalid-bisect-unsorted", "Steps are sorted by index and include both ends.", BISECTED, 2, 1, V_BIS,
    mutate=lambda d: d.update(steps=[d["steps"][1], d["steps"][0], d["steps"][2]]), extra=[BAD("/steps/1/index"), BAD("/steps")])
bis("invalid-bisect-threshold", "threshold_value is the gate given on the command line.", BISECTED, 2, 1, V_BIS,
    mutate=lambda d: d.update(threshold_value=0.8), extra=[BAD("/threshold_value"), BAD("/steps/2/passed")])

# -- detection ---------------------------------------------------------------------------------
make("valid-detect-by-keys", "argv empty (a programmatic call): the key set still tells the subcommand.", "cross-backend",
     {"atol": 0.001, "comparisons": [], "missing": [], "model": FR, "ok": True, "reference_provider": "CPUExecutionProvider"},
     {"atol": 0.001, "fail_on_mismatch": False, "features": None, "json": "runs/xb.json", "model": FR, "n_rows": 256, "provider": None, "shape": "1,6"},
     [], {"model": P(FR)}, mutate=lambda d: d["run_provenance"].update(argv=[]))
q8("invalid-q8-n-calibration", "n_calibration is --n-calibration (the calibration slice has exactly that many rows).",
   mutate=lambda d: d.update(n_calibration=500), extra=[BAD("/n_calibration")])

# -- more rules --------------------------------------------------------------------------------
alf("invalid-alf-peak", "peak is --peak.", mutate=lambda d: d.update(peak=255.0), extra=[BAD("/peak")])
alf("invalid-alf-ok", "ok is true exactly when warnings is empty.", mutate=lambda d: d.update(ok=False), extra=[BAD("/ok")])
q8("invalid-q8-fp32-path", "fp32_path is --fp32 as given.", mutate=lambda d: d.update(fp32_path="/abs/model/tiny/fr_regressor_v1.onnx"),
   extra=[BAD("/fp32_path")])
xb("invalid-xb-atol", "atol is --atol.", mutate=lambda d: d.update(atol=0.01), extra=[BAD("/atol")])
xb("invalid-xb-features-input", "inputs.features is recorded exactly when --features was given.",
   mutate=lambda d: d["run_provenance"]["inputs"].pop("features"), extra=[BAD("/run_provenance/inputs")])
xb("invalid-xb-both", "A provider is either compared or missing.", mutate=lambda d: d.update(missing=["CUDAExecutionProvider", "OpenVINOExecutionProvider"]),
   extra=[BAD("/comparisons/0/provider")])
bis("invalid-bisect-n-models", "n_models is the number of models given.", BISECTED, 2, 1, V_BIS, mutate=lambda d: d.update(n_models=5),
    extra=[BAD("/n_models"), BAD("/steps")])
bis("invalid-bisect-missing-end", "Both ends are always evaluated.", BISECTED, 2, 1, V_BIS, mutate=lambda d: d["steps"].pop(),
    extra=[BAD("/steps")])
bis("invalid-bisect-verdict", "The verdict names the bisection result.", BISECTED, 2, 1, V_BIS,
    mutate=lambda d: d.update(verdict="last model still passes gate; no regression in this range"), extra=[BAD("/verdict")])
bis("invalid-bisect-kind", "threshold_kind is the one gate given.", BISECTED, 2, 1, V_BIS, mutate=lambda d: d.update(threshold_kind="min_srocc"),
    extra=[BAD("/threshold_kind")])
bis("invalid-bisect-first-fails-indices", "When the first model fails, last_good_index is null.", [step(0, 0.5), step(3, 0.4)], 0, None,
    "first model (index 0) already fails gate; nothing to bisect", mutate=lambda d: d.update(last_good_index=3, last_good_model=MODELS[3]),
    extra=[BAD("/last_good_index")])

# ---- the block pinned per emitter (issue 14): one case per variant, derived from a valid case
from block_mutants import D as _D, block_case  # noqa: E402

block_case(HERE, "validate-norm", "valid-validate-norm", "runs/validate_norm.json", args_key="fail_on_warning")
block_case(HERE, "profile", "valid-profile", "runs/profile.json", args_key="warmup")
block_case(HERE, "audit-learned-filter", "valid-audit-learned-filter", "runs/lf_audit.json", args_key="fail_on_warning")
block_case(HERE, "quantize-int8", "valid-quantize-int8", "runs/q8.json", args_key="batch_size", output_key="json_report")
block_case(HERE, "cross-backend", "valid-cross-backend", "runs/xb.json", args_key="fail_on_mismatch", input_key="model")
block_case(HERE, "bisect-model-quality", "valid-bisect", "runs/bisect.json", args_key="fail_on_first_bad")
