r"""Parametrised families of costs for property tests and counterexample searches.

Each family is a pure function from JSON-serialisable parameters (lists of floats, integer
seeds, short strings) to an ``autograd.numpy`` cost, so a generated or searched case is
fully described by ``(family, params, theta, eta)`` and can be rebuilt anywhere with
:func:`build`. The Hypothesis strategies of ``property_tests/strategies/`` and the searches of
:mod:`eos_theory.search` draw these parameters; the costs live only here.

Families (parameters in brackets):

- ``quadratic`` [``eigenvalues``, ``rotation_seed``, ``q``, ``r``]:
  :math:`\tfrac12\theta^\top P\theta + q^\top\theta + r` with :math:`P = Q\,\mathrm{diag}(
  \lambda)\,Q^\top` and :math:`Q` a seeded random rotation (Fact 1, Example 4).
- ``polynomial`` [``terms``: ``[coef, [e_1..e_d]]``]: :math:`\sum_k c_k\prod_j
  \theta_j^{e_{kj}}` of total degree at most 4.
- ``flattened`` [``outer`` in ``tanh``, ``log1p``, ``rational``; ``eigenvalues``,
  ``rotation_seed``, ``center``]: :math:`g(\tfrac12(\theta-c)^\top P(\theta-c))` with
  :math:`P \succeq 0` and :math:`g(x) = \tanh x`, :math:`\log(1+x)` or :math:`x/(1+x)`
  (Example 2's flattening).
- ``network`` [``activation`` in ``tanh``, ``softplus``; ``width``, ``n_inputs``,
  ``n_points``, ``data_seed``; ``loss`` in ``square`` (default), ``logistic``]: two-layer
  network :math:`\frac1n\sum_i \tfrac12(w^\top\sigma(W x_i) - y_i)^2`, or with ``logistic``
  the two-class cross-entropy :math:`\frac1n\sum_i\log(1 + e^{-s_i w^\top\sigma(W x_i)})`
  on the labels :math:`s_i = \mathrm{sign}\,y_i`; :math:`\theta = [\mathrm{vec}\,W; w]`
  (Example 3, Experiment 1; softplus is the smooth stand-in for ReLU).
- ``homogeneous`` [``gamma``, ``width``, ``n_inputs``, ``n_points``, ``data_seed``]:
  :math:`\frac1n\sum_i \tfrac12(\xi^\top\tanh(Z x_i/\|Z\|_F) - y_i)^2 + \gamma\|\theta\|^2`
  with :math:`\theta = [\xi; \zeta]`, :math:`\zeta = \mathrm{vec}\,Z`: the loss is invariant
  under :math:`\zeta \mapsto c\zeta`, :math:`c > 0` (Proposition 1).
- ``finite_sum`` [``kind`` in ``quadratic``, ``tanh_regression``, ``polynomial``
  (``terms_list``: one ``polynomial`` term list per example); ...]: per-example costs
  :math:`f_i` whose mean is the cost (Section 5); :func:`build_costs` returns the list.

Data and rotations come from ``numpy.random.default_rng(seed)`` (PCG64, stable across numpy
versions), never from global random state.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

import autograd.numpy as anp
import numpy as np
import numpy.typing as npt
from autograd.extend import defvjp, primitive

from eos_theory._validate import Cost

# autograd is untyped and traces the costs with boxed arrays, so ``float(...)`` would cut the
# gradient: ``cast(float, ...)`` only states the scalar result for the type checker.

Params = Mapping[str, Any]


def rotation(dim: int, seed: int) -> npt.NDArray[np.float64]:
    r"""A seeded random orthogonal matrix :math:`Q` (QR of a Gaussian matrix, signs fixed).

    >>> q = rotation(3, 0)
    >>> bool(np.allclose(q @ q.T, np.eye(3)))
    True
    """
    if dim < 1:
        raise ValueError(f"dim must be >= 1, got {dim}")
    rng = np.random.default_rng(int(seed))
    q, r = np.linalg.qr(rng.standard_normal((dim, dim)))
    return q * np.where(np.diag(r) < 0, -1.0, 1.0)


def spectral_matrix(
    eigenvalues: npt.ArrayLike, rotation_seed: int | None
) -> npt.NDArray[np.float64]:
    r"""The exactly symmetric :math:`P = Q\,\mathrm{diag}(\lambda)\,Q^\top`.

    ``eigenvalues`` are :math:`\lambda`, ``rotation_seed`` seeds :math:`Q` (:func:`rotation`);
    ``None`` means :math:`Q = I`, so :math:`P` is exactly diagonal (exact eigenvalues, and
    GD keeps a zero coordinate exactly zero in floating point).

    >>> np.round(np.linalg.eigvalsh(spectral_matrix([2.0, -1.0], 3)), 12).tolist()
    [-1.0, 2.0]
    """
    lam = np.asarray(eigenvalues, dtype=np.float64)
    if lam.ndim != 1 or lam.size == 0 or not np.all(np.isfinite(lam)):
        raise ValueError(f"eigenvalues must be a non-empty finite list, got {eigenvalues!r}")
    if rotation_seed is None:
        return np.diag(lam)
    q = rotation(lam.size, rotation_seed)
    p = (q * lam) @ q.T
    return 0.5 * (p + p.T)


def _quadratic(params: Params) -> Cost:
    p = spectral_matrix(params["eigenvalues"], params.get("rotation_seed", 0))
    d = p.shape[0]
    q = np.asarray(params.get("q", [0.0] * d), dtype=np.float64)
    if q.shape != (d,):
        raise ValueError(f"q must have length {d}, got {len(q)}")
    r = float(params.get("r", 0.0))

    def f(theta: np.ndarray) -> float:
        return cast(float, 0.5 * anp.dot(theta, anp.dot(p, theta)) + anp.dot(q, theta) + r)

    return f


def _polynomial(params: Params) -> Cost:
    terms = [(float(c), tuple(int(e) for e in exps)) for c, exps in params["terms"]]
    if not terms:
        raise ValueError("terms must not be empty")
    dims = {len(e) for _, e in terms}
    if len(dims) != 1:
        raise ValueError(f"every term needs the same number of exponents, got {sorted(dims)}")
    for _, e in terms:
        if min(e) < 0 or sum(e) > 4:
            raise ValueError(f"exponents must be >= 0 with total degree <= 4, got {e}")

    def f(theta: np.ndarray) -> float:
        total = 0.0
        for c, exps in terms:
            mono = c
            for j, e in enumerate(exps):
                if e:
                    mono = mono * theta[j] ** e
            total = total + mono
        return total

    return f


#: The outer functions g of the flattened family: increasing, g(0) = 0, g'(0) = 1.
def _tanh(x: Any) -> Any:
    r""":math:`\tanh x`, with derivatives written through :math:`\tanh` itself.

    autograd differentiates ``np.tanh`` as :math:`1/\cosh^2 x`, whose own derivative
    :math:`-2\sinh x/\cosh^3 x` is ``inf/inf = nan`` once :math:`\cosh x` overflows
    (:math:`|x| \gtrsim 710`), although the exact Hessian there is 0 in float64. Here
    :math:`\tanh' = 1 - \tanh^2` and :math:`\tanh'' = -2\tanh(1 - \tanh^2)` stay finite.

    >>> from autograd import grad
    >>> float(grad(grad(stable_tanh))(800.0)), bool(grad(stable_tanh)(0.5) == 1 - np.tanh(0.5) ** 2)
    (-0.0, True)
    """
    return np.tanh(x)


#: :func:`_tanh` as an autograd primitive (the ``tanh`` outer function of ``flattened``).
stable_tanh: Callable[[Any], Any] = primitive(_tanh)
defvjp(stable_tanh, lambda ans, x: lambda g: g * (1.0 - ans**2))

#: The outer functions of the ``flattened`` family (Example 2's construction).
OUTER: dict[str, Callable[[Any], Any]] = {
    "tanh": stable_tanh,
    "log1p": anp.log1p,
    "rational": lambda x: x / (1.0 + x),
}


def _flattened(params: Params) -> Cost:
    lam = np.asarray(params["eigenvalues"], dtype=np.float64)
    if np.any(lam < 0):
        raise ValueError(f"flattened needs eigenvalues >= 0 (g is defined on x >= 0), got {lam}")
    p = spectral_matrix(lam, params.get("rotation_seed", 0))
    c = np.asarray(params.get("center", [0.0] * lam.size), dtype=np.float64)
    outer = OUTER[params["outer"]]

    def f(theta: np.ndarray) -> float:
        d = theta - c
        return cast(float, outer(0.5 * anp.dot(d, anp.dot(p, d))))

    return f


def network_data(params: Params) -> tuple[np.ndarray, np.ndarray]:
    """The seeded inputs ``x`` (n_points x n_inputs) and targets ``y`` of a network family."""
    rng = np.random.default_rng(int(params["data_seed"]))
    n, d_in = int(params["n_points"]), int(params["n_inputs"])
    return rng.standard_normal((n, d_in)), rng.standard_normal(n)


def _softplus(x: Any) -> Any:
    return anp.logaddexp(0.0, x)


def _network(params: Params) -> Cost:
    x, y = network_data(params)
    width, d_in = int(params["width"]), int(params["n_inputs"])
    act = {"tanh": anp.tanh, "softplus": _softplus}[params["activation"]]

    logistic = params.get("loss", "square") == "logistic"
    labels = np.where(y >= 0, 1.0, -1.0)

    def f(theta: np.ndarray) -> float:
        w1 = anp.reshape(theta[: width * d_in], (width, d_in))
        w2 = theta[width * d_in :]
        out = anp.dot(act(anp.dot(x, w1.T)), w2)
        if logistic:  # two-class cross-entropy on the labels sign(y): log(1 + e^{-y out})
            return cast(float, anp.mean(anp.logaddexp(0.0, -labels * out)))
        return cast(float, 0.5 * anp.mean((out - y) ** 2))

    return f


def homogeneous_split(params: Params) -> tuple[int, int]:
    r"""Sizes ``(len(xi), len(zeta))`` of the homogeneous family: :math:`\theta=[\xi;\zeta]`."""
    width, d_in = int(params["width"]), int(params["n_inputs"])
    return width, width * d_in


def _homogeneous(params: Params) -> Cost:
    x, y = network_data(params)
    width, d_in = int(params["width"]), int(params["n_inputs"])
    gamma = float(params["gamma"])

    def f(theta: np.ndarray) -> float:
        xi = theta[:width]
        zeta = theta[width:]
        z = anp.reshape(zeta, (width, d_in)) / anp.sqrt(anp.sum(zeta**2))
        out = anp.dot(anp.tanh(anp.dot(x, z.T)), xi)
        return cast(float, 0.5 * anp.mean((out - y) ** 2) + gamma * anp.sum(theta**2))

    return f


def _finite_sum_costs(params: Params) -> list[Cost]:
    kind = params["kind"]
    if kind == "quadratic":
        p = spectral_matrix(params["eigenvalues"], params.get("rotation_seed", 0))
        centers = np.asarray(params["centers"], dtype=np.float64)
        scales = np.asarray(params.get("scales", [1.0] * len(centers)), dtype=np.float64)
        if centers.ndim != 2 or centers.shape[1] != p.shape[0] or len(scales) != len(centers):
            raise ValueError("centers must be n x d and scales of length n")

        def quadratic_term(c: np.ndarray, a: float) -> Cost:
            return lambda th: cast(float, 0.5 * a * anp.dot(th - c, anp.dot(p, th - c)))

        return [quadratic_term(c, a) for c, a in zip(centers, scales, strict=True)]
    if kind == "tanh_regression":
        rng = np.random.default_rng(int(params["data_seed"]))
        n, d = int(params["n_points"]), int(params["dim"])
        xs, ys = rng.standard_normal((n, d)), rng.standard_normal(n)
        wd = float(params.get("weight_decay", 0.0))

        def regression_term(x: np.ndarray, y: float) -> Cost:
            return lambda th: cast(
                float, 0.5 * (anp.tanh(anp.dot(th, x)) * th[0] - y) ** 2 + wd * anp.sum(th**2)
            )

        return [regression_term(x, y) for x, y in zip(xs, ys, strict=True)]
    if kind == "polynomial":
        return [_polynomial({"terms": terms}) for terms in params["terms_list"]]
    raise ValueError(
        f"unknown finite_sum kind {kind!r}; known: quadratic, tanh_regression, polynomial"
    )


def _finite_sum(params: Params) -> Cost:
    costs = _finite_sum_costs(params)
    n = len(costs)

    def f(theta: np.ndarray) -> float:
        return sum(fi(theta) for fi in costs) / n

    return f


def _paper(params: Params) -> Cost:
    """The paper's own cost ``params["problem"]`` (:data:`eos_theory.problems.PROBLEMS`)."""
    from eos_theory.problems import PROBLEMS

    name = str(params["problem"])
    if name not in PROBLEMS:
        raise ValueError(f"unknown paper problem {name!r}; known: {', '.join(sorted(PROBLEMS))}")
    return PROBLEMS[name].cost


