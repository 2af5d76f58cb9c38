"""ai/scripts/export_tiny_models.py: fixture entrypoint."""
print("ok")
