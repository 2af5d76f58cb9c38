"""ai/scripts/validate_saliency_student.py: fixture entrypoint."""
print("ok")
