"""ai/scripts/train_predictor_v2_realcorpus.py: fixture entrypoint."""
print("ok")
