"""Value-creation stories' vocabulary: the Wenger-Trayner value cycles a story is tagged with."""

from __future__ import annotations

VALUE_CYCLES: dict[str, str] = {
    "value-immediate": "Immediate value",
    "value-potential": "Potential value",
    "value-applied": "Applied value",
    "value-realized": "Realised value",
    "value-transformative": "Transformative value",
    "value-strategic": "Strategic value",
    "value-enabling": "Enabling value",
}
"""Wenger-Trayner value cycles (the taxonomy's framework ids) and their names."""
