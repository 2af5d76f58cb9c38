"""Golden cases for family `eval-report` (ai/scripts/eval_*.py reports).

Written from the emitter facts summarised in schema/README.md (variants vmaf-tiny-loso-v3-v4,
vmaf-tiny-v5-corpus-expansion, multiseed-v3-v4, loso-mlp-small, loso-3arch, probabilistic-proxy,
saliency-per-mb-iou) and the emitters read for facts. Run: python3 corpus-fixtures/eval-report/make_fixtures.py
"""
import copy
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "_lib"))
from emit import P, Workspace  # noqa: E402

NAN = float("nan")
REPO_ABS = "/home/op/vmafx"
NF = ["BigBuckBunny_25fps", "BirdsInCage_30fps", "CrowdRun_25fps"]
CLIPS = ["BigBuckBunny", "BirdsInCage", "CrowdRun", "ElFuente1", "ElFuente2", "FoxBird", "OldTownCross", "Seeking", "Tennis"]


def diag(code, severity, pointer):
    return {"code": code, "severity": severity, "pointer": pointer}


def result(file, valid, diagnostics, variant):
    return {"file": file, "family": "eval-report", "variant": variant, "valid": valid, "diagnostics": diagnostics}


def metrics(i, n=240):
    return {"n": n, "plcc": round(0.9961 + 0.0004 * i, 6), "srocc": round(0.9940 + 0.0003 * i, 6), "rmse": round(1.2 + 0.07 * i, 6)}


def aggregate(per_fold, std_single_nan=True):
    """Plain mean (NaN spreads) and sample std (NaN with one fold) over the fold metrics."""
    out = {}
    for k in ("plcc", "srocc", "rmse"):
        vals = [m[k] for m in per_fold.values()]
        out[f"mean_{k}"] = sum(vals) / len(vals)
        out[f"std_{k}"] = statistics.stdev(vals) if len(vals) >= 2 else (NAN if std_single_nan else 0.0)
    return out


def finish(ws, rel, doc, variant, expect=(), extra=(), targets=None):
    ws.write_json(rel, doc)
    bad = [diag("inconsistent", "error", p) for p in expect]
    ok = not bad and not any(d["severity"] == "error" for d in extra)
    ws.case([result(rel, ok, list(extra) + bad, variant)], 0 if ok else 1, targets=targets or [rel])


# -- vmaf-tiny-loso-v3-v4 -------------------------------------------------------------------------
def tiny_loso(name, description, version="v3", sources=NF, mutate=None, expect=(), extra=(), nan_fold=False):
    ws = Workspace(HERE / name, description)
    script = f"ai/scripts/eval_loso_vmaf_tiny_{version}.py"
    ws.script(script)
    ws.write_bytes("runs/full_features_netflix.parquet", b"PAR1 netflix features PAR1")
    out = f"runs/vmaf_tiny_{version}_loso_metrics.json"
    per_fold = {s: metrics(i) for i, s in enumerate(sources)}
    if nan_fold:
        per_fold[sources[0]]["plcc"] = NAN
    args = {"batch_size": 256, "epochs": 90, "lr": 0.001, "out_json": out, "parquet": "runs/full_features_netflix.parquet", "seed": 0}
    doc = {"arch": "mlp_medium" if version == "v3" else "mlp_large", "model": f"vmaf_tiny_{version}",
           "parquet": "runs/full_features_netflix.parquet", "n_folds": len(sources), "epochs": 90, "lr": 0.001, "batch_size": 256,
           "seed": 0, "per_fold": per_fold, "aggregate": aggregate(per_fold),
           "run_provenance": ws.provenance(script, argv=["--parquet", "runs/full_features_netflix.parquet", "--out-json", out], args=args,
                                           inputs={"parquet": P("runs/full_features_netflix.parquet")}, outputs={"report_target": out})}
    if mutate:
        mutate(doc)
    finish(ws, out, doc, "vmaf-tiny-loso-v3-v4", expect, extra)


