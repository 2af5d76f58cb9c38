/**
 * `validate --shard I/N` and `runprov merge` (docs/contract.md, "Scale"; src/shard.ts,
 * src/merge.ts): every artifact (and every skipped file, baseline entry and model nothing vouches
 * for) in exactly one shard; shards balanced; the merged report equal to the unsharded one, byte
 * for byte, in every format, with the same exit code; every way the reports could fail to be one
 * run's is a usage error.
 */
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { mergeFromArgv } from "../../src/cli/commands/merge.js";
import { validateOptionsFromArgv } from "../../src/cli/commands/validate.js";
import { mergeReports, readReportFile, type ReportInput } from "../../src/merge.js";
import { TOOL_VERSION, validate } from "../../src/pipeline.js";
import { REPORT_FORMATS, renderReport } from "../../src/report/index.js";
import { renderJson } from "../../src/report/json.js";
import { inShard, parseShard, shardOf } from "../../src/shard.js";
import { UsageError, type Report, type ValidateOptions } from "../../src/types.js";
import { runCli } from "../helpers.js";
import { scratch, write } from "../hostile/lib.js";
import { parseValidate, validateInProcess } from "../inprocess.js";
import { mkfifoSync } from "../unit/mkfifo.js";
import { SHARD_PATHS, shardWorkspace } from "./lib.js";

let root: string;
let full: Report;
const shards = new Map<number, Report[]>();
const opts = (extra: ValidateOptions = {}): ValidateOptions => ({ root, cwd: root, ...extra });
const asInputs = (reports: Report[]): ReportInput[] => reports.map((r, i) => ({ name: `shard-${i + 1}.json`, report: JSON.parse(renderJson(r)) }));
const exitCode = (r: Report): number => (r.summary.invalid > 0 ? 1 : 0);
/** Add a result to a report, its counts with it (so that only the duplicate is wrong). */
function pushResult(report: Report, result: Report["results"][number]): void {
  report.results.push(result);
  report.summary.artifacts++;
  if (result.valid) report.summary.valid++;
  else report.summary.invalid++;
}

beforeAll(async () => {
  root = shardWorkspace();
  full = await validate(SHARD_PATHS, opts());
  for (const n of [1, 2, 3, 8]) {
    const parts: Report[] = [];
    for (let i = 1; i <= n; i++) parts.push(await validate(SHARD_PATHS, opts({ shard: { index: i, count: n } })));
    shards.set(n, parts);
  }
});

describe("the workspace", () => {
  it("has artifacts of every outcome, skipped files and a baseline with applied and stale entries", () => {
    const s = full.summary;
    expect(s.artifacts).toBeGreaterThan(250);
    expect(s.invalid).toBeGreaterThan(20);
    expect(s.skipped).toBeGreaterThan(20);
    expect(s.hashes.mismatched).toBeGreaterThan(20);
    expect(s.baseline).toMatchObject({ applied: 16, stale: 17, entries: 33 });
    const codes = new Set(full.results.flatMap((r) => r.diagnostics.map((d) => d.code)));
    for (const c of ["hash-mismatch", "historical-match", "parse-error", "unknown-family"]) expect(codes, c).toContain(c);
  });
});

