"""ai/scripts/batch_materialize_second_opinion_features.py: fixture entrypoint."""
print("ok")