V34 = "vmaf-tiny-loso-v3-v4"
tiny_loso("valid-tiny-loso-v3", "eval_loso_vmaf_tiny_v3.py: per-source folds keyed by name, report_target a plain string.")
tiny_loso("valid-tiny-loso-v4-single-source-nan", "eval_loso_vmaf_tiny_v4.py on one source: std_* NaN; a constant-prediction fold makes plcc and mean_plcc NaN.",
          version="v4", sources=NF[:1], nan_fold=True,
          extra=[diag("non-standard-number", "warning", p) for p in ["/aggregate/mean_plcc", "/aggregate/std_plcc", "/aggregate/std_rmse", "/aggregate/std_srocc", "/per_fold/BigBuckBunny_25fps/plcc"]])
tiny_loso("inconsistent-tiny-loso-n-folds-and-arch", "n_folds differs from the per_fold count; arch does not go with the model.",
          mutate=lambda d: d.update(n_folds=9, arch="mlp_large"), expect=["/n_folds", "/arch"])
tiny_loso("inconsistent-tiny-loso-copies", "epochs differs from args; report_target differs from args.out_json; aggregate mean is off.",
          mutate=lambda d: (d.update(epochs=120), d["run_provenance"]["outputs"].update(report_target="runs/other.json"), d["aggregate"].update(mean_plcc=0.5)),
          expect=["/epochs", "/run_provenance/outputs/report_target", "/aggregate/mean_plcc"])


# -- vmaf-tiny-v5-corpus-expansion ------------------------------------------------------------------
def tiny_v5(name, description, mutate=None, expect=(), teacher=True, assume=None, extra=()):
    ws = Workspace(HERE / name, description)
    script = "ai/scripts/eval_loso_vmaf_tiny_v5.py"
    ws.script(script)
    ws.write_bytes("runs/full_features_4corpus.parquet", b"PAR1 base PAR1")
    ws.write_bytes("runs/full_features_ugc.parquet", b"PAR1 ugc PAR1")
    out = "runs/vmaf_tiny_v5_loso.json"
    v2 = {s: metrics(i) for i, s in enumerate(NF)}
    v5 = {s: metrics(i + 2) for i, s in enumerate(NF)}
    v2r = {"per_fold": v2, "aggregate": aggregate(v2)}
    v5r = {"per_fold": v5, "aggregate": aggregate(v5)}
    delta = v5r["aggregate"]["mean_plcc"] - v2r["aggregate"]["mean_plcc"]
    sigma = v2r["aggregate"]["std_plcc"]
    args = {"batch_size": 256, "epochs": 90, "lr": 0.001, "out_json": out, "parquet_base": "runs/full_features_4corpus.parquet",
            "parquet_extra": "runs/full_features_ugc.parquet", "seed": 0}
    if teacher:
        args["assume_teacher"] = assume
    doc = {"arch": "mlp_small", "epochs": 90, "lr": 0.001, "batch_size": 256, "seed": 0, "v2_baseline": v2r, "v5_extended": v5r,
           "delta_plcc": delta, "v2_sigma_plcc": sigma, "decision": "ship_v5" if delta >= sigma else "defer",
           "run_provenance": ws.provenance(script, argv=["--parquet-base", "runs/full_features_4corpus.parquet", "--parquet-extra",
                                                         "runs/full_features_ugc.parquet", "--out-json", out], args=args,
                                           inputs={"parquet_base": P("runs/full_features_4corpus.parquet"), "parquet_extra": P("runs/full_features_ugc.parquet")},
                                           outputs={"report_target": out})}
    if teacher:
        doc["teacher_model"] = assume or "vmaf_v0.6.1"
    if mutate:
        mutate(doc)
    finish(ws, out, doc, "vmaf-tiny-v5-corpus-expansion", expect, extra)


