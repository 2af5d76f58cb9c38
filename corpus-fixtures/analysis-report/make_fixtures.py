"""Golden cases for family analysis-report (feature correlation, Phase-3 subset sweep).

Written from the emitter facts summarised in schema/README.md
("Facts behind each family"), not from the emitters' code.
Run: python3 corpus-fixtures/analysis-report/make_fixtures.py
"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "_lib"))
from emit import P, Workspace  # noqa: E402

NAN = float("nan")
FAM = "analysis-report"
PARQUET = "runs/full_features_netflix.parquet"


def diag(code, severity, pointer):
    return {"code": code, "severity": severity, "pointer": pointer}


def nan(*pointers):
    return [diag("non-standard-number", "warning", p) for p in pointers]


BAD = lambda p: diag("inconsistent", "error", p)  # noqa: E731
SCHEMA = lambda p: diag("schema", "error", p)  # noqa: E731


def nan_pointers(value, pointer=""):
    """Pointers of every NaN/Infinity the document holds (each is a non-standard-number warning)."""
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return [pointer]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in nan_pointers(v, f"{pointer}/{k}")]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in nan_pointers(v, f"{pointer}/{i}")]
    return []


def write_case(ws, rel, variant, diagnostics):
    valid = not any(d["severity"] == "error" for d in diagnostics)
    ws.case([{"file": rel, "family": FAM, "variant": variant, "valid": valid, "diagnostics": diagnostics}], 0 if valid else 1, targets=[rel])


# -- feature correlation -----------------------------------------------------------------------
FC_OUT = "runs/feature_correlation.json"
COLS = ["adm2", "motion3", "ssimulacra2"]  # motion3 is constant: its Pearson entries are NaN


def fc_doc(sklearn=True):
    pearson = {
        "adm2": {"adm2": 1.0, "motion3": NAN, "ssimulacra2": 0.96},
        "motion3": {"adm2": NAN, "motion3": NAN, "ssimulacra2": NAN},
        "ssimulacra2": {"adm2": 0.96, "motion3": NAN, "ssimulacra2": 1.0},
    }
    if sklearn:
        importances = {"lasso": {"adm2": 7.9, "motion3": 0.0, "ssimulacra2": 2.4}, "mi": {"adm2": 1.21, "motion3": 0.0, "ssimulacra2": 1.1},
                       "rf": {"adm2": 0.71, "motion3": 0.0, "ssimulacra2": 0.2}}
        topk = {"lasso": [["adm2", 7.9], ["ssimulacra2", 2.4]], "mi": [["adm2", 1.21], ["ssimulacra2", 1.1]], "rf": [["adm2", 0.71], ["ssimulacra2", 0.2]]}
        consensus = ["adm2", "ssimulacra2"]
    else:
        importances = {m: {c: NAN for c in COLS} for m in ("lasso", "mi", "rf")}
        topk = {"lasso": [], "mi": [], "rf": []}
        consensus = []
    return {"consensus_topk": consensus, "feature_cols": COLS, "importances": importances, "n_rows_clean": 11040, "parquet": PARQUET,
            "pearson": pearson, "per_method_topk": topk, "redundancy_threshold": 0.95,
            "redundant_pairs": [{"a": "adm2", "b": "ssimulacra2", "r": 0.96}], "target": "vmaf", "top_k": 2}


FC_NAN = nan("/pearson/adm2/motion3", "/pearson/motion3/adm2", "/pearson/motion3/motion3", "/pearson/motion3/ssimulacra2", "/pearson/ssimulacra2/motion3")
FC_SELF = diag("self-reference", "info", "/run_provenance/outputs/json_report")


def fc(name, description, mutate=None, sklearn=True, extra=()):
    ws = Workspace(HERE / name, description)
    ws.script("ai/scripts/feature_correlation.py")
    ws.write_bytes(PARQUET, b"PAR1 fixture features PAR1")
    doc = fc_doc(sklearn)
    doc["run_provenance"] = ws.provenance(
        "ai/scripts/feature_correlation.py", argv=["--parquet", PARQUET, "--out", FC_OUT, "--top-k", "2"],
        args={"out": FC_OUT, "parquet": PARQUET, "redundancy_threshold": 0.95, "target": "vmaf", "top_k": 2},
        inputs={"parquet": P(PARQUET)}, outputs={"json_report": P(FC_OUT)})
    if mutate:
        mutate(doc)
    ws.write_json(FC_OUT, doc)
    diags = [FC_SELF, *FC_NAN, *extra]
    if not sklearn:
        diags += nan(*[f"/importances/{m}/{c}" for m in ("lasso", "mi", "rf") for c in COLS])
    write_case(ws, FC_OUT, "feature-correlation", diags)


fc("valid-feature-correlation", "Constant column: its Pearson entries are bare NaN (warnings only, no rule fires).")
fc("valid-feature-correlation-no-sklearn", "Without sklearn every importance is NaN, top-k lists and consensus are empty.", sklearn=False)
fc("invalid-pearson-asymmetric", "The Pearson matrix is symmetric.", mutate=lambda d: d["pearson"]["ssimulacra2"].update(adm2=0.5),
   extra=[BAD("/pearson/adm2/ssimulacra2")])
fc("invalid-pearson-missing-column", "Every Pearson row covers every feature column.", mutate=lambda d: d["pearson"]["adm2"].pop("ssimulacra2"),
   extra=[BAD("/pearson/adm2")])
fc("invalid-redundant-below-threshold", "Redundant pairs have |r| >= redundancy_threshold.",
   mutate=lambda d: d.update(redundant_pairs=[{"a": "adm2", "b": "ssimulacra2", "r": 0.9}]), extra=[BAD("/redundant_pairs/0/r")])
fc("invalid-topk-too-long", "A per-method list keeps at most top_k features.",
   mutate=lambda d: d["per_method_topk"]["mi"].append(["motion3", 0.0]), extra=[BAD("/per_method_topk/mi")])
fc("invalid-consensus-unsorted", "consensus_topk is sorted.", mutate=lambda d: d.update(consensus_topk=["ssimulacra2", "adm2"]),
   extra=[BAD("/consensus_topk")])
fc("invalid-topk-pair-shape", "Top-k items are [feature, score] pairs.", mutate=lambda d: d["per_method_topk"]["rf"].__setitem__(1, ["ssimulacra2"]),
   extra=[SCHEMA("/per_method_topk/rf/1")])

# -- phase 3 subset sweep ----------------------------------------------------------------------
SW_OUT = "runs/phase3_subset_sweep.json"
CANON6 = ["adm2", "vif_scale0", "vif_scale1", "vif_scale2", "vif_scale3", "motion2"]
FULL21 = ["adm2", "adm_scale0", "adm_scale1", "adm_scale2", "adm_scale3", "vif_scale0", "vif_scale1", "vif_scale2", "vif_scale3", "motion",
          "motion2", "motion3", "psnr_y", "psnr_cb", "psnr_cr", "float_ssim", "float_ms_ssim", "cambi", "ciede2000", "psnr_hvs", "ssimulacra2"]


def sweep_doc():
    return {
        "canonical6": {
            "features": list(CANON6),
            "per_seed": {
                "0": {"BigBuckBunny": {"plcc": 0.951, "rmse": 4.12, "srocc": 0.944}, "CrowdRun": {"plcc": 0.932, "rmse": 5.03, "srocc": 0.921}},
                "1": {"BigBuckBunny": {"plcc": 0.949, "rmse": 4.2, "srocc": 0.94}, "CrowdRun": {"plcc": NAN, "rmse": 9.9, "srocc": NAN}},
            },
            "summary": {"mean_plcc": NAN, "mean_rmse": 5.8125, "mean_srocc": NAN, "n_folds": 4, "n_seeds": 2, "seed_mean_plcc_std": NAN,
                        "std_plcc": NAN, "std_rmse": 2.72, "std_srocc": NAN},
        },
        "C": {
            "features": list(FULL21),
            "per_seed": {"0": {"BigBuckBunny": {"plcc": 0.97, "rmse": 3.1, "srocc": 0.96}}, "1": {}},
            "summary": {"mean_plcc": 0.97, "mean_rmse": 3.1, "mean_srocc": 0.96, "n_folds": 1, "n_seeds": 2, "seed_mean_plcc_std": NAN,
                        "std_plcc": 0.0, "std_rmse": 0.0, "std_srocc": 0.0},
        },
    }


def sweep(name, description, mutate=None, extra=(), subsets="canonical6,C", seeds="0,1"):
    ws = Workspace(HERE / name, description)
    ws.script("ai/scripts/phase3_subset_sweep.py")
    ws.write_bytes(PARQUET, b"PAR1 fixture features PAR1")
    doc = sweep_doc()
    doc["run_provenance"] = ws.provenance(
        "ai/scripts/phase3_subset_sweep.py", argv=["--parquet", PARQUET, "--out", SW_OUT, "--subsets", subsets, "--seeds", seeds],
        args={"batch_size": 256, "epochs": 30, "lr": 0.001, "out": SW_OUT, "parquet": PARQUET, "seed": 0, "seeds": seeds,
              "standardize": False, "subsets": subsets},
        inputs={"parquet": P(PARQUET)}, outputs={"json_report": P(SW_OUT)})
    if mutate:
        mutate(doc)
    ws.write_json(SW_OUT, doc)
    write_case(ws, SW_OUT, "phase3-subset-sweep", [diag("self-reference", "info", "/run_provenance/outputs/json_report"), *nan(*nan_pointers(doc)), *extra])


sweep("valid-phase3-sweep", "Two subsets, two seeds; a constant-prediction fold spreads NaN into the means; subset C keeps one fold (std 0.0) and one seed without folds (NaN seed mean).")
sweep("invalid-sweep-n-folds", "n_folds counts (seed, fold) pairs.", mutate=lambda d: d["canonical6"]["summary"].update(n_folds=2),
      extra=[BAD("/canonical6/summary/n_folds")])
sweep("invalid-sweep-n-seeds", "n_seeds is the number of seeds run.", mutate=lambda d: d["C"]["summary"].update(n_seeds=1),
      extra=[BAD("/C/summary/n_seeds")])
sweep("invalid-sweep-seed-keys", "per_seed keys are the seeds of --seeds.", mutate=lambda d: d["C"]["per_seed"].update({"7": d["C"]["per_seed"].pop("1")}),
      extra=[BAD("/C/per_seed")])
sweep("invalid-sweep-feature-count", "Subset C has 21 features.", mutate=lambda d: d["C"]["features"].pop(),
      extra=[BAD("/C/features")])
sweep("invalid-sweep-std-one-fold", "With a single fold every std is 0.0.", mutate=lambda d: d["C"]["summary"].update(std_rmse=0.4),
      extra=[BAD("/C/summary/std_rmse")])
sweep("invalid-sweep-subsets", "The subset keys are the requested --subsets.", subsets="canonical6,A,C",
      extra=[BAD("/run_provenance/args/subsets")])
sweep("invalid-sweep-unknown-subset", "Only canonical6, A, B and C exist (an unknown name aborts before writing).",
      mutate=lambda d: d.update(D=d["C"]), extra=[SCHEMA("/D"), BAD("/run_provenance/args/subsets")])

# -- more rules --------------------------------------------------------------------------------
fc("invalid-importances-keys", "Each method scores exactly the feature columns.", mutate=lambda d: d["importances"]["rf"].pop("motion3"),
   extra=[BAD("/importances/rf")])
fc("invalid-redundant-unsorted", "Redundant pairs are sorted by |r| descending.",
   mutate=lambda d: d.update(redundant_pairs=[{"a": "adm2", "b": "ssimulacra2", "r": 0.96}, {"a": "adm2", "b": "motion3", "r": -0.99}]),
   extra=[BAD("/redundant_pairs/1/r")])
fc("invalid-unknown-feature", "Top-k lists name feature columns only.", mutate=lambda d: d["per_method_topk"]["mi"].__setitem__(0, ["vmaf", 1.21]),
   extra=[BAD("/per_method_topk/mi/0/0")])


def one_seed(d):
    d["C"]["summary"].update(seed_mean_plcc_std=0.1)
    d["C"]["per_seed"].pop("1")


sweep("invalid-sweep-seed-std-one-seed", "With one seed in per_seed, seed_mean_plcc_std is 0.0.", seeds="0", mutate=lambda d: (
    d["canonical6"]["per_seed"].pop("1"), d["canonical6"]["summary"].update(n_folds=2, n_seeds=1, seed_mean_plcc_std=0.0),
    d["C"]["summary"].update(n_seeds=1), one_seed(d)),
    extra=[BAD("/C/summary/seed_mean_plcc_std")])

# ---- the block pinned per emitter (issue 14): one case per variant, derived from a valid case
from block_mutants import D as _D, block_case  # noqa: E402

block_case(HERE, "feature-correlation", "valid-feature-correlation", "runs/feature_correlation.json", args_key="out")
block_case(HERE, "phase3-subset-sweep", "valid-phase3-sweep", "runs/phase3_subset_sweep.json", args_key="out")
