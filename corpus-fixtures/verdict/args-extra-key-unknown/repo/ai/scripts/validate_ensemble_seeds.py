"""ai/scripts/validate_ensemble_seeds.py: fixture entrypoint."""
print("ok")