tiny_v5("valid-tiny-v5", "eval_loso_vmaf_tiny_v5.py (newer version with teacher_model): v2 baseline vs v5 extended.")
tiny_v5("valid-tiny-v5-older-no-teacher", "The older v5 emitter (966d076e): no teacher_model, no args.assume_teacher.", teacher=False)
tiny_v5("inconsistent-tiny-v5-decision", "decision contradicts delta_plcc >= v2_sigma_plcc.",
        mutate=lambda d: d.update(decision="defer" if d["decision"] == "ship_v5" else "ship_v5"), expect=["/decision"])
tiny_v5("inconsistent-tiny-v5-sigma-and-teacher", "v2_sigma_plcc is not v2_baseline.aggregate.std_plcc; teacher_model conflicts with --assume-teacher.",
        assume="vmaf_v0.6.1",
        mutate=lambda d: (d.update(v2_sigma_plcc=d["v2_sigma_plcc"] / 2, decision="ship_v5", teacher_model="vmaf_v1.0.16_3d0h")),
        expect=["/v2_sigma_plcc", "/teacher_model"])


# -- multiseed-v3-v4 --------------------------------------------------------------------------------
def multiseed(name, description, seeds=(0, 1), mutate=None, expect=()):
    ws = Workspace(HERE / name, description)
    script = "ai/scripts/eval_multiseed_v3_v4.py"
    ws.script(script)
    pq = "runs/full_features_konvid_with_folds.parquet"
    ws.write_bytes(pq, b"PAR1 konvid PAR1")
    out = "runs/vmaf_tiny_v4_konvid_2seed.json"
    sources = [f"fold{i}" for i in range(5)]
    pspf = {str(s): {src: metrics(i + s, n=1380) for i, src in enumerate(sources)} for s in seeds}
    psa = {k: {m: sum(f[m.split("_")[1]] for f in v.values()) / len(v) for m in ("mean_plcc", "mean_srocc", "mean_rmse")} for k, v in pspf.items()}
    pfa = {}
    for src in sources:
        entry = {}
        for k in ("plcc", "srocc", "rmse"):
            vals = [pspf[str(s)][src][k] for s in dict.fromkeys(seeds)]
            entry[f"mean_{k}"] = sum(vals) / len(vals)
            entry[f"std_{k}"] = statistics.stdev(vals) if len(vals) >= 2 else 0.0
        pfa[src] = entry
    overall = {}
    for k in ("plcc", "srocc", "rmse"):
        vals = [psa[str(s)][f"mean_{k}"] for s in dict.fromkeys(seeds)]
        overall[f"mean_{k}"] = sum(vals) / len(vals)
        overall[f"std_{k}"] = statistics.stdev(vals) if len(vals) >= 2 else 0.0
    args = {"arch": "mlp_large", "batch_size": 256, "epochs": 90, "label": "konvid-5fold", "lr": 0.001, "out_json": out, "parquet": pq, "seeds": list(seeds)}
    doc = {"arch": "mlp_large", "label": "konvid-5fold", "parquet": pq, "n_folds": 5, "sources": sources, "seeds": list(seeds), "epochs": 90,
           "lr": 0.001, "batch_size": 256, "per_seed_per_fold": pspf, "per_seed_aggregate": psa, "per_fold_aggregate": pfa, "overall": overall,
           "run_provenance": ws.provenance(script, argv=["--arch", "mlp_large", "--parquet", pq, "--out-json", out, "--seeds", *map(str, seeds), "--label", "konvid-5fold"],
                                           args=args, inputs={"parquet": P(pq)}, outputs={"report_target": out})}
    if mutate:
        mutate(doc)
    finish(ws, out, doc, "multiseed-v3-v4", expect)


multiseed("valid-multiseed-konvid", "eval_multiseed_v3_v4.py on KoNViD folds fold0..fold4, two seeds; maps keyed by seed strings.")
multiseed("valid-multiseed-single-seed", "A single seed: every std_* is 0.0 (not NaN).", seeds=(3,))


def drop_seed(d):
    d["per_seed_aggregate"]["9"] = d["per_seed_aggregate"].pop("1")
    d["n_folds"] = 4


