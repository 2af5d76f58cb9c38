/**
 * One ensemble refresh chain in a throw-away git repository, as the emitters write it:
 *
 *   corpus (runs/phase_a/..., ignored)
 *     <- runs/ensemble_v2_real/loso_seed{0,1}.json (LOSO trainer, ignored)
 *     <- runs/ensemble_v2_real/PROMOTE.json (validator: loso_dir and corpus_root directories)
 *     <- model/tiny/fr_regressor_v2_ensemble_v1_seed{0,1}.{json,onnx} (exporter: the corpus and the verdict)
 *     <- model/tiny/registry.json (rows vouching for the seed ONNX)
 *
 * Commits: the three scripts; then the exported models and the registry; then an edit of the
 * exporter (so the sidecars' entrypoint digest matches history only). `runs/` is git-ignored.
 * The documents start from the golden fixtures (corpus-fixtures/<family>/valid-*), with every
 * digest, seed and copied gate value made to agree, so that `runprov validate` passes.
 */
import path from "node:path";
import type { JsonObject, JsonValue } from "../../src/load/json-value.js";
import { fixture } from "../families/fixtures.js";
import { commitAll, git, gitInit, scratch, sha256, write } from "../hostile/lib.js";

export const EXPORTER = "ai/scripts/export_ensemble_v2_seeds.py";
export const TRAINER = "ai/scripts/train_fr_regressor_v2_ensemble_loso.py";
export const VALIDATOR = "ai/scripts/validate_ensemble_seeds.py";
export const CORPUS = "runs/phase_a/full_grid/per_frame_canonical6.jsonl";
export const LOSO_DIR = "runs/ensemble_v2_real";
export const VERDICT = `${LOSO_DIR}/PROMOTE.json`;
export const CORPUS_ROOT = ".corpus/netflix";
export const REGISTRY = "model/tiny/registry.json";
export const seedOnnx = (n: number): string => `model/tiny/fr_regressor_v2_ensemble_v1_seed${n}.onnx`;
export const seedSidecar = (n: number): string => `model/tiny/fr_regressor_v2_ensemble_v1_seed${n}.json`;
export const losoReport = (n: number): string => `${LOSO_DIR}/loso_seed${n}.json`;

const SEEDS = [0, 1];
const PLCC: Record<number, number> = { 0: 0.9963, 1: 0.9961 };

export interface Chain {
  root: string;
  /** Commit of the scripts (exporter v1), of the exported models, of the exporter edit. */
  commits: { scripts: string; models: string; edit: string };
  exporterV1: string;
  corpus: string;
  /** The documents as written, by root-relative path. */
  text: Map<string, string>;
}

/** `json.dumps(indent=2, sort_keys=True)` with a trailing newline, as the emitters write. */
export function pyJson(v: JsonValue): string {
  const sort = (x: JsonValue): JsonValue =>
    Array.isArray(x)
      ? x.map(sort)
      : x !== null && typeof x === "object"
        ? Object.fromEntries(
            Object.keys(x)
              .sort()
              .map((k) => [k, sort(x[k])]),
          )
        : x;
  return JSON.stringify(sort(v), null, 2) + "\n";
}

const clone = <T extends JsonValue>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const block = (doc: JsonObject): JsonObject => doc.run_provenance as JsonObject;
const fileDescriptor = (rel: string, content: string | Buffer): JsonObject => ({ exists: true, kind: "file", path: rel, sha256: sha256(content) });

