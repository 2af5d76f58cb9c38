#!/usr/bin/env python3
"""Golden cases for family `model-sidecar` (facts: the emitter facts summarised in schema/README.md,
quant-calibration-and-audits.md `nr-calibrated`; schema/README.md ("Facts behind each family")).

Each workspace is written the way the emitter writes it: the ONNX (a few stand-in bytes) is
written first, then the block is built (so the ONNX descriptor carries the real digest and the
sidecar's own descriptor is missing, or the previous version's digest on a re-run), then the
sidecar; exporters that update the registry rewrite it after the sidecar.
"""
from __future__ import annotations

import math
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "_lib"))
from emit import P, Workspace, dumps, sha256_file  # noqa: E402

FAM = "model-sidecar"
NAN = math.nan
CANON6 = ["adm2", "vif_scale0", "vif_scale1", "vif_scale2", "vif_scale3", "motion2"]
V2_VOCAB = ["libx264", "libx265", "libsvtav1", "libvvenc", "libvpx-vp9", "h264_nvenc", "hevc_nvenc", "av1_nvenc", "h264_qsv", "hevc_qsv", "av1_qsv", "unknown"]
V3_VOCAB = ["libx264", "libaom-av1", "libx265", "h264_nvenc", "hevc_nvenc", "av1_nvenc", "h264_amf", "hevc_amf", "av1_amf", "h264_qsv", "hevc_qsv", "av1_qsv", "libvvenc", "libsvtav1", "h264_videotoolbox", "hevc_videotoolbox"]
MEAN6 = [0.915, 0.504, 0.756, 0.84, 0.892, 6.417]
STD6 = [0.035, 0.158, 0.093, 0.07, 0.053, 7.321]
HOME = "/home/u/vmafx"


def D(code: str, severity: str, pointer: str) -> dict:
    return {"code": code, "severity": severity, "pointer": pointer}


def R(file: str, variant: str | None, valid: bool, *diags: dict, family: str = FAM) -> dict:
    return {"file": file, "family": family, "variant": variant, "valid": valid, "diagnostics": list(diags)}


def ws(name: str, description: str) -> Workspace:
    return Workspace(HERE / name, description)


def onnx(w: Workspace, rel: str, tag: str) -> str:
    w.write_bytes(rel, f"ONNX stand-in {tag}\n".encode())
    return sha256_file(w.root / rel)


def layout(vocab: list[str], tail: list[str]) -> list[str]:
    return [f"encoder_onehot[{e}]" for e in vocab] + tail


# ----------------------------------------------------------------------------- builders
def fr_v1(w: Workspace, *, in_sample=0.9993, mean=None, order=None) -> dict:
    w.script("ai/scripts/train_fr_regressor.py")
    w.write_bytes("runs/full_features_netflix.parquet", b"PAR1 netflix stand-in PAR1")
    digest = onnx(w, "model/tiny/fr_regressor_v1.onnx", "fr_regressor_v1")
    args = {"batch_size": 256, "epochs": 30, "features": "canonical6", "lr": 0.001,
            "metrics_out": f"{HOME}/runs/fr_regressor_v1_metrics.json", "no_export": False,
            "out_onnx": f"{HOME}/model/tiny/fr_regressor_v1.onnx", "out_sidecar": f"{HOME}/model/tiny/fr_regressor_v1.json",
            "parquet": f"{HOME}/runs/full_features_netflix.parquet", "registry": f"{HOME}/model/tiny/registry.json",
            "seed": 0, "ship_threshold": 0.95, "weight_decay": 1e-05}
    rp = w.provenance("ai/scripts/train_fr_regressor.py", [], args,
                      inputs={"parquet": P("runs/full_features_netflix.parquet")},
                      outputs={"metrics_target": args["metrics_out"], "onnx_target": args["out_onnx"],
                               "registry_target": args["registry"], "sidecar_target": args["out_sidecar"]})
    std = [0.179, 0.184, 0.194, 0.179, 0.170, 6.676]
    return {
        "feature_mean": mean or [0.817, 0.403, 0.716, 0.789, 0.834, 8.295],
        "feature_order": order or list(CANON6),
        "feature_std": std + [0.1] * (len(order or CANON6) - 6),
        "id": "fr_regressor_v1", "input_names": ["features"], "kind": "fr",
        "notes": "Tiny FR regressor (C1) \u2014 6-feature canonical-6 vector \u2192 VMAF teacher score. 9-fold LOSO mean PLCC = 0.9982 \u00b1 0.0014.",
        "onnx": "fr_regressor_v1.onnx", "opset": 17, "output_names": ["score"], "run_provenance": rp, "sha256": digest,
        "training": {"dataset": "netflix-public", "in_sample_plcc": in_sample, "loso_mean_plcc": 0.9982, "loso_mean_rmse": 2.19,
                     "loso_mean_srocc": 0.9567, "loso_std_plcc": 0.0014, "n_pairs": 70, "n_sources": 9},
    }


def fr_v2_smoke(w: Workspace, *, layout_override=None) -> dict:
    w.script("ai/scripts/train_fr_regressor_v2.py")
    digest = onnx(w, "model/tiny/fr_regressor_v2.onnx", "fr_regressor_v2")
    args = {"batch_size": 64, "corpus": None, "depth": 2, "epochs": 30, "hidden": 16, "lr": 0.001,
            "metrics_out": "/tmp/fr_regressor_v2_smoke_metrics.json", "no_export": False,
            "out_onnx": f"{HOME}/model/tiny/fr_regressor_v2.onnx", "out_sidecar": f"{HOME}/model/tiny/fr_regressor_v2.json",
            "registry": f"{HOME}/model/tiny/registry.json", "seed": 0, "smoke": True, "weight_decay": 1e-05}
    rp = w.provenance("ai/scripts/train_fr_regressor_v2.py", ["--smoke"], args, inputs={"corpus": "synthetic-smoke"},
                      outputs={"metrics_target": args["metrics_out"], "onnx_target": args["out_onnx"],
                               "registry_target": args["registry"], "sidecar_target": args["out_sidecar"]})
    return {
        "codec_aware": True, "codec_block_layout": layout_override or layout(V2_VOCAB, ["preset_norm", "crf_norm"]),
        "encoder_vocab": list(V2_VOCAB), "encoder_vocab_version": 2,
        "feature_mean": list(MEAN6), "feature_order": list(CANON6), "feature_std": list(STD6),
        "id": "fr_regressor_v2", "input_names": ["features", "codec"], "kind": "fr",
        "notes": "Tiny FR regressor v2 (codec-aware) \u2014 SMOKE / placeholder build (synthetic corpus).",
        "onnx": "fr_regressor_v2.onnx", "opset": 17, "output_names": ["score"], "run_provenance": rp, "sha256": digest,
        "training": {"dataset": "synthetic-smoke", "in_sample_plcc": 0.61, "in_sample_rmse": 9.8, "in_sample_srocc": 0.58,
                     "n_rows": 100, "smoke": True},
    }


