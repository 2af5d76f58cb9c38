#!/usr/bin/env python3
"""Golden cases for family `training-metrics` (facts: the emitter facts summarised in schema/README.md,
`fr-regressor-v1-metrics`, `fr-regressor-v2-metrics`, `vmaf-tiny-stats`, `saliency-student-metrics`;
schema/README.md ("Facts behind each family"))."""
from __future__ import annotations

import json
import math
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "_lib"))
from emit import P, Workspace, sha256_file  # noqa: E402

FAM = "training-metrics"
NAN = math.nan
CANON6 = ["adm2", "vif_scale0", "vif_scale1", "vif_scale2", "vif_scale3", "motion2"]
V2_VOCAB = ["libx264", "libx265", "libsvtav1", "libvvenc", "libvpx-vp9", "h264_nvenc", "hevc_nvenc", "av1_nvenc", "h264_qsv", "hevc_qsv", "av1_qsv", "unknown"]
HOME = "/home/u/vmafx"


def D(code, severity, pointer):
    return {"code": code, "severity": severity, "pointer": pointer}


def R(file, variant, valid, *diags):
    return {"file": file, "family": FAM, "variant": variant, "valid": valid, "diagnostics": list(diags)}


def fr_v1_block(w: Workspace, no_export=False) -> dict:
    w.script("ai/scripts/train_fr_regressor.py")
    w.write_bytes("runs/full_features_netflix.parquet", b"PAR1 netflix PAR1")
    args = {"batch_size": 256, "epochs": 30, "features": "canonical6", "lr": 0.001, "metrics_out": f"{HOME}/runs/fr_regressor_v1_metrics.json",
            "no_export": no_export, "out_onnx": f"{HOME}/model/tiny/fr_regressor_v1.onnx", "out_sidecar": f"{HOME}/model/tiny/fr_regressor_v1.json",
            "parquet": f"{HOME}/runs/full_features_netflix.parquet", "registry": f"{HOME}/model/tiny/registry.json", "seed": 0,
            "ship_threshold": 0.95, "weight_decay": 1e-05}
    return w.provenance("ai/scripts/train_fr_regressor.py", ["--no-export"] if no_export else [], args,
                        inputs={"parquet": P("runs/full_features_netflix.parquet")},
                        outputs={"metrics_target": args["metrics_out"], "onnx_target": args["out_onnx"], "registry_target": args["registry"], "sidecar_target": args["out_sidecar"]})


def loso(n_folds=None, nan=False):
    per = {"BigBuckBunny": {"plcc": 0.998, "rmse": 1.9, "srocc": 0.99},
           "Tennis": {"plcc": NAN if nan else 0.997, "rmse": 2.4, "srocc": NAN if nan else 0.98}}
    return {"per_fold": per, "summary": {"mean_plcc": NAN if nan else 0.9975, "mean_rmse": 2.15, "mean_srocc": NAN if nan else 0.985,
                                         "n_folds": n_folds if n_folds is not None else len(per), "std_plcc": NAN if nan else 0.0005,
                                         "std_rmse": 0.25, "std_srocc": NAN if nan else 0.005}}


def fr_v1_metrics(w, *, shipped=True, no_export=False, n_folds=None) -> dict:
    return {"batch_size": 256, "epochs": 30, "feature_cols": list(CANON6), "feature_subset": "canonical6",
            "in_sample": {"plcc": 0.9993, "rmse": 1.1, "srocc": 0.998}, "loso": loso(n_folds), "lr": 0.001,
            "run_provenance": fr_v1_block(w, no_export), "seed": 0, "ship_threshold": 0.95, "shipped": shipped, "weight_decay": 1e-05}


def fr_v2_metrics(w) -> dict:
    w.script("ai/scripts/train_fr_regressor_v2.py")
    args = {"batch_size": 64, "corpus": None, "depth": 2, "epochs": 30, "hidden": 16, "lr": 0.001, "metrics_out": "/tmp/fr_regressor_v2_smoke_metrics.json",
            "no_export": False, "out_onnx": f"{HOME}/model/tiny/fr_regressor_v2.onnx", "out_sidecar": f"{HOME}/model/tiny/fr_regressor_v2.json",
            "registry": f"{HOME}/model/tiny/registry.json", "seed": 0, "smoke": True, "weight_decay": 1e-05}
    rp = w.provenance("ai/scripts/train_fr_regressor_v2.py", ["--smoke"], args, inputs={"corpus": "synthetic-smoke"},
                      outputs={"metrics_target": args["metrics_out"], "onnx_target": args["out_onnx"], "registry_target": args["registry"], "sidecar_target": args["out_sidecar"]})
    return {"batch_size": 64, "canonical6": list(CANON6), "encoder_vocab": list(V2_VOCAB), "epochs": 1, "feature_subset": "canonical6+codec",
            "in_sample": {"plcc": NAN, "rmse": 9.8, "srocc": NAN}, "lr": 0.001, "n_rows": 100, "run_provenance": rp, "seed": 0, "smoke": True, "weight_decay": 1e-05}


