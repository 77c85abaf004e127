"""Streamlit helpers shared by the pages: state keys, cached loaders, widgets, the plotly
figures they draw (`ui.charts`), the sidebar and the page shell.

The only package that imports streamlit; it calls `planner.services` (and reads domain types),
never `planner.store` or `planner.exchange` (import-linter checks). Only `app.py`, `pages/` and
this package cache (`st.cache_*`); every cache keys on `services.change_stamp`.
"""
