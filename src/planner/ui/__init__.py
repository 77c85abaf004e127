"""Streamlit helpers shared by the pages: state keys, cached loaders, widgets."""
