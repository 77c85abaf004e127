"""Where plans live: the only SQL in the planner.

Owns the engine and the database's URL (`engine`), the tables (`schema`) and their migrations
(`migrations/`, frozen: one file per change, never editing an applied one), one transaction per
user action (`session.uow`), and the repository that turns rows into the frozen records of
`planner.domain` and back (`repository.Repository`, composed of `plans`, `people`, `activity`,
`adoption`, `value_stories` and `meetings`).

May import: sqlalchemy, alembic, the standard library, `planner.domain` and `planner.errors`;
never `planner.services`, `planner.exchange` or `planner.ui` (import-linter checks). The names
below are the store's public API, re-exported so callers write `from planner.store import X`.
"""

from __future__ import annotations

from sqlalchemy import Engine as Engine

from planner.domain.activity import NewActivity as NewActivity
from planner.domain.meetings import ActionItemRecord as ActionItemRecord
from planner.domain.meetings import ReviewRecord as ReviewRecord
from planner.domain.playbook import snapshot_hash as snapshot_hash
from planner.domain.readings import READING_SOURCES as READING_SOURCES
from planner.domain.readings import Reading as Reading
from planner.domain.readings import ReadingKey as ReadingKey
from planner.domain.stories import Story as Story
from planner.store.channel_mappings import ChannelMappingRepository as ChannelMappingRepository
from planner.store.engine import BUSY_TIMEOUT_MS as BUSY_TIMEOUT_MS
from planner.store.engine import CONNECT_TIMEOUT_S as CONNECT_TIMEOUT_S
from planner.store.engine import DEFAULT_URL as DEFAULT_URL
from planner.store.engine import ENV_VAR as ENV_VAR
from planner.store.engine import MIGRATIONS_DIR as MIGRATIONS_DIR
from planner.store.engine import SECRETS_FILE as SECRETS_FILE
from planner.store.engine import make_engine as make_engine
from planner.store.engine import migrate as migrate
from planner.store.engine import resolve_database_url as resolve_database_url
from planner.store.engine import unavailable_message as unavailable_message
from planner.store.repository import Repository as Repository
from planner.store.repository import ReviewRepository as ReviewRepository
from planner.store.schema import ACTION_ITEMS as ACTION_ITEMS
from planner.store.schema import ACTIVITY as ACTIVITY
from planner.store.schema import CHANNEL_MAPPINGS as CHANNEL_MAPPINGS
from planner.store.schema import ITEMS as ITEMS
from planner.store.schema import OPT_OUTS as OPT_OUTS
from planner.store.schema import PEOPLE as PEOPLE
from planner.store.schema import PLANS as PLANS
from planner.store.schema import READINGS as READINGS
from planner.store.schema import REVIEW_DECISIONS as REVIEW_DECISIONS
from planner.store.schema import REVIEWS as REVIEWS
from planner.store.schema import SNAPSHOTS as SNAPSHOTS
from planner.store.schema import STORIES as STORIES
from planner.store.schema import TARGETS as TARGETS
from planner.store.schema import XAPI_PEOPLE as XAPI_PEOPLE
from planner.store.schema import XAPI_STATEMENTS as XAPI_STATEMENTS
from planner.store.schema import ActionItemRow as ActionItemRow
from planner.store.schema import ActivityRow as ActivityRow
from planner.store.schema import Base as Base
from planner.store.schema import ChannelMappingRow as ChannelMappingRow
from planner.store.schema import ItemTargetRow as ItemTargetRow
from planner.store.schema import OptOutRow as OptOutRow
from planner.store.schema import PersonRow as PersonRow
from planner.store.schema import PlanItemRow as PlanItemRow
from planner.store.schema import PlanRow as PlanRow
from planner.store.schema import ReadingRow as ReadingRow
from planner.store.schema import ReviewDecisionRow as ReviewDecisionRow
from planner.store.schema import ReviewRow as ReviewRow
from planner.store.schema import StoryRow as StoryRow
from planner.store.schema import TacticSnapshotRow as TacticSnapshotRow
from planner.store.schema import UTCDateTime as UTCDateTime
from planner.store.schema import XapiPersonRow as XapiPersonRow
from planner.store.schema import XapiStatementRow as XapiStatementRow
from planner.store.session import uow as uow
