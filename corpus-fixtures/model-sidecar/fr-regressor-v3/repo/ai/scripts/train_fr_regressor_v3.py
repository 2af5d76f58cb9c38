"""ai/scripts/train_fr_regressor_v3.py: fixture entrypoint."""
print("ok")