def fr_v3(w: Workspace, *, smoke=False, corpus_sha_override=None) -> dict:
    w.script("ai/scripts/train_fr_regressor_v3.py")
    digest = onnx(w, "model/tiny/fr_regressor_v3.onnx", "fr_regressor_v3")
    if smoke:
        corpus = "/tmp/tmpq1w2e3/smoke_corpus.jsonl"
        corpus_sha = "46e9ace10c1e07a95e89ee90d27c8f2a97516ac6ef1675b46d51a816a26a4491"
        corpus_desc = {"exists": True, "kind": "file", "path": corpus, "sha256": corpus_sha}
    else:
        corpus = "runs/phase_a/full_grid/per_frame_canonical6.jsonl"
        w.write_text(corpus, '{"adm2": 0.9, "src": "BigBuckBunny_25fps"}\n')
        corpus_sha = sha256_file(w.root / corpus)
        corpus_desc = P(corpus)
    args = {"batch_size": 32, "corpus": corpus, "epochs": 1 if smoke else 200, "lr": 0.0005, "no_export": False,
            "num_codecs": 18, "out_onnx": f"{HOME}/model/tiny/fr_regressor_v3.onnx", "out_sidecar": f"{HOME}/model/tiny/fr_regressor_v3.json",
            "registry": f"{HOME}/model/tiny/registry.json", "seed": 0, "smoke": smoke, "weight_decay": 1e-05}
    rp = w.provenance("ai/scripts/train_fr_regressor_v3.py", ["--smoke"] if smoke else ["--corpus", corpus], args,
                      inputs={"corpus": corpus_desc},
                      outputs={"onnx_target": args["out_onnx"], "registry_target": args["registry"], "sidecar_target": args["out_sidecar"]})
    folds = [{"held_out": "BigBuckBunny_25fps", "n_train": 4000, "n_val": 500, "plcc": 0.998, "rmse": 1.1, "srocc": 0.99},
             {"held_out": "Tennis_24fps", "n_train": 4380, "n_val": 120, "plcc": NAN if smoke else 0.997, "rmse": 1.3, "srocc": NAN if smoke else 0.98}]
    mean_plcc = NAN if smoke else 0.9975
    return {
        "codec_aware": True, "codec_block_layout": layout(V3_VOCAB, ["preset_norm", "crf_norm"]),
        "corpus": corpus, "corpus_sha256": corpus_sha_override or corpus_sha,
        "encoder_vocab": list(V3_VOCAB), "encoder_vocab_version": 3,
        "feature_mean": list(MEAN6), "feature_order": list(CANON6), "feature_std": list(STD6),
        "gate_passed": not smoke, "id": "fr_regressor_v3", "input_names": ["features", "codec_block"], "kind": "fr",
        "loso_mean_plcc": mean_plcc,
        "notes": "Tiny FR regressor v3 (codec-aware, ENCODER_VOCAB v3 16-slot). " + ("v3 retrain pending." if smoke else "Production checkpoint."),
        "onnx": "fr_regressor_v3.onnx", "opset": 17, "output_names": ["vmaf"], "run_provenance": rp, "sha256": digest,
        "training": {"dataset": "synthetic-smoke" if smoke else "phase-a-canonical6", "gate_passed": not smoke, "loso_folds": folds,
                     "loso_max_plcc": 0.998 if not smoke else NAN, "loso_mean_plcc": mean_plcc, "loso_mean_rmse": 1.2,
                     "loso_mean_srocc": 0.985 if not smoke else NAN, "loso_min_plcc": 0.997 if not smoke else NAN,
                     "loso_std_plcc": 0.0007 if not smoke else NAN, "n_rows": 4500, "ship_gate_mean_plcc": 0.95, "smoke": smoke},
    }


def vmaf_tiny(w: Workspace, version: int = 3, *, quant=False, int8_tamper=False) -> dict:
    vid = f"vmaf_tiny_v{version}"
    w.script(f"ai/scripts/export_vmaf_tiny_v{version}.py")
    w.write_bytes(f"runs/{vid}.pt", b"torch checkpoint stand-in")
    digest = onnx(w, f"model/tiny/{vid}.onnx", vid)
    args = {"ckpt": f"runs/{vid}.pt", "out_onnx": f"model/tiny/{vid}.onnx", "out_sidecar": f"model/tiny/{vid}.json"}
    rp = w.provenance(f"ai/scripts/export_vmaf_tiny_v{version}.py",
                      ["--ckpt", args["ckpt"], "--out-onnx", args["out_onnx"], "--out-sidecar", args["out_sidecar"]], args,
                      inputs={"checkpoint": P(args["ckpt"])},
                      outputs={"onnx_target": P(args["out_onnx"]), "sidecar_target": args["out_sidecar"]})
    doc = {
        "features": list(CANON6), "id": vid, "input_mean": list(MEAN6), "input_name": "features", "input_shape": [-1, 6],
        "input_std": list(STD6), "kind": "fr",
        "notes": f"{vid} \u2014 canonical-6 + StandardScaler, 90 epochs Adam @ lr=1e-3, MSE.",
        "onnx": f"{vid}.onnx", "opset": 17, "output_name": "vmaf", "output_shape": [-1], "run_provenance": rp, "sha256": digest,
    }
    if version >= 3:
        doc["arch"] = "mlp_medium" if version == 3 else "mlp_large"
        doc["n_params"] = 769 if version == 3 else 3073
    if quant:
        # ptq_dynamic.py (or a hand edit) adds the int8 model and its keys after the export.
        int8 = onnx(w, f"model/tiny/{vid}.int8.onnx", f"{vid} int8")
        doc.update({"quant_mode": "dynamic", "int8_sha256": int8, "quant_accuracy_budget_plcc": 0.01})
        if int8_tamper:
            w.write_bytes(f"model/tiny/{vid}.int8.onnx", b"re-quantised later\n")
    return doc


def tiny_c2_c3(w: Workspace, *, write_registry=True, onnx_override=None, quant_no_int8=False) -> tuple[dict, dict]:
    """export_tiny_models.py: C2 then C3; registry rewritten after both sidecars."""
    w.script("ai/scripts/export_tiny_models.py")
    w.write_bytes("runs/c2_konvid/last.ckpt", b"c2 lightning ckpt")
    w.write_bytes("runs/c3_konvid/last.ckpt", b"c3 lightning ckpt")
    old_registry = {"$schema": "./registry.schema.json", "models": [], "schema_version": 1}
    w.write_text("model/tiny/registry.json", dumps(old_registry))
    # learned_filter_v1.json exists from an earlier run (re-run: its own descriptor carries the old digest)
    w.write_text("model/tiny/learned_filter_v1.json", '{"id": "learned_filter_v1", "old": true}\n')
    args = {"c2_ckpt": f"{HOME}/runs/c2_konvid/last.ckpt", "c2_id": "nr_metric_v1", "c3_ckpt": f"{HOME}/runs/c3_konvid/last.ckpt", "c3_id": "learned_filter_v1"}
    docs = []
    rows = []
    for cid, kind, ck, notes, rnotes in [
        ("nr_metric_v1", "nr", "c2", "Tiny NR MobileNet (C2) \u2014 single luma frame \u2192 MOS scalar. Exported via ai/scripts/export_tiny_models.py.",
         "Tiny NR MobileNet baseline trained on KoNViD-1k (CC BY 4.0; not redistributed)."),
        ("learned_filter_v1", "filter", "c3", "Tiny residual filter (C3) \u2014 degraded \u2192 clean luma. Exported via ai/scripts/export_tiny_models.py.",
         "Tiny residual filter baseline for vmaf_pre."),
    ]:
        digest = onnx(w, f"model/tiny/{cid}.onnx", cid)
        rp = w.provenance("ai/scripts/export_tiny_models.py", [], args,
                          inputs={f"{ck}_checkpoint": P(f"runs/{ck}_konvid/last.ckpt")},
                          outputs={"onnx": P(f"model/tiny/{cid}.onnx"), "registry": P("model/tiny/registry.json"),
                                   "sidecar": P(f"model/tiny/{cid}.json")})
        doc = {"id": cid, "kind": kind, "notes": notes, "onnx": f"{cid}.onnx", "opset": 17, "run_provenance": rp, "sha256": digest}
        w.write_json(f"model/tiny/{cid}.json", doc)
        docs.append(doc)
        rows.append({"id": cid, "kind": kind, "notes": rnotes, "onnx": f"{cid}.onnx", "opset": 17, "sha256": digest})
    if write_registry:
        w.write_text("model/tiny/registry.json", dumps({"$schema": "./registry.schema.json", "models": rows, "schema_version": 1}))
    c2, c3 = docs
    if onnx_override:
        c3["onnx"] = onnx_override
        w.write_json("model/tiny/learned_filter_v1.json", c3)
    if quant_no_int8:
        c2["quant_mode"] = "dynamic"
        w.write_json("model/tiny/nr_metric_v1.json", c2)
    return c2, c3


