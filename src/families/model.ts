/**
 * What the families that describe ONNX models share (model-sidecar, ensemble-manifest,
 * model-registry, training-metrics, and the registry-flip gate): the int8 naming, the digest
 * claims of a model entry, and the rules every exporter keeps about them.
 */
import { childPointer, own, type JsonObject, type JsonValue } from "../load/json-value.js";
import type { Rule } from "./rules/index.js";
import type { DigestClaim, RuleViolation } from "./types.js";
import { showValue as fmt } from "./util.js";

/** `x.onnx` -> `x.int8.onnx` (the PTQ naming: `<basename>.int8.onnx`). */
export function int8Name(onnx: string): string {
  return onnx.replace(/\.onnx$/, "") + ".int8.onnx";
}

function str(v: JsonValue | undefined): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/** `quant_mode` other than fp32 makes the runtime load `<basename>.int8.onnx`: `int8_sha256` must be present. */
export function quantRule(obj: JsonObject, base: string): RuleViolation[] {
  const mode = own(obj, "quant_mode");
  if (typeof mode === "string" && mode !== "fp32" && own(obj, "int8_sha256") === undefined) {
    return [
      {
        pointer: childPointer(base, "quant_mode"),
        message: `quant_mode "${mode}" makes the runtime load ${int8Name(str(own(obj, "onnx")) ?? "<basename>.onnx")}, but int8_sha256 is missing`,
      },
    ];
  }
  return [];
}

/** The same, for a top-level model entry (a sidecar). */
export const int8WithQuantMode: Rule = (doc) => quantRule(doc, "");

/** `sha256` vs `onnx` and `int8_sha256` vs `<basename>.int8.onnx`, both relative to the artifact folder. */
export function onnxClaims(obj: JsonObject, base: string, stakes: DigestClaim["stakes"] = "integrity"): DigestClaim[] {
  const onnx = str(own(obj, "onnx"));
  if (onnx === undefined) return [];
  const out: DigestClaim[] = [];
  if (typeof own(obj, "sha256") === "string") {
    out.push({ pointer: childPointer(base, "sha256"), path: onnx, relativeTo: "artifact", label: "sha256 of onnx", stakes, onnxGraph: true });
  }
  if (typeof own(obj, "int8_sha256") === "string") {
    out.push({
      pointer: childPointer(base, "int8_sha256"),
      path: int8Name(onnx),
      relativeTo: "artifact",
      label: "int8_sha256 of the int8 ONNX",
      stakes,
      onnxGraph: true,
    });
  }
  return out;
}

/** `codec_block_layout` = `encoder_onehot[<enc>]` per entry of the vocabulary at `vocabKey`, plus trailing slots. */
export function codecLayout(vocabKey: string, tail: string[]): Rule {
  return (doc) => {
    const vocab = own(doc, vocabKey);
    const layout = own(doc, "codec_block_layout");
    if (!Array.isArray(vocab) || !Array.isArray(layout)) return [];
    const expected = [...vocab.map((e) => `encoder_onehot[${String(e)}]`), ...tail];
    if (layout.length !== expected.length) {
      return [
        {
          pointer: "/codec_block_layout",
          message: `codec_block_layout has ${layout.length} slots but ${vocabKey} (${vocab.length} entries)${tail.length ? ` plus ${tail.join(", ")}` : ""} makes ${expected.length}`,
        },
      ];
    }
    for (let i = 0; i < expected.length; i++) {
      if (layout[i] !== expected[i]) {
        return [{ pointer: `/codec_block_layout/${i}`, message: `codec_block_layout[${i}] is ${fmt(layout[i])} but ${vocabKey} makes it "${expected[i]}"` }];
      }
    }
    return [];
  };
}
