"""Ascolto's store and everything that touches it. Never imports streamlit."""
