"""Golden cases for family feature-table-manifest (konvid-full-features-manifest-v1).

Written from the emitter facts summarised in schema/README.md
("Facts behind each family"), not from the emitter's code.
Run: python3 corpus-fixtures/feature-table-manifest/make_fixtures.py
"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "_lib"))
from emit import P, Workspace  # noqa: E402

FAM, VAR = "feature-table-manifest", "konvid-full-features-manifest-v1"
SCRIPT = "ai/scripts/konvid_to_full_features.py"
MANIFEST = "runs/full_features_konvid.manifest.json"
PARQUET, FOLDED = "runs/full_features_konvid.parquet", "runs/full_features_konvid_with_folds.parquet"
KONVID = "/home/ci/datasets/konvid-1k"  # outside the repository: descriptors keep the absolute path
CACHE = "/home/ci/.cache/vmaf-tiny-ai-konvid-full"
FULL26 = ["adm2", "adm_scale0", "adm_scale1", "adm_scale2", "adm_scale3", "vif_scale0", "vif_scale1", "vif_scale2", "vif_scale3", "motion",
          "motion2", "motion3", "psnr_y", "psnr_cb", "psnr_cr", "float_ssim", "float_ms_ssim", "cambi", "ciede2000", "psnr_hvs", "ssimulacra2",
          "speed_temporal", "speed_chroma_u", "speed_chroma_v", "speed_chroma_uv", "adm3"]


def diag(code, severity, pointer):
    return {"code": code, "severity": severity, "pointer": pointer}


BAD = lambda p: diag("inconsistent", "error", p)  # noqa: E731
SCHEMA = lambda p: diag("schema", "error", p)  # noqa: E731
SELF = diag("self-reference", "info", "/run_provenance/outputs/manifest")


def make(name, description, newer=True, folds=True, cache=True, mutate=None, after=None, extra=()):
    ws = Workspace(HERE / name, description)
    ws.script(SCRIPT)
    ws.write_bytes("core/build-cpu/tools/vmaf", b"\x7fELF fixture vmaf")
    ws.write_text("model/vmaf_v0.6.1.json", '{"model_dict": {}}\n')
    ws.write_bytes(PARQUET, b"PAR1 konvid features PAR1")  # written before the block
    if folds:
        ws.write_bytes(FOLDED, b"PAR1 konvid folds PAR1")
    args = {"cache_dir": CACHE, "codec": "x264", "codec_from_source": False, "crf": 35, "fold_count": 5,
            "folds_out": f"/home/ci/vmafx/{FOLDED}", "konvid_root": KONVID, "manifest_out": f"/home/ci/vmafx/{MANIFEST}", "max_clips": None,
            "model": None if newer else "model/vmaf_v0.6.1.json", "no_cache": not cache, "no_folds_out": not folds,
            "out": f"/home/ci/vmafx/{PARQUET}", "scratch": "/tmp/konvid_full_acquire", "vmaf_bin": "core/build-cpu/tools/vmaf"}
    inputs = {"cache_dir": P(CACHE) if cache else None, "konvid_root": P(KONVID), "videos_dir": P(f"{KONVID}/KoNViD_1k_videos"),
              "vmaf_bin": P("core/build-cpu/tools/vmaf"), "model": "vmaf_v1.0.16_3d0h" if newer else P("model/vmaf_v0.6.1.json")}
    outputs = {"folded_parquet": P(FOLDED) if folds else None, "manifest": P(MANIFEST), "parquet": P(PARQUET)}
    doc = {
        "cache": {"directory": CACHE if cache else None, "enabled": cache}, "codec": "x264", "codec_from_source": False, "crf": 35,
        "features": FULL26 if newer else FULL26[:21], "folds": {"enabled": folds, "fold_count": 5},
        "run_provenance": ws.provenance(SCRIPT, argv=[] if newer else ["--model", "model/vmaf_v0.6.1.json"], args=args, inputs=inputs, outputs=outputs),
        "schema": VAR,
        "stats": {"clips_processed": 1198, "clips_selected": 1200, "columns": 31, "elapsed_s": 40213.558112, "frames": 287520},
    }
    if newer:
        doc["teacher_model"] = "vmaf_v1.0.16_3d0h"
    if mutate:
        mutate(doc)
    ws.write_json(MANIFEST, doc)
    if after:
        after(ws)
    # konvid_root, videos_dir and cache_dir are directories (never compared, so no local-only note).
    diags = [*([SELF] if "run_provenance" in doc else []), *extra]
    valid = not any(d["severity"] == "error" for d in diags)
    ws.case([{"file": MANIFEST, "family": FAM, "variant": VAR, "valid": valid, "diagnostics": diags}], 0 if valid else 1, targets=[MANIFEST])


make("valid-newer", "Newer emitter (0321dafd): teacher_model, inputs.model a plain teacher name, 26 features; parquets written before the block carry real hashes; dataset folders outside the repo are absolute (local-only).")
make("valid-older", "Older emitter (58c694e0): no teacher_model, inputs.model a descriptor of --model, 21 features.", newer=False)
make("valid-no-folds-no-cache", "--no-folds-out and --no-cache: folded_parquet, cache_dir and cache.directory are null.", folds=False, cache=False)
make("hash-parquet-rewritten", "The parquet changed after the manifest was written: outputs.parquet is written before the block, an integrity error.",
     after=lambda w: w.write_bytes(PARQUET, b"PAR1 konvid features v2 PAR1"), extra=[diag("hash-mismatch", "error", "/run_provenance/outputs/parquet/sha256")])
make("invalid-folds-enabled", "folds.enabled is false exactly when --no-folds-out was given (then folded_parquet is null).",
     mutate=lambda d: d["folds"].update(enabled=False), extra=[BAD("/folds/enabled"), BAD("/run_provenance/outputs/folded_parquet")])
make("invalid-cache-directory", "cache.directory is null exactly when the cache is disabled.", mutate=lambda d: d["cache"].update(directory=None),
     extra=[BAD("/cache/directory")])
make("invalid-version-mix", "teacher_model (newer emitter) comes with a plain-string inputs.model.", newer=False,
     mutate=lambda d: d.update(teacher_model="vmaf_v0.6.1"), extra=[BAD("/run_provenance/inputs/model")])
make("invalid-clips", "clips_processed never exceeds clips_selected.", mutate=lambda d: d["stats"].update(clips_processed=1300),
     extra=[BAD("/stats/clips_processed")])
make("invalid-crf", "crf is --crf.", mutate=lambda d: d.update(crf=23), extra=[BAD("/crf")])
make("invalid-empty-features", "The feature list is never empty.", mutate=lambda d: d.update(features=[]), extra=[SCHEMA("/features")])
make("invalid-missing-block", "The KoNViD manifest always carries run_provenance (no committed legacy copy exists).",
     mutate=lambda d: d.pop("run_provenance"), extra=[SCHEMA(""), diag("legacy-no-provenance", "warning", "")])
make("invalid-columns-without-frames", "stats.columns is 0 exactly when no frame rows were written.", mutate=lambda d: d["stats"].update(frames=0),
     extra=[BAD("/stats/columns")])
make("invalid-cache-directory-vs-args", "cache.directory is str(--cache-dir).", mutate=lambda d: d["cache"].update(directory="/tmp/other-cache"),
     extra=[BAD("/cache/directory")])
make("invalid-fold-count", "folds.fold_count is --fold-count.", mutate=lambda d: d["folds"].update(fold_count=10), extra=[BAD("/folds/fold_count")])
make("invalid-codec", "codec is --codec (also with --codec-from-source).", mutate=lambda d: d.update(codec="x265"), extra=[BAD("/codec")])
make("invalid-teacher-vs-model", "The newer emitter records the teacher name as inputs.model.",
     mutate=lambda d: d.update(teacher_model="vmaf_v0.6.1"), extra=[BAD("/run_provenance/inputs/model")])
make("invalid-string-model-without-teacher", "A plain-string inputs.model (newer emitter) comes with teacher_model.",
     mutate=lambda d: d.pop("teacher_model"), extra=[BAD("/run_provenance/inputs/model")])

# ---- the block pinned per emitter (issue 14): one case per variant, derived from a valid case
from block_mutants import D as _D, block_case  # noqa: E402

block_case(HERE, "konvid-full-features-manifest-v1", "valid-newer", "runs/full_features_konvid.manifest.json", args_key="scratch", output_key="parquet")
