"""ai/scripts/materialize_saliency_features.py: fixture entrypoint."""
print("ok")
