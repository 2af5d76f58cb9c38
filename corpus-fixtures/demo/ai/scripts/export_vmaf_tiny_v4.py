"""ai/scripts/export_vmaf_tiny_v4.py: fixture entrypoint."""
print("ok")
