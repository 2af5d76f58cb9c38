"""Golden cases for family `verdict` (PROMOTE.json / HOLD.json of validate_ensemble_seeds.py).

Written from the emitter facts summarised in schema/README.md (family `verdict`): the gate dict of
evaluate_gate (11 keys), the corpus snapshot (a digest of a *.yuv path-and-size listing, never
a file), the hand-built args map, and outputs.verdict describing the file itself (built before
the write). Run: python3 corpus-fixtures/verdict/make_fixtures.py
"""
import copy
import hashlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "_lib"))
from emit import P, Workspace  # noqa: E402

NAN = float("nan")
SCRIPT = "ai/scripts/validate_ensemble_seeds.py"
LOSO = "runs/ensemble_v2_real"
CORPUS_ABS = "/home/op/vmafx/.corpus/netflix"
PROMOTE_REC = ("flip seeds smoke->false in model/tiny/registry.json (ADR-0309: registry-flip is a separate "
               "follow-up PR; DO NOT flip during a rebase or in the same PR as this verdict file)")
HOLD_PREFIX = "keep smoke=true; investigate diversity / hyperparameters. Failing aspects: "


def diag(code, severity, pointer):
    return {"code": code, "severity": severity, "pointer": pointer}


def result(file, valid, diagnostics, variant="PROMOTE"):
    return {"file": file, "family": "verdict", "variant": variant, "valid": valid, "diagnostics": diagnostics}


def gate_of(per_seed, mean_thr=0.95, spread_max=0.005, per_seed_min=None):
    """The ADR-0303 gate as the facts describe it (Python float semantics: NaN compares false)."""
    if per_seed_min is None:
        per_seed_min = mean_thr
    plccs = {s: float(v) for s, v in per_seed.items()}
    vals = list(plccs.values())
    mean = sum(vals) / len(vals)
    spread = max(vals) - min(vals)
    failing = sorted(s for s, v in plccs.items() if v < per_seed_min)
    mp, sp, pp = mean >= mean_thr, spread <= spread_max, not failing
    return {"passed": mp and sp and pp, "mean_plcc": mean, "mean_plcc_threshold": mean_thr, "mean_plcc_pass": mp,
            "plcc_spread": spread, "plcc_spread_max": spread_max, "plcc_spread_pass": sp, "per_seed_plccs": plccs,
            "per_seed_min": per_seed_min, "per_seed_pass": pp, "failing_seeds": failing}


def recommendation(gate):
    if gate["passed"]:
        return PROMOTE_REC
    aspects = []
    if not gate["mean_plcc_pass"]:
        aspects.append(f"mean_plcc {gate['mean_plcc']:.4f} < {gate['mean_plcc_threshold']:.4f}")
    if not gate["plcc_spread_pass"]:
        aspects.append(f"plcc_spread {gate['plcc_spread']:.4f} > {gate['plcc_spread_max']:.4f}")
    if not gate["per_seed_pass"]:
        aspects.append(f"failing seeds {gate['failing_seeds']}")
    return HOLD_PREFIX + ", ".join(aspects or ["unknown"])


def snapshot(ws, rel_root, shown_root):
    root = ws.root / rel_root
    if not root.exists():
        return {"present": False, "corpus_root": shown_root, "sha256": None, "ref_count": 0, "dis_count": 0}
    yuvs = sorted(root.rglob("*.yuv"))
    h = hashlib.sha256()
    ref = dis = 0
    for p in yuvs:
        rel = p.relative_to(root).as_posix()
        h.update(f"{rel}\t{p.stat().st_size}\n".encode())
        ref += ("/ref/" in f"/{rel}/") or ("ref" in p.stem.lower())
        dis += ("/dis/" in f"/{rel}/") or ("dis" in p.stem.lower())
    return {"present": True, "corpus_root": shown_root, "sha256": h.hexdigest(), "ref_count": ref,
            "dis_count": dis, "yuv_count": len(yuvs)}


