#!/usr/bin/env python3
"""Golden cases for family `ensemble-manifest` (facts: the emitter facts summarised in schema/README.md,
`fr-regressor-v2-ensemble`; schema/README.md ("Facts behind each family")).

train_fr_regressor_v2_ensemble.py exports every member ONNX, builds the block (member_onnx
descriptors carry the members' real digests, the manifest's own descriptor is missing), writes the
manifest, and only then (outside smoke) rewrites the registry.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "_lib"))
from emit import P, Workspace, dumps, sha256_file  # noqa: E402

FAM = "ensemble-manifest"
VAR = "fr-regressor-v2-ensemble"
CANON6 = ["adm2", "vif_scale0", "vif_scale1", "vif_scale2", "vif_scale3", "motion2"]
CODEC_VOCAB = ["x264", "x265", "libsvtav1", "libvvenc", "libvpx-vp9", "unknown"]
S = "model/tiny"
ENS = "fr_regressor_v2_ensemble_v1"


def D(code, severity, pointer):
    return {"code": code, "severity": severity, "pointer": pointer}


def R(file, valid, *diags, variant=VAR, family=FAM):
    return {"file": file, "family": family, "variant": variant, "valid": valid, "diagnostics": list(diags)}


def manifest(w: Workspace, *, size=2, base_seed=0, conformal=True, smoke=False, out_dir=S, abs_out=None, legacy=False) -> dict:
    w.script("ai/scripts/train_fr_regressor_v2_ensemble.py")
    w.write_text(f"{S}/registry.json", dumps({"$schema": "./registry.schema.json", "models": [], "schema_version": 1}))
    corpus = "runs/full_features_phase_a.parquet"
    if not smoke:
        w.write_bytes(corpus, b"PAR1 phase a PAR1")
    members = []
    for k in range(size):
        name = f"{ENS}_seed{k}.onnx"
        w.write_bytes(f"{out_dir}/{name}", f"member {k}\n".encode())
        members.append({"id": f"{ENS}_seed{k}", "onnx": name, "seed": base_seed + k, "sha256": sha256_file(w.root / out_dir / name)})
    shown = abs_out or out_dir
    args = {"base_seed": base_seed, "batch_size": 256, "conformal_calibration_frac": 0.2 if conformal else 0.0,
            "corpus": None if smoke else corpus, "ensemble_id": ENS, "ensemble_size": size, "epochs": 30, "lr": 0.001,
            "no_export": False, "nominal_coverage": 0.95, "out_dir": shown if abs_out else f"/home/u/vmafx/{out_dir}",
            "registry": "/home/u/vmafx/model/tiny/registry.json", "smoke": smoke, "weight_decay": 1e-05}
    if abs_out:
        outputs = {"manifest": {"exists": False, "kind": "missing", "path": f"{abs_out}/{ENS}.json"},
                   "member_onnx": [{"exists": True, "kind": "file", "path": f"{abs_out}/{m['onnx']}", "sha256": m["sha256"]} for m in members],
                   "registry": P(f"{S}/registry.json")}
    else:
        outputs = {"manifest": P(f"{out_dir}/{ENS}.json"), "member_onnx": [P(f"{out_dir}/{m['onnx']}") for m in members],
                   "registry": P(f"{S}/registry.json")}
    rp = w.provenance("ai/scripts/train_fr_regressor_v2_ensemble.py", ["--smoke"] if smoke else ["--corpus", corpus, "--conformal-calibration-frac", "0.2"],
                      args, inputs={"corpus": None if smoke else P(corpus)}, outputs=outputs)
    q = 1.7321 if conformal else None
    ev = {"in_sample_plcc": 0.9871, "in_sample_rmse": 2.3, "mean_sigma_train": 0.05}
    if conformal:
        ev["calibration"] = {"alpha": 0.050000000000000044, "conformal_q_residual": q, "mean_sigma_cal": 0.06, "n_calibration": 20, "nominal_coverage": 0.95}
    doc = {
        "codec_block_dim": len(CODEC_VOCAB), "codec_block_layout": [f"encoder_onehot[{c}]" for c in CODEC_VOCAB],
        "codec_vocab": list(CODEC_VOCAB), "codec_vocab_version": 1,
        "confidence": {"conformal_q_residual": q, "gaussian_z": 1.959963984540054, "method": "ensemble+conformal" if conformal else "ensemble", "nominal_coverage": 0.95},
        "ensemble_size": size, "eval": ev,
        "feature_mean": [0.70, 0.57, 0.60, 0.69, 0.74, 14.97], "feature_order": list(CANON6),
        "feature_std": [0.18, 0.23, 0.19, 0.16, 0.14, 8.38],
        "id": ENS, "kind": "fr_ensemble", "members": members, "run_provenance": rp, "smoke": smoke,
    }
    if legacy:
        for k in ("codec_block_dim", "codec_block_layout", "run_provenance"):
            del doc[k]
    return doc


def write_and_rewrite_registry(w: Workspace, doc: dict, rel: str) -> None:
    w.write_json(rel, doc)
    if not doc["smoke"]:
        rows = [{"id": m["id"], "kind": "fr", "notes": f"Ensemble member of {ENS} (seed={m['seed']}).", "onnx": m["onnx"], "opset": 17,
                 "sha256": m["sha256"], "smoke": False} for m in doc["members"]]
        w.write_text(f"{S}/registry.json", dumps({"$schema": "./registry.schema.json", "models": rows, "schema_version": 1}))


def main() -> None:
    man = f"{S}/{ENS}.json"

    w = Workspace(HERE / "production-conformal", "production manifest with conformal calibration: member_onnx digests equal members[].sha256, the manifest's own descriptor is missing, the registry is rewritten after the manifest (stale by design)")
    write_and_rewrite_registry(w, manifest(w), man)
    w.case([R(man, True, D("self-reference", "info", "/run_provenance/outputs/manifest"), D("hash-mismatch", "info", "/run_provenance/outputs/registry/sha256")),
            R(f"{S}/registry.json", True, variant="model-registry", family="model-registry")], 0)

    w = Workspace(HERE / "smoke-temp-dir", "smoke manifest written to an ens_smoke_* temp directory: absolute member paths are local-only, inputs.corpus is null, no registry update")
    tmp = "/tmp/ens_smoke_k2j1"
    doc = manifest(w, smoke=True, conformal=False, out_dir="ens_smoke", abs_out=tmp)
    write_and_rewrite_registry(w, doc, f"ens_smoke/{ENS}.json")
    w.case([R(f"ens_smoke/{ENS}.json", True, D("local-only", "info", "/run_provenance/outputs/member_onnx/0/sha256"),
              D("local-only", "info", "/run_provenance/outputs/member_onnx/1/sha256"))], 0, targets=[f"ens_smoke/{ENS}.json"])

    w = Workspace(HERE / "one-row-nan", "a one-row corpus: eval.in_sample_plcc is NaN (fewer than 2 rows), written as a bare NaN token; a single member (ensemble_size 1)")
    doc = manifest(w, size=1, conformal=False)
    doc["eval"]["in_sample_plcc"] = float("nan")
    write_and_rewrite_registry(w, doc, man)
    w.case([R(man, True, D("self-reference", "info", "/run_provenance/outputs/manifest"), D("hash-mismatch", "info", "/run_provenance/outputs/registry/sha256"),
              D("non-standard-number", "warning", "/eval/in_sample_plcc"))], 0, targets=[man])

    w = Workspace(HERE / "seeds-reexported", "the seeds were re-exported after the manifest (export_ensemble_v2_seeds.py): members[].sha256 and member_onnx go stale, reported as info, the manifest stays valid")
    write_and_rewrite_registry(w, manifest(w), man)
    w.write_bytes(f"{S}/{ENS}_seed0.onnx", b"re-exported member 0\n")
    w.write_bytes(f"{S}/{ENS}_seed0.onnx.data", b"weights\n")
    w.case([R(man, True, D("self-reference", "info", "/run_provenance/outputs/manifest"), D("hash-mismatch", "info", "/run_provenance/outputs/registry/sha256"),
              D("hash-mismatch", "info", "/members/0/sha256"), D("hash-mismatch", "info", "/run_provenance/outputs/member_onnx/0/sha256"),
              D("uncovered-file", "warning", "/run_provenance/outputs/member_onnx/0/sha256"))], 0, targets=[man])

    w = Workspace(HERE / "legacy-committed", "the committed older manifest: no run_provenance, no codec_block_dim/codec_block_layout")
    doc = manifest(w, size=2, conformal=False, smoke=True, legacy=True)
    w.write_json(man, doc)
    w.case([R(man, True, D("legacy-no-provenance", "warning", ""))], 0, targets=[man])

    w = Workspace(HERE / "legacy-require-provenance", "--require-provenance fails the committed manifest without the block")
    w.write_json(man, manifest(w, size=2, conformal=False, smoke=True, legacy=True))
    w.case([R(man, False, D("legacy-no-provenance", "error", ""))], 1, flags=["--require-provenance"], targets=[man])

    w = Workspace(HERE / "bad-member-digest", "a member ONNX differs from what the manifest recorded AND members[1].sha256 disagrees with member_onnx[1] of the same run")
    doc = manifest(w)
    doc["members"][1]["sha256"] = "ab" * 32
    write_and_rewrite_registry(w, doc, man)
    w.case([R(man, False, D("self-reference", "info", "/run_provenance/outputs/manifest"), D("hash-mismatch", "info", "/run_provenance/outputs/registry/sha256"),
              D("hash-mismatch", "info", "/members/1/sha256"), D("inconsistent", "error", "/members/1/sha256"))], 1, targets=[man])

    w = Workspace(HERE / "bad-ensemble-size", "ensemble_size disagrees with the member list (and with args.ensemble_size)")
    doc = manifest(w)
    doc["ensemble_size"] = 3
    write_and_rewrite_registry(w, doc, man)
    w.case([R(man, False, D("self-reference", "info", "/run_provenance/outputs/manifest"), D("hash-mismatch", "info", "/run_provenance/outputs/registry/sha256"),
              D("inconsistent", "error", "/ensemble_size"), D("inconsistent", "error", "/ensemble_size"))], 1, targets=[man])

    w = Workspace(HERE / "bad-member-seeds", "member seeds must be base_seed + k and member ids <ensemble_id>_seed<k>")
    doc = manifest(w, size=3, base_seed=10)
    doc["members"][2]["seed"] = 20
    doc["members"][1]["id"] = f"{ENS}_seed11"
    doc["members"][1]["onnx"] = f"{ENS}_seed11.onnx"
    write_and_rewrite_registry(w, doc, man)
    w.case([R(man, False, D("self-reference", "info", "/run_provenance/outputs/manifest"), D("hash-mismatch", "info", "/run_provenance/outputs/registry/sha256"),
              D("inconsistent", "error", "/members/1/id"), D("inconsistent", "error", "/members/2/seed"),
              D("inconsistent", "error", "/run_provenance/outputs/member_onnx/1/path"),
              D("file-missing", "info", "/members/1/sha256"))], 1, targets=[man])

    w = Workspace(HERE / "bad-confidence-method", "confidence.method ensemble+conformal without a conformal quantile")
    doc = manifest(w, conformal=False)
    doc["confidence"]["method"] = "ensemble+conformal"
    write_and_rewrite_registry(w, doc, man)
    w.case([R(man, False, D("self-reference", "info", "/run_provenance/outputs/manifest"), D("hash-mismatch", "info", "/run_provenance/outputs/registry/sha256"),
              D("inconsistent", "error", "/confidence/method"))], 1, targets=[man])

    w = Workspace(HERE / "bad-scaler-length", "feature_std has 5 values for the 6 canonical features")
    doc = manifest(w)
    doc["feature_order"] = CANON6[:5] + ["motion2"]
    doc["feature_std"] = doc["feature_std"][:5]
    write_and_rewrite_registry(w, doc, man)
    w.case([R(man, False, D("self-reference", "info", "/run_provenance/outputs/manifest"), D("hash-mismatch", "info", "/run_provenance/outputs/registry/sha256"),
              D("schema", "error", "/feature_std"), D("inconsistent", "error", "/feature_std"))], 1, targets=[man])


    w = Workspace(HERE / "bad-codec-block-dim-alone", "codec_block_dim without codec_block_layout (the newest emitter writes both, the older committed manifest neither), and a codec_vocab_version other than 1")
    doc = manifest(w)
    del doc["codec_block_layout"]
    doc["codec_vocab_version"] = 2
    write_and_rewrite_registry(w, doc, man)
    w.case([R(man, False, D("self-reference", "info", "/run_provenance/outputs/manifest"), D("hash-mismatch", "info", "/run_provenance/outputs/registry/sha256"),
              D("schema", "error", ""), D("schema", "error", "/codec_vocab_version"))], 1, targets=[man])

    # ---- the block pinned per emitter (issue 14): one case per variant, derived from a valid case
    from block_mutants import D as _D, block_case

    block_case(HERE, "fr-regressor-v2-ensemble", "production-conformal", "model/tiny/fr_regressor_v2_ensemble_v1.json",
               args_key="conformal_calibration_frac", output_key="manifest")


if __name__ == "__main__":
    main()