def vmaf_tiny_stats(w, *, version=5, arch_without_params=False) -> dict:
    script = f"ai/scripts/train_vmaf_tiny_v{version}.py"
    w.script(script)
    doc = {"batch_size": 256, "epochs": 90, "features": list(CANON6), "input_mean": [0.915, 0.504, 0.756, 0.84, 0.892, 6.417],
           "input_std": [0.035, 0.158, 0.093, 0.07, 0.053, 7.321], "lr": 0.001, "n_train_rows": 330499, "seed": 0,
           "train_metrics": {"plcc": 0.9978, "rmse": 1.52, "srocc": 0.9961}}
    if version == 5:
        w.write_bytes("runs/full_features_4corpus.parquet", b"PAR1 4corpus PAR1")
        w.write_bytes("runs/full_features_ugc.parquet", b"PAR1 ugc PAR1")
        args = {"assume_teacher": None, "batch_size": 256, "epochs": 90, "lr": 0.001, "out_ckpt": "runs/vmaf_tiny_v5.pt", "out_stats": "runs/vmaf_tiny_v5_stats.json",
                "parquet_base": "runs/full_features_4corpus.parquet", "parquet_extra": "runs/full_features_ugc.parquet", "seed": 0}
        rp = w.provenance(script, ["--parquet-base", args["parquet_base"], "--parquet-extra", args["parquet_extra"], "--out-ckpt", args["out_ckpt"], "--out-stats", args["out_stats"]],
                          args, inputs={"parquet_base": P(args["parquet_base"]), "parquet_extra": P(args["parquet_extra"])},
                          outputs={"checkpoint_target": args["out_ckpt"], "stats_target": args["out_stats"]})
        doc.update({"parquet_base": args["parquet_base"], "parquet_extra": args["parquet_extra"], "teacher_model": "vmaf_v0.6.1"})
    else:
        w.write_bytes("runs/full_features_4corpus.parquet", b"PAR1 4corpus PAR1")
        args = {"batch_size": 256, "epochs": 90, "lr": 0.001, "out_ckpt": f"runs/vmaf_tiny_v{version}.pt", "out_stats": f"runs/vmaf_tiny_v{version}_stats.json",
                "parquet": "runs/full_features_4corpus.parquet", "seed": 0}
        rp = w.provenance(script, ["--parquet", args["parquet"]], args, inputs={"parquet": P(args["parquet"])},
                          outputs={"checkpoint_target": args["out_ckpt"], "stats_target": args["out_stats"]})
        if version in (3, 4):
            doc["arch"] = "mlp_medium" if version == 3 else "mlp_large"
            if not arch_without_params:
                doc["n_params"] = 769 if version == 3 else 3073
    doc["run_provenance"] = rp
    return doc


def saliency(w, *, tamper_onnx=False, onnx_sha=None) -> dict:
    script = "ai/scripts/train_saliency_student_v2.py"
    w.script(script)
    onnx = "model/tiny/saliency_student_v2.onnx"
    w.write_bytes(onnx, b"ONNX stand-in saliency student v2\n")
    digest = sha256_file(w.root / onnx)
    args = {"batch_size": 32, "crop_size": 256, "device": "cuda", "duts_root": "/data/DUTS-TR", "epochs": 2, "lr": 0.001,
            "metrics_out": "runs/saliency_student_v2_metrics.json", "num_workers": 4, "opset": 17, "output": onnx, "seed": 42, "val_fraction": 0.05}
    rp = w.provenance(script, ["--duts-root", "/data/DUTS-TR", "--output", onnx, "--metrics-out", args["metrics_out"], "--epochs", "2"], args,
                      inputs={"duts_root": {"exists": True, "kind": "directory", "path": "/data/DUTS-TR"}},
                      outputs={"metrics": P(args["metrics_out"]), "onnx": P(onnx)})
    doc = {"batch_size": 32, "best_val_iou": 0.7105, "crop_size": 256, "device": "cuda", "epochs": 2,
           "history": [{"elapsed_sec": 41.2, "epoch": 1, "train_loss": 0.61, "val_iou": 0.52, "val_loss": 0.55},
                       {"elapsed_sec": 40.8, "epoch": 2, "train_loss": 0.5, "val_iou": 0.7105, "val_loss": 0.47}],
           "lr": 0.001, "onnx_bytes": (w.root / onnx).stat().st_size, "onnx_sha256": onnx_sha or digest, "opset": 17, "param_count": 124321,
           "pt_onnx_max_abs_diff": 1.49e-06, "run_provenance": rp, "seed": 42, "total_time_sec": 82.0}
    if tamper_onnx:
        w.write_bytes(onnx, b"re-exported graph\n")
    return doc