def base(name, description, corpus=True):
    ws = Workspace(HERE / name, description)
    ws.script(SCRIPT)
    ws.mkdir(LOSO)
    if corpus:
        ws.write_bytes(".corpus/netflix/ref/BigBuckBunny_25fps.yuv", b"\x10" * 64)
        ws.write_bytes(".corpus/netflix/dis/BigBuckBunny_25fps_cq19.yuv", b"\x11" * 48)
        ws.write_bytes(".corpus/netflix/dis/Tennis_24fps_cq31.yuv", b"\x12" * 32)
    return ws


def verdict_doc(ws, seeds, gate, *, loso=LOSO, argv=None, out_name=None, corpus_root_rel=".corpus/netflix",
                generated="2026-06-02T14:07:31+00:00", mean_threshold=None, spread_max=None, write_as=None):
    """Build the payload the way _build_verdict does: gate, snapshot, then the block, then the write."""
    kind = "PROMOTE" if gate["passed"] else "HOLD"
    snap = snapshot(ws, corpus_root_rel, CORPUS_ABS)
    out_rel = f"{loso}/{out_name or kind + '.json'}"
    block = ws.provenance(
        SCRIPT,
        argv=[f"{loso}/"] if argv is None else argv,
        args={"corpus_root": CORPUS_ABS, "loso_dir": loso,
              "mean_threshold": gate["mean_plcc_threshold"] if mean_threshold is None else mean_threshold,
              "plcc_spread_max": gate["plcc_spread_max"] if spread_max is None else spread_max, "seeds": seeds},
        inputs={"corpus_root": P(corpus_root_rel), "loso_dir": P(loso)},
        outputs={"verdict": P(out_rel)},
    )
    return {"schema_version": 1, "verdict": kind, "generated_at_utc": generated, "loso_dir": loso, "seeds": seeds,
            "gate": gate, "corpus": snap, "recommendation": recommendation(gate), "adr": "ADR-0309",
            "parent_adr": "ADR-0303", "run_provenance": block}


GOOD = {0: 0.9963, 1: 0.9959, 2: 0.9962, 3: 0.9961, 4: 0.9961}
SELF = "/run_provenance/outputs/verdict"
PROMOTE = f"{LOSO}/PROMOTE.json"
HOLD = f"{LOSO}/HOLD.json"

# -- valid -------------------------------------------------------------------------------------
ws = base("valid-promote-first-run", "PROMOTE.json on a first run: corpus present (listing digest, never compared), outputs.verdict is the file itself, recorded missing.")
doc = verdict_doc(ws, [0, 1, 2, 3, 4], gate_of(GOOD))
ws.write_json(PROMOTE, doc)
ws.case([result(PROMOTE, True, [diag("self-reference", "info", SELF)])], 0, targets=[PROMOTE])

ws = base("valid-promote-rerun-duplicate-seeds", "A re-run that reaches PROMOTE again: outputs.verdict carries the previous file's hash (self-reference, never compared); seeds has a duplicate, which collapses in per_seed_plccs; argv is [] (run_validation called directly).")
ws.write_json(PROMOTE, {"previous": "version"})
seeds = [0, 1, 2, 3, 4, 4]
doc = verdict_doc(ws, seeds, gate_of(GOOD), argv=[], generated="2026-06-03T09:00:00+00:00")
ws.write_json(PROMOTE, doc)
ws.case([result(PROMOTE, True, [diag("self-reference", "info", SELF + "/sha256")])], 0, targets=[PROMOTE])

ws = base("valid-hold-nan-seed-no-corpus", "HOLD.json with a NaN seed: mean NaN, the NaN seed is NOT in failing_seeds; corpus absent (present false, corpus_root missing); a stale PROMOTE.json of an earlier run coexists.", corpus=False)
stale = verdict_doc(ws, [0, 1, 2, 3, 4], gate_of(GOOD), generated="2026-06-01T08:00:00+00:00")
ws.write_json(PROMOTE, stale)
g = gate_of({0: 0.9963, 1: 0.9412, 2: NAN, 3: 0.9961, 4: 0.9960})
assert not g["passed"] and g["failing_seeds"] == [1]
doc = verdict_doc(ws, [0, 1, 2, 3, 4], g, corpus_root_rel=".corpus/netflix")
ws.write_json(HOLD, doc)
nan_ptrs = ["/gate/mean_plcc", "/gate/per_seed_plccs/2"]
if g["plcc_spread"] != g["plcc_spread"]:
    nan_ptrs.append("/gate/plcc_spread")
