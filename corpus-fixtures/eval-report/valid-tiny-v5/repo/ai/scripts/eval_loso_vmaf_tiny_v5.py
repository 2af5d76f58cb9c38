"""ai/scripts/eval_loso_vmaf_tiny_v5.py: fixture entrypoint."""
print("ok")
