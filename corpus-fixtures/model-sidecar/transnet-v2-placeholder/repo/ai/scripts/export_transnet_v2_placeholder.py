"""ai/scripts/export_transnet_v2_placeholder.py: fixture entrypoint."""
print("ok")