ws.case([result(HOLD, True, [diag("self-reference", "info", SELF)] + [diag("non-standard-number", "warning", p) for p in nan_ptrs], variant="HOLD")],
        0, targets=[HOLD])

ws = base("valid-hold-spread-and-seeds", "HOLD.json failing the spread and the per-seed gate (two aspects in the recommendation).")
g = gate_of({0: 0.9963, 1: 0.9402, 2: 0.9962, 3: 0.9961, 4: 0.9960})
doc = verdict_doc(ws, [0, 1, 2, 3, 4], g)
ws.write_json(HOLD, doc)
ws.case([result(HOLD, True, [diag("self-reference", "info", SELF)], variant="HOLD")], 0, targets=[HOLD])

ws = Workspace(HERE / "valid-legacy-seed-flip-promote",
               "A committed *_PROMOTE.json written before ADR-0661 (the shape of model/tiny/fr_regressor_v2_ensemble_v1_seed_flip_PROMOTE.json): no run_provenance, corpus absent; the name contains _ensemble_v but is a verdict.")
LEG = "model/tiny/fr_regressor_v2_ensemble_v1_seed_flip_PROMOTE.json"
g = gate_of({0: 0.9975, 1: 0.9971, 2: 0.9978, 3: 0.9969, 4: 0.9968})
ws.write_json(LEG, {"schema_version": 1, "verdict": "PROMOTE", "generated_at_utc": "2026-05-06T11:10:09+00:00",
                    "loso_dir": LOSO, "seeds": [0, 1, 2, 3, 4], "gate": g,
                    "corpus": {"present": False, "corpus_root": ".workingdir2/netflix", "sha256": None, "ref_count": 0, "dis_count": 0},
                    "recommendation": PROMOTE_REC, "adr": "ADR-0309", "parent_adr": "ADR-0303"})
ws.case([result(LEG, True, [diag("legacy-no-provenance", "warning", "")])], 0)

ws = Workspace(HERE / "legacy-require-provenance", "The same legacy verdict under --require-provenance: the missing block is an error.")
ws.write_json(LEG, {"schema_version": 1, "verdict": "PROMOTE", "generated_at_utc": "2026-05-06T11:10:09+00:00",
                    "loso_dir": LOSO, "seeds": [0, 1, 2, 3, 4], "gate": g,
                    "corpus": {"present": False, "corpus_root": ".workingdir2/netflix", "sha256": None, "ref_count": 0, "dis_count": 0},
                    "recommendation": PROMOTE_REC, "adr": "ADR-0309", "parent_adr": "ADR-0303"})
ws.case([result(LEG, False, [diag("legacy-no-provenance", "error", "")])], 1, flags=["--require-provenance"])


# -- inconsistent ------------------------------------------------------------------------------
def tampered(name, description, mutate, expect, *, variant="PROMOTE", gate=None, file=None, seeds=(0, 1, 2, 3, 4), extra=()):
    ws = base(name, description)
    g = copy.deepcopy(gate or gate_of(GOOD))
    doc = verdict_doc(ws, list(seeds), g)
    mutate(doc)
    target = file or f"{LOSO}/{doc['verdict']}.json"
    ws.write_json(target, doc)
    self_ptr = [diag("self-reference", "info", SELF)] if doc["run_provenance"]["outputs"]["verdict"]["path"] == target else []
    ws.case([result(target, False, self_ptr + list(extra) + [diag("inconsistent", "error", p) for p in expect], variant=variant)], 1, targets=[target])


HOLD_GATE = gate_of({0: 0.9963, 1: 0.9412, 2: 0.9962, 3: 0.9961, 4: 0.9960})


