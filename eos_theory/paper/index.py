"""The paper's numbered items in paper order: the spine every claim refers to.

Ahn, Zhang & Sra, "Understanding the Unstable Convergence of Gradient Descent" (ICML 2022).
Each :class:`Item` is one numbered statement of the paper (definition, assumption, lemma,
theorem, corollary, fact, proposition, example, experiment, remark, takeaway, numbered
equation), the Appendix A derivations, Figure 1, the two unnumbered statements the paper
builds on (the edge-of-stability properties A and B of Section 4.4, and the Section 5
identity whose derivation is Appendix A.2), and the stretches of prose that errata of the
transcriptions point at (``Section 1.1``, ``Section 2``, ...). ``ITEMS`` lists them in the
order in which they first appear in the paper (the preprint transcription's order; the ICML
one agrees).

Every claim of the registry names the items it checks in ``ref`` (:func:`check_refs`
rejects an unknown name); ``UNCHECKED`` lists the items no claim checks, each with the
reason, and a test fails when an item is neither checked nor listed there.

>>> ITEMS["Theorem 2"].section, ITEMS["Theorem 2"].title
('4.3', 'RP equals -1 + eta * integral of tau L(theta; eta tau grad f)')
>>> position("(1.1)") < position("Theorem 2") < position("Appendix A.1")
True
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    """One item of the paper: ``name`` as the paper writes it, ``section`` and ``title``."""

    name: str
    section: str
    title: str


_ORDERED: tuple[Item, ...] = (
    Item("(1.1)", "1", "descent lemma: f(theta+) <= f(theta) - eta(1 - L eta/2)|grad f|^2"),
    Item("(1.2)", "1", "stable regime condition L < 2/eta"),
    Item("Figure 1", "1", "unstable convergence of GD on CIFAR-10 (ReLU network)"),
    Item("Section 1.1", "1.1", "related work (prose: cross-references, the EoS threshold)"),
    Item("Section 2", "2", "opening of Section 2 (prose: approaching stationary points)"),
    Item("Fact 1", "2", "GD on a quadratic diverges if an eigenvalue of P exceeds 2/eta"),
    Item("Example 1", "2", "quadratic 20 theta1^2 + theta2^2 with eta = 2/39, 2/40, 2/41"),
    Item("Assumption 1", "2", "GD map preserves null sets; 1/eta is no Hessian eigenvalue"),
    Item("Theorem 1", "2", "unstable GD does not converge to stationary points"),
    Item("Lemma 1", "2", "center-stable manifold theorem (cited, Shub 1987)"),
    Item("(2.1)", "2", "open cover C of the stationary points with 1/eta not an eigenvalue"),
    Item("Remark 1", "2", "Theorem 1 covers non-isolated stationary points"),
    Item("Proposition 1", "3.1", "weight decay + positive homogeneity: no stationary point"),
    Item("Takeaway 1", "3.1", "lack of flat stationary points near GD causes instability"),
    Item("Section 3.2", "3.2", "opening of Section 3.2 (prose: unstable regime and divergence)"),
    Item("Example 2", "3.2", "flattened quadratic tanh(20 theta1^2 + theta2^2)"),
    Item("Remark 2", "3.2", "subquadratic growth (Ma et al. 2022)"),
    Item("Example 3", "3.2", "single-neuron networks, linear and tanh"),
    Item("Experiment 1", "3.2", "CIFAR-10, eta = 2/30: linear diverges, tanh/ReLU converge"),
    Item("Takeaway 2", "3.2", "activations create a compact forward-invariant set"),
    Item("Definition 1", "4.1.1", "relative progress ratio RP"),
    Item("Experiment 2", "4.1.1", "stable regime: RP saturates near -1"),
    Item("Remark 3", "4.1.1", "why RP saturates around -1"),
    Item("Experiment 3", "4.1.2", "unstable regime: RP oscillates around 0"),
    Item("Remark 4", "4.1.2", "larger eta is faster; eta = 2/10 diverges"),
    Item("Section 4.1.2", "4.1.2", "RP under unstable convergence (prose after Remark 4)"),
    Item("Definition 2", "4.2", "directional smoothness L(theta; v)"),
    Item("(4.1)", "4.2", "L(theta; eta grad f) ~ 2/eta when GD oscillates"),
    Item("Example 4", "4.2", "quadratic theta^T P theta: oscillation along q_max"),
    Item("Experiment 4", "4.2", "directional smoothness in stable and unstable regimes"),
    Item("Theorem 2", "4.3", "RP equals -1 + eta * integral of tau L(theta; eta tau grad f)"),
    Item("(4.2)", "4.3", "the identity of Theorem 2"),
    Item("(4.3)", "4.3", "RP ~ -1 + (eta/2) L(theta; eta grad f)"),
    Item("Experiment 5", "4.3", "L(theta; eta tau grad f) on a tau grid at eta = 2/60"),
    Item("Remark 5", "4.3", "some Hessian Lipschitzness holds along GD"),
    Item("Takeaway 3", "4.3", "RP oscillates near 0: (4.1) and (4.3)"),
    Item("Remark 6", "4.3", "(4.3) explains RP near -1 in the stable regime"),
    Item("Experiment 6", "4.3.1", "ReLU networks: (4.3) holds"),
    Item("Section 4.4", "4.4", "edge of stability, parts A and B (Cohen et al. 2021)"),
    Item("Corollary 1", "4.4", "(2/eta)(RP + 1) <= L_t, max sharpness on the segment"),
    Item("Definition 3", "5", "expected relative progress ratio E[RP] for SGD"),
    Item("Experiment 7", "5", "SGD on ReLU nets: E[RP] along training"),
    Item("Remark 7", "5", "expected loss change is not negative"),
    Item(
        "Section 5 identity",
        "5",
        "E[RP] = -1 + eta E[int tau |g|^2 L(theta; eta tau g)]/|grad f|^2",
    ),
    Item("(5.1)", "5", "E[RP] ~ -1 + (eta/2) E[|g|^2 L(theta; eta g)] / |grad f|^2"),
    Item("Experiment 8", "5", "(5.1) for SGD on ReLU nets"),
    Item("Experiment 9", "5", "(5.1) for SGD on tanh nets"),
    Item("Section 6", "6", "discussion: open questions (adaptive methods, beyond GD)"),
    Item("Acknowledgements", "Ack.", "acknowledgements (prose)"),
    Item("Appendix A.1", "A", "proof of Theorem 2"),
    Item("Appendix A.2", "A", "derivation of the Section 5 identity for SGD"),
)

#: Every item by name, in paper order.
ITEMS: dict[str, Item] = {item.name: item for item in _ORDERED}

#: Items no claim checks, each with the reason. The coverage test accepts exactly these.
UNCHECKED: dict[str, str] = {
    "Lemma 1": "a cited theorem (the center-stable manifold theorem of Shub, 1987), not the "
    "paper's own statement; Theorem 1's checks exercise its consequence",
    "Remark 1": "a remark on the scope of Theorem 1's proof (non-isolated stationary points, "
    "the relaxed cover condition); checking it needs Theorem 1's proof in general, which "
    "sympy cannot carry (symbolic.theorem1.spectrum checks the spectral step only)",
    "Takeaway 1": "a summary in words ('can cause') of Section 3.1, whose statement "
    "(Proposition 1) is checked",
    "(2.1)": "a definition (the open cover C of the stationary points), used only inside "
    "Theorem 1's proof and in Remark 1",
    "Remark 2": "a pointer to related work (Ma et al., 2022), with no statement of its own",
    "Remark 5": "an interpretation ('suggests') of (4.3) and Experiment 5, which are checked; "
    "no statement of its own",
}


def position(name: str) -> int:
    """The index of item ``name`` in paper order; ``ValueError`` for an unknown name.

    >>> position("(1.1)")
    0
    """
    try:
        return _POSITIONS[name]
    except KeyError:
        raise ValueError(f"ref: unknown paper item {name!r}; known: {', '.join(ITEMS)}") from None


_POSITIONS = {item.name: i for i, item in enumerate(_ORDERED)}


def check_refs(refs: Iterable[str]) -> tuple[str, ...]:
    """``refs`` as a tuple, each name checked against :data:`ITEMS` (``ValueError`` otherwise).

    >>> check_refs(["Theorem 2", "(4.2)"])
    ('Theorem 2', '(4.2)')
    """
    out = tuple(refs)
    for name in out:
        position(name)
    return out


def paper_location(refs: Iterable[str]) -> str:
    """The default location of a claim: the first item's section, then the items.

    >>> paper_location(["Experiment 2", "Remark 3"])
    'Section 4.1.1, Experiment 2 and Remark 3'
    """
    names = check_refs(refs)
    if not names:
        raise ValueError("ref: a claim without a location needs at least one paper item")
    items = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"Section {ITEMS[names[0]].section}, {items}"


def section_title(section: str) -> str:
    """The paper's heading of ``section`` ('4.3' -> 'Relation between RP and ...').

    >>> section_title("4.4")
    'Implications for sharpness'
    """
    return _SECTIONS.get(section, section)


_SECTIONS = {
    "1": "Introduction",
    "1.1": "Related work",
    "2": "Unstable GD can't reach stationary points",
    "3.1": "What causes the unstable regime",
    "3.2": "Causes for convergence",
    "4.1": "Characteristics in loss behavior",
    "4.1.1": "Warm-up: the stable regime",
    "4.1.2": "Relative progress ratio under unstable convergence",
    "4.2": "Characteristics in iterates movement",
    "4.3": "Relation between relative progress ratio and directional smoothness",
    "4.3.1": "Additional experiments",
    "4.4": "Implications for sharpness",
    "5": "Relative progress for SGD",
    "6": "Discussion and future directions",
    "Ack.": "Acknowledgements",
    "A": "Appendix A: proof of Theorem 2",
}
