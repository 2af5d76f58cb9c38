"""Golden cases for family quant-report (PTQ dynamic/static, QAT, quant gate, per-EP).

Written from the emitter facts summarised in schema/README.md (and the
notes in schema/README.md ("Facts behind each family")), not from the emitters' code.
Run: python3 corpus-fixtures/quant-report/make_fixtures.py
"""
import copy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "_lib"))
from emit import P, Workspace  # noqa: E402


class WS(Workspace):
    """A workspace whose case names its artifacts as targets (side files such as
    model/tiny/registry.json belong to other families and are not under test here)."""

    def case(self, expect, exit_code, flags=None, targets=None, skipped=None):
        super().case(expect, exit_code, flags, targets or [e["file"] for e in expect], skipped)

NAN = float("nan")
INF = float("inf")
FAM = "quant-report"
ABS = "/home/ci/vmafx"  # the CI checkout the absolute paths of the reports point into


def diag(code, severity, pointer):
    return {"code": code, "severity": severity, "pointer": pointer}


def result(file, variant, valid, diagnostics):
    return {"file": file, "family": FAM, "variant": variant, "valid": valid, "diagnostics": diagnostics}


def nan_warnings(*pointers):
    return [diag("non-standard-number", "warning", p) for p in pointers]


SELF = lambda p: diag("self-reference", "info", p)  # noqa: E731
BAD = lambda p: diag("inconsistent", "error", p)  # noqa: E731
SCHEMA = lambda p: diag("schema", "error", p)  # noqa: E731


# -- PTQ dynamic / static ----------------------------------------------------------------------
FP32 = "model/tiny/nr_metric_v1.onnx"
INT8 = "model/tiny/nr_metric_v1.int8.onnx"


def ptq(name, description, static=False, mutate=None, report=None, rerun=False, after=None):
    ws = WS(HERE / name, description)
    script = "ai/scripts/ptq_static.py" if static else "ai/scripts/ptq_dynamic.py"
    ws.script(script)
    fp32 = ws.write_bytes(FP32, b"\x08\x07fixture-fp32-graph" * 8)
    report = report or ("runs/ptq/nr_metric_v1.static.json" if static else "runs/ptq/nr_metric_v1.dynamic.json")
    if rerun:  # a previous run left its report: the self descriptor carries that version's hash
        ws.write_text(report, '{"previous": true}\n')
    int8 = ws.write_bytes(INT8, b"\x08\x07int8")  # quantiser output, written before the block
    args = {"onnx": FP32, "output": None, "per_channel": static, "report_out": report}
    argv = [FP32, "--report-out", report]
    inputs = {"model": P(FP32)}
    if static:
        ws.write_bytes("ai/calibration/nr_metric_v1.npz", b"PK\x03\x04fixture-npz")
        args["calibration"] = "ai/calibration/nr_metric_v1.npz"
        argv = [FP32, "--calibration", "ai/calibration/nr_metric_v1.npz", "--per-channel", "--report-out", report]
        inputs["calibration"] = P("ai/calibration/nr_metric_v1.npz")
    block = ws.provenance(script, argv=argv, args=args, inputs=inputs, outputs={"model": P(INT8), "report": P(report)})
    sz_in, sz_out = fp32.stat().st_size, int8.stat().st_size
    doc = {
        "schema": "ptq-static-report-v1" if static else "ptq-dynamic-report-v1",
        "mode": "static" if static else "dynamic",
        "input_bytes": sz_in, "output_bytes": sz_out, "size_ratio": sz_out / sz_in,
        "per_channel": static,
        "run_provenance": block,
    }
    if static:
        doc["calibration_samples"] = 256
        doc["calibration_inputs"] = ["input"]
    if mutate:
        mutate(doc)
    ws.write_json(report, doc)
    if after:
        after(ws)
    return ws, report, "ptq-static-report-v1" if static else "ptq-dynamic-report-v1"


