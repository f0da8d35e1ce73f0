"""Checks for notebook 02 (ReLU as a decision filter): filter the scores, then decide."""

import numpy as np

from .core import CORRECT, WRONG, Advice, Feedback, call, exercise, fmt

FILTER_AND_DECIDE_SOLUTION = """
def filter_and_decide(scores, threshold):
    kept = np.maximum(0, scores)
    decision = kept.sum() > threshold
    return kept, decision
"""

# (scores, threshold): the red-car scores, a street with no red car, a total exactly at the
# threshold, and evidence spread over many patches (the total matters, not the largest).
CASES = [
    ([10.0, -3.0, -5.0, 8.0], 15.0),
    ([-2.0, -4.0, 1.0, -6.0], 15.0),
    ([10.0, -1.0, 5.0], 15.0),
    ([6.0, 6.0, -20.0, 0.0], 10.0),
    ([0.5, -0.5, 0.25, -3.0, 2.0], 1.0),
]

WRONG_DECISIONS = [
    (lambda s, t: s.sum() > t,
     "your decision adds up the scores *before* ReLU: the sky's −5 and the road's −3 cancel part of the car "
     "(10 − 3 − 5 + 8 = 10, below 15). Filter first, then add up what was kept (10 + 8 = 18)."),
    (lambda s, t: np.maximum(0, s).sum() >= t,
     "almost: when the kept evidence adds up to exactly the threshold (10 + 0 + 5 = 15 with threshold 15) "
     "the answer should be False. Use `>` (more than), not `>=`."),
    (lambda s, t: np.maximum(0, s).sum() < t,
     "the comparison is the wrong way round: the detector should say True when the kept evidence is "
     "*more* than the threshold (`kept.sum() > threshold`)."),
    (lambda s, t: np.maximum(0, s).sum() <= t,
     "the comparison is the wrong way round: the detector should say True when the kept evidence is "
     "*more* than the threshold (`kept.sum() > threshold`)."),
    (lambda s, t: np.maximum(0, s).max() > t,
     "your decision looks at the largest kept score only. Add up all the kept evidence "
     "(`kept.sum()`): two scores of 6 together beat a threshold of 10."),
    (lambda s, t: np.abs(s).sum() > t,
     "your decision adds up the sizes of all scores (abs), so the sky and the road count as evidence *for* "
     "a car. Add up the ReLU'd scores instead."),
]


def _kept_advice(kept, scores) -> str | None:
    """A sentence for a recognised mistake in ``kept``, or None if ``kept`` is right."""
    if kept.dtype == bool:
        return ("`kept` holds True/False for each score. ReLU keeps the size of a positive score "
                "(10 stays 10), so return the numbers: `np.maximum(0, scores)`.")
    if kept.shape != scores.shape:
        if kept.size == (scores > 0).sum() and np.allclose(kept, scores[scores > 0]):
            return ("you removed the negative scores from the list; ReLU *replaces* them with 0, so every "
                    "score keeps its place (the second one is still the road). Expected [10, 0, 0, 8].")
        return (f"`kept` should have one value per score ({scores.size} of them), "
                f"but it has shape {kept.shape}.")
    if np.allclose(kept, np.maximum(0, scores)):
        return None
    if np.allclose(kept, scores):
        return ("the negative scores are still there (−3 and −5 came back unchanged). ReLU turns every "
                "negative score into 0: `np.maximum(0, scores)`.")
    if np.allclose(kept, np.abs(scores)):
        return ("the negative scores came out positive (−3 became 3): that is `abs`, which counts the sky "
                "and the road as evidence *for* a car. ReLU turns them into 0.")
    if np.allclose(kept, np.minimum(0, scores)):
        return ("you kept the negative scores and zeroed the positive ones: the opposite of ReLU. "
                "Keep the positives (10 and 8), zero the rest.")
    if np.allclose(kept, -np.maximum(0, -scores)) or np.allclose(kept, np.maximum(0, -scores)):
        return "the signs are flipped somewhere: ReLU keeps a positive score as it is and turns a negative one into 0."
    got = ", ".join(fmt(v) for v in kept)
    return f"for the scores [10, −3, −5, 8] `kept` should be [10, 0, 0, 8], but it is [{got}]."


def _unpack(result):
    if result is None:
        raise Advice("`filter_and_decide` returned None: did you forget the `return kept, decision` line?")
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise Advice("return two things, the kept scores and the decision: `return kept, decision`.")
    kept, decision = result
    if kept is None or decision is None:
        raise Advice("one of the two returned values is None: fill in both `kept` and `decision`.")
    kept = np.asarray(kept)
    if kept.dtype == object or not (np.issubdtype(kept.dtype, np.number) or kept.dtype == bool):
        raise Advice("`kept` should hold numbers, one per score.")
    if not isinstance(decision, (bool, np.bool_)):
        raise Advice(f"`decision` should be True or False, but it is {decision!r}; a comparison such as "
                     "`kept.sum() > threshold` gives one.")
    return kept, bool(decision)


@exercise("filter_and_decide", title="filter the scores, then decide", solution=FILTER_AND_DECIDE_SOLUTION)
def check_filter_and_decide(filter_and_decide) -> Feedback:
    """Check ``filter_and_decide(scores, threshold) -> (kept, decision)`` on several streets.

    ``kept`` may be a list or a numpy array; ``decision`` a Python or numpy bool.
    """
    name = "filter_and_decide"
    if not callable(filter_and_decide):
        return Feedback(name, WRONG, "`filter_and_decide` should be a function: "
                        "`def filter_and_decide(scores, threshold): ...`.")
    decisions = []
    for values, threshold in CASES:
        scores = np.array(values)
        before = scores.copy()
        kept, decision = _unpack(call(filter_and_decide, scores, threshold))
        if not np.array_equal(scores, before):
            return Feedback(name, WRONG, "your function changed the scores it was given (it wrote into "
                            "`scores` in place), so the raw evidence is lost. Build a new array instead, "
                            "e.g. `kept = np.maximum(0, scores)`.")
        advice = _kept_advice(kept, scores)
        if advice is not None:
            return Feedback(name, WRONG, advice)
        decisions.append(decision)
    expected = [bool(np.maximum(0, np.array(s)).sum() > t) for s, t in CASES]
    if decisions != expected:
        for rule, message in WRONG_DECISIONS:
            if decisions == [bool(rule(np.array(s), t)) for s, t in CASES]:
                return Feedback(name, WRONG, message)
        k = next(i for i, (got, want) in enumerate(zip(decisions, expected, strict=True)) if got != want)
        s, t = CASES[k]
        shown = ", ".join(fmt(v) for v in s)
        return Feedback(name, WRONG, f"for scores [{shown}] and threshold {fmt(t)} the kept "
                        f"evidence adds up to {fmt(np.maximum(0, np.array(s)).sum())}, so the decision "
                        f"should be {expected[k]}, but you returned {decisions[k]}.")
    return Feedback(name, CORRECT, "correct! [10, −3, −5, 8] → [10, 0, 0, 8]; 10 + 8 = 18 is more than 15, "
                    "so the detector says: red car.")
