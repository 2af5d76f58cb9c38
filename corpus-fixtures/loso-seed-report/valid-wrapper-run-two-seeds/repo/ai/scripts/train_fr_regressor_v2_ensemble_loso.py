"""ai/scripts/train_fr_regressor_v2_ensemble_loso.py: fixture entrypoint."""
print("ok")
