"""ai/scripts/export_transnet_v2.py: fixture entrypoint."""
print("ok")
