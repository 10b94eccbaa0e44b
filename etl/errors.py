"""Problems found in input files, and the error that carries them to the user."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One thing wrong in an input file, located as the user sees it (Excel row numbers).

    ``template`` is the message in Dutch with {placeholders} for ``params`` (numbers as
    etl.messages.Number): the message id the app translates it by."""

    file: str
    sheet: str | None
    row: int | None
    column: str | None
    value: object
    template: str
    params: Mapping[str, object] = field(default_factory=dict, hash=False)

    @property
    def message(self) -> str:
        """The message in Dutch, its placeholders filled in."""
        return self.template.format(**self.params) if self.params else self.template

    def location(self) -> str:
        """Where the problem is, in Dutch: 'financien.csv, blad financien, rij 3, kolom horeca'."""
        parts = [self.file]
        if self.sheet:
            parts.append(f"blad {self.sheet}")
        if self.row is not None:
            parts.append(f"rij {self.row}")
        if self.column:
            parts.append(f"kolom {self.column}")
        return ", ".join(parts)

    def __str__(self) -> str:
        shown = "" if self.value is None or self.value == "" else f" (waarde: {self.value!r})"
        return f"{self.location()}: {self.message}{shown}"


class InputError(Exception):
    """An input file (or several) that cannot be loaded; nothing of it was loaded."""

    def __init__(self, problems: list[Problem] | Problem | str, file: str = "") -> None:
        if isinstance(problems, str):
            problems = [Problem(file, None, None, None, None, problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)
