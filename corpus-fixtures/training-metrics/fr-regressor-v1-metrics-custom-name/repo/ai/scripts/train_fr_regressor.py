"""ai/scripts/train_fr_regressor.py: fixture entrypoint."""
print("ok")
