"""Write fixture artifacts the way the real Python emitters write them.

Written from the emitter facts summarised in schema/README.md (not copied from the emitters):
- json.dumps(indent=2, sort_keys=True) with the defaults ensure_ascii=True and
  allow_nan=True, plus one trailing newline;
- path descriptors {path, exists, kind, sha256?}: repo-relative POSIX when under the
  root, else the path as given; sha256 only for regular files;
- the block is built BEFORE the artifact is written, so a descriptor of the
  artifact itself is missing (first run) or carries the previous version's hash.

Fixture generators (corpus-fixtures/<family>/make_fixtures.py) import this module:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "_lib"))
    from emit import Workspace
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
from pathlib import Path
from typing import Any, Iterable, Mapping

SCHEMA = "ai-run-provenance-v1"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def dumps(payload: Any) -> str:
    """The emitters' serialisation: sorted keys, indent 2, ASCII escapes, bare NaN, newline."""
    return json.dumps(payload, indent=2, sort_keys=True) + "\n"


class Workspace:
    """A small repository-shaped folder: <case>/repo/ plus <case>/case.json."""

    def __init__(self, case_dir: Path, description: str):
        self.case_dir = Path(case_dir)
        self.root = self.case_dir / "repo"
        self.description = description
        if self.case_dir.exists():
            shutil.rmtree(self.case_dir)
        self.root.mkdir(parents=True)

    # -- files -------------------------------------------------------------
    def write_bytes(self, rel: str, data: bytes) -> Path:
        p = self.root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
        return p

    def write_text(self, rel: str, text: str) -> Path:
        return self.write_bytes(rel, text.encode("utf-8"))

    def script(self, rel: str, body: str = "") -> Path:
        """An entrypoint script with some content (its bytes are what gets hashed)."""
        return self.write_text(rel, body or f'"""{rel}: fixture entrypoint."""\nprint("ok")\n')

    def write_json(self, rel: str, payload: Any) -> Path:
        return self.write_text(rel, dumps(payload))

    def mkdir(self, rel: str) -> Path:
        p = self.root / rel
        p.mkdir(parents=True, exist_ok=True)
        return p

    # -- the block ---------------------------------------------------------
    def describe(self, path: str) -> dict:
        """describe_path: `path` is repo-relative, absolute, or ../relative (as given)."""
        p = Path(path)
        resolved = (p if p.is_absolute() else self.root / p).resolve() if not os.path.isabs(path) else p
        try:
            rel = resolved.resolve().relative_to(self.root.resolve())
            shown = rel.as_posix()
        except ValueError:
            shown = path
        if resolved.is_file():
            return {"path": shown, "exists": True, "kind": "file", "sha256": sha256_file(resolved)}
        if resolved.is_dir():
            return {"path": shown, "exists": True, "kind": "directory"}
        exists = os.path.lexists(resolved) and resolved.exists()
        return {"path": shown, "exists": bool(exists), "kind": "missing"}

    def _io(self, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, Path):
            return self.describe(str(value))
        if isinstance(value, (list, tuple)):
            return [self._io(v) for v in value]
        return value

    def provenance(
        self,
        entrypoint: str,
        argv: Iterable[str] = (),
        args: Mapping[str, Any] | None = None,
        inputs: Mapping[str, Any] | None = None,
        outputs: Mapping[str, Any] | None = None,
    ) -> dict:
        """build_run_provenance: Path values in inputs/outputs become descriptors, str stay str."""
        block: dict = {
            "schema": SCHEMA,
            "entrypoint": self.describe(entrypoint),
            "argv": [str(a) for a in argv],
            "args": dict(sorted((args or {}).items())),
        }
        if inputs:
            block["inputs"] = {k: self._io(v) for k, v in sorted(inputs.items())}
        if outputs:
            block["outputs"] = {k: self._io(v) for k, v in sorted(outputs.items())}
        return block

    # -- the case ----------------------------------------------------------
    def case(
        self,
        expect: list[dict],
        exit_code: int,
        flags: list[str] | None = None,
        targets: list[str] | None = None,
        skipped: int | None = None,
    ) -> None:
        """Write case.json. expect: [{file, family, variant, valid, diagnostics:[{code, severity, pointer}]}]."""
        case = {"description": self.description, "exit": exit_code, "expect": expect}
        if flags:
            case["flags"] = flags
        if targets:
            case["targets"] = targets
        if skipped is not None:
            case["skipped"] = skipped
        (self.case_dir / "case.json").write_text(json.dumps(case, indent=2) + "\n")


P = Path  # shorthand: ws.provenance(inputs={"corpus": P("data/x.parquet")})
