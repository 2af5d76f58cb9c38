/**
 * `runprov attest`: the statement has the in-toto Statement v1 shape with a SLSA provenance v1
 * predicate; its subjects are the artifact and only the outputs validate() verified by rehashing.
 */
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Ajv2020 } from "ajv/dist/2020.js";
import { attest, BUILD_TYPE, LOCAL_UNVERIFIED_BUILDER, type DigestEvent, type AttestValidateOptions } from "../src/attest/index.js";
import { validate } from "../src/pipeline.js";
import { removeTree, runCli, tempDir } from "./helpers.js";

/** ResourceDescriptor (in-toto attestation framework v1): at least one of uri, digest, content. */
const resourceDescriptor = {
  type: "object",
  properties: {
    name: { type: "string" },
    uri: { type: "string", pattern: "^[A-Za-z][A-Za-z0-9+.-]*:" },
    digest: { type: "object", minProperties: 1, additionalProperties: { type: "string", pattern: "^[0-9a-f]+$" } },
    content: { type: "string" },
    downloadLocation: { type: "string" },
    mediaType: { type: "string" },
    annotations: { type: "object" },
  },
  additionalProperties: false,
  anyOf: [{ required: ["uri"] }, { required: ["digest"] }, { required: ["content"] }],
};

/** in-toto Statement v1 with a SLSA provenance v1 predicate (https://slsa.dev/spec/v1.0/provenance). */
const statementSchema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  type: "object",
  required: ["_type", "subject", "predicateType", "predicate"],
  additionalProperties: false,
  properties: {
    _type: { const: "https://in-toto.io/Statement/v1" },
    subject: {
      type: "array",
      minItems: 1,
      items: { allOf: [{ $ref: "#/$defs/rd" }, { required: ["name", "digest"], properties: { digest: { required: ["sha256"] } } }] },
    },
    predicateType: { const: "https://slsa.dev/provenance/v1" },
    predicate: {
      type: "object",
      required: ["buildDefinition", "runDetails"],
      additionalProperties: false,
      properties: {
        buildDefinition: {
          type: "object",
          required: ["buildType", "externalParameters"],
          additionalProperties: false,
          properties: {
            buildType: { type: "string", pattern: "^https://" },
            externalParameters: { type: "object" },
            internalParameters: { type: "object" },
            resolvedDependencies: { type: "array", items: { $ref: "#/$defs/rd" } },
          },
        },
        runDetails: {
          type: "object",
          required: ["builder"],
          additionalProperties: false,
          properties: {
            builder: {
              type: "object",
              required: ["id"],
              additionalProperties: false,
              properties: {
                id: { type: "string", pattern: "^[A-Za-z][A-Za-z0-9+.-]*:" },
                version: { type: "object", additionalProperties: { type: "string" } },
                builderDependencies: { type: "array", items: { $ref: "#/$defs/rd" } },
              },
            },
            metadata: {
              type: "object",
              additionalProperties: false,
              properties: { invocationId: { type: "string" }, startedOn: { type: "string" }, finishedOn: { type: "string" } },
            },
            byproducts: { type: "array", items: { $ref: "#/$defs/rd" } },
          },
        },
      },
    },
  },
  $defs: { rd: resourceDescriptor },
};
const checkStatement = new Ajv2020({ strict: false, allErrors: true }).compile(statementSchema);

const sha = (b: string | Buffer): string => createHash("sha256").update(b).digest("hex");
const dirs: string[] = [];
afterAll(() => dirs.forEach(removeTree));

/** A workspace: a script, an input, an ONNX written before the block, a report whose digest is stale, and the artifact. */
function workspace(): { root: string; onnx: string } {
  const root = tempDir("runprov-attest-");
  dirs.push(root);
  const files: Record<string, string> = {
    "ai/scripts/train.py": "print('train')\n",
    "data/train.csv": "a,b\n1,2\n",
    "model/x.onnx": "fake onnx bytes\n",
    "runs/notes.md": "written after the block\n",
  };
  for (const [rel, body] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), body);
  }
  const d = (rel: string, digest = sha(files[rel])) => ({ exists: true, kind: "file", path: rel, sha256: digest });
  const doc = {
    run_provenance: {
      args: { epochs: 3, lr: 0.5, out: "model/x.onnx" },
      argv: ["--epochs", "3"],
      entrypoint: d("ai/scripts/train.py"),
      inputs: { data: d("data/train.csv"), corpus_dir: { exists: false, kind: "missing", path: "/abs/corpus" }, label: "konvid" },
      outputs: {
        onnx: d("model/x.onnx"),
        notes: d("runs/notes.md", "0".repeat(64)),
        report: { exists: false, kind: "missing", path: "runs/report.json" },
      },
      schema: "ai-run-provenance-v1",
    },
    schema: "my-training-report-v1",
    score: 0.9,
  };
  mkdirSync(path.join(root, "runs"), { recursive: true });
  writeFileSync(path.join(root, "runs/report.json"), JSON.stringify(doc, null, 2) + "\n");
  return { root, onnx: sha(files["model/x.onnx"]) };
}

