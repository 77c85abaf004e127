"""Informal Learning Planner: the router. Pages live in pages/, logic in src/planner/."""

from planner.ui.shell import build_shell

build_shell().run()
