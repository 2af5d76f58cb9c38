"""ai/scripts/export_vmaf_tiny_v3.py: fixture entrypoint."""
print("ok")
