"""The `planner` command for playbooks: validate, library, schema."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from planner.cli import main
from tests.unit.test_validation import playbook, tactic, write


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_builtins_is_clean(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "validate")
    assert code == 0, out
    assert out == ""
    assert err.startswith("ok: ")


def test_validate_paths_prints_one_line_per_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tactic("alpha").replace("category: coaching", "category: nope")
    bad = bad.replace("duration_weeks: 4", "duration_weeks: x")
    path = write(tmp_path, "a.yaml", playbook(bad))
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 1  # the type error stops the tactic before its ids are checked
    assert lines[0].startswith(f"{path}:12:21: tactics[0].duration_weeks: found 'x'")


def test_validate_refused_file_has_no_position(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "a.yaml", "x" * (3 * 1024 * 1024))
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 1
    assert out.startswith(f"{path}: refused: the file is 3.0 MB")


def test_validate_later_path_overrides(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "a", "x.yaml", playbook(tactic("alpha")))
    write(tmp_path / "b", "y.yaml", playbook(tactic("alpha")))
    code, _, err = run(capsys, "validate", str(tmp_path / "a"), str(tmp_path / "b"))
    assert code == 0
    assert "note: tactic 'alpha' from" in err


def test_validate_uses_planner_playbooks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "x.yaml", playbook(tactic("alpha").replace("pln]", "plnn]")))
    monkeypatch.setenv("PLANNER_PLAYBOOKS", str(tmp_path))
    code, out, _ = run(capsys, "validate")
    assert code == 1
    assert "unknown practice id 'plnn'" in out


def test_library_json_and_csv(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "library", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert len(rows) >= 30
    assert {"id", "title", "steps", "metrics", "effort", "source"} <= set(rows[0])
    code, out, _ = run(capsys, "library", "--format", "csv")
    table = list(csv.DictReader(io.StringIO(out)))
    assert [r["id"] for r in table] == [r["id"] for r in rows]
    assert table[0]["effort"] in {"light", "medium", "heavy"}


def test_schema_is_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema")
    schema = json.loads(out)
    assert code == 0
    assert schema["additionalProperties"] is False
    assert "tactics" in schema["properties"]


@pytest.mark.parametrize(
    ("argv", "name"),
    [(["schema"], "playbook.schema.json"), (["schema", "--taxonomy"], "taxonomy.schema.json")],
)
def test_shipped_schemas_are_current(
    argv: list[str], name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Editors read playbooks/schema/*.json; regenerate them with `planner schema -o ...`."""
    shipped = Path(__file__).resolve().parents[2] / "playbooks" / "schema" / name
    _, out, _ = run(capsys, *argv)
    assert json.loads(shipped.read_text(encoding="utf-8")) == json.loads(out)


def test_options_are_never_abbreviated(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["library", "--form", "csv"])
    assert exc.value.code == 2


def test_python_dash_m_planner() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "planner", "validate"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_importing_planner_does_not_load_streamlit() -> None:
    code = (
        "import sys, planner, planner.cli, planner.domain.catalog, planner.ui.charts\n"
        "import planner.exchange.playbooks\n"
        "loaded = [m for m in sys.modules if m == 'streamlit' or m.startswith('streamlit.')]\n"
        "print(len(loaded)); sys.exit(1 if loaded else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_cli_finds_the_built_in_playbooks_from_any_folder(tmp_path: Path) -> None:
    """The built-in playbooks and the sample mapping are found beside the source, wherever the
    command runs (they were looked for under the working directory once the modules moved)."""
    from planner.exchange.playbooks import BUILTIN_DIR
    from planner.exchange.xapi_mapping import SAMPLE_MAPPING

    root = Path(__file__).resolve().parents[2]
    assert root / "playbooks" == BUILTIN_DIR and SAMPLE_MAPPING.parent == root / "mappings"
    env = {k: v for k, v in os.environ.items() if k != "PLANNER_PLAYBOOKS"}
    db = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    for argv in (["validate"], ["library", "--format", "json"], ["demo", "--db", db]):
        result = subprocess.run(
            [sys.executable, "-m", "planner", *argv, "--user", "Tester"]
            if argv[0] == "demo"
            else [sys.executable, "-m", "planner", *argv],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=env,
            check=False,
        )
        assert result.returncode == 0, (argv, result.stdout + result.stderr)
        assert "does not exist" not in result.stderr, argv
        if argv[0] == "library":
            assert len(json.loads(result.stdout)) >= 46
