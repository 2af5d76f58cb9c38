"""Golden cases for family `predictor-report` (train_predictor_v2_realcorpus.py report.json).

Written from the emitter facts summarised in schema/README.md (family `predictor-report`): constants-only
gate, per-codec status matrix (pass/fail 5 folds; insufficient-sources/missing-rows no folds, zeros and
mean_rmse NaN), summary counts, three array-valued inputs, report_target a plain string.
Run: python3 corpus-fixtures/predictor-report/make_fixtures.py
"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "_lib"))
from emit import P, Workspace  # noqa: E402

NAN = float("nan")
SCRIPT = "ai/scripts/train_predictor_v2_realcorpus.py"
REPORT = "runs/predictor_v2_realcorpus/report.json"
GATE = {"adr": "ADR-0303", "loso_fold_count": 5, "mean_plcc_threshold": 0.95, "per_fold_min": 0.95, "plcc_spread_max": 0.005}
SOURCES = ["BigBuckBunny_25fps", "BirdsInCage_30fps", "CrowdRun_25fps", "ElFuente1_30fps", "ElFuente2_30fps", "FoxBird_25fps",
           "OldTownCross_25fps", "Seeking_25fps", "Tennis_24fps"]
CORPUS_FILE = ".corpus/netflix/per_frame_canonical6.jsonl"


def diag(code, severity, pointer):
    return {"code": code, "severity": severity, "pointer": pointer}


def result(file, valid, diagnostics):
    return {"file": file, "family": "predictor-report", "variant": "predictor-v2-realcorpus", "valid": valid, "diagnostics": diagnostics}


def empty_codec(codec, reason="no rows in corpus for this codec", status="missing-rows", n_rows=0, n_src=0, prov=()):
    return {"codec": codec, "corpus_provenance": list(prov), "failure_reasons": [reason], "folds": [], "mean_plcc": 0.0, "mean_rmse": NAN,
            "mean_srocc": 0.0, "n_distinct_sources": n_src, "n_rows_total": n_rows, "plcc_spread": 0.0, "status": status}


def trained_codec(codec, plccs, prov):
    buckets = [SOURCES[i::5] for i in range(5)]
    per_source = 80
    total = per_source * len(SOURCES)
    folds = []
    for i, (held, p) in enumerate(zip(buckets, plccs)):
        n_val = per_source * len(held)
        folds.append({"fold_index": i, "held_out_sources": sorted(held), "n_train": total - n_val, "n_val": n_val, "plcc": p,
                      "rmse": round(2.3 + 0.01 * i, 6), "srocc": round(p - 0.005, 6)})
    mean = sum(plccs) / len(plccs)
    spread = max(plccs) - min(plccs)
    reasons = []
    if mean < 0.95:
        reasons.append(f"mean PLCC {mean:.4f} < 0.9500 (ADR-0303 part 1)")
    if spread > 0.005:
        reasons.append(f"PLCC spread {spread:.4f} > 0.0050 (ADR-0303 part 2)")
    low = [f"fold{i}={p:.4f}" for i, p in enumerate(plccs) if p < 0.95]
    if low:
        reasons.append("per-fold PLCC < 0.9500: " + ", ".join(low))
    return {"codec": codec, "corpus_provenance": list(prov), "failure_reasons": reasons, "folds": folds, "mean_plcc": mean,
            "mean_rmse": sum(f["rmse"] for f in folds) / 5, "mean_srocc": sum(f["srocc"] for f in folds) / 5,
            "n_distinct_sources": len(SOURCES), "n_rows_total": total, "plcc_spread": spread, "status": "fail" if reasons else "pass"}


def summary(codecs):
    count = lambda s: sum(1 for c in codecs if c["status"] == s)
    return {"n_fail": count("fail"), "n_insufficient": count("insufficient-sources"), "n_missing_rows": count("missing-rows"), "n_pass": count("pass")}


def report(name, description, codecs_fn, *, argv, args, corpus_files=(), roots=(), mutate=None, expect=(), extra=(), generated="2026-06-02T14:07:31Z"):
    ws = Workspace(HERE / name, description)
    ws.script(SCRIPT)
    for f in corpus_files:
        ws.write_text(f, '{"src": "BigBuckBunny_25fps"}\n')
    codecs = codecs_fn()
    default_roots = [P(".corpus/netflix"), P(".corpus/konvid-150k"), P(".corpus/bvi-dvc-raw")]
    block = ws.provenance(SCRIPT, argv=argv, args=args,
                          inputs={"explicit_corpus_files": [], "corpus_roots": default_roots, "resolved_corpus_files": [P(f) for f in corpus_files]},
                          outputs={"report_target": args["report_out"]})
    doc = {"schema_version": 1, "generated_at_utc": generated, "gate": dict(GATE),
           "corpus": {"discovered_files": list(corpus_files), "roots": list(roots)}, "codecs": codecs, "summary": summary(codecs), "run_provenance": block}
    if mutate:
        mutate(doc)
    ws.write_json(REPORT, doc)
    nan = [diag("non-standard-number", "warning", f"/codecs/{i}/mean_rmse") for i, c in enumerate(codecs) if c["mean_rmse"] != c["mean_rmse"]]
    bad = [diag("inconsistent", "error", p) for p in expect]
    ok = not bad and not any(d["severity"] == "error" for d in extra)
    ws.case([result(REPORT, ok, nan + list(extra) + bad)], 0 if ok else 1)


def args_of(**kw):
    a = {"allow_empty": False, "codec": None, "corpus": None, "corpus_root": None, "epochs": 200, "report_out": REPORT, "seed": 42, "synthetic_smoke": False}
    a.update(kw)
    return a


EMPTY_ARGV = ["--allow-empty", "--codec", "libx264", "--codec", "libsvtav1"]
report("valid-allow-empty", "--allow-empty with no corpora: every codec missing-rows with mean_rmse NaN (never strict JSON); default corpus roots listed as missing.",
       lambda: [empty_codec("libx264"), empty_codec("libsvtav1")], argv=EMPTY_ARGV, args=args_of(allow_empty=True, codec=["libx264", "libsvtav1"]))

report("valid-real-corpus-mixed", "A real corpus: one codec passes, one fails (spread and per-fold reasons), one has too few sources, one lacks rows.",
       lambda: [trained_codec("h264_nvenc", [0.962735, 0.962215, 0.964639, 0.964694, 0.963392], [CORPUS_FILE]),
                trained_codec("libx264", [0.9612, 0.9405, 0.9630, 0.9588, 0.9622], [CORPUS_FILE]),
                empty_codec("libsvtav1", "need >= 5 distinct sources; have 3", "insufficient-sources", n_rows=240, n_src=3, prov=[CORPUS_FILE]),
                empty_codec("av1_qsv")],
       argv=["--codec", "h264_nvenc", "--codec", "libx264", "--codec", "libsvtav1", "--codec", "av1_qsv"],
       args=args_of(codec=["h264_nvenc", "libx264", "libsvtav1", "av1_qsv"]), corpus_files=[CORPUS_FILE], roots=[".corpus/netflix"])

report("valid-trainer-unavailable", "vmaftune.predictor_train not importable: missing-rows with the real row counts.",
       lambda: [empty_codec("libx265", "trainer unavailable: No module named 'vmaftune'", n_rows=720, n_src=9)],
       argv=["--codec", "libx265"], args=args_of(codec=["libx265"]), corpus_files=[CORPUS_FILE], roots=[".corpus/netflix"])


# -- inconsistent --------------------------------------------------------------------------------
def mixed():
    return [trained_codec("h264_nvenc", [0.962735, 0.962215, 0.964639, 0.964694, 0.963392], [CORPUS_FILE]), empty_codec("av1_qsv")]


MIX_ARGS = dict(argv=["--codec", "h264_nvenc", "--codec", "av1_qsv"], args=args_of(codec=["h264_nvenc", "av1_qsv"]), corpus_files=[CORPUS_FILE], roots=[".corpus/netflix"])

report("inconsistent-summary-counts", "summary counts do not match the codec statuses.", mixed, mutate=lambda d: d["summary"].update(n_pass=0, n_fail=1),
       expect=["/summary/n_pass", "/summary/n_fail"], **MIX_ARGS)
report("inconsistent-pass-with-reasons", "A pass codec with a failure reason.", mixed,
       mutate=lambda d: d["codecs"][0]["failure_reasons"].append("mean PLCC 0.9400 < 0.9500 (ADR-0303 part 1)"), expect=["/codecs/0/failure_reasons"], **MIX_ARGS)


def no_fold_values(d):
    d["codecs"][1]["mean_rmse"] = 2.5
    d["codecs"][1]["mean_plcc"] = 0.9


report("inconsistent-no-folds-values", "A missing-rows codec with a finite mean_rmse and a non-zero mean_plcc (no folds ran).", mixed, mutate=no_fold_values,
       expect=["/codecs/1/mean_plcc", "/codecs/1/mean_rmse"], **MIX_ARGS)


def overlap(d):
    d["codecs"][0]["folds"][1]["held_out_sources"] = list(d["codecs"][0]["folds"][0]["held_out_sources"])


report("inconsistent-fold-sources-overlap", "Two folds hold out the same sources (folds are source-disjoint), so fewer distinct sources are covered.", mixed, mutate=overlap,
       expect=["/codecs/0/folds/1/held_out_sources/0", "/codecs/0/folds/1/held_out_sources/1", "/codecs/0/n_distinct_sources"], **MIX_ARGS)
report("inconsistent-fold-count", "A pass codec with 4 folds.", mixed, mutate=lambda d: d["codecs"][0]["folds"].pop(), expect=["/codecs/0/folds"], **MIX_ARGS)
report("inconsistent-codec-order-and-target", "codecs not in --codec order; report_target differs from args.report_out.", mixed,
       mutate=lambda d: (d["codecs"].reverse(), d["run_provenance"]["outputs"].update(report_target="/tmp/report.json")),
       expect=["/run_provenance/outputs/report_target", "/codecs"], **MIX_ARGS)


# -- schema -------------------------------------------------------------------------------------
report("schema-gate-and-timestamp", "A gate constant changed and a +00:00 timestamp (the predictor writes Z): schema errors.",
       lambda: [empty_codec("libx264")], argv=["--allow-empty", "--codec", "libx264"], args=args_of(allow_empty=True, codec=["libx264"]),
       mutate=lambda d: d["gate"].update(mean_plcc_threshold=0.9), generated="2026-06-02T14:07:31+00:00",
       extra=[diag("schema", "error", "/gate/mean_plcc_threshold"), diag("schema", "error", "/generated_at_utc"),
              diag("schema", "error", "/generated_at_utc")])  # pattern and maxLength (maxLength keeps Python re "$" from accepting a trailing newline)

# ---- the block pinned per emitter (issue 14): one case per variant, derived from a valid case
from block_mutants import D as _D, block_case  # noqa: E402

block_case(HERE, "predictor-v2-realcorpus", "valid-real-corpus-mixed", "runs/predictor_v2_realcorpus/report.json", args_key="epochs")