ws, rep, var = ptq("valid-ptq-dynamic", "PTQ dynamic report as ptq_dynamic.py writes it: int8 model written before the block (real hash), the report names itself (first run).")
ws.case([result(rep, var, True, [SELF("/run_provenance/outputs/report")])], 0)

ws, rep, var = ptq("valid-ptq-static-rerun", "PTQ static report on a re-run: the self descriptor carries the previous report's hash (never compared).", static=True, rerun=True)
ws.case([result(rep, var, True, [SELF("/run_provenance/outputs/report/sha256")])], 0)

ws, rep, var = ptq("hash-ptq-int8-replaced", "The int8 model changed after the report was written: outputs.model is written before the block, so this is an integrity error.",
                   after=lambda w: w.write_bytes(INT8, b"\x08\x07int8-requantised"))
ws.case([result(rep, var, False, [SELF("/run_provenance/outputs/report"), diag("hash-mismatch", "error", "/run_provenance/outputs/model/sha256")])], 1)

ws, rep, var = ptq("invalid-ptq-size-ratio", "size_ratio is output_bytes / input_bytes.", mutate=lambda d: d.update(size_ratio=0.5))
ws.case([result(rep, var, False, [SELF("/run_provenance/outputs/report"), BAD("/size_ratio")])], 1)

ws, rep, var = ptq("invalid-ptq-static-unsorted-inputs", "calibration_inputs are the .npz key names, sorted.", static=True,
                   mutate=lambda d: d.update(calibration_inputs=["mask", "input"]))
ws.case([result(rep, var, False, [SELF("/run_provenance/outputs/report"), BAD("/calibration_inputs")])], 1)

ws, rep, var = ptq("invalid-ptq-output-not-beside-source", "Without --output the int8 model is <stem>.int8.onnx beside the source.",
                   mutate=lambda d: d["run_provenance"]["outputs"]["model"].update(path="runs/ptq/other.int8.onnx"))
ws.case([result(rep, var, False, [SELF("/run_provenance/outputs/report"), BAD("/run_provenance/outputs/model/path"),
                                  diag("file-missing", "info", "/run_provenance/outputs/model/sha256")])], 1)

ws, rep, var = ptq("invalid-ptq-mode", "mode is the literal of the variant.", mutate=lambda d: d.update(mode="static"))
ws.case([result(rep, var, False, [SELF("/run_provenance/outputs/report"), SCHEMA("/mode")])], 1)

ws, rep, var = ptq("invalid-ptq-extra-key", "The PTQ envelope has a fixed key set.", mutate=lambda d: d.update(calibration_samples=3))
ws.case([result(rep, var, False, [SELF("/run_provenance/outputs/report"), SCHEMA("/calibration_samples")])], 1)


# -- QAT ---------------------------------------------------------------------------------------
QAT_INT8 = "model/tiny/learned_filter_v1.int8.onnx"
QAT_FP32 = "model/tiny/learned_filter_v1.qat.fp32.onnx"


def qat(name, description, mutate=None):
    ws = WS(HERE / name, description)
    ws.script("ai/scripts/qat_train.py")
    ws.write_text("ai/configs/learned_filter_v1_qat.yaml", "model: learned_filter\nepochs_fp32: 20\n")
    ws.write_bytes(QAT_FP32, b"\x08\x07qat-fp32")
    ws.write_bytes(QAT_INT8, b"\x08\x07qat-int8")
    report = "runs/qat/learned_filter_v1.json"
    block = ws.provenance(
        "ai/scripts/qat_train.py",
        argv=["--config", "ai/configs/learned_filter_v1_qat.yaml", "--output", QAT_INT8, "--smoke", "--report-out", report],
        args={"config": "ai/configs/learned_filter_v1_qat.yaml", "epochs_fp32": None, "epochs_qat": None, "lr_qat": NAN,
              "n_calibration": 64, "output": QAT_INT8, "report_out": report, "seed": 0, "smoke": True},
        inputs={"config": P("ai/configs/learned_filter_v1_qat.yaml")},
        outputs={"fp32_model": P(QAT_FP32), "int8_model": P(QAT_INT8), "report": P(report)},
    )
    doc = {
        "schema": "qat-train-report-v1", "mode": "qat", "model": "learned_filter", "smoke": True,
        "epochs_fp32": 20, "epochs_qat": 10, "n_calibration": 64, "n_params": 19521,
        "fp32_onnx": f"{ABS}/{QAT_FP32}", "int8_onnx": f"{ABS}/{QAT_INT8}",
        "run_provenance": block,
    }
    if mutate:
        mutate(doc)
    ws.write_json(report, doc)
    return ws, report


