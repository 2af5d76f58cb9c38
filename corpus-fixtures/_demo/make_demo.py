"""Compose corpus-fixtures/demo/: the quick-start workspace of the README.

It is the union of a few valid golden workspaces (an exported vmaf_tiny sidecar with its int8
model, a PTQ report, a PROMOTE verdict, a generic run manifest with NaN metrics), so every file
in it really hashes to what is recorded. A path present in two sources must have the same bytes.

Run: python3 corpus-fixtures/_demo/make_demo.py
"""
import filecmp
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parent
DEMO = FIXTURES / "demo"
SOURCES = [
    "model-sidecar/vmaf-tiny-v4-int8",
    "quant-report/valid-ptq-dynamic",
    "verdict/valid-promote-first-run",
    "run-manifest/valid-nan-infinity",
]

if DEMO.exists():
    shutil.rmtree(DEMO)
DEMO.mkdir()
for src in SOURCES:
    repo = FIXTURES / src / "repo"
    for f in sorted(p for p in repo.rglob("*") if p.is_file() or p.is_symlink()):
        rel = f.relative_to(repo)
        dst = DEMO / rel
        if dst.exists():
            if not filecmp.cmp(f, dst, shallow=False):
                sys.exit(f"conflict: {rel} differs between sources")
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(f, dst)
print(f"demo: {sum(1 for p in DEMO.rglob('*') if p.is_file())} files from {len(SOURCES)} workspaces")
