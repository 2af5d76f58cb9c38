"""vmaf-train CLI (fixture)."""