export function buildChain(): Chain {
  const root = scratch("runprov-lineage-");
  const text = new Map<string, string>();
  const put = (rel: string, content: string): void => {
    write(root, rel, content);
    text.set(rel, content);
  };
  gitInit(root);
  const exporterV1 = '"""ai/scripts/export_ensemble_v2_seeds.py: exports the promoted seeds."""\nprint("export v1")\n';
  const trainer = '"""ai/scripts/train_fr_regressor_v2_ensemble_loso.py: LOSO per seed."""\nprint("loso")\n';
  const validator = '"""ai/scripts/validate_ensemble_seeds.py: the ship gate."""\nprint("gate")\n';
  put(".gitignore", "runs/\n");
  put(EXPORTER, exporterV1);
  put(TRAINER, trainer);
  put(VALIDATOR, validator);
  commitAll(root, "scripts");
  const scripts = git(root, "rev-parse", "HEAD").trim();

  // The corpus and the LOSO runs (ignored, as in lusoris/vmaf).
  const corpus = '{"adm2": 0.9, "cq": 18, "src": "BigBuckBunny_25fps"}\n{"adm2": 0.8, "cq": 34, "src": "Tennis_24fps"}\n';
  put(CORPUS, corpus);
  put(`${CORPUS_ROOT}/ref/BigBuckBunny_25fps.yuv`, "ref");
  put(`${CORPUS_ROOT}/dis/BigBuckBunny_25fps_cq19.yuv`, "dis");
  for (const n of SEEDS) {
    const doc = clone(fixture("loso-seed-report", "valid-wrapper-run-two-seeds", `runs/ensemble_v2_real/loso_seed${n}.json`));
    const b = block(doc);
    b.entrypoint = fileDescriptor(TRAINER, trainer);
    b.inputs = { corpus: fileDescriptor(CORPUS, corpus) };
    put(losoReport(n), pyJson(doc));
  }

  // The verdict over the two seeds.
  const verdict = clone(fixture("verdict", "valid-promote-first-run", "runs/ensemble_v2_real/PROMOTE.json"));
  const plccs = SEEDS.map((n) => PLCC[n]);
  const mean = plccs.reduce((a, b) => a + b, 0) / plccs.length;
  const spread = Math.max(...plccs) - Math.min(...plccs);
  const gate = verdict.gate as JsonObject;
  Object.assign(gate, { mean_plcc: mean, plcc_spread: spread, per_seed_plccs: Object.fromEntries(SEEDS.map((n) => [String(n), PLCC[n]])) });
  verdict.seeds = SEEDS;
  Object.assign(verdict.corpus as JsonObject, { dis_count: 1, ref_count: 1, yuv_count: 2 });
  const vb = block(verdict);
  (vb.args as JsonObject).seeds = SEEDS;
  vb.argv = [`${LOSO_DIR}/`, "--seeds", "0,1"];
  vb.entrypoint = fileDescriptor(VALIDATOR, validator);
  put(VERDICT, pyJson(verdict));

  // The exporter's run: one block in every seed sidecar, ONNX beside each, the registry rows.
  const rows: JsonObject[] = [];
  for (const n of SEEDS) {
    const onnx = `onnx-bytes-of-seed-${n}\n`;
    put(seedOnnx(n), onnx);
    const doc = clone(fixture("model-sidecar", "ensemble-seed", `model/tiny/fr_regressor_v2_ensemble_v1_seed${n}.json`));
    doc.sha256 = sha256(onnx);
    Object.assign(doc.corpus as JsonObject, { path: CORPUS, sha256: sha256(corpus) });
    Object.assign(doc.gate as JsonObject, { mean_plcc: mean, plcc_spread: spread, this_seed_loso_plcc: PLCC[n] });
    doc.loso_mean_plcc = mean;
    const b = block(doc);
    b.entrypoint = fileDescriptor(EXPORTER, exporterV1);
    b.inputs = { corpus: fileDescriptor(CORPUS, corpus), promote_json: fileDescriptor(VERDICT, text.get(VERDICT)!) };
    put(seedSidecar(n), pyJson(doc));
    rows.push({
      id: `fr_regressor_v2_ensemble_v1_seed${n}`,
      kind: "fr",
      notes: `Ensemble member seed ${n}.`,
      onnx: path.posix.basename(seedOnnx(n)),
      opset: 17,
      sha256: sha256(onnx),
      smoke: false,
    });
  }
  put(REGISTRY, pyJson({ $schema: "./registry.schema.json", models: rows, schema_version: 1 }));
  commitAll(root, "export the promoted ensemble seeds");
  const models = git(root, "rev-parse", "HEAD").trim();

  put(EXPORTER, exporterV1.replace("export v1", "export v2"));
  commitAll(root, "exporter: v2");
  const edit = git(root, "rev-parse", "HEAD").trim();
  return { root, commits: { scripts, models, edit }, exporterV1, corpus, text };
}

/**
 * Line and column (1-based) of the text right after the last of `anchors`, each looked for after
 * the previous one: `valueAt(text, '"inputs": ', '"corpus": ', '"sha256": ')` is where that value starts.
 */
export function valueAt(text: string, ...anchors: string[]): { line: number; column: number } {
  let at = 0;
  for (const a of anchors) {
    const i = text.indexOf(a, at);
    if (i < 0) throw new Error(`${a} not found after offset ${at}`);
    at = i + a.length;
  }
  const before = text.slice(0, at).split("\n");
  return { line: before.length, column: before[before.length - 1].length + 1 };
}
