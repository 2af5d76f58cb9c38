#!/usr/bin/env python3
"""Golden cases for family `model-registry` (model/tiny/registry.json; facts:
the emitter facts summarised in schema/README.md `model-registry`; schema/README.md ("Facts behind each family")).
The registry never carries run_provenance; rows' onnx paths are relative to the registry's folder."""
from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "_lib"))
from emit import Workspace, dumps, sha256_file  # noqa: E402

FAM = "model-registry"
REG = "model/tiny/registry.json"


def D(code, severity, pointer):
    return {"code": code, "severity": severity, "pointer": pointer}


def R(valid, *diags):
    return {"file": REG, "family": FAM, "variant": "model-registry", "valid": valid, "diagnostics": list(diags)}


def onnx(w, name, tag):
    w.write_bytes(f"model/tiny/{name}", f"ONNX stand-in {tag}\n".encode())
    return sha256_file(w.root / "model/tiny" / name)


def rows(w, *, int8=True):
    lic = {"license": "BSD-3-Clause-Plus-Patent", "license_url": "https://github.com/lusoris/vmaf/blob/master/LICENSE"}
    r = [
        {"id": "fr_regressor_v1", "kind": "fr", "notes": "Tiny FR regressor (C1).", "onnx": "fr_regressor_v1.onnx", "opset": 17,
         "sha256": onnx(w, "fr_regressor_v1.onnx", "fr1")},
        {"description": "Tiny no-reference quality metric \u2014 single-frame 224\u00d7224 grayscale.", "id": "nr_metric_v1",
         "kind": "nr", "notes": "Tiny NR MobileNet baseline.", "onnx": "nr_metric_v1.onnx", "opset": 17, "quant_accuracy_budget_plcc": 0.01,
         "quant_mode": "dynamic", "sha256": onnx(w, "nr_metric_v1.onnx", "nr"), "sigstore_bundle": "nr_metric_v1.onnx.sigstore.json", **lic},
        {"id": "smoke_v0", "kind": "fr", "notes": "CI load-path probe.", "onnx": "smoke_v0.onnx", "opset": 17, "sha256": onnx(w, "smoke_v0.onnx", "smoke"), "smoke": True, **lic},
    ]
    if int8:
        r[1]["int8_sha256"] = onnx(w, "nr_metric_v1.int8.onnx", "nr int8")
    return r


def main() -> None:
    w = Workspace(HERE / "valid", "registry.json as committed ($schema, schema_version 1): rows' sha256 and int8_sha256 match the files beside it; rows without licence (fr_regressor trainers) are tolerated; the registry never needs run_provenance")
    w.write_json(REG, {"$schema": "./registry.schema.json", "models": rows(w), "schema_version": 1})
    w.case([R(True)], 0)

    w = Workspace(HERE / "valid-require-provenance", "--require-provenance does not apply to the registry (it never carries the block)")
    w.write_json(REG, {"$schema": "./registry.schema.json", "models": rows(w), "schema_version": 1})
    w.case([R(True)], 0, flags=["--require-provenance"])

    w = Workspace(HERE / "row-file-missing", "a row whose ONNX is not in the checkout (file-missing is info) and an .onnx.data weights file covered by no digest")
    r = rows(w)
    (w.root / "model/tiny/smoke_v0.onnx").unlink()
    w.write_bytes("model/tiny/fr_regressor_v1.onnx.data", b"weights")
    w.write_json(REG, {"$schema": "./registry.schema.json", "models": r, "schema_version": 1})
    w.case([R(True, D("file-missing", "info", "/models/2/sha256"), D("uncovered-file", "warning", "/models/0/sha256"))], 0)

    w = Workspace(HERE / "bad-row-sha256", "a row's sha256 no longer matches its ONNX, and the int8 model was re-quantised")
    r = rows(w)
    w.write_bytes("model/tiny/fr_regressor_v1.onnx", b"retrained\n")
    w.write_bytes("model/tiny/nr_metric_v1.int8.onnx", b"requantised\n")
    w.write_json(REG, {"$schema": "./registry.schema.json", "models": r, "schema_version": 1})
    w.case([R(False, D("hash-mismatch", "error", "/models/0/sha256"), D("hash-mismatch", "error", "/models/1/int8_sha256"))], 1)

    w = Workspace(HERE / "bad-duplicate-id", "the same id registered twice")
    r = rows(w)
    r.append(dict(r[0]))
    w.write_json(REG, {"$schema": "./registry.schema.json", "models": r, "schema_version": 1})
    w.case([R(False, D("inconsistent", "error", "/models/3/id"))], 1)

    w = Workspace(HERE / "bad-quant-no-int8", "quant_mode dynamic without int8_sha256")
    w.write_json(REG, {"$schema": "./registry.schema.json", "models": rows(w, int8=False), "schema_version": 1})
    w.case([R(False, D("inconsistent", "error", "/models/1/quant_mode"))], 1)

    w = Workspace(HERE / "shot-detector-kind", "export_transnet_v2_placeholder.py writes registry kind shot_detector: accepted (a real emitter writes it) with a warning, since registry.schema.json and the runtime reject it")
    r = rows(w)
    r.append({"id": "transnet_v2", "kind": "shot_detector", "license": "BSD-3-Clause-Plus-Patent", "notes": "Placeholder TransNet V2.",
              "onnx": "transnet_v2.onnx", "opset": 17, "sha256": onnx(w, "transnet_v2.onnx", "transnet"), "smoke": True})
    w.write_json(REG, {"$schema": "./registry.schema.json", "models": r, "schema_version": 1})
    w.case([R(True, D("inconsistent", "warning", "/models/3/kind"))], 0)

    w = Workspace(HERE / "bad-schema", "registry.schema.json constraints: id pattern, opset range, unknown row key, quant_mode override (a quant-gate word, never a registry value)")
    r = rows(w)
    r[0]["id"] = "FR-Regressor"
    r[0]["opset"] = 22
    r[2]["owner"] = "ci"
    r[1]["quant_mode"] = "override"
    w.write_json(REG, {"$schema": "./registry.schema.json", "models": r, "schema_version": 1})
    w.case([R(False, D("schema", "error", "/models/0/id"), D("schema", "error", "/models/0/opset"), D("schema", "error", "/models/2/owner"),
              D("schema", "error", "/models/1/quant_mode"))], 1)

    w = Workspace(HERE / "bad-block", "a registry carrying run_provenance: the registry never carries the block")
    w.write_json(REG, {"$schema": "./registry.schema.json", "models": rows(w), "run_provenance": {"schema": "ai-run-provenance-v1"}, "schema_version": 1})
    w.case([R(False, D("schema", "error", "/run_provenance"))], 1)


if __name__ == "__main__":
    main()
