"""The Hera-scale benchmark (python -m bench)."""
