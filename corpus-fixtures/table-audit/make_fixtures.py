"""Golden cases for family table-audit (MOS-label, second-opinion, saliency, signal-mix audits).

Written from the emitter facts summarised in schema/README.md
("Facts behind each family"), not from the emitters' code.
Run: python3 corpus-fixtures/table-audit/make_fixtures.py
"""
import copy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "_lib"))
from emit import P, Workspace  # noqa: E402

NAN = float("nan")
FAM = "table-audit"


def diag(code, severity, pointer):
    return {"code": code, "severity": severity, "pointer": pointer}


def nan(*pointers):
    return [diag("non-standard-number", "warning", p) for p in pointers]


BAD = lambda p: diag("inconsistent", "error", p)  # noqa: E731
SCHEMA = lambda p: diag("schema", "error", p)  # noqa: E731


def make(name, description, variant, script, report, payload, args, argv, inputs, outputs, mutate=None, extra=(), block=True, flags=None, files=()):
    ws = Workspace(HERE / name, description)
    ws.script(script)
    for rel in files:
        ws.write_bytes(rel, f"fixture table {rel}".encode())
    doc = copy.deepcopy(payload)
    if block:
        doc["run_provenance"] = ws.provenance(script, argv=argv, args=args, inputs=inputs, outputs=outputs)
    if mutate:
        mutate(doc)
    ws.write_json(report, doc)
    diags = list(extra)
    valid = not any(d["severity"] == "error" for d in diags)
    ws.case([{"file": report, "family": FAM, "variant": variant, "valid": valid, "diagnostics": diags}], 0 if valid else 1, flags=flags, targets=[report])


# -- MOS labels --------------------------------------------------------------------------------
MOS_PAYLOAD = {
    "feature_key_column": "key", "feature_key_regex": "", "feature_table": "runs/konvid_features.parquet", "input_rows": 1200,
    "key_normalize": "stem", "label_key_column": "file_name", "label_key_regex": "", "label_mos_column": "MOS",
    "label_sources": ["labels/KoNViD_1k_mos.csv"], "labels_loaded": 1200, "match_rate": 1196 / 1200, "matched_feature_keys": 1196,
    "matched_rows": 1196, "min_match_rate": 0.95, "missing_rows": 4, "output": "runs/konvid_features_mos.parquet", "output_rows": 1200,
    "total_feature_keys": 1200,
}


def mos(name, description, mutate=None, extra=(), **kw):
    make(name, description, "mos-label-audit", "ai/scripts/materialize_mos_labels.py", "runs/konvid_mos_audit.json", MOS_PAYLOAD,
         {"audit_json": "runs/konvid_mos_audit.json", "feature_key_column": None, "feature_key_regex": None, "features": "runs/konvid_features.parquet",
          "key_normalize": "stem", "label_key_column": None, "label_key_regex": None, "label_mos_column": None, "labels": ["labels/KoNViD_1k_mos.csv"],
          "min_match_rate": 0.95, "out": "runs/konvid_features_mos.parquet", "overwrite": False, "status_column": "mos_label_status"},
         ["--features", "runs/konvid_features.parquet", "--labels", "labels/KoNViD_1k_mos.csv", "--out", "runs/konvid_features_mos.parquet",
          "--audit-json", "runs/konvid_mos_audit.json", "--key-normalize", "stem"],
         {"features": P("runs/konvid_features.parquet"), "labels": [P("labels/KoNViD_1k_mos.csv")]},
         {"audit_json": "runs/konvid_mos_audit.json", "out": "runs/konvid_features_mos.parquet"},
         files=("runs/konvid_features.parquet", "labels/KoNViD_1k_mos.csv"), mutate=mutate, extra=extra, **kw)


mos("valid-mos-label-audit", "MOS-label audit from the CLI: inputs.labels is an array of descriptors, outputs are plain strings.")
mos("valid-mos-label-audit-programmatic", "materialize() called without provenance writes the audit without a block: a legacy warning.", block=False,
    extra=[diag("legacy-no-provenance", "warning", "")])
