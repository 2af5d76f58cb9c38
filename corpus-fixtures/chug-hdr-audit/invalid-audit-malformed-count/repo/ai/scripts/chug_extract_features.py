"""ai/scripts/chug_extract_features.py: fixture entrypoint."""
print("ok")
