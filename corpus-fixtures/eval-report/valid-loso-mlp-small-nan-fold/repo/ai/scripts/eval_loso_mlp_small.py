"""ai/scripts/eval_loso_mlp_small.py: fixture entrypoint."""
print("ok")