multiseed("inconsistent-multiseed-keys", "per_seed_aggregate keyed by a seed not in seeds (seed 1 missing); n_folds differs from sources.length.",
          mutate=drop_seed, expect=["/n_folds", "/per_seed_aggregate/9", "/seeds/1"])


# -- loso-mlp-small ---------------------------------------------------------------------------------
def mlp_small(name, description, rerun=False, mutate=None, expect=(), self_ptrs=None, extra_diags=()):
    ws = Workspace(HERE / name, description)
    script = "ai/scripts/eval_loso_mlp_small.py"
    ws.script(script)
    ws.write_bytes(".corpus/netflix/ref/BigBuckBunny_25fps.yuv", b"\x10" * 32)
    ws.write_bytes("model/tiny/training_runs/loso_mlp_small/fold_BigBuckBunny/mlp_small_final.onnx", b"\x08\x08fold")
    ws.write_bytes("model/tiny/vmaf_tiny_v1.onnx", b"\x08\x08small")
    ws.write_bytes("model/tiny/vmaf_tiny_v1_medium.onnx", b"\x08\x08medium")
    out_json = "runs/loso_eval/loso_mlp_small_eval.json"
    out_md = "runs/loso_eval/loso_mlp_small_eval.md"
    if rerun:
        ws.write_json(out_json, {"previous": "run"})
        ws.write_text(out_md, "# previous run\n")
    per = {c: metrics(i, n=240 + 10 * i) for i, c in enumerate(CLIPS)}
    base = lambda off, path: {"model_path": path, "per_clip": {c: metrics(i + off, n=240 + 10 * i) for i, c in enumerate(CLIPS)},
                              "all_clips_concat": {"n": 2520, "plcc": 0.993, "srocc": 0.991, "rmse": 1.5}}
    args = {"data_root": f"{REPO_ABS}/.corpus/netflix", "loso_dir": f"{REPO_ABS}/model/tiny/training_runs/loso_mlp_small",
            "mlp_medium_baseline": f"{REPO_ABS}/model/tiny/vmaf_tiny_v1_medium.onnx", "mlp_small_baseline": f"{REPO_ABS}/model/tiny/vmaf_tiny_v1.onnx",
            "out": f"{REPO_ABS}/runs/loso_eval"}
    doc = {"generated": "2026-06-02T16:07:31+0200", "corpus": f"{REPO_ABS}/.corpus/netflix", "loso_per_fold": per, "loso_aggregate": aggregate(per),
           "baselines": {"mlp_small_v1": base(-3, args["mlp_small_baseline"]), "mlp_medium_v1": base(-1, args["mlp_medium_baseline"])},
           "run_provenance": ws.provenance(script, argv=[script], args=args,
                                           inputs={"data_root": P(".corpus/netflix"), "loso_dir": P("model/tiny/training_runs/loso_mlp_small"),
                                                   "mlp_medium_baseline": P("model/tiny/vmaf_tiny_v1_medium.onnx"), "mlp_small_baseline": P("model/tiny/vmaf_tiny_v1.onnx")},
                                           outputs={"json_report": P(out_json), "markdown_report": P(out_md)})}
    if mutate:
        mutate(doc)
    ws.write_json(out_json, doc)
    ws.write_text(out_md, "# LOSO mlp_small\n")
    sr = "/sha256" if rerun else ""
    extra = [diag("self-reference", "info", "/run_provenance/outputs/json_report" + sr)]
    if rerun:
        # The Markdown twin is written after the JSON: its recorded hash is one run behind (stale by design, info).
        extra.append(diag("hash-mismatch", "info", "/run_provenance/outputs/markdown_report/sha256"))
    extra += list(extra_diags)
    bad = [diag("inconsistent", "error", p) for p in expect]
    ws.case([result(out_json, not bad, extra + bad, "loso-mlp-small")], 1 if bad else 0, targets=[out_json])


