"""ai/scripts/eval_probabilistic_proxy.py: fixture entrypoint."""
print("ok")