ws, rep = qat("valid-qat-smoke", "QAT smoke report: configured epochs reported although smoke ran; --lr-qat nan reaches args as NaN; absolute export paths.")
ws.case([result(rep, "qat-train-report-v1", True, [SELF("/run_provenance/outputs/report"), *nan_warnings("/run_provenance/args/lr_qat")])], 0)

ws, rep = qat("invalid-qat-fp32-path", "fp32_onnx is the .qat.fp32.onnx sibling of int8_onnx and names outputs.fp32_model.",
              mutate=lambda d: d.update(fp32_onnx=f"{ABS}/model/tiny/other.fp32.onnx"))
ws.case([result(rep, "qat-train-report-v1", False, [SELF("/run_provenance/outputs/report"), *nan_warnings("/run_provenance/args/lr_qat"),
                                                    BAD("/fp32_onnx"), BAD("/fp32_onnx")])], 1)


# -- quant gate --------------------------------------------------------------------------------
REG = "model/tiny/registry.json"


def measured(mid, mode, plcc, budget=0.01, worst=0.004, ok=None, status=None):
    drop = 1.0 - plcc
    ok = (drop <= budget) if ok is None else ok
    return {"id": mid, "quant_mode": mode, "status": status or ("pass" if ok else "fail"), "ok": ok, "plcc": plcc, "drop": drop,
            "budget": budget, "worst_abs": worst,
            "fp32_path": f"{ABS}/model/tiny/{mid}.onnx", "int8_path": f"{ABS}/model/tiny/{mid}.int8.onnx"}


def gate_models():
    return [
        {"id": "vmaf_tiny_v1", "ok": True, "quant_mode": "fp32", "status": "skipped_fp32"},
        measured("learned_filter_v1", "dynamic", 0.9998731),
        measured("nr_metric_v1", "static", NAN, worst=0.0),  # constant output: corrcoef NaN
        {"id": "vmaf_tiny_v4", "quant_mode": "qat", "status": "missing_model", "ok": False, "fp32_exists": True, "int8_exists": False,
         "fp32_path": f"{ABS}/model/tiny/vmaf_tiny_v4.onnx", "int8_path": f"{ABS}/model/tiny/vmaf_tiny_v4.int8.onnx"},
    ]


GATE_NAN = nan_warnings("/models/2/plcc", "/models/2/drop")


def gate(name, description, models=None, gate_pass=None, pair=False, mutate=None):
    ws = WS(HERE / name, description)
    ws.script("ai/scripts/measure_quant_drop.py")
    report = "runs/quant/gate.json"
    models = gate_models() if models is None else models
    if pair:
        ws.write_bytes("runs/scratch/fr_v9.onnx", b"\x08\x07fp32")
        ws.write_bytes("runs/scratch/fr_v9.int8.onnx", b"\x08\x07int8")
        args = {"all": False, "budget": 0.02, "fp32": "runs/scratch/fr_v9.onnx", "int8": "runs/scratch/fr_v9.int8.onnx",
                "model_id": None, "onnx": None, "out_json": report}
        argv = ["--fp32", "runs/scratch/fr_v9.onnx", "--int8", "runs/scratch/fr_v9.int8.onnx", "--budget", "0.02", "--out-json", report]
        inputs = {"fp32": P("runs/scratch/fr_v9.onnx"), "int8": P("runs/scratch/fr_v9.int8.onnx")}
    else:
        ws.write_json(REG, {"models": [{"id": m["id"]} for m in models], "schema_version": 1})
        args = {"all": True, "budget": 0.01, "fp32": None, "int8": None, "model_id": None, "onnx": None, "out_json": report}
        argv = ["--all", "--out-json", report]
        inputs = {"registry": P(REG)}
    block = ws.provenance("ai/scripts/measure_quant_drop.py", argv=argv, args=args, inputs=inputs, outputs={"report": P(report)})
    doc = {"gate_pass": all(m["ok"] for m in models) if gate_pass is None else gate_pass, "models": models, "run_provenance": block}
    if mutate:
        mutate(doc)
    ws.write_json(report, doc)
    return ws, report


