"""ai/scripts/export_fastdvdnet_pre_placeholder.py: fixture entrypoint."""
print("ok")
