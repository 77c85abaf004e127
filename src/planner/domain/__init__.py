"""The domain: pure records and rules, no database, no dashboard, no files.

Owns the playbook vocabulary (`playbook`), plans and their items (`planning`), reporting
periods, dependency-aware dates and workload (`schedule`), progress against targets, community
health, who may change what (`access`), the limits on input, labels and the status palette.

May import: the standard library, pydantic and `planner.errors`. Never sqlalchemy, streamlit,
`planner.store`, `planner.services`, `planner.exchange` or `planner.ui` (import-linter checks).
"""