describe("--shard I/N", () => {
  it.each([1, 2, 3, 8])("N=%i: every artifact and every skipped file in exactly one shard, the one its path hashes to", (n) => {
    const parts = shards.get(n)!;
    const files = parts.flatMap((p) => p.results.map((r) => r.file));
    expect(new Set(files).size).toBe(files.length);
    expect([...files].sort()).toEqual(full.results.map((r) => r.file));
    expect(parts.reduce((a, p) => a + p.summary.skipped, 0)).toBe(full.summary.skipped);
    expect(parts.reduce((a, p) => a + p.summary.baseline!.entries, 0)).toBe(full.summary.baseline!.entries);
    parts.forEach((p, i) => {
      expect(p.shard).toEqual({ index: i + 1, count: n });
      for (const r of p.results) expect(shardOf(r.file, n), r.file).toBe(i);
    });
  });

  it("shards are balanced: with 8 shards each holds between half and one and a half times its share", () => {
    const counts = shards.get(8)!.map((p) => p.summary.artifacts + p.summary.skipped);
    const share = (full.summary.artifacts + full.summary.skipped) / 8;
    for (const c of counts) {
      expect(c).toBeGreaterThan(share * 0.5);
      expect(c).toBeLessThan(share * 1.5);
    }
  });

  it("the partition is pinned: the first four bytes (big-endian) of the SHA-256 of the root-relative POSIX path, mod N", () => {
    const byHand = (p: string, n: number) => createHash("sha256").update(p).digest().readUInt32BE(0) % n;
    for (const p of ["model/tiny/registry.json", "runs/report.json", "runs/ünïcode/x.json"])
      for (const n of [2, 3, 8, 1000]) expect(shardOf(p, n)).toBe(byHand(p, n));
    // Pinned values: a partition that changed between versions would split a CI matrix differently.
    expect([1, 2, 3, 8].map((n) => shardOf("model/tiny/vmaf_tiny_v4.json", n))).toEqual([0, 1, 0, 1]);
    expect(inShard("anything", { index: 1, count: 1 })).toBe(true);
  });

  it("I/N must be integers with 1 <= I <= N (a usage error otherwise)", async () => {
    expect(parseShard("3/8")).toEqual({ index: 3, count: 8 });
    expect(parseShard(" 1 / 1 ")).toEqual({ index: 1, count: 1 });
    for (const bad of ["0/3", "4/3", "3", "a/b", "1/0", "-1/3", "1.5/3", "1/99999"]) expect(() => parseShard(bad), bad).toThrow(UsageError);
    await expect(validate(SHARD_PATHS, opts({ shard: { index: 2, count: 1 } }))).rejects.toThrow(/--shard: I must be/);
    const r = await validateInProcess(["validate", ...SHARD_PATHS, "--shard", "9/8"], root);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--shard: I must be an integer from 1 to N=8/);
    expect(validateOptionsFromArgv(await parseValidate(["validate", "--shard", "2/3"])).shard).toEqual({ index: 2, count: 3 });
  });

  it("an empty shard is no usage error; merge applies the no-artifacts rule to the union", async () => {
    const empty = scratch("runprov-shard-empty-");
    write(empty, "notes.json", "{}\n");
    const parts = [];
    for (let i = 1; i <= 3; i++) parts.push(await validate([], { root: empty, cwd: empty, shard: { index: i, count: 3 } }));
    expect(parts.map((p) => p.summary.artifacts)).toEqual([0, 0, 0]);
    expect(() => mergeReports(asInputs(parts))).toThrow(/no artifacts found in the 3 report\(s\) \(1 file\(s\) matched no artifact family\)/);
    await expect(validate([], { root: empty, cwd: empty })).rejects.toThrow(UsageError);
    expect(renderJson(mergeReports(asInputs(parts), { allowEmpty: true }))).toBe(renderJson(await validate([], { root: empty, cwd: empty, allowEmpty: true })));
  });
});

