"""Streamlit glue shared by the pages: cached training, and later the sidebar and presentation settings."""
