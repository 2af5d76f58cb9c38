"""Golden cases for families chug-split-manifest and chug-hdr-audit (chug_extract_features.py).

One run writes both files with one identical block: each file's own descriptor is a
self-reference, the other one is stale, and feature_jsonl shows the state before the run
(the JSONL is appended to). This generator writes the cases of both families (the
chug-hdr-audit folder holds the audit-only cases).
Written from the emitter facts summarised in schema/README.md
("Facts behind each family"), not from the emitter's code.
Run: python3 corpus-fixtures/chug-split-manifest/make_fixtures.py
"""
import copy
import json
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
AUDIT_HERE = HERE.parent / "chug-hdr-audit"
sys.path.insert(0, str(HERE.parent / "_lib"))
from emit import P, Workspace  # noqa: E402

SCRIPT = "ai/scripts/chug_extract_features.py"
CHUG = ".corpus/chug"
SPLITS, AUDIT, JSONL = f"{CHUG}/chug_splits.json", f"{CHUG}/chug_hdr_audit.json", f"{CHUG}/chug_features.jsonl"
SPLIT_FAM, SPLIT_VAR = "chug-split-manifest", "content-name-blake2s-80-10-10"
AUDIT_FAM, AUDIT_VAR = "chug-hdr-audit", "chug-hdr-ffprobe-audit-v1"


def diag(code, severity, pointer):
    return {"code": code, "severity": severity, "pointer": pointer}


BAD = lambda p: diag("inconsistent", "error", p)  # noqa: E731
SCHEMA = lambda p: diag("schema", "error", p)  # noqa: E731


def chug_dumps(payload):
    """chug_extract_features.py's own writer: json.dumps(indent=2, sort_keys=True) + newline."""
    return json.dumps(payload, indent=2, sort_keys=True) + "\n"


def split_payload():
    splits = {"content_a": "train", "content_b": "test", "content_c": "train"}
    return {"counts": {"test": 1, "train": 2, "val": 0}, "n_contents": 3, "policy": SPLIT_VAR, "seed": "chug-hdr-v1", "splits": splits}


def audit_payload():
    return {
        "malformed_hdr_rows": [{"chug_content_name": "content_b", "color_primaries": "bt709", "color_transfer": "smpte2084",
                                "pix_fmt": "yuv420p10le", "split": "test", "src": "content_b_2mbps.mp4"}],
        "missing_files": 1, "pix_fmt_counts": {"yuv420p10le": 20}, "policy": AUDIT_VAR, "primaries_counts": {"bt2020": 19, "bt709": 1},
        "probe_failed": 0, "probed": 20, "rows": 21, "split_policy": SPLIT_VAR, "split_row_counts": {"test": 7, "train": 14},
        "split_seed": "chug-hdr-v1", "transfer_counts": {"hlg": 2, "pq": 18},
    }