mlp_small("valid-loso-mlp-small-first-run", "Legacy eval_loso_mlp_small.py, first run: argv includes the program path; json_report names the file itself, markdown_report is missing.")
mlp_small("valid-loso-mlp-small-rerun", "A re-run: json_report carries the previous file's hash (self), the Markdown twin's recorded hash is one run behind (stale by design).", rerun=True)
def nan_tennis_nanmean(d):
    """Tennis had constant predictions (scipy pearsonr/spearmanr give NaN); the aggregate of the
    other folds is what a nanmean-style aggregation writes. The facts do not pin how mlp_small
    aggregates a NaN fold (unlike tiny LOSO v3/v4/v5, documented as a plain mean)."""
    per = d["loso_per_fold"]
    per["Tennis"].update(plcc=NAN, srocc=NAN)
    for k in ("plcc", "srocc"):
        vals = [m[k] for m in per.values() if m[k] == m[k]]
        d["loso_aggregate"][f"mean_{k}"] = sum(vals) / len(vals)
        d["loso_aggregate"][f"std_{k}"] = statistics.stdev(vals)


mlp_small("valid-loso-mlp-small-nan-fold", "A constant-prediction fold gives NaN plcc/srocc (scipy); the aggregation of a NaN fold is not pinned by the facts for mlp_small, so a finite (nanmean-style) loso_aggregate is not inconsistent.",
          mutate=nan_tennis_nanmean,
          extra_diags=[diag("non-standard-number", "warning", "/loso_per_fold/Tennis/plcc"), diag("non-standard-number", "warning", "/loso_per_fold/Tennis/srocc")])
mlp_small("inconsistent-loso-mlp-small-baseline-path", "A baseline model_path differs from args; corpus differs from args.data_root.",
          mutate=lambda d: (d.update(corpus="/elsewhere/netflix"), d["baselines"]["mlp_small_v1"].update(model_path="/tmp/other.onnx")),
          expect=["/corpus", "/baselines/mlp_small_v1/model_path"])


# -- loso-3arch -------------------------------------------------------------------------------------
def three_arch(name, description, mutate=None, expect=()):
    ws = Workspace(HERE / name, description)
    script = "ai/scripts/eval_loso_3arch.py"
    ws.script(script)
    ws.mkdir(".corpus/netflix")
    ws.write_bytes("model/tiny/training_runs/loso_mlp_small/fold_Tennis/mlp_small_final.onnx", b"\x08\x08fold")
    out_json = "runs/loso_eval/loso_3arch_eval.json"
    out_md = "runs/loso_eval/loso_3arch_eval.md"
    small = {c: metrics(i, n=240 + 10 * i) for i, c in enumerate(CLIPS)}
    one = {"Tennis": metrics(2, n=320)}
    archs = {"mlp_small": {"per_fold": small, "aggregate": aggregate(small)},
             "mlp_medium": {"per_fold": one, "aggregate": aggregate(one, std_single_nan=False)},
             "linear": {"per_fold": {}, "aggregate": None}}
    args = {"data_root": f"{REPO_ABS}/.corpus/netflix", "out": f"{REPO_ABS}/runs/loso_eval", "training_runs_dir": f"{REPO_ABS}/model/tiny/training_runs"}
    doc = {"generated": "2026-06-02T16:20:05-0500", "corpus": f"{REPO_ABS}/.corpus/netflix", "archs": archs,
           "run_provenance": ws.provenance(script, argv=[script], args=args,
                                           inputs={"data_root": P(".corpus/netflix"), "training_runs_dir": P("model/tiny/training_runs")},
                                           outputs={"json_report": P(out_json), "markdown_report": P(out_md)})}
    if mutate:
        mutate(doc)
    ws.write_json(out_json, doc)
    ws.write_text(out_md, "# LOSO 3arch\n")
    bad = [diag("inconsistent", "error", p) for p in expect]
    ws.case([result(out_json, not bad, [diag("self-reference", "info", "/run_provenance/outputs/json_report")] + bad, "loso-3arch")],
            1 if bad else 0, targets=[out_json])


