/**
 * GitHub Actions workflow commands: one `::error|warning|notice file=…,line=…,col=…,title=<code>::<message>`
 * line per finding, then a one-line plain summary. Escaping follows the Actions runner
 * (`toCommandValue`/`escapeData`/`escapeProperty` of @actions/core): `%`, CR and LF in the message;
 * additionally `:` and `,` in property values.
 */
import type { Severity } from "../types.js";
import { messageWithPointer, type CiRun } from "./model.js";

export function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

const COMMAND: Record<Severity, string> = { error: "error", warning: "warning", info: "notice" };

export function renderGithubRun(run: CiRun): string {
  const out: string[] = [];
  for (const c of run.cases) {
    for (const f of c.findings) {
      const props: string[] = [`file=${escapeProperty(f.file)}`];
      if (f.line !== undefined) {
        props.push(`line=${f.line}`);
        if (f.column !== undefined) props.push(`col=${f.column}`);
      }
      props.push(`title=${escapeProperty(f.code)}`);
      out.push(`::${COMMAND[f.severity]} ${props.join(",")}::${escapeData(messageWithPointer(f))}`);
    }
  }
  out.push(`${run.tool.name}: ${escapeData(run.summary)}`);
  return out.join("\n") + "\n";
}
