"""The brain: platform-free, a Question in and a Reply out."""