three_arch("valid-loso-3arch-partial", "Legacy eval_loso_3arch.py: linear has no fold ONNX (per_fold {}, aggregate null), mlp_medium one fold (std 0.0).")
three_arch("inconsistent-loso-3arch-null-aggregate", "aggregate null although per_fold has folds, and an aggregate for an empty per_fold.",
           mutate=lambda d: (d["archs"]["mlp_small"].update(aggregate=None), d["archs"]["linear"].update(aggregate=copy.deepcopy(d["archs"]["mlp_medium"]["aggregate"]))),
           expect=["/archs/mlp_small/aggregate", "/archs/linear/aggregate"])


# -- probabilistic-proxy ----------------------------------------------------------------------------
Z = {"50": 0.6744897501960817, "80": 1.2815515655446004, "95": 1.959963984540054}


def prob(name, description, mutate=None, expect=(), conformal=False, plcc=0.9812):
    ws = Workspace(HERE / name, description)
    script = "ai/scripts/eval_probabilistic_proxy.py"
    ws.script(script)
    ws.write_json("model/tiny/fr_regressor_v2_ensemble_v1.json", {"id": "fr_regressor_v2_ensemble_v1", "members": []})
    out = "runs/prob_proxy_smoke.json"
    sigma = 0.8431
    cov = {"gaussian": {k: {"z": z, "empirical_coverage": e, "mean_width": 2 * z * sigma} for (k, z), e in zip(Z.items(), (0.41, 0.69, 0.88))}}
    if conformal:
        cov["conformal"] = {"q": 1.7, "empirical_coverage": 0.9, "mean_width": 2 * 1.7 * sigma}
    args = {"manifest": f"{REPO_ABS}/model/tiny/fr_regressor_v2_ensemble_v1.json", "metrics_out": out, "parquet": None, "smoke": True}
    doc = {"manifest": args["manifest"], "ensemble_size": 5, "n_rows": 100, "plcc": plcc, "rmse": 1.734, "mean_sigma": sigma, "coverage": cov,
           "run_provenance": ws.provenance(script, argv=["--smoke", "--metrics-out", out], args=args,
                                           inputs={"manifest": P("model/tiny/fr_regressor_v2_ensemble_v1.json"), "parquet": None},
                                           outputs={"metrics_out": P(out)})}
    if mutate:
        mutate(doc)
    extra = [diag("self-reference", "info", "/run_provenance/outputs/metrics_out")]
    if plcc != plcc:
        extra.append(diag("non-standard-number", "warning", "/plcc"))
    finish(ws, out, doc, "probabilistic-proxy", expect, extra)


prob("valid-probabilistic-smoke", "eval_probabilistic_proxy.py --smoke --metrics-out: synthetic 100 rows, inputs.parquet null, metrics_out names the file itself.")
prob("valid-probabilistic-conformal-nan-plcc", "A manifest with conformal_q_residual (conformal block present); plcc NaN (constant predictions).", conformal=True, plcc=NAN)
prob("inconsistent-probabilistic", "n_rows not 100 on the synthetic corpus; a mean_width that is not 2*z*mean_sigma.",
     mutate=lambda d: (d.update(n_rows=80), d["coverage"]["gaussian"]["80"].update(mean_width=9.9)), expect=["/coverage/gaussian/80/mean_width", "/n_rows"])


