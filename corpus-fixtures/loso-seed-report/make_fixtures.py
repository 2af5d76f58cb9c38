"""Golden cases for family `loso-seed-report` (loso_seed<N>.json of train_fr_regressor_v2_ensemble_loso.py).

Written from the emitter facts summarised in schema/README.md: a flat summary (aggregates at the top
level), note "dry-run" only with --dry-run, epochs = 1 in a dry run while args.epochs keeps the
CLI value, report_target a plain string, NaN fold PLCC/SROCC on constant predictions.
Run: python3 corpus-fixtures/loso-seed-report/make_fixtures.py
"""
import math
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "_lib"))
from emit import P, Workspace  # noqa: E402

NAN = float("nan")
SCRIPT = "ai/scripts/train_fr_regressor_v2_ensemble_loso.py"
CORPUS = "runs/phase_a/full_grid/per_frame_canonical6.jsonl"
REPO_ABS = "/home/op/vmafx"
SOURCES = ["BigBuckBunny_25fps", "BirdsInCage_30fps", "CrowdRun_25fps", "ElFuente1_30fps", "ElFuente2_30fps",
           "FoxBird_25fps", "OldTownCross_25fps", "Seeking_25fps", "Tennis_24fps"]


def diag(code, severity, pointer):
    return {"code": code, "severity": severity, "pointer": pointer}


def result(file, valid, diagnostics):
    return {"file": file, "family": "loso-seed-report", "variant": "fr-regressor-v2-ensemble-loso", "valid": valid, "diagnostics": diagnostics}


def nanmean(xs):
    ys = [x for x in xs if not math.isnan(x)]
    return sum(ys) / len(ys) if ys else NAN


def summary(seed, folds, *, corpus_arg, epochs_cli=200, dry_run=False, wall=12.5):
    plccs = [f["plcc"] for f in folds]
    finite = [p for p in plccs if not math.isnan(p)]
    out = {
        "seed": seed, "corpus": corpus_arg, "n_folds": len(folds), "folds": folds,
        "mean_plcc": sum(finite) / len(finite) if finite else NAN,
        "std_plcc": statistics.stdev(finite) if len(finite) >= 2 else NAN,
        "min_plcc": float(min(plccs)) if plccs else NAN,
        "max_plcc": float(max(plccs)) if plccs else NAN,
        "mean_srocc": nanmean([f["srocc"] for f in folds]),
        "mean_rmse": nanmean([f["rmse"] for f in folds]),
        "epochs": 1 if dry_run else epochs_cli, "batch_size": 32, "lr": 0.0005, "weight_decay": 1e-05,
        "num_codecs": 14, "encoder_vocab_version": 2, "wall_time_s": wall,
    }
    if dry_run:
        out["note"] = "dry-run"
    return out


def folds_for(sources, rows_per_source=80, plcc0=0.9941):
    total = rows_per_source * len(sources)
    return [{"held_out": s, "n_train": total - rows_per_source, "n_val": rows_per_source,
             "plcc": round(plcc0 + 0.0003 * i, 6), "srocc": round(plcc0 - 0.001 + 0.0002 * i, 6), "rmse": round(1.5 + 0.05 * i, 6)}
            for i, s in enumerate(sources)]


def run(name, description, seeds, *, out_dir, corpus_arg, argv, dry_run=False, folds=None, epochs_cli=200, mutate=None,
        file_seed=None, expect=(), extra_expect=(), valid=None):
    ws = Workspace(HERE / name, description)
    ws.script(SCRIPT)
    ws.write_text(CORPUS, "".join(f'{{"src": "{s}", "vmaf": 90.0}}\n' for s in SOURCES))
    args = {"batch_size": 32, "corpus": corpus_arg, "dry_run": dry_run, "epochs": epochs_cli, "lr": 0.0005,
            "num_codecs": 14, "out_dir": out_dir, "seeds": seeds, "weight_decay": 1e-05}
    files = []
    for seed in seeds:
        doc = summary(seed, folds if folds is not None else folds_for(SOURCES), corpus_arg=corpus_arg, epochs_cli=epochs_cli, dry_run=dry_run)
        out_path = f"{out_dir}/loso_seed{seed}.json"
        doc["run_provenance"] = ws.provenance(SCRIPT, argv=argv, args=args, inputs={"corpus": P(CORPUS)}, outputs={"report_target": out_path})
        if mutate:
            mutate(doc)
        rel = f"runs/ensemble_v2_real/loso_seed{file_seed if file_seed is not None else seed}.json"
        ws.write_json(rel, doc)
        files.append(rel)
    bad = [diag("inconsistent", "error", p) for p in expect]
    ok = valid if valid is not None else not bad and not any(d["severity"] == "error" for d in extra_expect)
    ws.case([result(f, ok, list(extra_expect) + bad) for f in files], 0 if ok else 1)