describe("attest (library)", () => {
  it("subjects: the artifact plus only the outputs reported as rehashed; shape is in-toto v1 + SLSA v1", async () => {
    const { root, onnx } = workspace();
    const fake = async (paths: string[], o: AttestValidateOptions) => {
      const report = await validate(paths, { ...o, onDigest: undefined } as never);
      const file = report.results[0].file;
      const ev = (pointer: string, p: string, digest: string, outcome: DigestEvent["outcome"], how?: DigestEvent["how"]) =>
        o.onDigest?.({ file, pointer, path: p, sha256: digest, outcome, how });
      ev("/run_provenance/outputs/onnx/sha256", "model/x.onnx", onnx, "verified", "working-tree");
      ev("/run_provenance/outputs/notes/sha256", "runs/notes.md", "0".repeat(64), "unverified");
      ev("/run_provenance/entrypoint/sha256", "ai/scripts/train.py", "f".repeat(64), "verified", "history");
      return report;
    };
    const st = await attest(path.join(root, "runs/report.json"), { root, validateImpl: fake });
    expect(checkStatement(st), JSON.stringify(checkStatement.errors)).toBe(true);
    expect(st.subject.map((s) => s.name)).toEqual(["runs/report.json", "model/x.onnx"]);
    expect(st.subject[1].digest).toEqual({ sha256: onnx });
    expect(st.predicate.runDetails.builder.id).toBe(LOCAL_UNVERIFIED_BUILDER);
    expect(st.predicate.buildDefinition.buildType).toBe(BUILD_TYPE);
    const ext = st.predicate.buildDefinition.externalParameters as Record<string, unknown>;
    expect(ext.argv).toEqual(["--epochs", "3"]);
    expect(ext.entrypoint).toBe("ai/scripts/train.py");
    expect(ext.inputs).toEqual({ data: "data/train.csv", corpus_dir: "/abs/corpus", label: "konvid" });
    const deps = st.predicate.buildDefinition.resolvedDependencies;
    expect(deps.map((x) => [x.name, x.annotations?.["runprov.role"], x.annotations?.["runprov.verification"]])).toEqual([
      ["ai/scripts/train.py", "entrypoint", "historical-match"],
      ["data/train.csv", "inputs.data", "not-checked"],
    ]);
  });

  it("no event, no output subject: never an unverified digest", async () => {
    const { root } = workspace();
    const st = await attest(path.join(root, "runs/report.json"), {
      root,
      builderId: "https://ci.example/runner/7",
      validateImpl: (p, o) => validate(p, { ...o, onDigest: undefined } as never),
    });
    expect(st.subject.map((s) => s.name)).toEqual(["runs/report.json"]);
    expect(st.predicate.runDetails.builder.id).toBe("https://ci.example/runner/7");
    expect(checkStatement(st)).toBe(true);
  });

  it("NaN and Infinity in args become strings (the statement is strict JSON)", async () => {
    const { root } = workspace();
    const file = path.join(root, "runs/report.json");
    const text = (await import("node:fs")).readFileSync(file, "utf8").replace('"lr": 0.5', '"lr": NaN');
    writeFileSync(file, text);
    const st = await attest(file, { root });
    const args = (st.predicate.buildDefinition.externalParameters as Record<string, Record<string, unknown>>).args;
    expect(args.lr).toBe("NaN");
    expect(() => JSON.parse(JSON.stringify(st))).not.toThrow();
  });
});

// Whether the pipeline reports per-digest outcomes (ValidateOptions.onDigest) yet.
async function pipelineReportsDigests(): Promise<boolean> {
  const { root } = workspace();
  const events: DigestEvent[] = [];
  await validate([path.join(root, "runs/report.json")], { root, onDigest: (e: DigestEvent) => events.push(e) } as AttestValidateOptions);
  return events.length > 0;
}
const wired = await pipelineReportsDigests();
if (!wired) console.warn("attest e2e: validate() does not report onDigest events yet; the subject test is skipped");

describe("runprov attest (CLI)", () => {
  it.skipIf(!wired)("the built CLI makes the verified ONNX a subject, never the stale notes", () => {
    const { root, onnx } = workspace();
    const r = runCli(["attest", "runs/report.json", "--root", root], root);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const st = JSON.parse(r.stdout);
    expect(checkStatement(st), JSON.stringify(checkStatement.errors)).toBe(true);
    expect(st.subject.map((s: { name: string }) => s.name)).toEqual(["runs/report.json", "model/x.onnx"]);
    expect(st.subject[1].digest.sha256).toBe(onnx);
  });

  it("an invalid artifact is refused with exit 1", () => {
    const { root } = workspace();
    writeFileSync(path.join(root, "model/x.onnx"), "tampered\n");
    const r = runCli(["attest", "runs/report.json", "--root", root, "--family", "model-sidecar"], root);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
  });

  it("usage errors exit 2", () => {
    const { root } = workspace();
    expect(runCli(["attest", "nope.json", "--root", root], root).code).toBe(2);
    expect(runCli(["attest", "runs/report.json", "--root", root, "--builder-id", "not a uri"], root).code).toBe(2);
  });
});
