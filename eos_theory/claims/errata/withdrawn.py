"""Errata withdrawn after re-judging: the printed text is right, and why.

An erratum accuses the paper of an error; one that does not hold up costs more trust than
a correct one earns. Each entry here was registered before and failed a referee's reading
(issue 12): it stays listed, with its reason, so that it is not raised again unnoticed. No
claim of the registry may carry one of these ids (a test keeps it so), and
``docs/claims.md`` lists them under "Withdrawn errata".
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Withdrawn:
    """A withdrawn erratum: where it was, the printed text it questioned, why it stands."""

    location: str
    printed: str
    reason: str


WITHDRAWN: dict[str, Withdrawn] = {
    "erratum.theorem1-proof-measure-symbol": Withdrawn(
        "Section 2, proof of Theorem 1, last paragraph; both transcriptions",
        "...from the assumption that F^{-1}(X) is of measure zero if X is of measure zero...",
        "a correct restatement of Assumption 1 with a bound variable named X; that the letter "
        "also names the theorem's domain is a notational clash, not an error (the old check "
        "hard-coded 'printed fails')",
    ),
    "erratum.proposition1-proof-non-sequitur": Withdrawn(
        "Section 3.1, proof of Proposition 1; both transcriptions",
        "<grad_zeta f(x_i, [xi, zeta]), zeta> = 0. Therefore, if grad_zeta gamma |theta|^2 != 0, "
        "we have grad_zeta f + grad_zeta gamma |theta|^2 != 0.",
        "the step follows from the orthogonality stated one line earlier: grad_zeta gamma "
        "|theta|^2 = 2 gamma zeta, so a zero sum would give 0 = <sum, zeta> = 2 gamma |zeta|^2; "
        "both old demonstrations used vectors that violate that orthogonality, and the "
        "average over examples keeps it (symbolic.proposition1 proves the statement)",
    ),
    "erratum.definition3-ratio-of-expectations": Withdrawn(
        "Section 5, Definition 3; both transcriptions",
        "E[RP(theta)] := (E f(theta - eta g(theta)) - f(theta)) / (eta |grad f(theta)|^2).",
        "a definition cannot be false, and the notation is exact: with the per-sample ratio "
        "RP_g = (f(theta - eta g) - f(theta)) / (eta |grad f(theta)|^2) (the paper's "
        "denominator), E[RP_g] is Definition 3 by linearity",
    ),
    "erratum.proposition1-conditions": Withdrawn(
        "Section 3.1, Proposition 1 (statement); both transcriptions",
        "If ... zeta is positive homogeneous, i.e. f(x_i, [xi, zeta]) = f(x_i, [xi, c zeta]) "
        "for c > 0, then the loss l(theta) has no stationary point if zeta != 0.",
        "the paper defines the homogeneity explicitly as degree 0 ('i.e. f(x, [xi, zeta]) = "
        "f(x, [xi, c zeta])'), so the old degree-1 counterexample is outside the statement, "
        "and gamma > 0 is what 'contains a weight decay term' says",
    ),
}
