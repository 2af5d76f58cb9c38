"""ai/scripts/batch_materialize_mos_labels.py: fixture entrypoint."""
print("ok")