# -- saliency-per-mb-iou ----------------------------------------------------------------------------
def sal(name, description, mutate=None, expect=(), extra=()):
    ws = Workspace(HERE / name, description)
    script = "ai/scripts/eval_saliency_per_mb.py"
    ws.script(script)
    ws.write_bytes("runs/sal_pred/frame_0001.npy", b"\x93NUMPY fake")
    ws.write_bytes("runs/sal_gt/frame_0001.pgm", b"P5 1920 1080 255\n")
    ws.write_bytes("runs/sal_pred/frame_0002.npy", b"\x93NUMPY fake2")
    ws.write_bytes("runs/sal_gt/frame_0002.pgm", b"P5 1920 1080 255\n")
    out = "runs/sal_iou.json"
    rows = []
    for stem, (p, g, i) in [("frame_0001", (41, 45, 38)), ("frame_0002", (0, 0, 0))]:
        u = p + g - i
        rows.append({"stem": stem, "pred_path": f"runs/sal_pred/{stem}.npy", "gt_path": f"runs/sal_gt/{stem}.pgm", "width": 1920, "height": 1080,
                     "block_size": 16, "pred_blocks": p, "gt_blocks": g, "intersection_blocks": i, "union_blocks": u, "iou": 1.0 if u == 0 else i / u})
    ti = sum(r["intersection_blocks"] for r in rows)
    tu = sum(r["union_blocks"] for r in rows)
    args = {"block_size": 16, "gt_dir": "runs/sal_gt", "out_json": out, "pred_dir": "runs/sal_pred", "threshold": 0.5}
    doc = {"schema_version": 1, "block_size": 16, "threshold": 0.5, "n_pairs": len(rows), "macro_iou": sum(r["iou"] for r in rows) / len(rows),
           "micro_iou": 1.0 if tu == 0 else ti / tu, "rows": rows,
           "run_provenance": ws.provenance(script, argv=["--pred-dir", "runs/sal_pred", "--gt-dir", "runs/sal_gt", "--out-json", out], args=args,
                                           inputs={"gt_dir": P("runs/sal_gt"), "pred_dir": P("runs/sal_pred")}, outputs={"json_report": P(out)})}
    if mutate:
        mutate(doc)
    finish(ws, out, doc, "saliency-per-mb-iou", expect, [diag("self-reference", "info", "/run_provenance/outputs/json_report"), *extra])


sal("valid-saliency-per-mb", "eval_saliency_per_mb.py --out-json: two pairs, one with an empty union (iou 1.0).")
sal("inconsistent-saliency-per-mb", "n_pairs differs from rows; a union count that is not pred + gt - intersection; macro_iou off.",
    mutate=lambda d: (d.update(n_pairs=3, macro_iou=0.5), d["rows"][0].update(union_blocks=50)),
    expect=["/n_pairs", "/rows/0/union_blocks", "/rows/0/iou", "/macro_iou", "/micro_iou"])
sal("schema-saliency-threshold", "threshold outside [0, 1] and schema_version 2: schema errors.",
    mutate=lambda d: (d.update(threshold=1.5, schema_version=2), d["run_provenance"]["args"].update(threshold=1.5)),
    extra=[diag("schema", "error", "/schema_version"), diag("schema", "error", "/threshold")])

# ---- the block pinned per emitter (issue 14): one case per variant, derived from a valid case
from block_mutants import D as _D, block_case  # noqa: E402

block_case(HERE, "vmaf-tiny-loso-v3-v4", "valid-tiny-loso-v3", "runs/vmaf_tiny_v3_loso_metrics.json", args_key="out_json")
block_case(HERE, "vmaf-tiny-v5-corpus-expansion", "valid-tiny-v5", "runs/vmaf_tiny_v5_loso.json", args_key="out_json")
block_case(HERE, "multiseed-v3-v4", "valid-multiseed-konvid", "runs/vmaf_tiny_v4_konvid_2seed.json", args_key="out_json")
block_case(HERE, "loso-mlp-small", "valid-loso-mlp-small-first-run", "runs/loso_eval/loso_mlp_small_eval.json", args_key="loso_dir")
block_case(HERE, "loso-3arch", "valid-loso-3arch-partial", "runs/loso_eval/loso_3arch_eval.json", args_key="training_runs_dir")
block_case(HERE, "probabilistic-proxy", "valid-probabilistic-smoke", "runs/prob_proxy_smoke.json", args_key="smoke", input_key="manifest")
block_case(HERE, "saliency-per-mb-iou", "valid-saliency-per-mb", "runs/sal_iou.json", args_key="gt_dir")
