"""ai/scripts/konvid_to_full_features.py: fixture entrypoint."""
print("ok")