ws, rep = gate("valid-gate-registry", "Registry mode (--all): skipped fp32 entry, a pass, a NaN PLCC (constant output: fail, ok false) and a missing model; gate_pass false.")
ws.case([result(rep, "quant-drop-gate", True, [SELF("/run_provenance/outputs/report"), *GATE_NAN])], 0)

pair_model = measured("fr_v9", "override", 0.995, budget=0.02)
pair_model.update(fp32_path=f"{ABS}/runs/scratch/fr_v9.onnx", int8_path=f"{ABS}/runs/scratch/fr_v9.int8.onnx")
ws, rep = gate("valid-gate-pair-mode", "Pair mode (--fp32/--int8): one result with quant_mode override (outside the registry enum), budget from --budget.",
               models=[pair_model], pair=True)
ws.case([result(rep, "quant-drop-gate", True, [SELF("/run_provenance/outputs/report")])], 0)

ws, rep = gate("valid-gate-empty-registry", "A registry without models: gate_pass is all([]) = true.", models=[])
ws.case([result(rep, "quant-drop-gate", True, [SELF("/run_provenance/outputs/report")])], 0)

ws, rep = gate("invalid-gate-pass-with-failures", "gate_pass true although a model failed.", gate_pass=True)
ws.case([result(rep, "quant-drop-gate", False, [SELF("/run_provenance/outputs/report"), *GATE_NAN, BAD("/gate_pass")])], 1)


def over_budget(d):
    d["models"][1].update(plcc=0.95, drop=1.0 - 0.95)  # drop 0.05 > budget 0.01, yet ok/pass kept


ws, rep = gate("invalid-gate-ok-over-budget", "ok true with a drop above the budget (ok = drop <= budget).", mutate=over_budget)
ws.case([result(rep, "quant-drop-gate", False, [SELF("/run_provenance/outputs/report"), *GATE_NAN, BAD("/models/1/ok")])], 1)


def nan_passes(d):
    d["models"][2].update(ok=True, status="pass")
    d["gate_pass"] = False


ws, rep = gate("invalid-gate-nan-passes", "A NaN drop never satisfies drop <= budget: ok true is inconsistent.", mutate=nan_passes)
ws.case([result(rep, "quant-drop-gate", False, [SELF("/run_provenance/outputs/report"), *GATE_NAN, BAD("/models/2/ok")])], 1)

ws, rep = gate("invalid-gate-status-vs-ok", "status pass with ok false.", mutate=lambda d: d["models"][1].update(status="fail"))
ws.case([result(rep, "quant-drop-gate", False, [SELF("/run_provenance/outputs/report"), *GATE_NAN, BAD("/models/1/status")])], 1)

ws, rep = gate("invalid-gate-drop", "drop is 1 - plcc.", mutate=lambda d: d["models"][1].update(drop=0.5))
ws.case([result(rep, "quant-drop-gate", False, [SELF("/run_provenance/outputs/report"), *GATE_NAN, BAD("/models/1/drop"), BAD("/models/1/ok")])], 1)

ws, rep = gate("invalid-gate-int8-path", "Registry mode: int8_path is the <stem>.int8.onnx sibling of fp32_path.",
               mutate=lambda d: d["models"][1].update(int8_path=f"{ABS}/model/tiny/other.int8.onnx"))