def nr_calibrated(w: Workspace, *, weak_nan=False, status=None, reasons=None, allow_weak=None) -> dict:
    """export_tiny_models.py's C2 sidecar, later calibrated by calibrate_nr_threshold.py."""
    w.script("ai/scripts/calibrate_nr_threshold.py")
    digest = onnx(w, "model/tiny/nr_metric_v1.onnx", "nr_metric_v1")
    base = {"id": "nr_metric_v1", "kind": "nr", "notes": "Tiny NR MobileNet (C2) \u2014 single luma frame \u2192 MOS scalar.",
            "onnx": "nr_metric_v1.onnx", "opset": 17, "sha256": digest}
    w.write_json("model/tiny/nr_metric_v1.json", base)  # the sidecar as exported (read first by the calibration)
    w.mkdir(".corpus/netflix")
    date = "2026-05-02"
    md = f"docs/ai/models/nr_metric_v1-calibration-{date}.md"
    w.write_text(md, f"# NR metric v1 \u2014 Calibration Report ({date})\n\n## Summary\n\nQuality gate: **{'WEAK' if weak_nan else 'ACCEPTED'}**\n")
    allow = weak_nan if allow_weak is None else allow_weak
    args = {"allow_weak_calibration": allow, "codec": "libx264", "corpus": ".corpus/netflix", "crfs": "18,23,28,33,38",
            "delta_fast_override": None, "dry_run": False, "ffmpeg_bin": "ffmpeg", "height": None, "max_clips": None,
            "min_calibration_samples": 10, "min_plcc": 0.7, "nr_ep": "cpu", "onnx": f"{HOME}/model/tiny/nr_metric_v1.onnx",
            "output": f"{HOME}/model/tiny/nr_metric_v1.json", "pix_fmt": "yuv420p", "preset": "medium",
            "report_dir": f"{HOME}/docs/ai/models", "verbose": False, "vmaf_bin": "vmaf", "width": None}
    rp = w.provenance("ai/scripts/calibrate_nr_threshold.py", ["--corpus", ".corpus/netflix/", "--nr-ep", "cpu"] + (["--allow-weak-calibration"] if allow else []), args,
                      inputs={"actual_corpus": P(".corpus/netflix"), "model_onnx": P("model/tiny/nr_metric_v1.onnx"), "requested_corpus": P(".corpus/netflix")},
                      outputs={"markdown_report": P(md), "model_json": P("model/tiny/nr_metric_v1.json")})
    doc = dict(base)
    doc.update({
        "calibration_allow_weak": allow, "calibration_date": date,
        "calibration_intercept": 1.402311 if not weak_nan else 0.0, "calibration_min_plcc": 0.7, "calibration_min_samples": 10,
        "calibration_n_samples": 1 if weak_nan else 45, "calibration_plcc": NAN if weak_nan else 0.9312,
        "calibration_quality_reasons": reasons if reasons is not None else (["sample count 1 < required 10", "PLCC is undefined"] if weak_nan else []),
        "calibration_quality_status": status or ("weak" if weak_nan else "accepted"),
        "calibration_sigma": 0.0 if weak_nan else 3.0867, "calibration_slope": 1.0 if weak_nan else 0.981234,
        "calibration_threshold": 0.0 if weak_nan else 6.1734, "run_provenance": rp,
    })
    return doc


def fastdvdnet(w: Workspace, *, real: bool) -> dict:
    script = "ai/scripts/export_fastdvdnet_pre.py" if real else "ai/scripts/export_fastdvdnet_pre_placeholder.py"
    w.script(script)
    w.write_text("model/tiny/registry.json", dumps({"$schema": "./registry.schema.json", "models": [], "schema_version": 1}))
    # a previous export left a sidecar behind: its descriptor carries that version's digest
    w.write_text("model/tiny/fastdvdnet_pre.json", '{"id": "fastdvdnet_pre", "previous": true}\n')
    digest = onnx(w, "model/tiny/fastdvdnet_pre.onnx", "fastdvdnet_pre")
    if real:
        up = "/tmp/fastdvdnet_upstream"
        args = {"height": 64, "no_registry": False, "opset": 17, "output": "model/tiny/fastdvdnet_pre.onnx", "sigma": 0.09803921568627451,
                "upstream_dir": up, "width": 64}
        wsha = "9d9d8413c33e3d9d961d07c530237befa1197610b9d60602ff42fd77975d2a17"
        inputs = {"upstream_dir": {"exists": True, "kind": "directory", "path": up},
                  "upstream_models_py": {"exists": True, "kind": "file", "path": f"{up}/models.py", "sha256": "c336459dd0fb92f033c10d6b193d5099be818677b0b22cd98aa61e71d0730ccd"},
                  "upstream_weights": {"exists": True, "kind": "file", "path": f"{up}/model.pth", "sha256": wsha}}
        argv = ["--output", "model/tiny/fastdvdnet_pre.onnx"]
    else:
        args = {"height": 64, "no_registry": False, "opset": 17, "output": "model/tiny/fastdvdnet_pre.onnx", "width": 64}
        inputs = None
        argv = ["--output", "model/tiny/fastdvdnet_pre.onnx"]
    rp = w.provenance(script, argv, args, inputs=inputs,
                      outputs={"onnx": P("model/tiny/fastdvdnet_pre.onnx"), "registry": P("model/tiny/registry.json"), "sidecar": P("model/tiny/fastdvdnet_pre.json")})
    doc = {"centre_index": 2, "frame_window": 5, "id": "fastdvdnet_pre", "input_name": "frames", "kind": "filter",
           "onnx": "fastdvdnet_pre.onnx", "opset": 17, "output_name": "denoised", "run_provenance": rp, "smoke": not real}
    if real:
        doc.update({"license": "MIT", "license_url": "https://github.com/m-tassano/fastdvdnet/blob/c8fdf6182a0340e89dd18f5df25b47337cbede6f/LICENSE",
                    "name": "vmaf_tiny_fastdvdnet_pre_v1", "notes": "FastDVDnet temporal pre-filter \u2014 real upstream weights (MIT).",
                    "upstream_commit": "c8fdf6182a0340e89dd18f5df25b47337cbede6f", "upstream_repo": "https://github.com/m-tassano/fastdvdnet",
                    "upstream_weights_sha256": wsha})
    else:
        doc.update({"name": "vmaf_tiny_fastdvdnet_pre_placeholder_v0", "notes": "Placeholder FastDVDnet temporal pre-filter weights (T6-7). SMOKE-ONLY."})
    w.write_json("model/tiny/fastdvdnet_pre.json", doc)
    # then the registry row is rewritten
    w.write_text("model/tiny/registry.json", dumps({"$schema": "./registry.schema.json", "models": [
        {"id": "fastdvdnet_pre", "kind": "filter", "notes": "FastDVDnet pre-filter.", "onnx": "fastdvdnet_pre.onnx", "opset": 17,
         "sha256": digest, "smoke": not real}], "schema_version": 1}))
    return doc


def transnet_placeholder(w: Workspace) -> dict:
    script = "ai/scripts/export_transnet_v2_placeholder.py"
    w.script(script)
    w.write_text("model/tiny/registry.json", dumps({"$schema": "./registry.schema.json", "models": [], "schema_version": 1}))
    digest = onnx(w, "model/tiny/transnet_v2.onnx", "transnet_v2")
    args = {"no_registry": False, "opset": 17, "output": "model/tiny/transnet_v2.onnx"}
    rp = w.provenance(script, [], args, outputs={"onnx": P("model/tiny/transnet_v2.onnx"), "registry": P("model/tiny/registry.json"),
                                                 "sidecar": P("model/tiny/transnet_v2.json")})
    doc = {"boundary_threshold": 0.5, "channels": 3, "frame_window": 100, "id": "transnet_v2", "input_name": "frames",
           "kind": "shot_detector", "license": "BSD-3-Clause-Plus-Patent", "name": "vmaf_tiny_transnet_v2_placeholder_v0",
           "notes": "Placeholder TransNet V2 shot-boundary detector (T6-3a). SMOKE-ONLY: random init, not trained.",
           "onnx": "transnet_v2.onnx", "opset": 17, "output_name": "boundary_logits", "run_provenance": rp, "smoke": True,
           "thumbnail_h": 27, "thumbnail_w": 48}
    w.write_json("model/tiny/transnet_v2.json", doc)
    w.write_text("model/tiny/registry.json", dumps({"$schema": "./registry.schema.json", "models": [
        {"id": "transnet_v2", "kind": "shot_detector", "license": "BSD-3-Clause-Plus-Patent", "notes": "Placeholder TransNet V2 shot-boundary detector (T6-3a).",
         "onnx": "transnet_v2.onnx", "opset": 17, "sha256": digest, "smoke": True}], "schema_version": 1}))
    return doc


