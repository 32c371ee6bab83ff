"""The errors meant for users. The CLI prints them as ``file:line: path: message``, exit 2."""

from __future__ import annotations

from dataclasses import dataclass


class LeverageError(Exception):
    """An error caused by the user's input, reported without a traceback (exit status 2)."""

    def lines(self) -> list[str]:
        """The error as the lines the CLI prints."""
        return [str(self)]


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one scenario file."""

    file: str
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class ScenarioError(LeverageError):
    """A scenario that cannot be run: one or more located problems."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems), key=lambda p: (p.file, p.line, p.path, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))

    def lines(self) -> list[str]:
        """One line per problem."""
        return [str(p) for p in self.problems]


class Interrupted(LeverageError):
    """A run was stopped (a signal, a dead worker, a full disk); finished chunks are kept and
    the set, marked interrupted, can be resumed. ``exit_code`` is the command's exit status.
    """

    def __init__(
        self, path: object, reason: str = "interrupted", exit_code: int = 130, advice: str = ""
    ) -> None:
        self.path = path
        self.reason = reason
        self.exit_code = exit_code
        then = f"{advice}, then finish" if advice else "finish"
        super().__init__(
            f"{reason}: finished chunks kept in {path}; {then} with: sim run --resume {path}"
        )


class ReplicationsFailed(LeverageError):
    """Some replications raised; they are recorded in the result set's errors.jsonl."""

    def __init__(self, path: object, count: int) -> None:
        self.path = path
        super().__init__(f"{count} replication(s) failed; see {path}/errors.jsonl")


class LeverageWarning(UserWarning):
    """A warning for users (e.g. more workers than cores); the CLI prints it as one line."""
