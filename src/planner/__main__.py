"""`python -m planner` runs the same command line as `planner`."""

from planner.cli import main

raise SystemExit(main())
