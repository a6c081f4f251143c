r"""``eos run``: one GD or SGD training run with the paper's diagnostics, into a folder.

Example (the paper's Experiment 1 setting, tanh)::

    eos run --dataset cifar10 --n 5000 --arch fc --depth 2 --activation tanh --loss ce \\
        --opt gd --eta 2/30 --max-steps 5000 --eig-every 20 --out runs/exp1-tanh

Writes ``config.json``, ``steps.jsonl``, ``summary.json`` and ``checkpoint.pt`` under
``--out`` (see :mod:`eos_empirical.recorder`); the same command resumes an interrupted
run. Progress (loss, accuracy, latest sharpness) goes to stderr. Bad options fail before
any work with exit status 2.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from eos_empirical.config import RunConfig, parse_eta


def build_parser() -> argparse.ArgumentParser:
    """The ``eos run`` option parser."""
    d = RunConfig.__dataclass_fields__
    p = argparse.ArgumentParser(prog="eos run", description=__doc__.split("\n")[0])
    a = p.add_argument
    a("--out", required=True, help="output folder (resumed if it holds this run)")
    a("--dataset", default=d["dataset"].default, help="cifar10 or synthetic")
    a("--n", type=int, default=d["n"].default, help="first n training examples")
    a(
        "--data-root",
        default=None,
        help="folder holding cifar-10-batches-py/ (default: $EOS_CIFAR10_ROOT)",
    )
    a("--download", action="store_true", help="fetch CIFAR-10 through torchvision first")
    a("--arch", default="fc", help="fc (fully connected)")
    a("--width", type=int, default=d["width"].default)
    a("--depth", type=int, default=d["depth"].default, help="hidden layers (paper: 2 or 4)")
    a("--activation", default=d["activation"].default, help="tanh, relu or none")
    a("--loss", default=d["loss"].default, help="ce (cross-entropy) or mse (squared loss)")
    a("--opt", default="gd", help="gd (full batch) or sgd")
    a("--eta", required=True, help="step size, a number or a fraction like 2/30")
    a("--max-steps", type=int, default=d["max_steps"].default, help="GD step cap")
    a("--batch-size", type=int, default=d["batch_size"].default, help="SGD minibatch size")
    a("--epochs", type=int, default=d["epochs"].default, help="SGD epoch cap")
    a("--acc-target", type=float, default=d["acc_target"].default)
    a(
        "--blowup",
        type=float,
        default=d["blowup"].default,
        help="diverged when the loss exceeds this times the initial loss",
    )
    a("--eig-every", type=int, default=0, help="sharpness every k steps/epochs (0: never)")
    a("--eig-tol", type=float, default=d["eig_tol"].default, help="relative residual of λmax")
    a("--tau-every", type=int, default=0, help="L(θ; ητ∇f) on the τ grid every m steps")
    a("--tau-points", type=int, default=d["tau_points"].default)
    a("--quad-every", type=int, default=0, help="Theorem 2 quadrature every m steps")
    a("--quad-nodes", type=int, default=d["quad_nodes"].default)
    a(
        "--rp-samples",
        type=int,
        default=d["rp_samples"].default,
        help="SGD: minibatches sampled for E[RP] and (5.1)",
    )
    a("--seed", type=int, default=0)
    a("--dtype", default="float32", help="float32 (TF32 off) or float64")
    a("--device", default=None, help="cpu, cuda (default: cuda when available)")
    a("--chunk-size", type=int, default=None, help="rows per forward pass (default: all)")
    a("--nondeterministic", action="store_true", help="allow nondeterministic kernels")
    a("--checkpoint-every", type=int, default=d["checkpoint_every"].default)
    return p


def config_from_args(args: argparse.Namespace) -> RunConfig:
    """The :class:`RunConfig` of parsed options (``ValueError`` for a bad one)."""
    return RunConfig(
        dataset=args.dataset,
        n=args.n,
        data_root=args.data_root,
        download=args.download,
        arch=args.arch,
        width=args.width,
        depth=args.depth,
        activation=args.activation,
        loss=args.loss,
        opt=args.opt,
        eta=parse_eta(args.eta),
        max_steps=args.max_steps,
        batch_size=args.batch_size,
        epochs=args.epochs,
        acc_target=args.acc_target,
        blowup=args.blowup,
        eig_every=args.eig_every,
        eig_tol=args.eig_tol,
        tau_every=args.tau_every,
        tau_points=args.tau_points,
        quad_every=args.quad_every,
        quad_nodes=args.quad_nodes,
        rp_samples=args.rp_samples,
        seed=args.seed,
        dtype=args.dtype,
        device=args.device,
        chunk_size=args.chunk_size,
        deterministic=not args.nondeterministic,
        checkpoint_every=args.checkpoint_every,
    )


class Progress:
    """One status line on stderr: step, loss, accuracy, latest sharpness.

    Redrawn in place on a terminal (at most 5 times a second), one line every
    ``every`` rows otherwise.
    """

    def __init__(self, total: int, *, every: int = 100, stream: Any = None) -> None:
        self.total, self.every = total, every
        self.stream = sys.stderr if stream is None else stream
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.sharpness: float | None = None
        self._last = 0.0

    def __call__(self, row: dict[str, Any]) -> None:
        """Show ``row`` (remembering its sharpness when present)."""
        if row.get("sharpness") is not None:
            self.sharpness = row["sharpness"]
        now = time.monotonic()
        if self.tty and now - self._last < 0.2:
            return
        if not self.tty and row["step"] % self.every:
            return
        self._last = now
        sharp = "-" if self.sharpness is None else f"{self.sharpness:.4g}"
        loss = "nan" if row["loss"] is None else f"{row['loss']:.5g}"
        acc = "nan" if row["acc"] is None else f"{row['acc']:.4f}"
        line = f"step {row['step']}/{self.total}  loss {loss}  acc {acc}  sharpness {sharp}"
        self.stream.write(("\r" + line.ljust(78)) if self.tty else line + "\n")
        self.stream.flush()

    def close(self) -> None:
        """End the status line."""
        if self.tty:
            self.stream.write("\n")


def main(argv: list[str] | None = None) -> int:
    """Parse options, run, print the summary; 0 on success, 2 on a bad option or data."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        config = config_from_args(args)
    except ValueError as exc:
        parser.error(str(exc))
    from eos_empirical.train import prepare, train  # torch is imported here, not on --help

    try:
        setup = prepare(config)  # data, device and n checked before any training
    except (ValueError, RuntimeError) as exc:
        print(f"eos run: error: {exc}", file=sys.stderr)
        return 2
    total = config.max_steps if config.opt == "gd" else config.epochs
    progress = Progress(total, every=1 if config.opt == "sgd" else 100)
    try:
        result = train(config, args.out, on_step=progress, setup=setup)
    except ValueError as exc:  # e.g. --out holds a different run
        progress.close()
        print(f"eos run: error: {exc}", file=sys.stderr)
        return 2
    progress.close()
    s = result.summary
    print(
        f"{s['outcome']}: {s['steps']} steps, final loss {s['final_loss']}, final acc "
        f"{s['final_acc']}, {s['wall_time_s']:.1f} s  -> {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