mos("invalid-mos-match-rate", "match_rate is matched_feature_keys / total_feature_keys.", mutate=lambda d: d.update(match_rate=0.99), extra=[BAD("/match_rate")])
mos("invalid-mos-below-min", "An audit below min_match_rate is never written (the join raises).",
    mutate=lambda d: d.update(matched_feature_keys=1000, match_rate=1000 / 1200), extra=[BAD("/match_rate")])
mos("invalid-mos-row-sum", "matched_rows + missing_rows = input_rows.", mutate=lambda d: d.update(missing_rows=5), extra=[BAD("/missing_rows")])
mos("invalid-mos-key-normalize", "key_normalize is auto, raw, basename or stem.", mutate=lambda d: d.update(key_normalize="lower"), extra=[SCHEMA("/key_normalize")])

# -- second opinion ----------------------------------------------------------------------------
SO_PAYLOAD = {
    "competitors": {"DOVER": {"bad_rows": 2, "column_prefix": "second_opinion_dover", "competitor": "DOVER", "matched_rows": 296, "missing_rows": 2, "scores_loaded": 298}},
    "feature_table": "runs/chug_features.parquet", "input_rows": 300, "key_column": "chug_video_id", "key_normalize": "auto",
    "missing_policy": "mark", "output": "runs/chug_features_so.parquet", "output_rows": 300,
}


def so(name, description, mutate=None, extra=()):
    make(name, description, "second-opinion-audit", "ai/scripts/materialize_second_opinion_features.py", "runs/so_audit.json", SO_PAYLOAD,
         {"audit_json": "runs/so_audit.json", "features": "runs/chug_features.parquet", "key_column": None, "key_normalize": "auto", "missing_policy": "mark",
          "out": "runs/chug_features_so.parquet", "overwrite": False, "prefix": "second_opinion", "score_field": None, "score_key_field": None,
          "scores": ["DOVER=runs/dover.jsonl"]},
         ["--features", "runs/chug_features.parquet", "--scores", "DOVER=runs/dover.jsonl", "--out", "runs/chug_features_so.parquet", "--audit-json", "runs/so_audit.json"],
         {"features": P("runs/chug_features.parquet"), "scores": ["DOVER=runs/dover.jsonl"]},
         {"audit_json": "runs/so_audit.json", "out": "runs/chug_features_so.parquet"}, files=("runs/chug_features.parquet",), mutate=mutate, extra=extra)


so("valid-second-opinion-audit", "inputs.scores are the raw LABEL=path specs (plain strings, never hashed).")
so("invalid-so-dropped-rows", "Rows are dropped only with missing_policy drop.", mutate=lambda d: d.update(output_rows=298), extra=[BAD("/output_rows")])
so("invalid-so-competitor-key", "Competitors are keyed by their name.", mutate=lambda d: d["competitors"]["DOVER"].update(competitor="Q-Align"),
   extra=[BAD("/competitors/DOVER/competitor")])
so("invalid-so-fail-policy", "missing_policy fail raises on any missing row, so its audit has none.", mutate=lambda d: d.update(missing_policy="fail"),
   extra=[BAD("/competitors/DOVER/missing_rows")])

# -- audits written per table by the batch wrappers ----------------------------------------------
# batch_materialize_mos_labels.py and batch_materialize_second_opinion_features.py call the same
# materialize() per table of a batch manifest, with a block of their own: the wrapper's namespace
# (manifest, base_dir, report_json, report_md, fail_fast), the manifest as an extra input.
BATCH_ARGS = {"base_dir": None, "fail_fast": False, "report_md": None}


def batch(name, description, variant, script, report, payload, manifest, inputs, outputs, files):
    make(name, description, variant, script, report, payload,
         {**BATCH_ARGS, "manifest": manifest, "report_json": "runs/batch_report.json"},
         ["--manifest", manifest, "--report-json", "runs/batch_report.json"],
         {"manifest": P(manifest), **inputs}, outputs, files=(manifest, *files))


