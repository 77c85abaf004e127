"""Privacy: small groups shown as "< 5", pseudonymised actors, the opt-out list, erasure.

Small groups. A metric counts distinct people when its unit is `people` or its id is one of the
reserved community-health ids that count people (members, active-members, contributors). Every
report people read shows such a count below the minimum group size (default 5) as "< 5"
(`suppress`); the plan bundle, a confidential backup, keeps the numbers. Zero is suppressed too:
"below the group size" is the whole rule, with no exceptions to reason about.

Pseudonyms. xAPI actors are stored only as `person_hash(identifier, key)`: HMAC-SHA256 under a
key of this installation, over a normalised identifier (`normalise_identifier`), so the same
person gets the same hash across imports but the hash cannot be turned back into the person
without the key. An email address and its `mbox_sha1sum` normalise to the same identifier, so
a person is one person whichever form a learning record store sends. The key comes from
`PLANNER_PSEUDONYM_KEY`, else `[planner] pseudonym_key` in .streamlit/secrets.toml; it is
required when the database is not SQLite (a shared server needs one key for every instance),
and otherwise generated on first use as 32 random bytes in `pseudonym.key` beside the SQLite
file (data/ by default, mode 0600). It is never shown or exported; changing it makes earlier
hashes and the opt-out list useless, so keep it with the database's backups.

Erasure (`erase_person`) removes a person's record and every trace of their name and email:
items they owned lose their owner, plans they led lose their lead (each such plan's version goes
up, so a save based on the old version is refused rather than putting the name back), and the
activity log, the who-columns (created by, recorded by, author) and free text (item notes, plan
descriptions, story titles and texts, reading notes) say "erased person" instead; so do
reviews (attendees, notes, decisions, action items and their owners, the stored snapshots
too: `planner.services.reviews.scrub_person_from_reviews`), and action items they owned lose their
owner. Their email
goes on the opt-out list as a keyed hash, so their xAPI statements are dropped from now on,
and the hashes already stored for them are deleted (readings already computed keep their
numbers: they are aggregates).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from planner.domain.access import Permission, require
from planner.domain.privacy import ERASED as ERASED
from planner.domain.privacy import PseudonymKey as PseudonymKey
from planner.domain.privacy import PseudonymKeyError as PseudonymKeyError
from planner.domain.privacy import Scrubber
from planner.domain.privacy import person_hash as person_hash
from planner.domain.privacy import suppress as suppress
from planner.errors import ConflictError, PlannerError
from planner.services.writes import Write
from planner.store import SECRETS_FILE, Engine, Repository, uow
from planner.store import privacy as stored

KEY_ENV_VAR = "PLANNER_PSEUDONYM_KEY"
KEY_FILE_NAME = "pseudonym.key"
MIN_KEY_CHARS = 16
_GENERATED_KEY_BYTES = 32


# --- small groups -----------------------------------------------------------------------------


# --- pseudonyms -------------------------------------------------------------------------------


def pseudonym_key(
    database: Engine | str,
    *,
    secrets_file: Path = SECRETS_FILE,
    environ: Mapping[str, str] | None = None,
    key_dir: Path | None = None,
) -> PseudonymKey:
    """The key: $PLANNER_PSEUDONYM_KEY, else `[planner] pseudonym_key` in the secrets file;
    else, for a SQLite database only, the key file beside it (created on first use).

    `database` is the engine or URL the key is for; `key_dir` overrides where the key file of a
    SQLite database lives (by default the database file's folder, data/ for an in-memory one).
    """
    env = os.environ if environ is None else environ
    from_env = env.get(KEY_ENV_VAR, "").strip()
    if from_env:
        return _checked(from_env, KEY_ENV_VAR)
    from_secrets = _key_from_secrets(secrets_file)
    if from_secrets:
        return _checked(from_secrets, f"[planner] pseudonym_key in {secrets_file}")
    backend, database_file = stored.database_location(database)
    if backend != "sqlite":
        raise PseudonymKeyError(
            f"Importing xAPI into a shared {backend} database needs a pseudonym "
            f"key that every instance shares: set `pseudonym_key` under [planner] in "
            f"{secrets_file} (or the {KEY_ENV_VAR} environment variable) to a long random "
            "string, e.g. from `python -c 'import secrets; print(secrets.token_hex(32))'`."
        )
    if key_dir is None:
        in_memory = database_file in ("", ":memory:")
        key_dir = Path("data") if in_memory else Path(database_file).parent
    return PseudonymKey(_key_file(key_dir / KEY_FILE_NAME))


def _checked(secret: str, where: str) -> PseudonymKey:
    if len(secret) < MIN_KEY_CHARS:
        raise PseudonymKeyError(
            f"The pseudonym key in {where} is too short: use at least {MIN_KEY_CHARS} "
            "characters, e.g. from `python -c 'import secrets; print(secrets.token_hex(32))'`."
        )
    return PseudonymKey(secret.encode())


def _key_from_secrets(path: Path) -> str | None:
    if not path.is_file():
        return None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PlannerError(f"{path}: {exc}. Fix the file or set {KEY_ENV_VAR}.") from None
    section = data.get("planner")
    value = section.get("pseudonym_key") if isinstance(section, dict) else None
    if value is not None and not isinstance(value, str):
        raise PseudonymKeyError(f"{path}: [planner] pseudonym_key must be a string.")
    return value.strip() if value else None


def _key_file(path: Path) -> bytes:
    """The key in `path`, created (32 random bytes, mode 0600) if there is none yet."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as out:
                out.write(secrets.token_bytes(_GENERATED_KEY_BYTES))
            # Atomic, and refuses to overwrite: of two first runs at once, one key wins.
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)
    secret = path.read_bytes()
    if len(secret) < MIN_KEY_CHARS:
        raise PseudonymKeyError(
            f"{path} is damaged (too short). Restore it from a backup; only if no hashes were "
            "stored yet, delete it to have a new one made."
        )
    return secret


