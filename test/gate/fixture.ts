/**
 * A throw-away git repository holding a copy of the real committed model/tiny folder
 * (`model/tiny` of the real corpus, see test/real-corpus.ts), for registry-flip gate tests.
 *
 * The base commit differs from the corpus in one way: ensemble seeds 0 and 1 are `smoke: true`
 * there, so that a test can flip them. Helpers edit the working tree the way a user (or the
 * real emitters) would.
 */
import { chmodSync, cpSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { sha256, tempDir } from "../helpers.js";
import { realCorpus } from "../real-corpus.js";
import { gitWithEnv } from "../e2e/demo-repo.js";

export const TINY = "model/tiny";
export const REGISTRY = `${TINY}/registry.json`;
export const ENSEMBLE = "fr_regressor_v2_ensemble_v1";
export const LEGACY_PROMOTE = `${TINY}/${ENSEMBLE}_seed_flip_PROMOTE.json`;

const EXPORT_SCRIPT = "ai/scripts/export_ensemble_v2_seeds.py";
const VERDICT_SCRIPT = "ai/scripts/validate_ensemble_seeds.py";
const TRAIN_SCRIPT = "ai/scripts/export_tiny_placeholder.py";

/** git in `dir`, with `dir` as HOME: no user configuration applies. */
export function git(dir: string, ...args: string[]): string {
  return gitWithEnv(dir, { HOME: dir }, ...args);
}

function makeWritable(dir: string): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    chmodSync(p, e.isDirectory() ? 0o755 : 0o644);
    if (e.isDirectory()) makeWritable(p);
  }
}