def transnet_real(w: Workspace) -> dict:
    script = "ai/scripts/export_transnet_v2.py"
    w.script(script)
    w.write_text("model/tiny/registry.json", dumps({"$schema": "./registry.schema.json", "models": [], "schema_version": 1}))
    digest = onnx(w, "model/tiny/transnet_v2.onnx", "transnet_v2 real")
    up = "/tmp/transnetv2_upstream/inference/transnetv2-weights"
    args = {"no_registry": False, "opset": 17, "output": f"{HOME}/model/tiny/transnet_v2.onnx", "skip_verify": False,
            "upstream_dir": up, "wrapped_savedmodel": "/tmp/transnetv2_wrapped_sm"}
    rp = w.provenance(script, ["--upstream-dir", up], args,
                      inputs={"saved_model_pb": {"exists": True, "kind": "file", "path": f"{up}/saved_model.pb", "sha256": "6e7885c10204a44f73d7fafa26f1cd27b2d98a190baec40740eee6745fbffe69"},
                              "upstream_dir": {"exists": True, "kind": "directory", "path": up},
                              "variables_data": {"exists": True, "kind": "file", "path": f"{up}/variables/variables.data-00000-of-00001", "sha256": "1aa5e8c63d57c1aeba42e9ab803471e02218319249990576838016b939818dd8"}},
                      outputs={"onnx": P("model/tiny/transnet_v2.onnx"), "registry": P("model/tiny/registry.json"), "sidecar": P("model/tiny/transnet_v2.json"),
                               "wrapped_savedmodel": {"exists": True, "kind": "directory", "path": "/tmp/transnetv2_wrapped_sm"}})
    lic = "https://github.com/soCzech/TransNetV2/blob/77498b8e4a6d61ed7c3d9bd56f4de2b29ab7f4db/LICENSE"
    doc = {"boundary_threshold": 0.5, "channels": 3, "frame_window": 100, "id": "transnet_v2", "input_name": "frames", "kind": "shot_detector",
           "license": "MIT", "license_url": lic, "name": "vmaf_tiny_transnet_v2_v1",
           "notes": "TransNet V2 shot-boundary detector (T6-3a-followup). Real upstream weights from Soucek & Lokoc 2020 (MIT).",
           "onnx": "transnet_v2.onnx", "opset": 17, "output_name": "boundary_logits", "run_provenance": rp, "smoke": False,
           "thumbnail_h": 27, "thumbnail_w": 48, "upstream_commit": "77498b8e4a6d61ed7c3d9bd56f4de2b29ab7f4db",
           "upstream_repo": "https://github.com/soCzech/TransNetV2"}
    w.write_json("model/tiny/transnet_v2.json", doc)
    w.write_text("model/tiny/registry.json", dumps({"$schema": "./registry.schema.json", "models": [
        {"description": "TransNet V2 shot-boundary detector (Soucek & Lokoc 2020).", "id": "transnet_v2", "kind": "nr", "license": "MIT",
         "license_url": lic, "notes": "TransNet V2 shot-boundary detector (T6-3a-followup).", "onnx": "transnet_v2.onnx", "opset": 17, "sha256": digest}],
        "schema_version": 1}))
    return doc


def ensemble_seeds(w: Workspace, seeds=(0, 1), *, data_for=(0,)) -> dict[int, dict]:
    script = "ai/scripts/export_ensemble_v2_seeds.py"
    w.script(script)
    corpus = "runs/phase_a/full_grid/per_frame_canonical6.jsonl"
    w.write_text(corpus, '{"adm2": 0.9, "cq": 18}\n{"adm2": 0.8, "cq": 34}\n')
    w.write_text("runs/ensemble_v2_real/PROMOTE.json", '{"verdict": "PROMOTE"}\n')
    ens = "fr_regressor_v2_ensemble_v1"
    digests = {}
    for s in seeds:
        digests[s] = onnx(w, f"model/tiny/{ens}_seed{s}.onnx", f"seed{s}")
        if s in data_for:
            w.write_bytes(f"model/tiny/{ens}_seed{s}.onnx.data", b"external weights")
    seeds_arg = ",".join(str(s) for s in seeds)
    args = {"batch_size": 32, "corpus": f"{HOME}/{corpus}", "epochs": 200, "lr": 0.0005, "out_dir": f"{HOME}/model/tiny",
            "promote_json": f"{HOME}/runs/ensemble_v2_real/PROMOTE.json", "seeds": seeds_arg, "update_registry": False, "weight_decay": 1e-05}
    outputs = {"registry": None}
    for s in seeds:
        outputs[f"seed{s}_onnx"] = f"{HOME}/model/tiny/{ens}_seed{s}.onnx"
        outputs[f"seed{s}_sidecar"] = f"{HOME}/model/tiny/{ens}_seed{s}.json"
    rp = w.provenance(script, ["--seeds", seeds_arg], args,
                      inputs={"corpus": P(corpus), "promote_json": P("runs/ensemble_v2_real/PROMOTE.json")}, outputs=outputs)
    out = {}
    plccs = {0: 0.9965, 1: 0.9959, 2: 0.9961}
    for s in seeds:
        out[s] = {
            "codec_aware": True, "codec_block_layout": layout(V2_VOCAB, ["preset_norm", "crf_norm"]),
            "corpus": {"cq_max": 34.0, "cq_min": 18.0, "n_rows": 2, "path": corpus, "sha256": sha256_file(w.root / corpus)},
            "encoder_vocab": list(V2_VOCAB), "encoder_vocab_version": 2, "ensemble_id": ens,
            "feature_mean": list(MEAN6), "feature_order": list(CANON6), "feature_std": list(STD6),
            "gate": {"mean_plcc": 0.9962, "mean_plcc_threshold": 0.95, "passed": True, "per_seed_min_threshold": 0.95,
                     "plcc_spread": 0.0011, "plcc_spread_max": 0.005, "this_seed_loso_plcc": plccs.get(s), "verdict": "PROMOTE"},
            "id": f"{ens}_seed{s}", "input_names": ["features", "codec_onehot"], "kind": "fr", "loso_mean_plcc": 0.9962,
            "notes": f"Production ensemble member of {ens} (seed={s}). Fit on full Phase A canonical-6 corpus.",
            "onnx": f"{ens}_seed{s}.onnx", "opset": 17, "output_names": ["score"],
            "parent_adrs": ["ADR-0303", "ADR-0309", "ADR-0319", "ADR-0321"], "run_provenance": rp, "seed": s, "sha256": digests[s],
            "training_recipe": {"batch_size": 32, "depth": 2, "dropout": 0.1, "epochs": 200, "fit_set": "full_corpus", "hidden": 64,
                                "in_features": 6, "loss": "MSE", "lr": 0.0005, "num_codecs": 14, "optimizer": "Adam",
                                "scaler": "fit_on_full_corpus", "weight_decay": 1e-05},
        }
    return out


KONVID_NANS = ["/folds/0/plcc", "/folds/0/srocc", "/folds/1/plcc", "/folds/1/srocc", "/gate/mean_plcc", "/gate/mean_srocc", "/gate/plcc_spread"]
CHUG_TEMPORAL = [f"{n}_{s}" for n in CANON6 for s in ("p10", "p90", "std")]
CHUG_META = ["chug_bitrate_mbps", "chug_orientation_portrait", "chug_ref", "distorted_width_norm", "distorted_height_norm",
             "reference_width_norm", "reference_height_norm", "duration_s_norm", "n_feature_frames_norm", "feature_bitdepth_norm"]
CHUG_DISPLAY = ["display_peak_luminance_nits_norm", "display_black_luminance_nits_norm", "display_contrast_ratio_log_norm",
                "display_ambient_lux_norm", "display_bt2020_coverage", "display_p3_coverage", "display_panel_oled", "display_panel_qled",
                "display_panel_lcd", "display_local_dimming", "display_tone_mapping_dynamic"]
KONVID_ORDER = CANON6 + ["saliency_mean", "saliency_var", "shot_count_norm", "shot_mean_len_norm", "shot_cut_density"]


def mos_konvid(w: Workspace, *, k_folds=None) -> dict:
    script = "ai/scripts/train_konvid_mos_head.py"
    w.script(script)
    w.write_text(".workingdir2/konvid/konvid_1k.jsonl", '{"mos": 3.1}\n')
    w.write_text(".workingdir2/konvid/konvid_150k.jsonl", '{"mos": 2.9}\n')
    digest = onnx(w, "model/konvid_mos_head_v1.onnx", "konvid_mos_head_v1")
    args = {"allow_synthetic_fallback": True, "batch_size": 64, "device": "cpu", "display_profile_json": None, "epochs": 30,
            "feature_jsonl": [], "feature_parquet": [], "feature_schema": "konvid-v1", "k_folds": 2,
            "konvid_150k": ".workingdir2/konvid/konvid_150k.jsonl", "konvid_1k": ".workingdir2/konvid/konvid_1k.jsonl",
            "log_prefix": "konvid-mos", "lr": 0.001, "model_id": "konvid_mos_head_v1", "no_export": False,
            "out_card": f"{HOME}/docs/ai/models/konvid_mos_head_v1.md", "out_manifest": f"{HOME}/model/konvid_mos_head_v1.json",
            "out_onnx": f"{HOME}/model/konvid_mos_head_v1.onnx", "seed": 20260508, "smoke": True, "smoke_epochs": 30, "weight_decay": 1e-05}
    rp = w.provenance(script, ["--smoke", "--k-folds", "2"], args,
                      inputs={"display_profile_json": None, "feature_jsonl": [], "feature_parquet": [],
                              "konvid_150k": P(".workingdir2/konvid/konvid_150k.jsonl"), "konvid_1k": P(".workingdir2/konvid/konvid_1k.jsonl")},
                      outputs={"card": P("docs/ai/models/konvid_mos_head_v1.md"), "manifest": P("model/konvid_mos_head_v1.json"),
                               "onnx": P("model/konvid_mos_head_v1.onnx")})
    # constant predictions in both folds: PLCC/SROCC undefined, so the gate means and spread are NaN too
    folds = [{"fold": 0, "n_train": 300, "n_val": 300, "plcc": NAN, "rmse": 0.25, "srocc": NAN, "validation_policy": "2-fold-random"},
             {"fold": 1, "n_train": 300, "n_val": 300, "plcc": NAN, "rmse": 0.31, "srocc": NAN, "validation_policy": "2-fold-random"}]
    return {
        "adr": "0336", "encoder_vocab": ["ugc-mixed"], "encoder_vocab_version": 4,
        "feature_mean": [0.71, 0.58, 0.62, 0.68, 0.74, 15.2, 0.31, 0.025, 0.47, 0.49, 0.05], "feature_order": list(KONVID_ORDER),
        "feature_schema": "konvid-v1",
        "feature_std": [0.16, 0.21, 0.19, 0.16, 0.14, 8.56, 0.17, 0.013, 0.29, 0.28, 0.03],
        "folds": folds,
        "gate": {"gate": {"kind": "synthetic", "plcc_min": 0.75}, "mean_plcc": NAN, "mean_rmse": 0.28, "mean_srocc": NAN, "passed": False, "plcc_spread": NAN},
        "id": "konvid_mos_head_v1", "kind": "mos", "mos_range": [1.0, 5.0], "n_parameters": 5081,
        "onnx": "konvid_mos_head_v1.onnx", "opset": 17, "phase": "ADR-0325 Phase 3", "run_provenance": rp, "sha256": digest,
        "training_recipe": {"epochs": 30, "k_folds": k_folds if k_folds is not None else 2, "n_rows": 600, "seed": 20260508, "smoke": True},
    }