ws.case([result(rep, "quant-drop-gate", False, [SELF("/run_provenance/outputs/report"), *GATE_NAN, BAD("/models/1/int8_path")])], 1)

ws, rep = gate("invalid-gate-missing-both-exist", "missing_model with both files present cannot happen.",
               mutate=lambda d: d["models"][3].update(int8_exists=True))
ws.case([result(rep, "quant-drop-gate", False, [SELF("/run_provenance/outputs/report"), *GATE_NAN, BAD("/models/3/status")])], 1)

ws, rep = gate("invalid-gate-pair-mode-quant-mode", "Pair mode always writes quant_mode override.", models=[copy.deepcopy(pair_model)], pair=True,
               mutate=lambda d: d["models"][0].update(quant_mode="dynamic", int8_path=d["models"][0]["fp32_path"].replace(".onnx", ".int8.onnx")))
ws.case([result(rep, "quant-drop-gate", False, [SELF("/run_provenance/outputs/report"), BAD("/models/0/quant_mode")])], 1)

ws, rep = gate("invalid-gate-skipped-shape", "A skipped_fp32 result has exactly id, quant_mode, status, ok.",
               mutate=lambda d: d["models"][0].update(plcc=1.0))
ws.case([result(rep, "quant-drop-gate", False, [SELF("/run_provenance/outputs/report"), *GATE_NAN, SCHEMA("/models/0/plcc")])], 1)


# -- per-EP ------------------------------------------------------------------------------------
OUT = "runs/quant-eps-2026-04-28"


def ep_ok(plcc, budget=0.01, worst=0.0031, wall=0.412):
    drop = 1.0 - plcc
    return {"status": "ok", "plcc": plcc, "drop": drop, "worst_abs": worst, "wall_s": wall, "pass": drop <= budget}


def per_ep(name, description, mutate=None, eps=("cpu", "cuda", "openvino")):
    ws = WS(HERE / name, description)
    ws.script("ai/scripts/measure_quant_drop_per_ep.py")
    ws.write_json(REG, {"models": [{"id": "learned_filter_v1", "quant_mode": "dynamic"}], "schema_version": 1})
    ws.write_bytes("model/tiny/vmaf_tiny_v1.onnx", b"\x08\x07tiny-v1")
    eps = list(eps)
    per = {
        "cpu": ep_ok(0.99991),
        "cuda": {"status": "error", "error": "RuntimeError: requested EP 'CUDAExecutionProvider' not engaged for learned_filter_v1.onnx; providers used: ['CPUExecutionProvider']",
                 "trace": "Traceback (most recent call last):\n  ...\nRuntimeError: requested EP\n", "wall_s": 0.088, "pass": False},
        "openvino": ep_ok(NAN, worst=INF, wall=1.5),  # NaN model output: plcc NaN, worst_abs Infinity
    }
    models = [
        {"model_id": "learned_filter_v1", "fp32": f"{ABS}/model/tiny/learned_filter_v1.onnx", "int8": f"{ABS}/model/tiny/learned_filter_v1.int8.onnx",
         "budget": 0.01, "per_ep": {e: per[e] for e in eps}, "source": "registry"},
        {"model_id": "vmaf_tiny_v1", "fp32": f"{ABS}/model/tiny/vmaf_tiny_v1.onnx", "int8": "/tmp/quant_eps_x1y2/vmaf_tiny_v1.int8.onnx",
         "budget": 0.02, "per_ep": {e: ep_ok(0.9991, budget=0.02) for e in eps}, "source": "extra_fp32_dynamic_ptq"},
    ]
    block = ws.provenance(
        "ai/scripts/measure_quant_drop_per_ep.py",
        argv=["--eps", *eps, "--extra-fp32", "vmaf_tiny_v1.onnx", "--extra-budget", "0.02", "--out", OUT],
        args={"eps": eps, "extra_budget": 0.02, "extra_fp32": ["vmaf_tiny_v1.onnx"], "gate": False,
              "hw": "ryzen-9950x3d+rtx4090+arc-a380", "openvino_device": "GPU.0", "out": OUT},
        inputs={"registry": P(REG), "extra_fp32": [P("model/tiny/vmaf_tiny_v1.onnx")]},
        outputs={"json_report": P(f"{OUT}/results.json"), "markdown_report": P(f"{OUT}/results.md")},
    )
    doc = {"eps": eps, "generated": "2026-04-28T14:03:11+0200", "hw": "ryzen-9950x3d+rtx4090+arc-a380", "models": models,
           "n_samples": 16, "run_provenance": block, "seed": 0}
    if mutate:
        mutate(doc)
    ws.write_json(f"{OUT}/results.json", doc)
    ws.write_text(f"{OUT}/results.md", "# PTQ accuracy across Execution Providers (T5-3e)\n\nGenerated: 2026-04-28T14:03:11+0200\n")
    return ws, f"{OUT}/results.json"


