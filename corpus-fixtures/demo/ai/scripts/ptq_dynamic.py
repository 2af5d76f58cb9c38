"""ai/scripts/ptq_dynamic.py: fixture entrypoint."""
print("ok")