def mos_chug(w: Workspace, *, drop_shared=False) -> dict:
    w.script("ai/scripts/train_chug_hdr_mos_head.py")
    w.script("ai/scripts/train_konvid_mos_head.py")
    out_dir = ".workingdir2/chug"
    shard = ".workingdir2/chug/shards/shard_000.features.jsonl"
    w.write_text(shard, '{"clip": "a", "mos": 3.2}\n')
    profile = ".workingdir2/chug/display_profile.json"
    w.write_text(profile, '{"peak_nits": 1000}\n')
    digest = onnx(w, f"{out_dir}/chug_hdr_mos_head_v1.onnx", "chug_hdr_mos_head_v1")
    order = CANON6 + CHUG_TEMPORAL + CHUG_META + CHUG_DISPLAY
    args = {"allow_synthetic_fallback": False, "batch_size": 64, "device": "cuda", "display_profile_json": profile, "epochs": 30,
            "feature_jsonl": [shard], "feature_parquet": [], "feature_schema": "chug-hdr-display-v1", "k_folds": 5,
            "konvid_150k": ".workingdir2/chug/shards/__no_konvid_150k_for_chug__.jsonl",
            "konvid_1k": ".workingdir2/chug/shards/__no_konvid_1k_for_chug__.jsonl",
            "log_prefix": "chug-hdr-mos", "lr": 0.001, "model_id": "chug_hdr_mos_head_v1", "no_export": False,
            "out_card": f"{HOME}/{out_dir}/chug_hdr_mos_head_v1_card.md", "out_manifest": f"{HOME}/{out_dir}/chug_hdr_mos_head_v1.json",
            "out_onnx": f"{HOME}/{out_dir}/chug_hdr_mos_head_v1.onnx", "seed": 20260508, "smoke": False, "smoke_epochs": 30, "weight_decay": 1e-05}
    rp = w.provenance("ai/scripts/train_chug_hdr_mos_head.py", ["--device", "cuda", "--shard-dir", ".workingdir2/chug/shards", "--display-profile-json", profile], args,
                      inputs={"display_profile_json": P(profile), "feature_jsonl": [P(shard)], "feature_parquet": [],
                              "konvid_150k": P(".workingdir2/chug/shards/__no_konvid_150k_for_chug__.jsonl"),
                              "konvid_1k": P(".workingdir2/chug/shards/__no_konvid_1k_for_chug__.jsonl")},
                      outputs={"card": P(f"{out_dir}/chug_hdr_mos_head_v1_card.md"), "manifest": P(f"{out_dir}/chug_hdr_mos_head_v1.json"),
                               "onnx": P(f"{out_dir}/chug_hdr_mos_head_v1.onnx")})
    if not drop_shared:
        rp["shared_trainer"] = w.describe("ai/scripts/train_konvid_mos_head.py")
    n = len(order)
    return {
        "adr": "0336",
        "display_profile": {"feature_values": {"display_black_luminance_nits_norm": 0.0005, "display_panel_oled": 1.0, "display_peak_luminance_nits_norm": 0.1},
                            "schema": "chug-display-profile-v1", "sha256": sha256_file(w.root / profile), "source_path": profile},
        "encoder_vocab": ["ugc-mixed"], "encoder_vocab_version": 4,
        "feature_mean": [0.5] * n, "feature_order": order, "feature_schema": "chug-hdr-display-v1", "feature_std": [0.2] * n,
        "folds": [{"fold": 0, "n_train": 4100, "n_val": 900, "plcc": 0.81, "rmse": 0.41, "srocc": 0.79, "validation_policy": "explicit-corpus-split"}],
        "gate": {"gate": {"kind": "real", "plcc_min": 0.85, "rmse_max": 0.45, "spread_max": 0.005, "srocc_min": 0.82},
                 "mean_plcc": 0.81, "mean_rmse": 0.41, "mean_srocc": 0.79, "passed": False, "plcc_spread": 0.0},
        "id": "chug_hdr_mos_head_v1", "kind": "mos", "mos_range": [1.0, 5.0], "n_parameters": 6657,
        "onnx": "chug_hdr_mos_head_v1.onnx", "opset": 17, "phase": "ADR-0325 Phase 3", "run_provenance": rp, "sha256": digest,
        "training_recipe": {"epochs": 30, "k_folds": 1, "n_rows": 4100, "seed": 20260508, "smoke": False},
    }


