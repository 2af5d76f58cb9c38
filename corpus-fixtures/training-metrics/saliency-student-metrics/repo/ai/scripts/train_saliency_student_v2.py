"""ai/scripts/train_saliency_student_v2.py: fixture entrypoint."""
print("ok")
