"""ai/scripts/eval_loso_vmaf_tiny_v4.py: fixture entrypoint."""
print("ok")