def promote_with_failed_gate(doc):
    doc["verdict"] = "PROMOTE"
    doc["recommendation"] = PROMOTE_REC
    doc["run_provenance"]["outputs"]["verdict"]["path"] = f"{LOSO}/PROMOTE.json"


tampered("inconsistent-promote-gate-failed", "verdict PROMOTE although gate.passed is false (the contract's example).",
         promote_with_failed_gate, ["/verdict"], gate=HOLD_GATE)


def passed_without_spread(doc):
    doc["gate"]["plcc_spread"] = 0.02
    doc["gate"]["plcc_spread_pass"] = False


tampered("inconsistent-passed-not-all-pass", "gate.passed true while plcc_spread_pass is false (the spread value is also off the per-seed values).",
         passed_without_spread, ["/gate/passed", "/gate/plcc_spread"])


def per_seed_pass_no_failing(doc):
    doc["verdict"] = "HOLD"
    doc["gate"]["per_seed_pass"] = False
    doc["gate"]["passed"] = False
    doc["recommendation"] = HOLD_PREFIX + "failing seeds []"
    doc["run_provenance"]["outputs"]["verdict"]["path"] = f"{LOSO}/HOLD.json"


tampered("inconsistent-per-seed-pass", "per_seed_pass false with an empty failing_seeds.", per_seed_pass_no_failing, ["/gate/per_seed_pass"], variant="HOLD")


def renamed_seed_key(doc):
    plccs = doc["gate"]["per_seed_plccs"]
    plccs[7] = plccs.pop(4)


tampered("inconsistent-per-seed-keys", "per_seed_plccs keyed by a seed that is not in seeds, missing seed 4.", renamed_seed_key,
         ["/gate/per_seed_plccs/7", "/seeds/4"])


def failing_not_in_seeds(doc):
    doc["verdict"] = "HOLD"
    g = doc["gate"]
    g["failing_seeds"] = [9]
    g["per_seed_pass"] = False
    g["passed"] = False
    doc["recommendation"] = HOLD_PREFIX + "failing seeds [9]"
    doc["run_provenance"]["outputs"]["verdict"]["path"] = f"{LOSO}/HOLD.json"


tampered("inconsistent-failing-not-subset", "failing_seeds lists a seed that is not in seeds.", failing_not_in_seeds, ["/gate/failing_seeds/0"], variant="HOLD")


def nan_seed_listed_failing(doc):
    g = doc["gate"]
    g["failing_seeds"] = [1, 2]


tampered("inconsistent-nan-seed-listed-failing", "A NaN seed listed in failing_seeds (the emitter never lists it: NaN < x is false).",
         nan_seed_listed_failing, ["/gate/failing_seeds/1"], variant="HOLD",
         gate=gate_of({0: 0.9963, 1: 0.9412, 2: NAN, 3: 0.9961, 4: 0.9960}),
         extra=[diag("non-standard-number", "warning", "/gate/mean_plcc"), diag("non-standard-number", "warning", "/gate/per_seed_plccs/2")])


def thresholds_apart(doc):
    doc["gate"]["per_seed_min"] = 0.9
    doc["run_provenance"]["args"]["mean_threshold"] = 0.96


tampered("inconsistent-thresholds", "per_seed_min differs from mean_plcc_threshold, which differs from args.mean_threshold.", thresholds_apart,
         ["/gate/per_seed_min", "/gate/mean_plcc_threshold"])


def corpus_present_but_missing(doc):
    doc["run_provenance"]["inputs"]["corpus_root"] = {"exists": False, "kind": "missing", "path": ".corpus/netflix"}


tampered("inconsistent-corpus-present", "corpus.present true while inputs.corpus_root was missing.", corpus_present_but_missing, ["/corpus/present"])


def verdict_path_other(doc):
    doc["run_provenance"]["outputs"]["verdict"]["path"] = f"{LOSO}/HOLD.json"