batch("valid-mos-label-audit-batch", "A MOS-label audit written by batch_materialize_mos_labels.py: the wrapper's namespace, the manifest as an input.",
      "mos-label-audit", "ai/scripts/batch_materialize_mos_labels.py", "runs/konvid_mos_audit.json", MOS_PAYLOAD, "runs/mos_batch.json",
      {"features": P("runs/konvid_features.parquet"), "labels": [P("labels/KoNViD_1k_mos.csv")]},
      {"audit_json": "runs/konvid_mos_audit.json", "out": "runs/konvid_features_mos.parquet"}, ("runs/konvid_features.parquet", "labels/KoNViD_1k_mos.csv"))
batch("valid-second-opinion-audit-batch", "A second-opinion audit written by batch_materialize_second_opinion_features.py (audit_json \"None\" is str(None)).",
      "second-opinion-audit", "ai/scripts/batch_materialize_second_opinion_features.py", "runs/so_audit.json", SO_PAYLOAD, "runs/so_batch.json",
      {"features": P("runs/chug_features.parquet"), "scores": ["DOVER=runs/dover.jsonl"]},
      {"audit_json": "None", "out": "runs/chug_features_so.parquet"}, ("runs/chug_features.parquet",))

# -- saliency ----------------------------------------------------------------------------------
CFG = {"aggregator_column": "saliency_aggregator", "default_height": 1080, "default_width": 1920, "ema_alpha": NAN, "ema_alpha_column": "saliency_ema_alpha",
       "ffmpeg_bin": "ffmpeg", "ffprobe_bin": "ffprobe", "frame_samples": 8, "height_column": "height", "max_frames": 8, "model_id": None,
       "model_id_column": "saliency_model_id", "model_path": None, "overwrite": False, "path_column": "src", "root": "data/netflix",
       "status_column": "saliency_status", "temporal_aggregator": "ema", "width_column": "width"}
SAL_NAN = nan("/config/ema_alpha", "/run_provenance/args/ema_alpha")


def sal(name, description, mutate=None, extra=()):
    args = dict(CFG, audit_json="runs/sal_audit.json", input="runs/netflix_refresh.parquet", output="runs/netflix_refresh_sal.parquet")
    make(name, description, "saliency-features-audit", "ai/scripts/materialize_saliency_features.py", "runs/sal_audit.json",
         {"config": CFG, "input": "runs/netflix_refresh.parquet", "output": "runs/netflix_refresh_sal.parquet",
          "summary": {"failed": 2, "ok": 158, "skipped_existing": 0, "total": 160}},
         args, ["--input", "runs/netflix_refresh.parquet", "--output", "runs/netflix_refresh_sal.parquet", "--audit-json", "runs/sal_audit.json",
                "--root", "data/netflix", "--temporal-aggregator", "ema", "--ema-alpha", "nan"],
         {"input": P("runs/netflix_refresh.parquet"), "root": P("data/netflix"), "model_path": None},
         {"audit_json": "runs/sal_audit.json", "output": "runs/netflix_refresh_sal.parquet"},
         files=("runs/netflix_refresh.parquet", "runs/netflix_refresh_sal.parquet", "data/netflix/a.yuv"), mutate=mutate, extra=[*SAL_NAN, *extra])


sal("valid-saliency-audit", "--ema-alpha nan reaches config.ema_alpha and args as NaN (the only NaN of this audit); root is a directory descriptor, model_path null.")
sal("invalid-saliency-summary", "Every row is counted once: total = ok + skipped_existing + failed.",
    mutate=lambda d: d["summary"].update(total=161), extra=[BAD("/summary/total")])
