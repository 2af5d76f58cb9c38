"""ai/scripts/feature_correlation.py: fixture entrypoint."""
print("ok")
