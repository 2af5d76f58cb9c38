"""ai/scripts/train_konvid_mos_head.py: fixture entrypoint."""
print("ok")
