"""Help pages that a reader can scan: options in titled sections, then examples and exit statuses.

click lists a command's options in one block in declaration order; ``check`` has over forty, so its help reads
as a wall. :class:`SectionedCommand` keeps click's own formatting of each option and only groups them; an option
that no section names still appears, under "Other options", so a new option is never hidden from ``--help``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click


class SectionedCommand(click.Command):
    """A click command whose help shows its options in ``sections`` and ends with ``examples`` and ``statuses``.

    Args:
        sections: ``(title, parameter names)`` in display order.
        examples: ``(command line, what it does)`` pairs.
        statuses: ``(exit status, meaning)`` pairs.
    """

    def __init__(self, *args: Any, sections: Sequence[tuple[str, Sequence[str]]] = (),
                 examples: Sequence[tuple[str, str]] = (), statuses: Sequence[tuple[str, str]] = (),
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sections = tuple((title, tuple(names)) for title, names in sections)
        self.examples = tuple(examples)
        self.statuses = tuple(statuses)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Options only: the arguments are in the usage line (click 8.5 gives them a help record of their own).
        records = {param.name: record for param in self.get_params(ctx)
                   if isinstance(param, click.Option) and (record := param.get_help_record(ctx)) is not None}
        for title, names in self.sections:
            rows = [records.pop(name) for name in names if name in records]
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)
        if records:
            with formatter.section("Other options"):
                formatter.write_dl(list(records.values()))

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if self.examples:
            with formatter.section("Examples"):
                for line, meaning in self.examples:
                    # A command line is never wrapped: a reader copies it whole.
                    formatter.write(f"{'':>{formatter.current_indent}}$ {line}\n")
                    with formatter.indentation():
                        formatter.write_text(meaning)
        if self.statuses:
            with formatter.section("Exit status"):
                formatter.write_dl(list(self.statuses), col_max=8)
        super().format_epilog(ctx, formatter)