# -- valid -------------------------------------------------------------------------------------
run("valid-wrapper-run-two-seeds", "Two seed files of one wrapper run (absolute --corpus/--out-dir, argv naming one seed each in the real wrapper; here one call with two seeds): report_target is a plain string.",
    [0, 1], out_dir=f"{REPO_ABS}/runs/ensemble_v2_real", corpus_arg=f"{REPO_ABS}/{CORPUS}",
    argv=["--seeds", "0,1", "--corpus", f"{REPO_ABS}/{CORPUS}", "--out-dir", f"{REPO_ABS}/runs/ensemble_v2_real"])

nan_folds = folds_for(SOURCES[:3])
nan_folds[1]["plcc"] = NAN
nan_folds[1]["srocc"] = NAN
run("valid-dry-run-nan-fold", "--dry-run: epochs 1 (args.epochs keeps 200), note \"dry-run\"; one fold with constant predictions (NaN plcc/srocc), the aggregates skip it.",
    [0], out_dir="runs/ensemble_loso", corpus_arg=CORPUS, argv=["--seeds", "0", "--dry-run"], dry_run=True, folds=nan_folds,
    extra_expect=[diag("non-standard-number", "warning", "/folds/1/plcc"), diag("non-standard-number", "warning", "/folds/1/srocc")])

run("valid-single-fold-std-nan", "A corpus with one source: std_plcc is NaN (fewer than 2 finite PLCCs).",
    [3], out_dir="runs/ensemble_loso", corpus_arg=CORPUS, argv=["--seeds", "3"], folds=folds_for(SOURCES[:1]),
    extra_expect=[diag("non-standard-number", "warning", "/std_plcc")])


# -- inconsistent ------------------------------------------------------------------------------
def base_run(name, description, mutate, expect, **kw):
    run(name, description, [0], out_dir="runs/ensemble_loso", corpus_arg=CORPUS, argv=["--seeds", "0"], mutate=mutate, expect=expect, **kw)


base_run("inconsistent-seed-vs-file-name", "seed 0 stored as loso_seed3.json.", None, ["/seed"], file_seed=3)
base_run("inconsistent-n-folds", "n_folds differs from folds.length.", lambda d: d.update(n_folds=8), ["/n_folds"])
base_run("inconsistent-dry-run-epochs", "args.dry_run true with the CLI epochs and no note.",
         lambda d: d["run_provenance"]["args"].update(dry_run=True), ["/epochs", "/run_provenance/args/dry_run"])
base_run("inconsistent-note-without-dry-run", "note \"dry-run\" although args.dry_run is false.", lambda d: d.update(note="dry-run"), ["/note"])
base_run("inconsistent-seed-not-in-args", "seed not among args.seeds.", lambda d: d["run_provenance"]["args"].update(seeds=[1, 2]), ["/seed"])
base_run("inconsistent-args-copies", "lr and corpus differ from the args the block recorded.",
         lambda d: d.update(lr=0.001, corpus="runs/other.jsonl"), ["/corpus", "/lr"])


def unsort(d):
    d["folds"][1], d["folds"][2] = d["folds"][2], d["folds"][1]


base_run("inconsistent-fold-order", "folds out of sorted source order.", unsort, ["/folds/2/held_out"])
base_run("inconsistent-mean-plcc", "mean_plcc is not the mean of the fold PLCCs.", lambda d: d.update(mean_plcc=0.9991), ["/mean_plcc"])
base_run("inconsistent-report-target", "report_target names another seed's file.",
         lambda d: d["run_provenance"]["outputs"].update(report_target="runs/ensemble_loso/loso_seed4.json"), ["/run_provenance/outputs/report_target"])


# -- schema ------------------------------------------------------------------------------------
ws = Workspace(HERE / "schema-gate-test-fixture-shape", "The gate test's seed fixture shape {seed, mean_plcc, per_fold} is not emitter output: schema errors (and no block).")
ws.write_json("runs/ensemble_v2_real/loso_seed0.json", {"seed": 0, "mean_plcc": 0.997, "per_fold": [{"source": "BigBuckBunny_25fps", "plcc": 0.997}]})
missing = ["batch_size", "corpus", "encoder_vocab_version", "epochs", "folds", "lr", "max_plcc", "mean_rmse", "mean_srocc", "min_plcc",
           "n_folds", "num_codecs", "std_plcc", "wall_time_s", "weight_decay"]
ws.case([result("runs/ensemble_v2_real/loso_seed0.json", False,
                [diag("legacy-no-provenance", "warning", ""), diag("schema", "error", "/per_fold")] + [diag("schema", "error", "") for _ in missing])], 1)

# ---- the block pinned per emitter (issue 14): one case per variant, derived from a valid case
from block_mutants import D as _D, block_case  # noqa: E402

block_case(HERE, "fr-regressor-v2-ensemble-loso", "valid-wrapper-run-two-seeds", "runs/ensemble_v2_real/loso_seed0.json", args_key="out_dir")
