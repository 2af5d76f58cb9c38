"""ai/scripts/qat_train.py: fixture entrypoint."""
print("ok")
