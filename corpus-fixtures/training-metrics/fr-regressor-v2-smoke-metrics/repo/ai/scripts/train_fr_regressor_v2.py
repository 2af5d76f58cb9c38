"""ai/scripts/train_fr_regressor_v2.py: fixture entrypoint."""
print("ok")
