"""``eos search``: argument parsing for the counterexample search (:mod:`eos_theory.search`).

``eos search --list`` lists the searchable claims; ``eos search CLAIM --seed S --budget B``
runs :func:`eos_theory.search.run_search` and prints the worst case as JSON (``--json``:
only that) and, for a counterexample, a ready-to-paste pytest regression test. The search
package is imported inside :func:`main`, after parsing, so ``--help`` stays instant.
Progress (:class:`SearchProgress`) goes to stderr: examples (or seconds) of the budget
done, with an ETA, the stage and the worst margin so far.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from typing import Any

from eos_empirical.commands.help_format import HelpFormatter
from eos_empirical.commands.output_paths import add_json_option, add_quiet_option, write_json


def _parse_budget(text: str) -> tuple[int | None, float | None]:
    """``--budget``: ``"500"`` -> (500, None) examples, ``"30s"`` -> (None, 30.0) seconds."""
    text = text.strip().lower()
    try:
        if text.endswith("s"):
            value = float(text[:-1])
            if value > 0:
                return None, value
        else:
            n = int(text)
            if n > 0:
                return n, None
    except ValueError:
        pass
    raise ValueError(
        f"--budget must be a positive example count (500) or seconds (30s), got {text!r}"
    )


class SearchProgress:
    """The ``on_progress`` hook of :func:`eos_theory.search.run_search` as a progress bar
    (:func:`eos_empirical.progress_line.bar`): examples done / ``examples``, or seconds
    done / ``seconds`` for a time budget, with an ETA, the stage and the worst margin; a
    new stage is shown at once. The count stops at the budget; what runs past it (rejected
    draws, the optimizer's polish, shrinking) is counted in the text after it.
    """  # noqa: D205

    def __init__(
        self,
        *,
        examples: int | None,
        seconds: float | None,
        quiet: bool = False,
        stream: Any = None,
        every_s: float | None = None,
    ) -> None:
        from eos_empirical.progress_line import LOG_EVERY_S, bar

        self.timed = seconds is not None
        self.budget = seconds if seconds is not None else examples
        total = math.ceil(seconds) if seconds is not None else examples
        self.bar = bar(
            total,
            desc="",
            unit="second" if self.timed else "example",
            quiet=quiet,
            stream=stream,
            every_s=LOG_EVERY_S if every_s is None else every_s,
        )
        self.stage = ""

    def __call__(self, result: Any, stage: str) -> None:
        """Show ``result`` (a :class:`~eos_theory.search.SearchResult`) during ``stage``."""
        spent = result.seconds if self.timed else result.examples
        past = " (past the budget)" if spent > self.budget else ""
        counts = f"{result.examples} examples{past}, " if self.timed or past else ""
        text = f"{stage}: {counts}worst margin {result.margin:.4g}"
        self.bar.set_postfix_str(text, refresh=stage != self.stage)
        self.stage = stage
        self.bar.update(max(0, min(int(spent), self.bar.total) - self.bar.n))

    def close(self) -> None:
        """End the bar (its last state stays)."""
        self.bar.close()


def build_parser() -> argparse.ArgumentParser:
    """The ``eos search`` option parser."""
    parser = argparse.ArgumentParser(
        formatter_class=HelpFormatter,
        prog="eos search",
        description="Hunt for the worst violation of an approximate claim of the paper "
        "(Hypothesis targeted search + differential evolution). Examples (or seconds) of the "
        "budget done, with an ETA and the worst margin so far, go to stderr.",
        epilog="""examples:
  eos search --list
  eos search relation43 --seed 0 --budget 300 --json
  eos search relation43 --budget 30s
""",
    )
    parser.add_argument(
        "claim", nargs="?", help="claim to search (see --list); required unless --list"
    )
    parser.add_argument("--list", action="store_true", help="list the searchable claims")
    parser.add_argument("--seed", type=int, default=0, help="seed of every stage")
    parser.add_argument(
        "--budget", default="500", help="examples (e.g. 500) or seconds with a suffix (e.g. 30s)"
    )
    add_json_option(parser, "the search result")
    parser.add_argument(
        "--no-optimizer", action="store_true", help="skip the differential-evolution stage"
    )
    add_quiet_option(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``eos search``; returns the exit code (0 also when a case is found)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    from eos_theory.search import SEARCHES, regression_snippet, run_search

    if args.list:
        for c in SEARCHES.values():
            tag = "  (planted, tests the search)" if c.planted else ""
            print(f"{c.id}{tag}\n    {c.location}: {c.statement}\n    margin: {c.margin_text}")
        return 0
    if not args.claim:
        parser.print_usage(sys.stderr)
        print("eos search: give a CLAIM or --list", file=sys.stderr)
        return 2
    if args.claim not in SEARCHES:
        print(
            f"eos search: unknown claim {args.claim!r}; known: {', '.join(SEARCHES)}",
            file=sys.stderr,
        )
        return 2
    try:
        n, secs = _parse_budget(args.budget)
    except ValueError as exc:
        print(f"eos search: {exc}", file=sys.stderr)
        return 2
    progress = SearchProgress(examples=n, seconds=secs, quiet=args.quiet)
    try:
        result = run_search(
            args.claim,
            seed=args.seed,
            max_examples=n,
            seconds=secs,
            optimizer=not args.no_optimizer,
            on_progress=progress,
        )
    finally:
        progress.close()
    summary = result.to_dict(args.budget)
    if args.json == "-":
        print(json.dumps(summary, indent=2, sort_keys=True))
        return 0
    if args.json:
        write_json(summary, args.json)
    if not result.found:
        print(
            f"no counterexample found in {result.examples} examples / "
            f"{result.seconds:.1f} seconds (worst margin {result.margin:.6g}, seed {args.seed}) "
            f"of {SEARCHES[args.claim].families}: the claim survived this budget there"
        )
    else:
        print(
            f"counterexample to {args.claim}: worst margin {result.margin:.6g} "
            f"({result.worst_source}; {result.examples} examples, {result.seconds:.1f} s, "
            f"seed {args.seed})"
        )
    print(json.dumps(summary, indent=2, sort_keys=True))
    if result.found:
        print("\n# ready-to-paste regression test\n" + regression_snippet(result, args.budget))
    return 0


if __name__ == "__main__":
    sys.exit(main())