EP_NAN = nan_warnings("/models/0/per_ep/openvino/plcc", "/models/0/per_ep/openvino/drop", "/models/0/per_ep/openvino/worst_abs")
EP_INFO = [SELF("/run_provenance/outputs/json_report")]

ws, rep = per_ep("valid-per-ep", "Per-EP report: cpu ok, cuda error (pass false), openvino NaN PLCC with Infinity worst_abs (pass false), an extra fp32 baseline in a deleted temp dir; results.md written after the JSON.")
ws.case([result(rep, "quant-drop-per-ep", True, [*EP_INFO, *EP_NAN])], 0)

ws, rep = per_ep("invalid-per-ep-pass-over-budget", "pass true with drop above the model budget.",
                 mutate=lambda d: d["models"][0]["per_ep"]["cpu"].update(plcc=0.9, drop=1.0 - 0.9))
ws.case([result(rep, "quant-drop-per-ep", False, [*EP_INFO, *EP_NAN, BAD("/models/0/per_ep/cpu/pass")])], 1)

ws, rep = per_ep("invalid-per-ep-keys", "per_ep keys are exactly the EPs of eps.",
                 mutate=lambda d: d["models"][1]["per_ep"].pop("cuda"))
ws.case([result(rep, "quant-drop-per-ep", False, [*EP_INFO, *EP_NAN, BAD("/models/1/per_ep")])], 1)

ws, rep = per_ep("invalid-per-ep-error-passes", "A failed measurement never passes.",
                 mutate=lambda d: d["models"][0]["per_ep"]["cuda"].update({"pass": True}))
ws.case([result(rep, "quant-drop-per-ep", False, [*EP_INFO, *EP_NAN, SCHEMA("/models/0/per_ep/cuda/pass")])], 1)

ws, rep = per_ep("invalid-per-ep-extra-budget", "Extra fp32 baselines use --extra-budget.",
                 mutate=lambda d: d["models"][1].update(budget=0.05))
ws.case([result(rep, "quant-drop-per-ep", False, [*EP_INFO, *EP_NAN, BAD("/models/1/budget")])], 1)


# -- more rules --------------------------------------------------------------------------------
ws, rep, var = ptq("invalid-ptq-per-channel", "per_channel is bool(--per-channel).", mutate=lambda d: d.update(per_channel=True))
ws.case([result(rep, var, False, [SELF("/run_provenance/outputs/report"), BAD("/per_channel")])], 1)

ws, rep = qat("invalid-qat-int8-path", "int8_onnx names the file of outputs.int8_model (absolute here, repo-relative there).",
              mutate=lambda d: d.update(int8_onnx=f"{ABS}/runs/other/learned_filter_v1.int8.onnx"))
ws.case([result(rep, "qat-train-report-v1", False, [SELF("/run_provenance/outputs/report"), *nan_warnings("/run_provenance/args/lr_qat"),
                                                    BAD("/int8_onnx"), BAD("/fp32_onnx")])], 1)


