"""ai/scripts/ptq_static.py: fixture entrypoint."""
print("ok")
