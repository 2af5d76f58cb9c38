"""ai/scripts/validate_model_registry.py: fixture entrypoint."""
print("ok")
