"""ai/scripts/eval_saliency_per_mb.py: fixture entrypoint."""
print("ok")