describe("runprov merge", () => {
  it.each([1, 2, 3, 8])("N=%i: the merged JSON report is the unsharded one, byte for byte", (n) => {
    const merged = mergeReports(asInputs(shards.get(n)!));
    expect(renderJson(merged)).toBe(renderJson(full));
  });

  it("in the order the reports are given, whatever it is", () => {
    const parts = shards.get(8)!;
    expect(renderJson(mergeReports(asInputs([...parts].reverse())))).toBe(renderJson(full));
  });

  it.each(REPORT_FORMATS)("every format (%s), quiet or not, and the exit code are those of one run", (format) => {
    const merged = mergeReports(asInputs(shards.get(3)!));
    // JUnit stamps the moment it was rendered; nothing else in any format may differ.
    const render = (r: Report, quiet: boolean) => renderReport(r, format, { root, quiet, color: false }).replace(/ timestamp="[^"]*"/g, ' timestamp="T"');
    for (const quiet of [false, true]) expect(render(merged, quiet), `${format} quiet=${quiet}`).toBe(render(full, quiet));
    expect(exitCode(merged)).toBe(exitCode(full));
    expect(exitCode(full)).toBe(1);
  });

  it("with other flags too (--unknown skip, --strict-drift, --no-baseline)", async () => {
    const flags: ValidateOptions = { unknown: "skip", strictDrift: true, baseline: false };
    const one = await validate(SHARD_PATHS, opts(flags));
    const parts: Report[] = [];
    for (let i = 1; i <= 3; i++) parts.push(await validate(SHARD_PATHS, opts({ ...flags, shard: { index: i, count: 3 } })));
    expect(renderJson(mergeReports(asInputs(parts)))).toBe(renderJson(one));
    expect(one.summary.baseline).toBeUndefined();
  });

  it("and from report files, as the command line reads them", () => {
    const dir = scratch("runprov-merge-");
    const names = shards.get(3)!.map((r, i) => {
      const f = path.join(dir, `shard-${i + 1}.json`);
      writeFileSync(f, renderJson(r));
      return f;
    });
    expect(renderJson(mergeFromArgv({ reports: names, "allow-empty": false }))).toBe(renderJson(full));
    expect(renderJson(mergeFromArgv({ reports: names.map((n) => path.basename(n)), "allow-empty": false }, dir))).toBe(renderJson(full));
  });

  describe("refuses, as a usage error, reports that are not one run's", () => {
    const three = (): ReportInput[] => asInputs(shards.get(3)!);
    const refused = (inputs: ReportInput[], message: RegExp) => expect(() => mergeReports(inputs)).toThrow(message);

    it("an artifact in two reports", () => {
      const a = three();
      const moved = (a[0].report as Report).results[0];
      pushResult(a[1].report as Report, moved);
      refused(
        a,
        new RegExp(`${moved.file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} is in shard-1\\.json and shard-2\\.json: an artifact must be in exactly one report`),
      );
      const plain = [full, full].map((r, i) => ({ name: `run-${i}.json`, report: JSON.parse(renderJson(r)) }));
      refused(plain, /is in run-0\.json and run-1\.json/);
      const twice = three();
      const r0 = twice[0].report as Report;
      pushResult(r0, r0.results[0]);
      refused(twice, /is twice in shard-1\.json/);
    });

    it("a shard given twice, a shard missing, shards of different N", () => {
      const a = three();
      refused([a[0], a[0], a[1], a[2]], /shard 1\/3 is given twice \(shard-1\.json, shard-1\.json\)/);
      refused([a[0], a[2]], /shard report\(s\) missing: 2\/3/);
      refused([...a, ...asInputs(shards.get(2)!)], /is shard 1\/2, shard-1\.json is of 3/);
    });

    it("shard reports mixed with a plain one, other versions, a baseline in some only", () => {
      const a = three();
      refused([...a, { name: "plain.json", report: JSON.parse(renderJson(full)) }], /plain\.json is not a shard report but shard-1\.json is/);
      const b = three();
      (b[2].report as Report).tool.version = "1.0.0";
      refused(b, new RegExp(`shard-3\\.json was written by runprov 1\\.0\\.0, shard-1\\.json by ${TOOL_VERSION.replace(/\./g, "\\.")}`));
      const c = three();
      delete (c[1].report as Report).summary.baseline;
      refused(c, /shard-1\.json applied a baseline and shard-2\.json did not/);
    });

    it("anything that is not a runprov validate JSON report", () => {
      const broken: [string, (r: any) => unknown][] = [
        ["not an object", () => []],
        ['"tool"', (r) => ({ ...r, tool: { name: "eslint", version: "9" } })],
        ['no "summary"', (r) => ({ ...r, summary: undefined })],
        ["summary.skipped must be a count", (r) => ({ ...r, summary: { ...r.summary, skipped: -1 } })],
        ["summary.hashes", (r) => ({ ...r, summary: { ...r.summary, hashes: {} } })],
        ['no "results" array', (r) => ({ ...r, results: {} })],
        ['needs "file" and "valid"', (r) => ({ ...r, results: [{ file: 1 }, ...r.results.slice(1)] })],
        ["malformed diagnostic", (r) => ({ ...r, results: [{ ...r.results[0], diagnostics: [{ severity: "fatal" }] }, ...r.results.slice(1)] })],
        ['"valid" disagrees', (r) => ({ ...r, results: [{ ...r.results.find((x: any) => !x.valid), valid: true }, ...r.results.filter((x: any) => x.valid)] })],
        ["counts disagree", (r) => ({ ...r, summary: { ...r.summary, artifacts: r.summary.artifacts + 1 } })],
        ['"shard" must be', (r) => ({ ...r, shard: { index: 4, count: 3 } })],
      ];
      for (const [why, spoil] of broken) {
        const a = three();
        a[0] = { name: a[0].name, report: spoil(a[0].report) };
        expect(() => mergeReports(a), why).toThrow(UsageError);
        expect(() => mergeReports(a), why).toThrow(/shard-1\.json: not a runprov validate JSON report/);
      }
      expect(() => mergeReports([])).toThrow(UsageError);
    });

    it("report files that are not JSON, missing, or not regular files (a FIFO is never opened)", () => {
      const dir = scratch("runprov-merge-bad-");
      write(dir, "text.json", "FAIL model/x.json\n");
      expect(() => readReportFile(path.join(dir, "text.json"), "text.json")).toThrow(/text\.json: not a JSON report .*--format json/);
      expect(() => readReportFile(path.join(dir, "nope.json"), "nope.json")).toThrow(/nope\.json: does not exist/);
      mkfifoSync(path.join(dir, "fifo.json"));
      expect(() => readReportFile(path.join(dir, "fifo.json"), "fifo.json")).toThrow(/fifo\.json: is a FIFO/);
      expect(() => readReportFile(dir, "dir")).toThrow(/dir: is a directory/);
    });
  });

  it("the built CLI: merged output and exit code equal one run's; a duplicate shard exits 2", () => {
    const dir = scratch("runprov-merge-cli-");
    const names = shards.get(3)!.map((r, i) => {
      const f = path.join(dir, `shard-${i + 1}.json`);
      writeFileSync(f, renderJson(r));
      return f;
    });
    const json = runCli(["merge", ...names, "--format", "json"], root);
    expect(json.code, json.stderr).toBe(1);
    expect(json.stdout).toBe(renderJson(full));
    const gh = runCli(["merge", ...names, "--format", "github", "--root", root], dir);
    expect(gh.code).toBe(1);
    expect(gh.stdout).toBe(renderReport(full, "github", { root }));
    const dup = runCli(["merge", names[0], ...names], root);
    expect(dup.code).toBe(2);
    expect(dup.stdout).toBe("");
    expect(dup.stderr).toMatch(/^runprov: shard 1\/3 is given twice/);
  });
});