def main() -> None:
    m1 = "runs/fr_regressor_v1_metrics.json"
    w = Workspace(HERE / "fr-regressor-v1-metrics", "train_fr_regressor.py --metrics-out, normal shape; outputs are plain strings")
    w.write_json(m1, fr_v1_metrics(w))
    w.case([R(m1, "fr-regressor-v1-metrics", True)], 0)

    w = Workspace(HERE / "fr-regressor-v1-refused", "refuse-to-ship shape {loso, shipped:false, run_provenance} with NaN fold metrics (exit 3 of the trainer)")
    w.write_json(m1, {"loso": loso(nan=True), "run_provenance": fr_v1_block(w), "shipped": False})
    nanp = ["/loso/per_fold/Tennis/plcc", "/loso/per_fold/Tennis/srocc", "/loso/summary/mean_plcc", "/loso/summary/mean_srocc", "/loso/summary/std_plcc", "/loso/summary/std_srocc"]
    w.case([R(m1, "fr-regressor-v1-metrics", True, *[D("non-standard-number", "warning", p) for p in nanp])], 0)

    w = Workspace(HERE / "fr-regressor-v1-metrics-custom-name", "--metrics-out with a custom name: recognised by its key set, not taken for the sidecar of the same run (both share train_fr_regressor.py)")
    w.write_json("out/netflix_run3.json", fr_v1_metrics(w))
    w.case([R("out/netflix_run3.json", "fr-regressor-v1-metrics", True)], 0)

    m2 = "tmp/fr_regressor_v2_smoke_metrics.json"
    w = Workspace(HERE / "fr-regressor-v2-smoke-metrics", "train_fr_regressor_v2.py --smoke metrics: effective epochs 1 while args.epochs records 30; NaN in-sample metrics")
    w.write_json(m2, fr_v2_metrics(w))
    w.case([R(m2, "fr-regressor-v2-metrics", True, D("non-standard-number", "warning", "/in_sample/plcc"), D("non-standard-number", "warning", "/in_sample/srocc"))], 0)

    st = "runs/vmaf_tiny_v5_stats.json"
    w = Workspace(HERE / "vmaf-tiny-v5-stats", "train_vmaf_tiny_v5.py --out-stats (newest: teacher_model, args.assume_teacher)")
    w.write_json(st, vmaf_tiny_stats(w))
    w.case([R(st, "vmaf-tiny-stats", True)], 0)

    st3 = "runs/vmaf_tiny_v3_stats.json"
    w = Workspace(HERE / "vmaf-tiny-v3-stats", "train_vmaf_tiny_v3.py --out-stats with arch and n_params")
    w.write_json(st3, vmaf_tiny_stats(w, version=3))
    w.case([R(st3, "vmaf-tiny-stats", True)], 0)

    sm = "runs/saliency_student_v2_metrics.json"
    w = Workspace(HERE / "saliency-student-metrics", "saliency --metrics-out: onnx written before the block (its digest = onnx_sha256), metrics descriptor missing (self), DUTS root absolute (local-only)")
    w.write_json(sm, saliency(w))
    w.case([R(sm, "saliency-student-metrics", True, D("self-reference", "info", "/run_provenance/outputs/metrics"),
              D("local-only", "info", "/run_provenance/inputs/duts_root"))], 0)

    leg = "build_artifacts/saliency_student_v1_train.json"
    w = Workspace(HERE / "saliency-legacy", "committed saliency training log without run_provenance (keys unsorted)")
    w.write_text(leg, json.dumps({"best_val_iou": 0.6558, "param_count": 112841, "epochs": 1, "batch_size": 32, "lr": 0.001, "crop_size": 256, "seed": 42,
                                  "opset": 17, "history": [{"epoch": 1, "train_loss": 1.07, "val_loss": 1.08, "val_iou": 0.39, "elapsed_sec": 12.2}],
                                  "total_time_sec": 543.7, "onnx_bytes": 455667, "onnx_sha256": "1edc64772498ab73ebdb17e21f49679ce5ded82534d47f557cd15fd36e1b46e7",
                                  "pt_onnx_max_abs_diff": 1.4901161193847656e-06, "device": "cuda"}, indent=2) + "\n")
    w.case([R(leg, "saliency-student-metrics", True, D("legacy-no-provenance", "warning", ""))], 0)

    w = Workspace(HERE / "saliency-legacy-require-provenance", "--require-provenance fails the committed saliency log")
    w.write_text(leg, json.dumps({"best_val_iou": 0.6558, "param_count": 112841, "epochs": 1, "batch_size": 32, "lr": 0.001, "crop_size": 256, "seed": 42,
                                  "opset": 17, "history": [], "total_time_sec": 543.7, "onnx_bytes": 455667,
                                  "onnx_sha256": "1edc64772498ab73ebdb17e21f49679ce5ded82534d47f557cd15fd36e1b46e7",
                                  "pt_onnx_max_abs_diff": 1.4901161193847656e-06, "device": "cuda"}, indent=2) + "\n")
    w.case([R(leg, "saliency-student-metrics", False, D("legacy-no-provenance", "error", ""))], 1, flags=["--require-provenance"])

    # ---- invalid
    w = Workspace(HERE / "bad-onnx-sha256", "saliency: the ONNX was replaced after the run; onnx_sha256 and outputs.onnx (written before the block) are both integrity errors")
    w.write_json(sm, saliency(w, tamper_onnx=True))
    w.case([R(sm, "saliency-student-metrics", False, D("self-reference", "info", "/run_provenance/outputs/metrics"),
              D("local-only", "info", "/run_provenance/inputs/duts_root"), D("hash-mismatch", "error", "/onnx_sha256"),
              D("hash-mismatch", "error", "/run_provenance/outputs/onnx/sha256"))], 1)

    w = Workspace(HERE / "bad-onnx-sha256-copy", "saliency: onnx_sha256 disagrees with outputs.onnx.sha256 of the same run")
    w.write_json(sm, saliency(w, onnx_sha="cd" * 32))
    w.case([R(sm, "saliency-student-metrics", False, D("self-reference", "info", "/run_provenance/outputs/metrics"),
              D("local-only", "info", "/run_provenance/inputs/duts_root"), D("hash-mismatch", "error", "/onnx_sha256"),
              D("inconsistent", "error", "/onnx_sha256"))], 1)

    w = Workspace(HERE / "bad-n-folds", "fr_regressor_v1 metrics: loso.summary.n_folds is not the per_fold count")
    w.write_json(m1, fr_v1_metrics(w, n_folds=9))
    w.case([R(m1, "fr-regressor-v1-metrics", False, D("inconsistent", "error", "/loso/summary/n_folds"))], 1)

    w = Workspace(HERE / "bad-shipped", "fr_regressor_v1 metrics: shipped true although args.no_export is true")
    w.write_json(m1, fr_v1_metrics(w, shipped=True, no_export=True))
    w.case([R(m1, "fr-regressor-v1-metrics", False, D("inconsistent", "error", "/shipped"))], 1)

    w = Workspace(HERE / "bad-refused-shipped", "refuse-to-ship shape with shipped true")
    w.write_json(m1, {"loso": loso(), "run_provenance": fr_v1_block(w), "shipped": True})
    w.case([R(m1, "fr-regressor-v1-metrics", False, D("schema", "error", "/shipped"))], 1)

    w = Workspace(HERE / "bad-smoke-epochs", "fr_regressor_v2 smoke metrics must record the effective 1 epoch")
    d = fr_v2_metrics(w)
    d["epochs"] = 30
    w.write_json(m2, d)
    w.case([R(m2, "fr-regressor-v2-metrics", False, D("non-standard-number", "warning", "/in_sample/plcc"), D("non-standard-number", "warning", "/in_sample/srocc"),
              D("inconsistent", "error", "/epochs"))], 1)

    w = Workspace(HERE / "bad-stats-arch-without-params", "vmaf_tiny v3 stats with arch but no n_params")
    w.write_json(st3, vmaf_tiny_stats(w, version=3, arch_without_params=True))
    w.case([R(st3, "vmaf-tiny-stats", False, D("schema", "error", ""))], 1)

    w = Workspace(HERE / "bad-stats-copied-arg", "vmaf_tiny stats: lr differs from run_provenance.args.lr")
    d = vmaf_tiny_stats(w)
    d["lr"] = 0.01
    w.write_json(st, d)
    w.case([R(st, "vmaf-tiny-stats", False, D("inconsistent", "error", "/lr"))], 1)

    # ---- the block pinned per emitter (issue 14): one case per variant, derived from a valid case
    from block_mutants import D as _D, block_case

    block_case(HERE, "fr-regressor-v1-metrics", "fr-regressor-v1-metrics", "runs/fr_regressor_v1_metrics.json", args_key="parquet", output_key="sidecar_target")
    block_case(HERE, "fr-regressor-v2-metrics", "fr-regressor-v2-smoke-metrics", "tmp/fr_regressor_v2_smoke_metrics.json", args_key="out_onnx", output_key="onnx_target")
    block_case(HERE, "vmaf-tiny-stats", "vmaf-tiny-v5-stats", "runs/vmaf_tiny_v5_stats.json", args_key="out_ckpt", input_key="parquet_base", output_key="checkpoint_target")
    block_case(HERE, "saliency-student-metrics", "saliency-student-metrics", "runs/saliency_student_v2_metrics.json", args_key="num_workers", output_key="metrics")


if __name__ == "__main__":
    main()