tampered("inconsistent-verdict-output-path", "outputs.verdict names HOLD.json in a PROMOTE verdict.", verdict_path_other,
         ["/run_provenance/outputs/verdict/path"])

tampered("inconsistent-file-name", "A PROMOTE verdict stored as HOLD.json (the emitter writes <verdict>.json).", lambda d: None, ["/verdict"],
         file=f"{LOSO}/HOLD.json")


def hold_text_on_promote(doc):
    doc["recommendation"] = HOLD_PREFIX + "mean_plcc 0.9312 < 0.9500"


tampered("inconsistent-recommendation", "A PROMOTE verdict with the HOLD recommendation text.", hold_text_on_promote, ["/recommendation"])


def args_copy_off(doc):
    doc["seeds"] = [0, 1, 2, 3, 4]
    doc["run_provenance"]["args"]["seeds"] = [0, 1, 2]
    doc["loso_dir"] = "runs/other"


tampered("inconsistent-args-copies", "seeds and loso_dir differ from the args the block recorded.", args_copy_off, ["/seeds", "/loso_dir"])


def wrong_mean(doc):
    doc["gate"]["mean_plcc"] = 0.9
    doc["gate"]["mean_plcc_pass"] = False


tampered("inconsistent-mean-and-pass", "mean_plcc is not the mean of the per-seed values and mean_plcc_pass disagrees with passed.", wrong_mean,
         ["/gate/passed", "/gate/mean_plcc"])


# -- schema ------------------------------------------------------------------------------------
ws = base("schema-absent-corpus-with-yuv-count", "corpus.present false with a yuv_count and a digest: the snapshot writes neither.")
doc = verdict_doc(ws, [0, 1, 2, 3, 4], gate_of(GOOD))
doc["corpus"] = {"present": False, "corpus_root": CORPUS_ABS, "sha256": "0" * 64, "ref_count": 0, "dis_count": 0, "yuv_count": 0}
doc["run_provenance"]["inputs"]["corpus_root"] = {"exists": False, "kind": "missing", "path": ".corpus/netflix"}
ws.write_json(PROMOTE, doc)
ws.case([result(PROMOTE, False, [diag("self-reference", "info", SELF), diag("schema", "error", "/corpus/sha256"), diag("schema", "error", "/corpus/yuv_count")])],
        1, targets=[PROMOTE])

ws = base("schema-gate-extra-key", "A gate block with a key evaluate_gate never writes, and a timestamp with a Z suffix.")
doc = verdict_doc(ws, [0, 1, 2, 3, 4], gate_of(GOOD), generated="2026-06-02T14:07:31Z")
doc["gate"]["per_seed_min_threshold"] = 0.95
ws.write_json(PROMOTE, doc)
ws.case([result(PROMOTE, False, [diag("self-reference", "info", SELF), diag("schema", "error", "/gate/per_seed_min_threshold"), diag("schema", "error", "/generated_at_utc")])],
        1, targets=[PROMOTE])

ws = base("args-extra-key-unknown", "run_provenance.args is the script's hand-built five-key map; an extra key (the CLI namespace leaking in, or a newer script) is an unknown-key warning, never an error.")
doc = verdict_doc(ws, [0, 1, 2, 3, 4], gate_of(GOOD))
doc["run_provenance"]["args"]["out_dir"] = "runs/ensemble_v2_real"
ws.write_json(PROMOTE, doc)
ws.case([result(PROMOTE, True, [diag("self-reference", "info", SELF), diag("unknown-key", "warning", "/run_provenance/args/out_dir")])],
        0, targets=[PROMOTE])

# ---- the block pinned per emitter (issue 14): one case per variant, derived from a valid case
from block_mutants import D as _D, block_case  # noqa: E402

block_case(HERE, "PROMOTE", "valid-promote-first-run", "runs/ensemble_v2_real/PROMOTE.json", args_key="corpus_root", input_key="loso_dir")
block_case(HERE, "HOLD", "valid-hold-spread-and-seeds", "runs/ensemble_v2_real/HOLD.json", args_key="corpus_root", input_key="loso_dir")
