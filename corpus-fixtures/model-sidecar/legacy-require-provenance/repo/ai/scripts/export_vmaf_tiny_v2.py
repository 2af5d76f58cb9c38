"""ai/scripts/export_vmaf_tiny_v2.py: fixture entrypoint."""
print("ok")
