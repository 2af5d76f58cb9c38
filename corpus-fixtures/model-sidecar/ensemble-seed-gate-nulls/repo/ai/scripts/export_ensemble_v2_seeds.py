"""ai/scripts/export_ensemble_v2_seeds.py: fixture entrypoint."""
print("ok")