sal("invalid-saliency-config-vs-args", "The config is built from the CLI flags.", mutate=lambda d: d["config"].update(max_frames=16), extra=[BAD("/config/max_frames")])
sal("invalid-saliency-aggregator", "temporal_aggregator is mean, ema, max or motion-weighted.",
    mutate=lambda d: (d["config"].update(temporal_aggregator="median"), d["run_provenance"]["args"].update(temporal_aggregator="median")),
    extra=[SCHEMA("/config/temporal_aggregator")])

# -- signal mix --------------------------------------------------------------------------------
FAMS = ["canonical_fr", "error_energy", "structural_similarity", "texture_deep_perceptual", "color_chroma", "banding_tone_mapping", "temporal_flicker",
        "saliency_roi", "hdr_display_panel", "source_geometry_content", "codec_encoder", "no_reference_ugc", "noise_grain_blur"]


def health(status, matched=(), numeric=(), healthy=()):
    return {"candidate_metrics": ["X"], "healthy_columns": list(healthy), "matched_columns": list(matched), "numeric_columns": list(numeric),
            "recommendation": "Fixed advice.", "status": status}


def table():
    fam_cols = {f: [] for f in FAMS}
    fam_cols["canonical_fr"] = ["adm2", "vmaf"]
    fam_cols["texture_deep_perceptual"] = ["ssimulacra2"]
    fam_health = {f: health("missing") for f in FAMS}
    fam_health["canonical_fr"] = health("covered", ["adm2", "vmaf"], ["adm2"], ["adm2"])
    fam_health["texture_deep_perceptual"] = health("weak", ["ssimulacra2"], ["ssimulacra2"])
    return {
        "column_stats": {"adm2": {"finite_ratio": 1.0, "max": 0.95, "mean": 0.93, "min": 0.9, "std": 0.02},
                         "ssimulacra2": {"finite_ratio": 0.0, "max": NAN, "mean": NAN, "min": NAN, "std": NAN}},
        "columns": ["adm2", "ssimulacra2", "vmaf"], "family_columns": fam_cols, "family_health": fam_health, "intersections": [], "label": "netflix",
        "missing_families": [f for f in FAMS if fam_health[f]["status"] == "missing"], "numeric_columns": ["adm2", "ssimulacra2", "vmaf"],
        "path": "runs/netflix.parquet", "redundant_pairs": [], "rows": 3, "signal_columns": ["adm2", "ssimulacra2"], "target": "vmaf",
        "target_correlations": [{"abs_pearson": 0.97, "column": "adm2", "family": "canonical_fr", "pearson": 0.97, "spearman": 1.0},
                                {"abs_pearson": NAN, "column": "ssimulacra2", "family": "texture_deep_perceptual", "pearson": NAN, "spearman": 0.5}],
        "weak_families": ["texture_deep_perceptual"],
    }


MIX_NAN = nan(*[f"/tables/0/column_stats/ssimulacra2/{k}" for k in ("max", "mean", "min", "std")],
              "/tables/0/target_correlations/1/abs_pearson", "/tables/0/target_correlations/1/pearson")


def mix(name, description, mutate=None, extra=()):
    make(name, description, "signal-mix-audit", "ai/scripts/signal_mix_audit.py", "runs/signal_mix.json", {"tables": [table()]},
         {"complement_threshold": 0.7, "input": ["netflix=runs/netflix.parquet"], "min_finite_ratio": 0.8, "out_json": "runs/signal_mix.json",
          "out_md": "runs/signal_mix.md", "redundancy_threshold": 0.95, "target": None, "top_k": 12},
         ["--input", "netflix=runs/netflix.parquet", "--out-json", "runs/signal_mix.json", "--out-md", "runs/signal_mix.md"],
         {"tables": [P("runs/netflix.parquet")]}, {"json_report": "runs/signal_mix.json", "markdown_report": "runs/signal_mix.md"},
         files=("runs/netflix.parquet",), mutate=mutate, extra=[*MIX_NAN, *extra])


mix("valid-signal-mix", "Bare NaN is routine: a column without finite values and a NaN correlation (NaN last).")
mix("invalid-mix-missing-families", "missing_families lists the families with status missing, in family order.",
    mutate=lambda d: d["tables"][0]["missing_families"].pop(0), extra=[BAD("/tables/0/missing_families")])
