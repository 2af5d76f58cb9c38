"""ai/scripts/train_vmaf_tiny_v5.py: fixture entrypoint."""
print("ok")
