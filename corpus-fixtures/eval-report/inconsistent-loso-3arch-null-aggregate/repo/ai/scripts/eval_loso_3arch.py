"""ai/scripts/eval_loso_3arch.py: fixture entrypoint."""
print("ok")
