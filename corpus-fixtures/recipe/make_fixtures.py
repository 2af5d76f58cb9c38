"""Golden cases for family recipe (Phase F calibrated recipes).

Written from the emitter facts summarised in schema/README.md
("Facts behind each family"), not from the emitter's code. The real committed
legacy file is checked in place by test/families/recipe.test.ts (never copied here).
Run: python3 corpus-fixtures/recipe/make_fixtures.py
"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "_lib"))
from emit import P, Workspace  # noqa: E402

NAN = float("nan")
FAM, VAR = "recipe", "phase-f-recipes-calibrated"
OUT = "ai/data/phase_f_recipes_calibrated.json"
CORPUS = ".corpus/konvid-150k/konvid_150k.jsonl"
SCRIPT = "ai/scripts/calibrate_phase_f_recipes.py"
SECTION = "Research-0067 \u00a7F.4 recipe-override placeholders"


def diag(code, severity, pointer):
    return {"code": code, "severity": severity, "pointer": pointer}


def result(file, valid, diagnostics):
    return {"file": file, "family": FAM, "variant": VAR, "valid": valid, "diagnostics": diagnostics}


SELF = diag("self-reference", "info", "/run_provenance/outputs/recipe_json")
BAD = lambda p: diag("inconsistent", "error", p)  # noqa: E731
ADJ = {
    "animation": {"target_vmaf_offset_abs": 2.0, "tight_interval_width_factor": 0.5, "saliency_benefit_fraction": 0.45, "force_single_rung": True},
    "screen_content": {"target_vmaf_offset_abs": 1.0, "tight_interval_width_factor": 0.7, "saliency_benefit_fraction": 0.65, "force_single_rung": False},
    "live_action_hdr": {"target_vmaf_offset_abs": 0.0, "tight_interval_width_factor": 0.4, "saliency_benefit_fraction": 0.1, "force_single_rung": False},
}


def intensity(f):
    return "very_aggressive" if f >= 0.55 else "aggressive" if f >= 0.3 else "default"


def proxy(cls):
    return {"source": "proxy", "anchor": "ugc", "research_section": SECTION, "adjustment": dict(ADJ[cls])}


def payload(rows=2000, width=3.2, mos=(3.3311, 3.4, 0.5502)):
    return {
        "metadata": {
            "adr": "ADR-0325",
            "corpus": {
                "class_label_note": "K150K carries no per-source content_class column. Only the UGC recipe is corpus-derived.",
                "name": "konvid-150k", "path": CORPUS,
                "row_count_note": "K150K ingestion was ~96.6% complete at calibration time.",
                "rows_in_jsonl": rows, "rows_total_expected": 153841, "rows_used_for_calibration": rows,
            },
            "mos_to_vmaf_mapping": {"anchor": "Hosu et al. 2017 \u00a73.3, scaled MOS [1,5] \u2192 VMAF [20,100]", "intercept": 0.0, "slope": 20.0},
            "phase": "F.5",
            "saliency_cut_points": {"aggressive": 0.3, "very_aggressive": 0.55},
            "schema_version": 1,
            "single_rung_dominance_fraction": 0.9,
            "ugc_baseline_mos": {"mean": mos[0], "median": mos[1], "n": rows, "stdev": mos[2]},
        },
        "recipes": {
            "animation": {"_provenance": proxy("animation"), "force_single_rung": True, "saliency_intensity": intensity(0.45),
                          "target_vmaf_offset": 2.0, "tight_interval_max_width": round(width * 0.5, 2)},
            "live_action_hdr": {"_provenance": proxy("live_action_hdr"), "target_vmaf_offset": 0.0, "tight_interval_max_width": round(width * 0.4, 2)},
            "screen_content": {"_provenance": proxy("screen_content"), "saliency_intensity": intensity(0.65), "target_vmaf_offset": 1.0},
            "ugc": {"_provenance": {"corpus_rows_used": rows, "source": "corpus", "ugc_resolution_dominance": 0.94, "ugc_saliency_benefit_fraction": 0.2},
                    "force_single_rung": False, "saliency_intensity": intensity(0.2), "target_vmaf_offset": 1.5, "tight_interval_max_width": width},
        },
    }


def case(name, description, mutate=None, legacy=False, flags=None, expect=None, self_ref=True, **kw):
    ws = Workspace(HERE / name, description)
    ws.script(SCRIPT)
    ws.write_text(CORPUS, '{"src": "a.mp4", "width": 960, "height": 540, "mos": 3.1}\n')
    doc = payload(**kw)
    if not legacy:
        doc["run_provenance"] = ws.provenance(
            SCRIPT, argv=["--corpus", CORPUS, "--out", OUT, "--max-rows", "2000"],
            args={"corpus": CORPUS, "log_level": "INFO", "max_rows": 2000, "out": OUT},
            inputs={"corpus": P(CORPUS)}, outputs={"recipe_json": P(OUT)})
    if mutate:
        mutate(doc)
    ws.write_json(OUT, doc)
    diags = expect if expect is not None else []
    if not legacy and self_ref:
        diags = [SELF, *diags]
    valid = not any(d["severity"] == "error" for d in diags)
    ws.case([result(OUT, valid, diags)], 0 if valid else 1, flags=flags, targets=[OUT])


case("valid-calibrated", "A new run: run_provenance at the top level (not in metadata), the recipe names itself (first run).")
case("valid-legacy-no-provenance", "A file shaped like the committed one (commit 5fc256e4): no run_provenance, accepted with a warning.",
     legacy=True, expect=[diag("legacy-no-provenance", "warning", "")])
case("legacy-require-provenance", "--require-provenance makes a legacy recipe invalid.", legacy=True, flags=["--require-provenance"],
     expect=[diag("legacy-no-provenance", "error", "")])
case("valid-nan-baseline-mos", "A NaN MOS in the corpus makes ugc_baseline_mos NaN (the only NaN Phase F writes): warnings only.",
     mos=(NAN, NAN, NAN), expect=[diag("non-standard-number", "warning", f"/metadata/ugc_baseline_mos/{k}") for k in ("mean", "median", "stdev")])
case("invalid-rows-differ", "rows_in_jsonl always equals rows_used_for_calibration.",
     mutate=lambda d: d["metadata"]["corpus"].update(rows_in_jsonl=1999), expect=[BAD("/metadata/corpus/rows_in_jsonl")])
case("invalid-ugc-rows-used", "The UGC recipe uses every loaded row.",
     mutate=lambda d: d["recipes"]["ugc"]["_provenance"].update(corpus_rows_used=10), expect=[BAD("/recipes/ugc/_provenance/corpus_rows_used")])
case("invalid-proxy-width", "Proxy widths are the UGC width times the class factor, rounded to 2 places.",
     mutate=lambda d: d["recipes"]["live_action_hdr"].update(tight_interval_max_width=2.0), expect=[BAD("/recipes/live_action_hdr/tight_interval_max_width")])
case("invalid-proxy-offset", "Proxy offsets are the class's absolute offset.",
     mutate=lambda d: d["recipes"]["screen_content"].update(target_vmaf_offset=1.5), expect=[BAD("/recipes/screen_content/target_vmaf_offset")])
case("invalid-intensity", "saliency_intensity follows the benefit fraction and the cut points.",
     mutate=lambda d: d["recipes"]["animation"].update(saliency_intensity="default"), expect=[BAD("/recipes/animation/saliency_intensity")])
case("invalid-ugc-intensity", "UGC intensity follows ugc_saliency_benefit_fraction (0.2 -> default).",
     mutate=lambda d: d["recipes"]["ugc"].update(saliency_intensity="very_aggressive"), expect=[BAD("/recipes/ugc/saliency_intensity")])
case("invalid-single-rung", "animation.force_single_rung copies its adjustment.",
     mutate=lambda d: d["recipes"]["animation"].update(force_single_rung=False), expect=[BAD("/recipes/animation/force_single_rung")])
case("invalid-screen-content-extra-key", "screen_content carries only saliency_intensity and target_vmaf_offset.",
     mutate=lambda d: d["recipes"]["screen_content"].update(tight_interval_max_width=2.24), expect=[diag("schema", "error", "/recipes/screen_content/tight_interval_max_width")])
case("invalid-missing-class", "Exactly four recipes.", mutate=lambda d: d["recipes"].pop("live_action_hdr"),
     expect=[diag("schema", "error", "/recipes")])
case("invalid-ugc-single-rung", "UGC is never locked to a single rung.", mutate=lambda d: d["recipes"]["ugc"].update(force_single_rung=True),
     expect=[diag("schema", "error", "/recipes/ugc/force_single_rung")])
case("invalid-provenance-in-metadata", "run_provenance sits at the top level, never inside metadata.",
     mutate=lambda d: d["metadata"].update(run_provenance=d.pop("run_provenance")),
     expect=[diag("schema", "error", "/metadata/run_provenance"), diag("legacy-no-provenance", "warning", "")], self_ref=False)

# ---- the block pinned per emitter (issue 14): one case per variant, derived from a valid case
from block_mutants import D as _D, block_case  # noqa: E402

block_case(HERE, "phase-f-recipes-calibrated", "valid-calibrated", "ai/data/phase_f_recipes_calibrated.json", args_key="log_level")
