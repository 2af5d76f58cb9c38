"""ai/scripts/eval_multiseed_v3_v4.py: fixture entrypoint."""
print("ok")
