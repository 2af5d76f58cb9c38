/**
 * Output of `runprov replay`: json (the ReplayPlan: the pinned `{artifact, commit, entrypoint,
 * argv, inputs}` plus the command and notes), and text, a POSIX shell script for a person to read
 * and run from inside the repository. The script adds a scratch git worktree at the commit (in a
 * fresh temporary folder, never the current checkout), copies into it the recorded inputs that
 * the working tree holds unchanged and the commit does not (git-ignored data), and runs the
 * command there. Every word from the artifact is single-quoted; comments are one line each.
 */
import type { ReplayPlan } from "./replay.js";
import { shellComment, shellWord } from "./escape.js";

export function replayScript(plan: ReplayPlan): string {
  const out: string[] = [
    "#!/bin/sh",
    `# Replay of the run recorded in ${shellComment(plan.artifact)}.`,
    "# Printed by runprov replay, which runs nothing itself. Run it from inside the repository.",
  ];
  if (plan.entrypoint !== null) out.push(`# entrypoint: ${shellComment(plan.entrypoint)} (sha256 ${shellComment(plan.entrypointSha256 ?? "not recorded")})`);
  if (plan.commit) {
    const others = plan.commits.length > 1 ? `; also put in place by ${plan.commits.slice(1).join(", ")}` : "";
    out.push(`# commit: ${plan.commit} put that version of the entrypoint in place${others}.`);
  } else {
    out.push(`# commit: none, because ${shellComment(plan.why ?? "no commit matches")}.`);
  }
  for (const n of plan.notes) out.push(`# note: ${shellComment(n)}`);
  if (plan.inputs.length) {
    out.push("# inputs the run recorded, and their state in this working tree now:");
    for (const i of plan.inputs) {
      const digest = i.sha256 ? `sha256 ${i.sha256.slice(0, 12)}...` : "no digest";
      out.push(`#   ${shellComment(i.name)}: ${shellComment(i.path)} (${digest}): ${i.status}${i.note ? ` (${shellComment(i.note)})` : ""}`);
    }
  }
  out.push("set -eu");
  if (!plan.commit || plan.command.length === 0) {
    out.push(`echo ${shellWord(`runprov replay: ${plan.artifact} cannot be replayed: ${plan.why ?? "no command recorded"}`)} >&2`, "exit 1");
    return out.join("\n") + "\n";
  }
  const dir = plan.prefix ? `"$scratch/replay"/${shellWord(plan.prefix)}` : `"$scratch/replay"`;
  const src = plan.prefix ? `"$top"/${shellWord(plan.prefix)}` : `"$top"`;
  out.push(
    "top=$(git rev-parse --show-toplevel)",
    'scratch=$(mktemp -d "${TMPDIR:-/tmp}/runprov-replay.XXXXXX")',
    `git -C "$top" worktree add --detach "$scratch/replay" ${shellWord(plan.commit)}`,
    `cd ${dir}`,
  );
  const copied = plan.inputs.filter((i) => i.status === "matches");
  if (copied.length < plan.inputs.length)
    out.push("# The other inputs (they differ, are missing, or have no digest) must be in place before the command runs.");
  if (copied.length) {
    out.push(
      "# Inputs that match the recording, copied in when the commit does not hold them (git-ignored data):",
      `copy_input() { [ -e "$1" ] || { mkdir -p "$(dirname -- "$1")" && cp -p -- ${src}/"$1" "$1"; }; }`,
    );
    for (const i of copied) out.push(`copy_input ${shellWord(i.path)}`);
  }
  out.push(`"\${PYTHON:-python}" ${plan.command.slice(1).map(shellWord).join(" ")}`);
  out.push(`echo "replayed in $scratch/replay (remove it: git -C \\"$top\\" worktree remove --force \\"$scratch/replay\\")" >&2`);
  return out.join("\n") + "\n";
}