# ----------------------------------------------------------------------------- cases
def main() -> None:
    S = "model/tiny"

    # ---- valid, one per variant -------------------------------------------------
    w = ws("fr-regressor-v1", "fr_regressor_v1 sidecar as train_fr_regressor.py writes it; outputs are plain strings; NaN in-sample PLCC (constant predictions) is a warning only")
    w.write_json(f"{S}/fr_regressor_v1.json", fr_v1(w, in_sample=NAN))
    w.case([R(f"{S}/fr_regressor_v1.json", "fr-regressor-v1", True, D("non-standard-number", "warning", "/training/in_sample_plcc"))], 0)

    w = ws("fr-regressor-v1-custom-location", "--out-sidecar away from the ONNX: recognised by its key set (id+kind+onnx); the onnx basename is resolved beside the sidecar, where it is not (file-missing, info)")
    w.write_json("exports/v1_sidecar.json", fr_v1(w))
    w.case([R("exports/v1_sidecar.json", "fr-regressor-v1", True, D("file-missing", "info", "/sha256"))], 0, targets=["exports/v1_sidecar.json"])

    w = ws("fr-regressor-v2-smoke", "fr_regressor_v2 smoke sidecar: inputs.corpus is the plain string synthetic-smoke (never hashed)")
    w.write_json(f"{S}/fr_regressor_v2.json", fr_v2_smoke(w))
    w.case([R(f"{S}/fr_regressor_v2.json", "fr-regressor-v2", True)], 0)

    w = ws("fr-regressor-v3", "fr_regressor_v3 sidecar: corpus + corpus_sha256 (checked relative to the root) and inputs.corpus agree with the file")
    w.write_json(f"{S}/fr_regressor_v3.json", fr_v3(w))
    w.case([R(f"{S}/fr_regressor_v3.json", "fr-regressor-v3", True)], 0)

    w = ws("fr-regressor-v3-smoke", "fr_regressor_v3 smoke: the corpus is an absolute temp path (local-only, never read); NaN fold metrics")
    w.write_json(f"{S}/fr_regressor_v3.json", fr_v3(w, smoke=True))
    nan_ptrs = ["/loso_mean_plcc", "/training/loso_folds/1/plcc", "/training/loso_folds/1/srocc", "/training/loso_max_plcc",
                "/training/loso_mean_plcc", "/training/loso_mean_srocc", "/training/loso_min_plcc", "/training/loso_std_plcc"]
    w.case([R(f"{S}/fr_regressor_v3.json", "fr-regressor-v3", True,
              D("local-only", "info", "/corpus_sha256"), D("local-only", "info", "/run_provenance/inputs/corpus/sha256"),
              *[D("non-standard-number", "warning", p) for p in nan_ptrs])], 0)

    w = ws("vmaf-tiny-v3", "vmaf_tiny_v3 exporter sidecar: outputs.onnx_target (a descriptor written before the block) equals the top-level sha256; sidecar_target is a plain string")
    w.write_json(f"{S}/vmaf_tiny_v3.json", vmaf_tiny(w, 3))
    w.case([R(f"{S}/vmaf_tiny_v3.json", "vmaf-tiny", True)], 0)

    w = ws("vmaf-tiny-v4-int8", "vmaf_tiny_v4 with PTQ keys (quant_mode, int8_sha256 vs model/tiny/vmaf_tiny_v4.int8.onnx, budget)")
    w.write_json(f"{S}/vmaf_tiny_v4.json", vmaf_tiny(w, 4, quant=True))
    w.case([R(f"{S}/vmaf_tiny_v4.json", "vmaf-tiny", True)], 0)

    w = ws("tiny-c2-c3", "export_tiny_models.py: C2 and C3 sidecars, then the registry rewritten after them (outputs.registry is stale by design); nr_metric_v1's own descriptor is missing (first run), learned_filter_v1's carries the previous version's digest (re-run)")
    tiny_c2_c3(w)
    w.case([
        R(f"{S}/nr_metric_v1.json", "tiny-c2-c3", True, D("self-reference", "info", "/run_provenance/outputs/sidecar"),
          D("hash-mismatch", "info", "/run_provenance/outputs/registry/sha256")),
        R(f"{S}/learned_filter_v1.json", "tiny-c2-c3", True, D("self-reference", "info", "/run_provenance/outputs/sidecar/sha256"),
          D("hash-mismatch", "info", "/run_provenance/outputs/registry/sha256")),
        R(f"{S}/registry.json", "model-registry", True, family="model-registry"),
    ], 0)

    w = ws("nr-calibrated", "calibrate_nr_threshold.py rewrites nr_metric_v1.json: model_json is the sidecar's pre-update digest (self), markdown_report was written before the block (real digest); corpora are directories")
    w.write_json(f"{S}/nr_metric_v1.json", nr_calibrated(w))
    w.case([R(f"{S}/nr_metric_v1.json", "nr-calibrated", True, D("self-reference", "info", "/run_provenance/outputs/model_json/sha256"))], 0)

    w = ws("nr-calibrated-weak-nan", "weak calibration written with --allow-weak-calibration: calibration_plcc is NaN (fewer than 2 samples)")
    w.write_json(f"{S}/nr_metric_v1.json", nr_calibrated(w, weak_nan=True))
    w.case([R(f"{S}/nr_metric_v1.json", "nr-calibrated", True, D("self-reference", "info", "/run_provenance/outputs/model_json/sha256"),
              D("non-standard-number", "warning", "/calibration_plcc"))], 0)

    w = ws("fastdvdnet-pre-placeholder", "FastDVDnet placeholder: no inputs, no top-level sha256; onnx written before the block, registry rewritten after the sidecar, the sidecar's own descriptor is the previous export's")
    fastdvdnet(w, real=False)
    w.case([R(f"{S}/fastdvdnet_pre.json", "fastdvdnet-pre", True,
              D("self-reference", "info", "/run_provenance/outputs/sidecar/sha256"),
              D("hash-mismatch", "info", "/run_provenance/outputs/registry/sha256"))], 0, targets=[f"{S}/fastdvdnet_pre.json"])

    w = ws("fastdvdnet-pre-real", "FastDVDnet real exporter: upstream inputs live in an absolute temp directory (local-only, never read); upstream_weights_sha256 equals inputs.upstream_weights.sha256")
    fastdvdnet(w, real=True)
    w.case([R(f"{S}/fastdvdnet_pre.json", "fastdvdnet-pre", True,
              D("self-reference", "info", "/run_provenance/outputs/sidecar/sha256"),
              D("hash-mismatch", "info", "/run_provenance/outputs/registry/sha256"),
              D("local-only", "info", "/run_provenance/inputs/upstream_dir"),
              D("local-only", "info", "/run_provenance/inputs/upstream_models_py/sha256"),
              D("local-only", "info", "/run_provenance/inputs/upstream_weights/sha256"))], 0, targets=[f"{S}/fastdvdnet_pre.json"])

    w = ws("transnet-v2-placeholder", "TransNet V2 placeholder: sidecar kind shot_detector; its registry row kind shot_detector is outside registry.schema.json's enum (a warning on the registry)")
    transnet_placeholder(w)
    w.case([R(f"{S}/transnet_v2.json", "transnet-v2", True, D("self-reference", "info", "/run_provenance/outputs/sidecar"),
              D("hash-mismatch", "info", "/run_provenance/outputs/registry/sha256")),
            R(f"{S}/registry.json", "model-registry", True, D("inconsistent", "warning", "/models/0/kind"), family="model-registry")], 0)

    w = ws("transnet-v2-real", "TransNet V2 real exporter: upstream inputs and the wrapped SavedModel in absolute temp paths (local-only); its registry row is kind nr (accepted)")
    transnet_real(w)
    w.case([R(f"{S}/transnet_v2.json", "transnet-v2", True, D("self-reference", "info", "/run_provenance/outputs/sidecar"),
              D("hash-mismatch", "info", "/run_provenance/outputs/registry/sha256"),
              D("local-only", "info", "/run_provenance/inputs/saved_model_pb/sha256"), D("local-only", "info", "/run_provenance/inputs/upstream_dir"),
              D("local-only", "info", "/run_provenance/inputs/variables_data/sha256"), D("local-only", "info", "/run_provenance/outputs/wrapped_savedmodel")),
            R(f"{S}/registry.json", "model-registry", True, family="model-registry")], 0)

    w = ws("ensemble-seed", "two seed sidecars of one export_ensemble_v2_seeds.py run share one block; corpus.{path,sha256} is checked relative to the root; seed0's weights file beside the graph is uncovered")
    docs = ensemble_seeds(w)
    for s, d in docs.items():
        w.write_json(f"{S}/fr_regressor_v2_ensemble_v1_seed{s}.json", d)
    w.case([R(f"{S}/fr_regressor_v2_ensemble_v1_seed0.json", "ensemble-seed", True, D("uncovered-file", "warning", "/sha256")),
            R(f"{S}/fr_regressor_v2_ensemble_v1_seed1.json", "ensemble-seed", True)], 0,
           targets=[f"{S}/fr_regressor_v2_ensemble_v1_seed0.json", f"{S}/fr_regressor_v2_ensemble_v1_seed1.json"])

    w = ws("ensemble-seed-gate-nulls", "seed sidecars from a PROMOTE.json without per_seed_plccs[<seed>], plcc_spread_max and passed: those copied gate values are null (mean_plcc is always a number); --update-registry makes outputs.registry a plain string")
    docs = ensemble_seeds(w, seeds=(0, 1), data_for=())
    for s, d in docs.items():
        d["gate"]["this_seed_loso_plcc"] = None
        d["gate"]["plcc_spread_max"] = None
        d["gate"]["passed"] = None
        d["run_provenance"]["args"]["update_registry"] = True
        d["run_provenance"]["outputs"]["registry"] = f"{HOME}/model/tiny/registry.json"
        w.write_json(f"{S}/fr_regressor_v2_ensemble_v1_seed{s}.json", d)
    w.case([R(f"{S}/fr_regressor_v2_ensemble_v1_seed0.json", "ensemble-seed", True),
            R(f"{S}/fr_regressor_v2_ensemble_v1_seed1.json", "ensemble-seed", True)], 0,
           targets=[f"{S}/fr_regressor_v2_ensemble_v1_seed0.json", f"{S}/fr_regressor_v2_ensemble_v1_seed1.json"])

    w = ws("mos-head-konvid", "KoNViD MOS head at model/konvid_mos_head_v1.json: NaN fold metrics and gate means; the card descriptor is missing (never written), the manifest's own is missing")
    w.write_json("model/konvid_mos_head_v1.json", mos_konvid(w))
    w.case([R("model/konvid_mos_head_v1.json", "mos-head", True, D("self-reference", "info", "/run_provenance/outputs/manifest"),
              *[D("non-standard-number", "warning", p) for p in KONVID_NANS])], 0)

    w = ws("mos-head-chug", "CHUG MOS head through the wrapper: shared_trainer names the shared trainer; konvid_* inputs are missing placeholders; display_profile.{source_path,sha256} is checked relative to the root")
    w.write_json(".workingdir2/chug/chug_hdr_mos_head_v1.json", mos_chug(w))
    w.case([R(".workingdir2/chug/chug_hdr_mos_head_v1.json", "mos-head", True, D("self-reference", "info", "/run_provenance/outputs/manifest"))], 0,
           targets=[".workingdir2/chug/chug_hdr_mos_head_v1.json"])

    w = ws("legacy-dnn-sidecar", "hand-written committed sidecar (dists_sq.json beside dists_sq.onnx) without id/onnx/sha256 or run_provenance, keys unsorted")
    w.write_bytes(f"{S}/dists_sq.onnx", b"ONNX stand-in dists_sq\n")
    w.write_text(f"{S}/dists_sq.json", '{\n  "input_name": "ref",\n  "kind": "fr",\n  "name": "vmaf_tiny_dists_sq_placeholder_v0",\n  "notes": "DISTS-Sq smoke placeholder.",\n  "onnx_opset": 17,\n  "output_name": "score"\n}\n')
    w.case([R(f"{S}/dists_sq.json", "legacy", True, D("legacy-no-provenance", "warning", ""))], 0)

    w = ws("legacy-require-provenance", "--require-provenance fails a committed sidecar without the block (vmaf_tiny_v2 with onnx_has_scaler, unsorted keys)")
    digest = onnx(w, f"{S}/vmaf_tiny_v2.onnx", "vmaf_tiny_v2")
    d = vmaf_tiny(w, 2)
    w.write_bytes(f"{S}/vmaf_tiny_v2.onnx", b"ONNX stand-in vmaf_tiny_v2\n")
    del d["run_provenance"]
    d["sha256"] = digest
    d["onnx_has_scaler"] = True
    import json as _json
    w.write_text(f"{S}/vmaf_tiny_v2.json", _json.dumps(d, indent=2) + "\n")
    w.case([R(f"{S}/vmaf_tiny_v2.json", "vmaf-tiny", False, D("legacy-no-provenance", "error", ""))], 1, flags=["--require-provenance"],
           targets=[f"{S}/vmaf_tiny_v2.json"])

    # ---- invalid: integrity digests -----------------------------------------------
    w = ws("bad-sha256", "the ONNX was re-exported after the sidecar was written: top-level sha256 no longer matches (integrity error)")
    w.write_json(f"{S}/fr_regressor_v1.json", fr_v1(w))
    w.write_bytes(f"{S}/fr_regressor_v1.onnx", b"re-exported graph\n")
    w.case([R(f"{S}/fr_regressor_v1.json", "fr-regressor-v1", False, D("hash-mismatch", "error", "/sha256"))], 1)

    w = ws("bad-int8-sha256", "int8_sha256 does not match <basename>.int8.onnx beside the fp32 graph")
    w.write_json(f"{S}/vmaf_tiny_v4.json", vmaf_tiny(w, 4, quant=True, int8_tamper=True))
    w.case([R(f"{S}/vmaf_tiny_v4.json", "vmaf-tiny", False, D("hash-mismatch", "error", "/int8_sha256"))], 1)

    w = ws("bad-onnx-target", "vmaf_tiny: the ONNX changed after export; both the top-level sha256 and the before-the-block outputs.onnx_target are integrity errors")
    w.write_json(f"{S}/vmaf_tiny_v3.json", vmaf_tiny(w, 3))
    w.write_bytes(f"{S}/vmaf_tiny_v3.onnx", b"hand-edited graph\n")
    w.case([R(f"{S}/vmaf_tiny_v3.json", "vmaf-tiny", False, D("hash-mismatch", "error", "/sha256"),
              D("hash-mismatch", "error", "/run_provenance/outputs/onnx_target/sha256"))], 1)

    w = ws("bad-corpus-sha256", "fr_regressor_v3 corpus_sha256 differs from the corpus file and from inputs.corpus.sha256 of the same run")
    w.write_json(f"{S}/fr_regressor_v3.json", fr_v3(w, corpus_sha_override="0" * 64))
    w.case([R(f"{S}/fr_regressor_v3.json", "fr-regressor-v3", False, D("hash-mismatch", "error", "/corpus_sha256"),
              D("inconsistent", "error", "/corpus_sha256"))], 1)

    w = ws("bad-seed-corpus", "ensemble seed corpus.sha256 no longer matches corpus.path (the corpus was regenerated)")
    docs = ensemble_seeds(w, seeds=(0,), data_for=())
    w.write_json(f"{S}/fr_regressor_v2_ensemble_v1_seed0.json", docs[0])
    w.write_text("runs/phase_a/full_grid/per_frame_canonical6.jsonl", '{"adm2": 0.7}\n')
    w.case([R(f"{S}/fr_regressor_v2_ensemble_v1_seed0.json", "ensemble-seed", False, D("hash-mismatch", "error", "/corpus/sha256"),
              D("hash-mismatch", "error", "/run_provenance/inputs/corpus/sha256"))], 1, targets=[f"{S}/fr_regressor_v2_ensemble_v1_seed0.json"])

    w = ws("bad-display-profile", "CHUG MOS head: the display profile JSON changed after the run (display_profile.sha256 is an integrity digest)")
    w.write_json(".workingdir2/chug/chug_hdr_mos_head_v1.json", mos_chug(w))
    w.write_text(".workingdir2/chug/display_profile.json", '{"peak_nits": 4000}\n')
    w.case([R(".workingdir2/chug/chug_hdr_mos_head_v1.json", "mos-head", False, D("self-reference", "info", "/run_provenance/outputs/manifest"),
              D("hash-mismatch", "error", "/display_profile/sha256"),
              D("hash-mismatch", "error", "/run_provenance/inputs/display_profile_json/sha256"))], 1,
           targets=[".workingdir2/chug/chug_hdr_mos_head_v1.json"])

    # ---- invalid: consistency rules -------------------------------------------------
    w = ws("bad-scaler-length", "fr_regressor_v1 with a 7-feature subset: feature_mean has 6 values for 7 features")
    w.write_json(f"{S}/fr_regressor_v1.json", fr_v1(w, order=CANON6 + ["vif"]))
    w.case([R(f"{S}/fr_regressor_v1.json", "fr-regressor-v1", False, D("inconsistent", "error", "/feature_mean"))], 1)

    w = ws("bad-quant-no-int8", "tiny-c2-c3: quant_mode dynamic without int8_sha256")
    tiny_c2_c3(w, quant_no_int8=True)
    w.case([R(f"{S}/nr_metric_v1.json", "tiny-c2-c3", False, D("self-reference", "info", "/run_provenance/outputs/sidecar"),
              D("hash-mismatch", "info", "/run_provenance/outputs/registry/sha256"), D("inconsistent", "error", "/quant_mode"))], 1,
           targets=[f"{S}/nr_metric_v1.json"])

    w = ws("bad-c3-onnx-name", "tiny-c2-c3: onnx is not <id>.onnx")
    tiny_c2_c3(w, onnx_override="learned_filter_v2.onnx")
    w.write_bytes(f"{S}/learned_filter_v2.onnx", b"ONNX stand-in learned_filter_v1\n")
    w.case([R(f"{S}/learned_filter_v1.json", "tiny-c2-c3", False, D("self-reference", "info", "/run_provenance/outputs/sidecar/sha256"),
              D("hash-mismatch", "info", "/run_provenance/outputs/registry/sha256"), D("inconsistent", "error", "/onnx"))], 1,
           targets=[f"{S}/learned_filter_v1.json"])

    w = ws("bad-codec-layout", "fr_regressor_v2: codec_block_layout slot 3 does not follow encoder_vocab")
    lay = layout(V2_VOCAB, ["preset_norm", "crf_norm"])
    lay[3] = "encoder_onehot[libaom-av1]"
    w.write_json(f"{S}/fr_regressor_v2.json", fr_v2_smoke(w, layout_override=lay))
    w.case([R(f"{S}/fr_regressor_v2.json", "fr-regressor-v2", False, D("inconsistent", "error", "/codec_block_layout/3"))], 1)

    w = ws("bad-seed-id", "ensemble seed: id does not match ensemble_id + seed, and the seed is not in args.seeds nor in outputs")
    docs = ensemble_seeds(w, seeds=(0,), data_for=())
    d = docs[0]
    d["seed"] = 2
    w.write_json(f"{S}/fr_regressor_v2_ensemble_v1_seed0.json", d)
    w.case([R(f"{S}/fr_regressor_v2_ensemble_v1_seed0.json", "ensemble-seed", False, D("inconsistent", "error", "/id"),
              D("inconsistent", "error", "/seed"), D("inconsistent", "error", "/run_provenance/outputs"))], 1,
           targets=[f"{S}/fr_regressor_v2_ensemble_v1_seed0.json"])

    w = ws("bad-seed-loso-copy", "ensemble seed: loso_mean_plcc is not the copy of gate.mean_plcc")
    docs = ensemble_seeds(w, seeds=(1,), data_for=())
    docs[1]["loso_mean_plcc"] = 0.9
    w.write_json(f"{S}/fr_regressor_v2_ensemble_v1_seed1.json", docs[1])
    w.case([R(f"{S}/fr_regressor_v2_ensemble_v1_seed1.json", "ensemble-seed", False, D("inconsistent", "error", "/loso_mean_plcc"))], 1,
           targets=[f"{S}/fr_regressor_v2_ensemble_v1_seed1.json"])

    w = ws("bad-mos-k-folds", "KoNViD MOS head: training_recipe.k_folds disagrees with the number of fold reports")
    w.write_json("model/konvid_mos_head_v1.json", mos_konvid(w, k_folds=5))
    w.case([R("model/konvid_mos_head_v1.json", "mos-head", False, D("self-reference", "info", "/run_provenance/outputs/manifest"),
              D("inconsistent", "error", "/training_recipe/k_folds"),
              *[D("non-standard-number", "warning", p) for p in KONVID_NANS])], 1)

    w = ws("bad-mos-gate", "CHUG MOS head: gate.passed true although the real thresholds fail, and gate.mean_plcc is not the mean of the folds")
    d = mos_chug(w)
    d["gate"]["passed"] = True
    d["gate"]["mean_plcc"] = 0.9
    w.write_json(".workingdir2/chug/chug_hdr_mos_head_v1.json", d)
    w.case([R(".workingdir2/chug/chug_hdr_mos_head_v1.json", "mos-head", False, D("self-reference", "info", "/run_provenance/outputs/manifest"),
              D("inconsistent", "error", "/gate/mean_plcc"), D("inconsistent", "error", "/gate/passed"))], 1,
           targets=[".workingdir2/chug/chug_hdr_mos_head_v1.json"])

    w = ws("bad-mos-no-shared-trainer", "CHUG MOS head whose wrapper entrypoint lacks run_provenance.shared_trainer")
    w.write_json(".workingdir2/chug/chug_hdr_mos_head_v1.json", mos_chug(w, drop_shared=True))
    w.case([R(".workingdir2/chug/chug_hdr_mos_head_v1.json", "mos-head", False, D("self-reference", "info", "/run_provenance/outputs/manifest"),
              D("inconsistent", "error", "/run_provenance/entrypoint/path"))], 1, targets=[".workingdir2/chug/chug_hdr_mos_head_v1.json"])

    w = ws("bad-nr-weak-without-allow", "NR calibration: status weak without calibration_allow_weak (the script exits 1 without writing)")
    w.write_json(f"{S}/nr_metric_v1.json", nr_calibrated(w, weak_nan=True, allow_weak=False))
    w.case([R(f"{S}/nr_metric_v1.json", "nr-calibrated", False, D("self-reference", "info", "/run_provenance/outputs/model_json/sha256"),
              D("non-standard-number", "warning", "/calibration_plcc"), D("inconsistent", "error", "/calibration_quality_status"))], 1)

    w = ws("bad-nr-accepted-with-reasons", "NR calibration: status accepted while reasons are listed")
    w.write_json(f"{S}/nr_metric_v1.json", nr_calibrated(w, reasons=["PLCC 0.6000 < required 0.7000"]))
    w.case([R(f"{S}/nr_metric_v1.json", "nr-calibrated", False, D("self-reference", "info", "/run_provenance/outputs/model_json/sha256"),
              D("inconsistent", "error", "/calibration_quality_reasons"))], 1)

    w = ws("bad-mos-display-nan", "CHUG MOS head: a display profile value is NaN, but the trainer keeps only finite profile values")
    d = mos_chug(w)
    d["display_profile"]["feature_values"]["display_panel_oled"] = NAN
    w.write_json(".workingdir2/chug/chug_hdr_mos_head_v1.json", d)
    w.case([R(".workingdir2/chug/chug_hdr_mos_head_v1.json", "mos-head", False, D("self-reference", "info", "/run_provenance/outputs/manifest"),
              D("non-standard-number", "warning", "/display_profile/feature_values/display_panel_oled"),
              D("inconsistent", "error", "/display_profile/feature_values/display_panel_oled"))], 1,
           targets=[".workingdir2/chug/chug_hdr_mos_head_v1.json"])

    # ---- invalid: schema -------------------------------------------------------------
    w = ws("bad-unknown-key", "a key no emitter writes (fr_regressor_v1 with extra top-level key)")
    d = fr_v1(w)
    d["training_hash"] = "abc"
    w.write_json(f"{S}/fr_regressor_v1.json", d)
    w.case([R(f"{S}/fr_regressor_v1.json", "fr-regressor-v1", False, D("schema", "error", "/training_hash"))], 1)

    w = ws("bad-transnet-smoke-license", "TransNet placeholder (smoke true) with the real exporter's MIT licence")
    transnet_placeholder(w)
    d = _json.loads((w.root / f"{S}/transnet_v2.json").read_text())
    d["license"] = "MIT"
    w.write_json(f"{S}/transnet_v2.json", d)
    w.case([R(f"{S}/transnet_v2.json", "transnet-v2", False, D("self-reference", "info", "/run_provenance/outputs/sidecar"),
              D("hash-mismatch", "info", "/run_provenance/outputs/registry/sha256"), D("schema", "error", "/license"))], 1,
           targets=[f"{S}/transnet_v2.json"])


    w = ws("bad-seed-mean-plcc-null", "ensemble seed: gate.mean_plcc and its copy loso_mean_plcc are null; the exporter formats mean_plcc into notes and crashes on a non-number, so it never writes that")
    docs = ensemble_seeds(w, seeds=(0,), data_for=())
    docs[0]["gate"]["mean_plcc"] = None
    docs[0]["loso_mean_plcc"] = None
    w.write_json(f"{S}/fr_regressor_v2_ensemble_v1_seed0.json", docs[0])
    w.case([R(f"{S}/fr_regressor_v2_ensemble_v1_seed0.json", "ensemble-seed", False, D("schema", "error", "/gate/mean_plcc"),
              D("schema", "error", "/loso_mean_plcc"))], 1, targets=[f"{S}/fr_regressor_v2_ensemble_v1_seed0.json"])

    w = ws("bad-vmaf-tiny-arch", "vmaf_tiny_v3 sidecar with the v4 architecture (export_vmaf_tiny_v3.py writes mlp_medium, v4 mlp_large, v2 no arch)")
    d = vmaf_tiny(w, 3)
    d["arch"] = "mlp_large"
    w.write_json(f"{S}/vmaf_tiny_v3.json", d)
    w.case([R(f"{S}/vmaf_tiny_v3.json", "vmaf-tiny", False, D("schema", "error", "/arch"))], 1)

    # ---- the block pinned per emitter (issue 14): one case per variant, derived from a valid case
    from block_mutants import D as _D, block_case

    T = "model/tiny"
    block_case(HERE, "fr-regressor-v1", "fr-regressor-v1", f"{T}/fr_regressor_v1.json", args_key="parquet", output_key="sidecar_target")
    block_case(HERE, "fr-regressor-v2", "fr-regressor-v2-smoke", f"{T}/fr_regressor_v2.json", args_key="out_onnx", output_key="onnx_target")
    block_case(HERE, "fr-regressor-v3", "fr-regressor-v3", f"{T}/fr_regressor_v3.json", args_key="out_sidecar", output_key="onnx_target")
    block_case(HERE, "vmaf-tiny", "vmaf-tiny-v3", f"{T}/vmaf_tiny_v3.json", args_key="ckpt", output_key="onnx_target")
    block_case(HERE, "tiny-c2-c3", "tiny-c2-c3", f"{T}/nr_metric_v1.json", args_key="c2_ckpt", input_key="c2_checkpoint", input_required=False, output_key="onnx")
    block_case(HERE, "nr-calibrated", "nr-calibrated", f"{T}/nr_metric_v1.json", args_key="crfs", input_key="model_onnx", output_key="markdown_report")
    block_case(HERE, "fastdvdnet-pre", "fastdvdnet-pre-real", f"{T}/fastdvdnet_pre.json", args_key="sigma", input_key="upstream_weights", output_key="onnx")
    block_case(HERE, "transnet-v2", "transnet-v2-real", f"{T}/transnet_v2.json", args_key="skip_verify", input_key="saved_model_pb", output_key="wrapped_savedmodel")
    block_case(HERE, "ensemble-seed", "ensemble-seed", f"{T}/fr_regressor_v2_ensemble_v1_seed0.json", args_key="promote_json", input_key="promote_json", output_key="registry")
    # The KoNViD trainer's own rule also names the entrypoint: a script other than the shared trainer is a wrapper, which needs shared_trainer.
    block_case(HERE, "mos-head", "mos-head-konvid", "model/konvid_mos_head_v1.json", args_key="device", input_key="konvid_1k", output_key="card",
               extra={"entrypoint-swapped": [_D("inconsistent", "error", "/run_provenance/entrypoint/path")]})


if __name__ == "__main__":
    main()