mix("invalid-mix-column-stats", "column_stats has one entry per signal column.", mutate=lambda d: d["tables"][0]["column_stats"].pop("adm2"),
    extra=[BAD("/tables/0/column_stats")])
mix("invalid-mix-abs-pearson", "abs_pearson is |pearson|.", mutate=lambda d: d["tables"][0]["target_correlations"][0].update(pearson=-0.5),
    extra=[BAD("/tables/0/target_correlations/0/abs_pearson")])
mix("invalid-mix-family-keys", "family_health always has all 13 family keys.", mutate=lambda d: d["tables"][0]["family_health"].pop("saliency_roi"),
    extra=[SCHEMA("/tables/0/family_health"), BAD("/tables/0/missing_families")])
mix("invalid-mix-status", "A family with matched columns but no healthy one is weak, not covered.",
    mutate=lambda d: d["tables"][0]["family_health"]["texture_deep_perceptual"].update(status="covered"),
    extra=[BAD("/tables/0/family_health/texture_deep_perceptual/status"), BAD("/tables/0/weak_families")])
mix("invalid-mix-matched-columns", "family_health matched_columns are the family_columns of the family.",
    mutate=lambda d: d["tables"][0]["family_columns"]["canonical_fr"].pop(), extra=[BAD("/tables/0/family_health/canonical_fr/matched_columns")])

# -- more rules --------------------------------------------------------------------------------
mos("invalid-mos-label-sources", "label_sources lists the --labels tables that inputs.labels describes.",
    mutate=lambda d: d["label_sources"].append("labels/extra.csv"), extra=[BAD("/label_sources")])
mos("invalid-mos-output-rows", "Every row is written (labelled or marked missing).", mutate=lambda d: d.update(output_rows=1100),
    extra=[BAD("/output_rows")])
so("invalid-so-more-output", "output_rows never exceeds input_rows.", mutate=lambda d: d.update(output_rows=301), extra=[BAD("/output_rows")])
sal("invalid-saliency-input", "input is --input as given.", mutate=lambda d: d.update(input="runs/other.parquet"), extra=[BAD("/input")])
mix("invalid-mix-tables-count", "One audit per --input table.", mutate=lambda d: d["tables"].append(copy.deepcopy(d["tables"][0])),
    extra=[BAD("/tables"), *nan(*[p.replace("/tables/0/", "/tables/1/") for p in (d["pointer"] for d in MIX_NAN)])])
mix("invalid-mix-no-target", "Without a target there are no target correlations.", mutate=lambda d: d["tables"][0].update(target=None),
    extra=[BAD("/tables/0/target_correlations")])
mix("invalid-mix-redundant-threshold", "Redundant pairs reach --redundancy-threshold.",
    mutate=lambda d: d["tables"][0].update(redundant_pairs=[{"abs_pearson": 0.5, "left": "adm2", "left_family": "canonical_fr", "pearson": 0.5,
                                                             "right": "ssimulacra2", "right_family": "texture_deep_perceptual"}]),
    extra=[BAD("/tables/0/redundant_pairs/0/abs_pearson")])

# ---- the block pinned per emitter (issue 14): one case per variant, derived from a valid case
from block_mutants import D as _D, block_case  # noqa: E402

block_case(HERE, "mos-label-audit", "valid-mos-label-audit", "runs/konvid_mos_audit.json", args_key="status_column", output_key="out")
block_case(HERE, "second-opinion-audit", "valid-second-opinion-audit", "runs/so_audit.json", args_key="prefix", output_key="out")
block_case(HERE, "saliency-features-audit", "valid-saliency-audit", "runs/sal_audit.json", args_key="audit_json", output_key="output")
block_case(HERE, "signal-mix-audit", "valid-signal-mix", "runs/signal_mix.json", args_key="out_md")
