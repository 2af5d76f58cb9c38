"""ai/scripts/export_fastdvdnet_pre.py: fixture entrypoint."""
print("ok")