/** Python `json.dumps(indent=2, sort_keys=True, ensure_ascii=True)` + newline, as the emitters write. */
export function pyJson(value: unknown): string {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v as object).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
      return out;
    }
    return v;
  };
  return JSON.stringify(sortKeys(value), null, 2).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`) + "\n";
}

export function readJson(repo: string, rel: string): any {
  return JSON.parse(readFileSync(path.join(repo, rel), "utf8"));
}

export function writeJson(repo: string, rel: string, value: unknown): void {
  mkdirSync(path.dirname(path.join(repo, rel)), { recursive: true });
  writeFileSync(path.join(repo, rel), pyJson(value));
}

export function fileSha(repo: string, rel: string): string {
  return sha256(readFileSync(path.join(repo, rel)));
}

/** Set fields of the registry row `id` (undefined deletes a key). */
export function editRow(repo: string, id: string, patch: Record<string, unknown>): void {
  const reg = readJson(repo, REGISTRY);
  const row = reg.models.find((m: { id: string }) => m.id === id);
  if (!row) throw new Error(`no registry row ${id}`);
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) delete row[k];
    else row[k] = v;
  }
  writeJson(repo, REGISTRY, reg);
}

export function commitAll(repo: string, message: string): string {
  git(repo, "add", "-A");
  git(repo, "commit", "-q", "--no-verify", "-m", message);
  return git(repo, "rev-parse", "HEAD").trim();
}

/** The repository, with the base commit made; returns its folder. */
export function makeRegistryRepo(): string {
  const repo = tempDir("runprov-gate-");
  cpSync(path.join(realCorpus(), TINY), path.join(repo, TINY), { recursive: true });
  makeWritable(path.join(repo, "model"));
  mkdirSync(path.join(repo, "ai/scripts"), { recursive: true });
  writeFileSync(path.join(repo, EXPORT_SCRIPT), "# export_ensemble_v2_seeds.py stand-in\nprint('export')\n");
  writeFileSync(path.join(repo, VERDICT_SCRIPT), "# validate_ensemble_seeds.py stand-in\nprint('verdict')\n");
  writeFileSync(path.join(repo, TRAIN_SCRIPT), "# exporter stand-in\nprint('export')\n");
  git(repo, "init", "-q", "-b", "main");
  editRow(repo, `${ENSEMBLE}_seed0`, { smoke: true });
  editRow(repo, `${ENSEMBLE}_seed1`, { smoke: true });
  commitAll(repo, "base");
  return repo;
}

function descriptor(repo: string, rel: string): Record<string, unknown> {
  try {
    const st = statSync(path.join(repo, rel));
    if (st.isDirectory()) return { exists: true, kind: "directory", path: rel };
    return { exists: true, kind: "file", path: rel, sha256: fileSha(repo, rel) };
  } catch {
    return { exists: false, kind: "missing", path: rel };
  }
}

/** Give seed N's sidecar the run_provenance block export_ensemble_v2_seeds.py writes. */
export function addSeedProvenance(repo: string, seed: number): void {
  const rel = `${TINY}/${ENSEMBLE}_seed${seed}.json`;
  const doc = readJson(repo, rel);
  doc.run_provenance = {
    args: {
      batch_size: 32,
      corpus: "/home/u/vmafx/runs/phase_a/full_grid/per_frame_canonical6.jsonl",
      epochs: 200,
      lr: 0.0005,
      out_dir: "/home/u/vmafx/model/tiny",
      promote_json: "/home/u/vmafx/runs/ensemble_v2_real/PROMOTE.json",
      seeds: String(seed),
      update_registry: true,
      weight_decay: 1e-5,
    },
    argv: ["--seeds", String(seed), "--update-registry"],
    entrypoint: descriptor(repo, EXPORT_SCRIPT),
    inputs: {
      corpus: { exists: true, kind: "file", path: doc.corpus.path, sha256: doc.corpus.sha256 },
      promote_json: {
        exists: true,
        kind: "file",
        path: "runs/ensemble_v2_real/PROMOTE.json",
        sha256: "922e7210734d6eda4e78e9c8505e6fce9e55f073ff0a7d772a6bc9b444bd7ada",
      },
    },
    outputs: {
      registry: "/home/u/vmafx/model/tiny/registry.json",
      [`seed${seed}_onnx`]: `/home/u/vmafx/model/tiny/${ENSEMBLE}_seed${seed}.onnx`,
      [`seed${seed}_sidecar`]: `/home/u/vmafx/model/tiny/${ENSEMBLE}_seed${seed}.json`,
    },
    schema: "ai-run-provenance-v1",
  };
  writeJson(repo, rel, doc);
}

/** Write a verdict file as validate_ensemble_seeds.py does (with run_provenance), named `name` in model/tiny. */
export function writeVerdict(repo: string, name: string, verdict: "PROMOTE" | "HOLD", seeds: number[]): string {
  const base = readJson(repo, LEGACY_PROMOTE);
  const doc = { ...base };
  doc.seeds = seeds;
  doc.verdict = verdict;
  const plccs: Record<string, number> = {};
  for (const s of seeds) plccs[String(s)] = verdict === "PROMOTE" ? 0.997 : 0.9;
  if (verdict === "PROMOTE") {
    doc.gate = {
      ...base.gate,
      per_seed_plccs: plccs,
      mean_plcc: 0.997,
      plcc_spread: 0,
      passed: true,
      mean_plcc_pass: true,
      per_seed_pass: true,
      plcc_spread_pass: true,
      failing_seeds: [],
    };
  } else {
    doc.gate = {
      ...base.gate,
      per_seed_plccs: plccs,
      mean_plcc: 0.9,
      mean_plcc_pass: false,
      plcc_spread: 0,
      plcc_spread_pass: true,
      per_seed_pass: false,
      failing_seeds: [...seeds].sort((a, b) => a - b),
      passed: false,
    };
    doc.recommendation = `keep smoke=true; investigate diversity / hyperparameters. Failing aspects: mean_plcc 0.9000 < 0.9500, failing seeds [${[...seeds].sort((a, b) => a - b).join(", ")}]`;
  }
  doc.run_provenance = {
    args: { corpus_root: base.corpus.corpus_root, loso_dir: "runs/ensemble_v2_real", mean_threshold: 0.95, plcc_spread_max: 0.005, seeds },
    argv: ["runs/ensemble_v2_real/"],
    entrypoint: descriptor(repo, VERDICT_SCRIPT),
    inputs: {
      corpus_root: { exists: false, kind: "missing", path: base.corpus.corpus_root },
      loso_dir: { exists: true, kind: "directory", path: "runs/ensemble_v2_real" },
    },
    outputs: { verdict: { exists: false, kind: "missing", path: `runs/ensemble_v2_real/${verdict}.json` } },
    schema: "ai-run-provenance-v1",
  };
  const rel = `${TINY}/${name}`;
  writeJson(repo, rel, doc);
  return rel;
}

/** Flip one ONNX byte (the last one) of a model file. */
export function flipByte(repo: string, rel: string): void {
  const p = path.join(repo, rel);
  const buf = readFileSync(p);
  buf[buf.length - 1] ^= 0x01;
  writeFileSync(p, buf);
}

const VMAF_TINY_SCRIPT = "ai/scripts/export_vmaf_tiny_v2.py";

/**
 * Re-export `vmaf_tiny_v2` as export_vmaf_tiny_v2.py does: new ONNX bytes, the sidecar rewritten
 * with run_provenance (outputs.onnx_target a descriptor of the new ONNX) and the new sha256.
 * Returns the new digest. The registry is not touched (the exporter never does).
 */
export function reexportVmafTinyV2(repo: string): string {
  const onnx = `${TINY}/vmaf_tiny_v2.onnx`;
  flipByte(repo, onnx);
  const sha = fileSha(repo, onnx);
  mkdirSync(path.join(repo, "ai/scripts"), { recursive: true });
  writeFileSync(path.join(repo, VMAF_TINY_SCRIPT), "# export_vmaf_tiny_v2.py stand-in\n");
  const sidecar = `${TINY}/vmaf_tiny_v2.json`;
  const doc = readJson(repo, sidecar);
  delete doc.onnx_has_scaler;
  doc.sha256 = sha;
  doc.run_provenance = {
    args: { ckpt: "runs/vmaf_tiny_v2.pt", out_onnx: onnx, out_sidecar: sidecar },
    argv: ["--ckpt", "runs/vmaf_tiny_v2.pt", "--out-onnx", onnx, "--out-sidecar", sidecar],
    entrypoint: descriptor(repo, VMAF_TINY_SCRIPT),
    inputs: {
      checkpoint: { exists: true, kind: "file", path: "runs/vmaf_tiny_v2.pt", sha256: "7d4fe9bdaea84e6047ee5bc915520de5ac3a9921055d868d48665416b0113512" },
    },
    outputs: { onnx_target: descriptor(repo, onnx), sidecar_target: sidecar },
    schema: "ai-run-provenance-v1",
  };
  writeJson(repo, sidecar, doc);
  return sha;
}
