"""The xAPI 1.0.3 data rules (Data, section 2.2 onward), as tables of property checks.

Every object the specification defines (Agent, Group, account, Verb, Activity, its definition
and interaction components, Result, Score, Context, contextActivities, StatementRef,
Attachment) is a table: property name -> the check of its value. `_walk` applies a table to an
object: a property the table lacks is refused (xAPI: "a key or value not allowed by this
specification"), a null value is refused (except inside extensions), and each value is checked
where it is, so a rule applies wherever its kind of value may appear, SubStatements included.

Each check appends messages to `errors` naming the JSON path, e.g.
`context.instructor.mbox must be a mailto: IRI`. No message quotes an identifier of a person
(mbox, mbox_sha1sum, openid, account): those are described, never shown.

Hand-written rather than a schema library: measured against ralph-malph's pydantic models on
bench/bench_xapi.py (see the README's xAPI section), these checks keep the import within its
bound of 4x json.loads, and they report every problem of a statement with its path.

This module is the one name callers use (`from planner.exchange import xapi_spec as spec`); the
tables live in `xapi_values` (values, `Problems`, `_walk`), `xapi_actors` (Agent, Group,
account), `xapi_activities` (Verb, Activity, definition, StatementRef) and `xapi_context`
(Result, Score, Context, Attachment, the statement's other properties), all re-exported here.
"""

from __future__ import annotations

from planner.exchange.xapi_activities import check_activity as check_activity
from planner.exchange.xapi_activities import check_definition as check_definition
from planner.exchange.xapi_activities import check_statement_ref as check_statement_ref
from planner.exchange.xapi_activities import check_verb as check_verb
from planner.exchange.xapi_actors import check_actor as check_actor
from planner.exchange.xapi_actors import check_agent as check_agent
from planner.exchange.xapi_actors import check_authority as check_authority
from planner.exchange.xapi_actors import check_group as check_group
from planner.exchange.xapi_actors import check_identifier as check_identifier
from planner.exchange.xapi_actors import check_team as check_team
from planner.exchange.xapi_context import OTHER_PROPERTIES as OTHER_PROPERTIES
from planner.exchange.xapi_context import check_context as check_context
from planner.exchange.xapi_context import check_other_properties as check_other_properties
from planner.exchange.xapi_context import check_result as check_result
from planner.exchange.xapi_context import check_score as check_score
from planner.exchange.xapi_context import check_version as check_version
from planner.exchange.xapi_values import COMPONENT_LISTS as COMPONENT_LISTS
from planner.exchange.xapi_values import IFIS as IFIS
from planner.exchange.xapi_values import INTERACTION_TYPES as INTERACTION_TYPES
from planner.exchange.xapi_values import MAX_PROBLEMS as MAX_PROBLEMS
from planner.exchange.xapi_values import TIMESTAMP_PATTERN as TIMESTAMP_PATTERN
from planner.exchange.xapi_values import UUID_PATTERN as UUID_PATTERN
from planner.exchange.xapi_values import Check as Check
from planner.exchange.xapi_values import Problems as Problems
from planner.exchange.xapi_values import check_boolean as check_boolean
from planner.exchange.xapi_values import check_duration as check_duration
from planner.exchange.xapi_values import check_extensions as check_extensions
from planner.exchange.xapi_values import check_iri as check_iri
from planner.exchange.xapi_values import check_irl as check_irl
from planner.exchange.xapi_values import check_language_map as check_language_map
from planner.exchange.xapi_values import check_language_tag as check_language_tag
from planner.exchange.xapi_values import check_number as check_number
from planner.exchange.xapi_values import check_text as check_text
from planner.exchange.xapi_values import check_timestamp as check_timestamp
from planner.exchange.xapi_values import check_uuid as check_uuid
from planner.exchange.xapi_values import is_language_tag as is_language_tag
from planner.exchange.xapi_values import known_iri as known_iri
from planner.exchange.xapi_values import show as show

__all__ = [
    "COMPONENT_LISTS",
    "IFIS",
    "INTERACTION_TYPES",
    "MAX_PROBLEMS",
    "OTHER_PROPERTIES",
    "TIMESTAMP_PATTERN",
    "UUID_PATTERN",
    "Check",
    "Problems",
    "check_activity",
    "check_actor",
    "check_agent",
    "check_authority",
    "check_context",
    "check_definition",
    "check_duration",
    "check_extensions",
    "check_group",
    "check_identifier",
    "check_language_map",
    "check_language_tag",
    "check_other_properties",
    "check_result",
    "check_score",
    "check_statement_ref",
    "check_timestamp",
    "check_verb",
    "check_version",
    "is_language_tag",
    "known_iri",
    "show",
]
