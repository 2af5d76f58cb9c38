"""ai/scripts/train_fr_regressor_v2_ensemble.py: fixture entrypoint."""
print("ok")
