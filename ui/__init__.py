"""Shared UI pieces for the pages: cached data, formatting, tiles. The only streamlit glue."""
