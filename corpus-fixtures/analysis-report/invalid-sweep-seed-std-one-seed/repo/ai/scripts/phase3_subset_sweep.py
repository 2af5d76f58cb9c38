"""ai/scripts/phase3_subset_sweep.py: fixture entrypoint."""
print("ok")