# --- the opt-out list -----------------------------------------------------------------------


def opt_out_hashes(engine: Engine) -> frozenset[str]:
    """The keyed hashes of every opted-out identifier: an importer drops statements whose
    actor's `person_hash` is among them before doing anything else with them."""
    with uow(engine, write=False) as session:
        return frozenset(Repository(session).opt_out_hashes())


def add_opt_out(engine: Engine, identifier: str, *, actor: str, key: bytes | None = None) -> bool:
    """Put an identifier (email, mailto:, account:...) on the opt-out list, as a keyed hash only.

    Returns False when it was on the list already. The log records that someone was added,
    never who."""
    require(actor, Permission.PEOPLE_ERASE, "add someone to the opt-out list")
    digest = person_hash(identifier, key or pseudonym_key(engine))
    with uow(engine) as session, Write.on(repo := Repository(session), actor) as write:
        added = repo.add_opt_outs([digest], at=write.at) > 0
        if added:
            write.log("create", "opt-out", digest[:12], "Added an identifier to the opt-out list")
    return added


# --- erasure ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Erasure:
    """What `erase_person` changed."""

    person_id: str
    items_unassigned: int
    plans_changed: int
    log_entries_rewritten: int
    opted_out: bool


def erase_person(
    engine: Engine, person_id: str, *, actor: str, key: bytes | None = None
) -> Erasure:
    """Erase a person (see the module docstring), all in one transaction."""
    require(actor, Permission.PEOPLE_ERASE, f"erase person {person_id}")
    with uow(engine) as session:
        repo = Repository(session)
        person = repo.person(person_id)
        names, emails = _names_and_emails(repo, person_id, person.name, person.email)
        scrub = Scrubber([*names, *emails])
        secret = (key or pseudonym_key(engine)) if emails else None
        # The log names the person acting without the erased name (if they erase themselves);
        # its entries are appended when the write ends, after the old ones are scrubbed.
        with Write.on(repo, scrub.who(actor)) as write:
            owned = stored.owned_item_count(repo, person_id)
            touched = stored.unassign_and_scrub_items(repo, person_id, scrub)
            released = _release_plans(write, person_id, touched, scrub)
            # Reviews: attendees, notes, decisions, action items they own (and snapshots);
            # before the person row goes, since action items refer to it.
            from planner.services.reviews import (
                scrub_person_from_reviews,  # imports planner.domain.progress
            )

            scrub_person_from_reviews(repo, person_id, scrub)
            stored.delete_person_row(repo, person_id)
            rewritten = stored.scrub_activity(repo, scrub)
            stored.scrub_columns(repo, scrub)

            if secret is not None:
                hashes = {person_hash(email, secret) for email in emails}
                repo.add_opt_outs(hashes, at=write.at)
                stored.delete_xapi_people(repo, hashes)
            write.log(
                "erase",
                "person",
                person_id,
                "Erased a person: their record, and their name and email wherever they were "
                "written" + ("; their email is on the opt-out list" if emails else ""),
            )
    return Erasure(person_id, owned, released, rewritten, bool(emails))


def _names_and_emails(
    repo: Repository, person_id: str, name: str, email: str | None
) -> tuple[set[str], set[str]]:
    """The person's name and email now, and any they had before (from the log)."""
    names, emails = {name}, {email} if email else set()
    for values in stored.person_log_values(repo, person_id):
        if isinstance(values, dict):
            if isinstance(values.get("name"), str) and values["name"].strip():
                names.add(values["name"])
            if isinstance(values.get("email"), str) and values["email"].strip():
                emails.add(values["email"])
    return names, emails


def _release_plans(
    write: Write, person_id: str, touched: Mapping[str, int], scrub: Scrubber
) -> int:
    """Clear the lead of plans the person led, rewrite descriptions naming them, and raise the
    version of every plan changed (items included), logging each without the name; returns
    how many plans changed."""
    repo, actor, at = write.repo, write.actor, write.at
    released = 0
    for plan in repo.plans():
        led = plan.lead_id == person_id
        description = scrub.text(plan.description)
        if not (led or description != plan.description or plan.id in touched):
            continue
        changed = replace(
            plan,
            lead_id=None if led else plan.lead_id,
            description=description,
            version=plan.version + 1,
            updated_at=at,
            updated_by=actor,
        )
        if not repo.save_plan(changed, expected_version=plan.version):
            raise ConflictError(
                f"Plan '{plan.name}' changed while the person was being erased; erase again."
            )
        what = [f"{touched[plan.id]} item(s)"] if plan.id in touched else []
        what += ["the plan's lead"] if led else []
        what += ["the plan's description"] if description != plan.description else []
        write.log(
            "erase",
            "person",
            person_id,
            f"Removed an erased person from {', '.join(what)}",
            plan_id=plan.id,
            version=changed.version,
        )
        released += 1
    return released
