"""Golden cases for family chug-hdr-audit.

The split manifest and the HDR audit come from one run of chug_extract_features.py with one
identical block, so both families' cases are written by one generator:
corpus-fixtures/chug-split-manifest/make_fixtures.py (it writes this folder's cases too).
Run: python3 corpus-fixtures/chug-hdr-audit/make_fixtures.py
"""
import runpy
from pathlib import Path

runpy.run_path(str(Path(__file__).resolve().parents[1] / "chug-split-manifest" / "make_fixtures.py"), run_name="__main__")