def single_mode(d):
    d["run_provenance"]["inputs"]["model"] = copy.deepcopy(d["run_provenance"]["inputs"]["registry"])
    d["run_provenance"]["inputs"]["model"]["path"] = REG  # any descriptor: the shape says single-model mode


ws, rep = gate("invalid-gate-single-mode-count", "Single-model mode (inputs registry + model) writes exactly one result.", mutate=single_mode)
ws.case([result(rep, "quant-drop-gate", False, [SELF("/run_provenance/outputs/report"), *GATE_NAN, BAD("/models")])], 1)

ws, rep = gate("invalid-gate-override-in-registry-mode", "quant_mode override appears only in pair mode.",
               mutate=lambda d: d["models"][1].update(quant_mode="override"))
ws.case([result(rep, "quant-drop-gate", False, [SELF("/run_provenance/outputs/report"), *GATE_NAN, BAD("/models/1/quant_mode")])], 1)

ws, rep = per_ep("invalid-per-ep-eps-vs-args", "eps is --eps as given.", mutate=lambda d: d.update(eps=["cpu", "openvino", "cuda"]))
ws.case([result(rep, "quant-drop-per-ep", False, [*EP_INFO, *EP_NAN, BAD("/eps")])], 1)

ws, rep = per_ep("invalid-per-ep-extra-count", "At most one extra baseline per --extra-fp32 entry.",
                 mutate=lambda d: d["models"].append(copy.deepcopy(d["models"][1])))
ws.case([result(rep, "quant-drop-per-ep", False, [*EP_INFO, *EP_NAN, BAD("/models")])], 1)

ws, rep = per_ep("invalid-per-ep-drop", "drop is 1 - plcc.", mutate=lambda d: d["models"][1]["per_ep"]["cpu"].update(drop=0.001))
ws.case([result(rep, "quant-drop-per-ep", False, [*EP_INFO, *EP_NAN, BAD("/models/1/per_ep/cpu/drop")])], 1)


# -- documented example values (review) --------------------------------------------------------
def doc_example_drops(d):
    """The QCA example reports print drops that differ from 1 - plcc in the last bits."""
    d["models"][1].update(plcc=0.9998731, drop=0.00012690000000003)


ws, rep = gate("valid-gate-doc-example-drop", "The documented quant-gate example: plcc 0.9998731 with drop 0.00012690000000003, which is 1 - plcc up to the last bits; drop = 1 - plcc is compared with a tolerance, not bit for bit.",
               mutate=doc_example_drops)
ws.case([result(rep, "quant-drop-gate", True, [SELF("/run_provenance/outputs/report"), *GATE_NAN])], 0)

ws, rep = per_ep("valid-per-ep-doc-example-drop", "The documented per-EP example: cpu plcc 0.99991 with drop 9.000000000000674e-05 (1 - plcc up to the last bits) is consistent.",
                 mutate=lambda d: d["models"][0]["per_ep"]["cpu"].update(plcc=0.99991, drop=9.000000000000674e-05))
ws.case([result(rep, "quant-drop-per-ep", True, [*EP_INFO, *EP_NAN])], 0)

# ---- the block pinned per emitter (issue 14): one case per variant, derived from a valid case
from block_mutants import D as _D, block_case  # noqa: E402

block_case(HERE, "ptq-dynamic-report-v1", "valid-ptq-dynamic", "runs/ptq/nr_metric_v1.dynamic.json", args_key="report_out", output_key="report")
block_case(HERE, "ptq-static-report-v1", "valid-ptq-static-rerun", "runs/ptq/nr_metric_v1.static.json", args_key="report_out", input_key="calibration", output_key="report")
block_case(HERE, "qat-train-report-v1", "valid-qat-smoke", "runs/qat/learned_filter_v1.json", args_key="report_out", output_key="report")
block_case(HERE, "quant-drop-gate", "valid-gate-registry", "runs/quant/gate.json", args_key="out_json", input_required=False)
block_case(HERE, "quant-drop-per-ep", "valid-per-ep", "runs/quant-eps-2026-04-28/results.json", args_key="openvino_device", input_key="registry")