#: Family name -> builder from parameters to the autograd cost.
FAMILIES: dict[str, Callable[[Params], Cost]] = {
    "paper": _paper,
    "quadratic": _quadratic,
    "polynomial": _polynomial,
    "flattened": _flattened,
    "network": _network,
    "homogeneous": _homogeneous,
    "finite_sum": _finite_sum,
}


def build(family: str, params: Params) -> Cost:
    """The autograd cost of ``family`` with ``params``; ``ValueError`` for an unknown family.

    >>> f = build("polynomial", {"terms": [[1.0, [4]], [-2.0, [2]]]})
    >>> float(f(np.array([1.0])))
    -1.0
    """
    if family not in FAMILIES:
        raise ValueError(f"unknown family {family!r}; known: {', '.join(sorted(FAMILIES))}")
    return FAMILIES[family](params)


def build_costs(family: str, params: Params) -> list[Cost]:
    """The per-example costs of a ``finite_sum`` family (their mean is :func:`build`'s cost)."""
    if family != "finite_sum":
        raise ValueError(f"only the finite_sum family has per-example costs, got {family!r}")
    return _finite_sum_costs(params)


def _plain(value: Any) -> Any:
    """``value`` with numpy scalars and arrays turned into JSON-ready Python objects."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


@dataclass(frozen=True)
class Case:
    r"""One generated input: a cost of a family, a point :math:`\theta` and a step :math:`\eta`.

    ``family`` and ``params`` rebuild the cost (:func:`build`), ``theta`` is :math:`\theta`,
    ``eta`` is :math:`\eta`, ``note`` says how the case was drawn (regime, spectrum kind).
    ``cost`` is the built autograd cost; :meth:`repro` prints a runnable reproduction.

    >>> c = Case("polynomial", {"terms": [[1.0, [2]]]}, (1.0,), 0.25)
    >>> float(c.cost(c.theta_array))
    1.0
    """

    family: str
    params: Mapping[str, Any]
    theta: tuple[float, ...]
    eta: float
    note: str = ""
    cost: Cost = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", _plain(dict(self.params)))
        object.__setattr__(self, "theta", tuple(float(t) for t in self.theta))
        object.__setattr__(self, "eta", float(self.eta))
        object.__setattr__(self, "cost", build(self.family, self.params))

    @property
    def theta_array(self) -> np.ndarray:
        """The point theta as a float64 array."""
        return np.array(self.theta, dtype=np.float64)

    def costs(self) -> list[Cost]:
        """Per-example costs (``finite_sum`` family only)."""
        return build_costs(self.family, self.params)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready description (floats printed with all 17 digits by ``json``)."""
        return {
            "family": self.family,
            "params": _plain(self.params),
            "theta": list(self.theta),
            "eta": self.eta,
            "note": self.note,
        }

    def to_json(self) -> str:
        """:meth:`to_dict` as compact JSON (round-trips every float exactly)."""
        return json.dumps(self.to_dict(), sort_keys=True)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Case:
        """Rebuild a case from :meth:`to_dict`'s output (or the parsed JSON)."""
        return cls(
            data["family"], data["params"], tuple(data["theta"]), data["eta"], data.get("note", "")
        )

    def repro(self) -> str:
        """A runnable Python snippet rebuilding this case and evaluating RP and (4.3) there."""
        return (
            "import json\n"
            "from eos_theory.families import Case\n"
            "from eos_theory import relative_progress, relation43_rhs\n"
            f"case = Case.from_dict(json.loads({self.to_json()!r}))\n"
            "f, theta, eta = case.cost, case.theta_array, case.eta\n"
            "print(relative_progress(f, theta, eta), relation43_rhs(f, theta, eta))"
        )