def run(case_dir, description, split_mut=None, audit_mut=None, rerun=False, split=True, audit=True):
    ws = Workspace(case_dir, description)
    ws.script(SCRIPT)
    ws.write_text(f"{CHUG}/chug.jsonl", '{"src": "content_a_ref.mp4", "chug_content_name": "content_a"}\n')
    ws.mkdir(f"{CHUG}/clips")
    ws.mkdir(f"{CHUG}/feature-cache")
    ws.write_bytes("core/build-cpu/tools/vmaf", b"\x7fELF fixture vmaf")
    if rerun:  # a previous run left both files and some feature rows
        ws.write_text(SPLITS, '{"previous": "split"}\n')
        ws.write_text(AUDIT, '{"previous": "audit"}\n')
        ws.write_text(JSONL, '{"feature_pair_key": "old"}\n')
    args = {"audit_output": AUDIT if audit else None, "cache_dir": f"/home/ci/vmafx/{CHUG}/feature-cache",
            "clips_dir": f"/home/ci/vmafx/{CHUG}/clips", "feature_set": "canonical", "ffmpeg_bin": "ffmpeg", "ffprobe_bin": "ffprobe", "full": True,
            "include_reference_identity": False, "input": f"/home/ci/vmafx/{CHUG}/chug.jsonl", "max_rows": 100,
            "output": f"/home/ci/vmafx/{JSONL}", "split": "all", "split_manifest": SPLITS if split else None, "split_seed": "chug-hdr-v1",
            "vmaf_bin": "core/build-cpu/tools/vmaf"}
    argv = (["--split-manifest", SPLITS] if split else []) + (["--audit-output", AUDIT] if audit else []) + ["--full"]
    block = ws.provenance(SCRIPT, argv=argv, args=args,
                          inputs={"cache_dir": P(f"{CHUG}/feature-cache"), "clips_dir": P(f"{CHUG}/clips"), "input_jsonl": P(f"{CHUG}/chug.jsonl"),
                                  "vmaf_bin": P("core/build-cpu/tools/vmaf")},
                          outputs={"audit": P(AUDIT) if audit else None, "feature_jsonl": P(JSONL), "split_manifest": P(SPLITS) if split else None})
    sp, au = split_payload(), audit_payload()
    sp["run_provenance"] = block
    au["run_provenance"] = copy.deepcopy(block)
    if split_mut:
        split_mut(sp)
    if audit_mut:
        audit_mut(au)
    # order of the run: features appended, split manifest written, then the audit
    with open(ws.root / JSONL, "a") as fh:
        fh.write('{"feature_pair_key": "new"}\n')
    if split:
        ws.write_text(SPLITS, chug_dumps(sp))
    if audit:
        ws.write_text(AUDIT, chug_dumps(au))
    return ws


def expect(file, fam, var, diags):
    return {"file": file, "family": fam, "variant": var, "valid": not any(d["severity"] == "error" for d in diags), "diagnostics": diags}


# The block's descriptors as the pipeline judges them (all outputs are written after the block).
FIRST_SPLIT = [diag("self-reference", "info", "/run_provenance/outputs/split_manifest")]
FIRST_AUDIT = [diag("self-reference", "info", "/run_provenance/outputs/audit")]
RERUN_SPLIT = [diag("self-reference", "info", "/run_provenance/outputs/split_manifest/sha256"),
               diag("hash-mismatch", "info", "/run_provenance/outputs/audit/sha256"),
               diag("hash-mismatch", "info", "/run_provenance/outputs/feature_jsonl/sha256")]
RERUN_AUDIT = [diag("self-reference", "info", "/run_provenance/outputs/audit/sha256"),
               diag("hash-mismatch", "info", "/run_provenance/outputs/split_manifest/sha256"),
               diag("hash-mismatch", "info", "/run_provenance/outputs/feature_jsonl/sha256")]


def both(name, description, split_extra=(), audit_extra=(), rerun=False, **kw):
    ws = run(HERE / name, description, rerun=rerun, **kw)
    s = (RERUN_SPLIT if rerun else FIRST_SPLIT) + list(split_extra)
    a = (RERUN_AUDIT if rerun else FIRST_AUDIT) + list(audit_extra)
    out = [expect(SPLITS, SPLIT_FAM, SPLIT_VAR, s), expect(AUDIT, AUDIT_FAM, AUDIT_VAR, a)]
    ws.case(out, 0 if all(e["valid"] for e in out) else 1)


def split_only(name, description, extra=(), **kw):
    ws = run(HERE / name, description, **kw)
    ws.case([expect(SPLITS, SPLIT_FAM, SPLIT_VAR, FIRST_SPLIT + list(extra))], 1 if any(d["severity"] == "error" for d in extra) else 0, targets=[SPLITS])


def audit_only(name, description, extra=(), **kw):
    ws = run(AUDIT_HERE / name, description, **kw)
    ws.case([expect(AUDIT, AUDIT_FAM, AUDIT_VAR, FIRST_AUDIT + list(extra))], 1 if any(d["severity"] == "error" for d in extra) else 0, targets=[AUDIT])


both("valid-first-run", "First run, both flags: one identical block in both files; each names itself (missing when the block was built).")
both("valid-rerun", "Re-run: both files and the feature JSONL existed; own descriptor self, the other file and the appended JSONL are stale by design.", rerun=True)
split_only("valid-split-only", "Only --split-manifest: outputs.audit is null (kept as a key).", audit=False)
split_only("invalid-split-counts", "counts tallies the splits.", split_mut=lambda d: d["counts"].update(train=3), extra=[BAD("/counts/train")])
split_only("invalid-split-n-contents", "n_contents is the number of contents in splits.", split_mut=lambda d: d.update(n_contents=4), extra=[BAD("/n_contents")])
split_only("invalid-split-seed", "seed is --split-seed.", split_mut=lambda d: d.update(seed="other"), extra=[BAD("/seed")])
split_only("invalid-split-name", "A content is in train, val or test.", split_mut=lambda d: d["splits"].update(content_c="holdout"),
           extra=[SCHEMA("/splits/content_c"), BAD("/counts/train")])
split_only("invalid-split-counts-keys", "counts has exactly train, val and test.", split_mut=lambda d: d["counts"].update(unknown=0),
           extra=[SCHEMA("/counts/unknown")])

ws = run(HERE / "valid-split-programmatic", "write_split_manifest called without a block (the tests do): a legacy warning.",
         split_mut=lambda d: d.pop("run_provenance"), audit=False)
ws.case([expect(SPLITS, SPLIT_FAM, SPLIT_VAR, [diag("legacy-no-provenance", "warning", "")])], 0, targets=[SPLITS])

if AUDIT_HERE.exists():
    for old in AUDIT_HERE.iterdir():
        if old.is_dir():
            shutil.rmtree(old)
audit_only("valid-audit-only", "Only --audit-output: outputs.split_manifest is null (kept as a key).", split=False)
audit_only("invalid-audit-row-sum", "rows = probed + missing_files + probe_failed.", audit_mut=lambda d: d.update(rows=22),
           extra=[BAD("/rows"), BAD("/split_row_counts")])
audit_only("invalid-audit-transfer-sum", "Each probed row is counted once per transfer class.", audit_mut=lambda d: d["transfer_counts"].update(pq=19),
           extra=[BAD("/transfer_counts")])
audit_only("invalid-audit-split-rows", "Every row is counted once in split_row_counts.", audit_mut=lambda d: d["split_row_counts"].update(test=6),
           extra=[BAD("/split_row_counts")])
audit_only("invalid-audit-malformed-bt2020", "Malformed rows have non-BT.2020 primaries.",
           audit_mut=lambda d: d["malformed_hdr_rows"][0].update(color_primaries="bt2020"), extra=[BAD("/malformed_hdr_rows/0/color_primaries")])
audit_only("invalid-audit-transfer-class", "Transfer classes are pq, hlg, sdr and unknown.",
           audit_mut=lambda d: d.update(transfer_counts={"hlg": 2, "smpte2084": 18}), extra=[SCHEMA("/transfer_counts/smpte2084")])
audit_only("invalid-audit-split-policy", "The audit's split policy is the blake2s content-name policy.",
           audit_mut=lambda d: d.update(split_policy="random"), extra=[SCHEMA("/split_policy")])

# -- more rules --------------------------------------------------------------------------------
audit_only("invalid-audit-split-seed", "split_seed is --split-seed.", audit_mut=lambda d: d.update(split_seed="other"), extra=[BAD("/split_seed")])


def two_malformed(d):
    d.update(transfer_counts={"pq": 1, "sdr": 19}, primaries_counts={"bt709": 20})
    d["malformed_hdr_rows"].append(dict(d["malformed_hdr_rows"][0], src="content_b_4mbps.mp4"))


audit_only("invalid-audit-malformed-count", "Malformed rows are PQ/HLG rows: never more than pq + hlg.", audit_mut=two_malformed,
           extra=[BAD("/malformed_hdr_rows")])

# ---- the block pinned per emitter (issue 14): one case per variant, derived from a valid case
from block_mutants import D as _D, block_case  # noqa: E402

block_case(HERE, SPLIT_VAR, "valid-first-run", SPLITS, args_key="ffprobe_bin", output_key="feature_jsonl")
block_case(AUDIT_HERE, AUDIT_VAR, "valid-first-run", AUDIT, args_key="ffprobe_bin", output_key="feature_jsonl", source_dir=HERE)
