"""Checks for notebook 02 (ReLU as a decision filter): filter the scores, then decide; design a blue-car detector;
read a false alarm's evidence off the red-car explorer."""

import functools

import numpy as np

from .. import data
from ..experiments import detector
from .contract import call, fmt, fmt_list, learners_function, read_off
from .core import CORRECT, Advice, Feedback, NotYet, exercise

FILTER_AND_DECIDE_SOLUTION = """
def filter_and_decide(scores, threshold):
    kept = np.maximum(0, scores)
    decision = kept.sum() > threshold
    return kept, decision
"""

# (scores, threshold): the red-car scores, a street with no red car, a total exactly at the threshold,
# evidence spread over many patches (the total matters, not the largest), huge scores, a negative
# zero, a float32 array and a 2-D score map like the street detector's.
_MAP = np.array([[-0.4, -0.6, 0.3, -0.2], [0.5, -1.0, 0.25, -0.0], [-3.0, 0.75, -0.5, 0.2]])
CASES = [
    (np.array([10.0, -3.0, -5.0, 8.0]), 15.0),
    (np.array([-2.0, -4.0, 1.0, -6.0]), 15.0),
    (np.array([10.0, -1.0, 5.0]), 15.0),
    (np.array([6.0, 6.0, -20.0, 0.0]), 10.0),
    (np.array([0.5, -0.5, 0.25, -3.0, 2.0]), 1.0),
    (np.array([-1e6, 2e6, -0.0, 1e3]), 1.5e6),
    (np.array([-1e6, 3.0, -0.0, 1e3]), 1.5e6),
    (np.array([10.0, -3.0, -5.0, 8.0], dtype=np.float32), 17.5),
    (_MAP, 1.0),
    (_MAP, 2.0),
]

WRONG_DECISIONS = [
    (lambda s, t: s.sum() > t,
     "your decision adds up the scores *before* ReLU: the sky's −5 and the road's −3 cancel part of the car "
     "(10 − 3 − 5 + 8 = 10, below 15). Filter first, then add up what was kept (10 + 8 = 18)."),
    (lambda s, t: np.maximum(0, s).sum() >= t,
     "when the kept evidence adds up to exactly the threshold the answer should be False. Use `>` (more than), "
     "not `>=`."),
    (lambda s, t: np.maximum(0, s).sum() < t,
     "the comparison is the wrong way round: the detector should say True when the kept evidence is "
     "*more* than the threshold (`kept.sum() > threshold`)."),
    (lambda s, t: np.maximum(0, s).sum() <= t,
     "the comparison is the wrong way round: the detector should say True when the kept evidence is "
     "*more* than the threshold (`kept.sum() > threshold`)."),
    (lambda s, t: np.maximum(0, s).max() > t,
     "your decision looks at the largest kept score only. Add up all the kept evidence (`kept.sum()`): two "
     "scores of 6 together beat a threshold of 10."),
    (lambda s, t: np.abs(s).sum() > t,
     "your decision adds up the sizes of all scores (abs), so the sky and the road count as evidence *for* "
     "a car. Add up the ReLU'd scores instead."),
]

WRONG_KEPT = [
    (lambda s: s, "the negative scores are still there. ReLU turns every negative score into 0: "
                  "`np.maximum(0, scores)`."),
    (np.abs, "the negative scores came out positive: that is `abs`, which counts the sky and the road as "
             "evidence *for* a car. ReLU turns them into 0."),
    (lambda s: np.minimum(0, s), "you kept the negative scores and zeroed the positive ones: the opposite of "
                                 "ReLU. Keep the positives, zero the rest."),
    (lambda s: np.maximum(0, -s), "the signs are flipped: ReLU keeps a positive score as it is and turns a "
                                  "negative one into 0."),
]


def _show(scores) -> str:
    return fmt_list(scores) if scores.ndim == 1 else f"{scores.tolist()} (a 2-D score map)"


def _unpack(result, on: str):
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
        raise Advice(f"`decision` should be True or False, but {on} it is {decision!r:.80}; a comparison such as "
                     "`kept.sum() > threshold` gives one (on a 2-D map, Python's `sum` adds up rows: use "
                     "`kept.sum()`).")
    return kept, bool(decision)


def _kept_advice(kept, scores) -> str | None:
    """A sentence for a mistake in ``kept`` that quotes a score, what ReLU keeps of it and what was returned."""
    want = np.maximum(0, scores)
    if kept.dtype == bool:
        return ("`kept` holds True/False for each score. ReLU keeps the size of a positive score (10 stays 10), "
                "so return the numbers: `np.maximum(0, scores)`.")
    if kept.shape != scores.shape:
        if kept.size == (scores > 0).sum() and np.allclose(kept, scores[scores > 0]):
            return (f"for the scores {_show(scores)} you returned only the positive ones, {fmt_list(kept)}. ReLU "
                    f"*replaces* the others with 0, so every score keeps its place: {fmt_list(want)}.")
        return f"`kept` should have one value per score (shape {scores.shape}), but it has shape {kept.shape}."
    if kept.dtype != scores.dtype:
        return (f"for {scores.dtype} scores `kept` came back as {kept.dtype}; keep the dtype of the scores "
                "(`np.maximum(0, scores)` does).")
    close = np.isclose(kept, want, rtol=1e-6, atol=1e-12)
    if close.all():
        return None
    i = int(np.flatnonzero(~close.ravel())[0])
    quote = (f"for the scores {_show(scores)}, the score {fmt(scores.ravel()[i])} should be kept as "
             f"{fmt(want.ravel()[i])}, but you returned {fmt(kept.ravel()[i])}.")
    for mistake, advice in WRONG_KEPT:
        if np.allclose(kept, mistake(scores)):
            return f"{advice} For example, {quote}"
    return quote[0].upper() + quote[1:]


@exercise("filter_and_decide", title="filter the scores, then decide", solution=FILTER_AND_DECIDE_SOLUTION,
          points=2)
def check_filter_and_decide(filter_and_decide) -> Feedback:
    """Check ``filter_and_decide(scores, threshold) -> (kept, decision)`` on several streets and score maps.

    ``kept`` may be a list or a numpy array; ``decision`` a Python or numpy bool.
    """
    name = "filter_and_decide"
    learners_function(filter_and_decide, name, "def filter_and_decide(scores, threshold): ...")
    decisions = []
    for scores, threshold in CASES:
        on = f"for the scores {_show(scores)}"
        kept, decision = _unpack(call(filter_and_decide, name, (scores, threshold), on=on), on)
        advice = _kept_advice(kept, scores)
        if advice is not None:
            raise Advice(advice)
        decisions.append(decision)
    expected = [bool(np.maximum(0, s).sum() > t) for s, t in CASES]
    if decisions != expected:
        k = next(i for i, (got, want) in enumerate(zip(decisions, expected, strict=True)) if got != want)
        s, t = CASES[k]
        quote = (f"for the scores {_show(s)} and threshold {fmt(t)} the kept evidence adds up to "
                 f"{fmt(np.maximum(0, s).sum())}, so the decision should be {expected[k]}, but you returned "
                 f"{decisions[k]}.")
        for rule, message in WRONG_DECISIONS:
            if decisions == [bool(rule(s, t)) for s, t in CASES]:
                raise Advice(f"{message} For example, {quote}")
        raise Advice(quote[0].upper() + quote[1:])
    return Feedback(name, CORRECT, "correct! [10, −3, −5, 8] → [10, 0, 0, 8]; 10 + 8 = 18 is more than 15, "
                    "so the detector says: red car. It works on 2-D score maps too.")


# ---------------------------------------------------------------------------------------
# Design: weights and a bias that find the blue car and stay quiet on every other street.

WITH_BLUE = [("blue",), ("red", "blue"), ("blue", "white", "yellow")]
WITHOUT_BLUE = [("red",), ("white", "yellow"), ("red", "white", "yellow", "green"), ()]
SEEDS = range(4)

BLUE_CAR_SOLUTION = """
blue_weights = (-1.0, -1.0, 1.0)
blue_bias = 0.0
"""


@functools.cache
def streets() -> tuple:
    """The streets the design is tried on: (cars, seed, scene), with a blue car first."""
    return tuple((cars, seed, data.make_scene(seed=seed, cars=cars))
                 for cars in WITH_BLUE + WITHOUT_BLUE for seed in SEEDS)


def blue_evidence(scene: dict, weights, bias: float) -> dict:
    """Kept evidence of a detector on a scene: total, on the blue car, on each other car colour, elsewhere."""
    kept = np.maximum(0, detector.score_map(scene["image"], weights, bias))
    parts = {colour: float(kept[detector.car_patches(scene, colour)].sum())
             for colour in dict.fromkeys(car["colour"] for car in scene["cars"])}
    total = float(kept.sum())
    parts["sky, buildings and road"] = max(total - sum(parts.values()), 0.0)
    return {"total": total, "on_blue": parts.get("blue", 0.0), "parts": parts}


def _numbers(value, label: str, count: int | None):
    if value is None:
        raise NotYet(f"not done yet: replace `None` in `{label}` with your numbers, run that cell, then run "
                     "this check again.")
    try:
        out = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise Advice(f"`{label}` should be {'three numbers' if count else 'a number'}, not {value!r:.60}.") from None
    if count is None and out.shape != ():
        raise Advice(f"`{label}` should be a single number, such as -0.1, not {value!r:.60}.")
    if count is not None and out.shape != (count,):
        raise Advice(f"`{label}` should be three numbers (w_R, w_G, w_B), such as (0.5, 0.5, -1.0); it has "
                     f"shape {out.shape}.")
    if not np.all(np.isfinite(out)):
        raise Advice(f"`{label}` should hold ordinary numbers, not inf or nan.")
    return out


def _street(cars) -> str:
    if not cars:
        return "a street without cars"
    if len(cars) == 1:
        return f"a street with a {cars[0]} car"
    return f"a street with {', '.join(cars[:-1])} and {cars[-1]} cars"


def _breakdown(parts: dict) -> str:
    return ", ".join(f"{value:.2f} on the {where}" + (" car" if where in data.CAR_COLOURS else "")
                     for where, value in parts.items() if value > 0.005)


@exercise("blue_car_detector", title="design: a detector that finds the blue car", solution=BLUE_CAR_SOLUTION,
          points=3, answers="blue_weights, blue_bias")
def check_blue_car_detector(blue_weights, blue_bias) -> Feedback:
    """Check weights (w_R, w_G, w_B) and a bias: on every street with a blue car the kept evidence is above
    ``detector.THRESHOLD`` and at least half of it sits on the blue car; on every street without one it is not."""
    name = "blue_car_detector"
    weights = _numbers(blue_weights, "blue_weights", 3)
    bias = float(_numbers(blue_bias, "blue_bias", None))
    threshold = detector.THRESHOLD
    found = 0
    for cars, seed, scene in streets():
        e = blue_evidence(scene, weights, bias)
        where = f"On {_street(cars)} (seed {seed})"
        if "blue" in cars:
            if e["total"] <= threshold:
                hint = ""
                if weights[2] <= 0:
                    hint = " A blue-car detector needs a positive weight on blue."
                elif np.allclose(weights, detector.DEFAULT_WEIGHTS):
                    hint = " These are the red detector's weights: flip the roles of red and blue."
                else:
                    hint = " Raise the bias or the weight on blue, so more of the car survives ReLU."
                raise Advice(f"{where} your detector keeps only {e['total']:.2f} of evidence, not more than the "
                             f"threshold {fmt(threshold)}: it misses the blue car.{hint}")
            if e["on_blue"] < e["total"] - e["on_blue"]:
                raise Advice(f"{where} your detector fires ({e['total']:.2f} kept), but most of the evidence is not "
                             f"on the blue car: {_breakdown(e['parts'])}. The pale-blue sky and the car windows "
                             "contain blue too; negative weights on red and green make them score below 0.")
            found += 1
        elif e["total"] > threshold:
            raise Advice(f"{where} your detector keeps {e['total']:.2f} of evidence, more than the threshold "
                         f"{fmt(threshold)}: a false alarm, since there is no blue car ({_breakdown(e['parts'])}). "
                         "Make those squares score below 0: a lower bias, or negative weights on red and green.")
    return Feedback(name, CORRECT, f"correct! weights {fmt_list(weights)} with bias {fmt(bias)} find the blue car "
                    f"on all {found} streets that have one, with most of the evidence on the car, and stay quiet "
                    f"on the other {len(streets()) - found}.")


# ---------------------------------------------------------------------------------------
# Read off the explorer: the kept evidence of a false alarm.

FALSE_ALARM = {"scene": "no red car", "seed": 3, "weights": detector.DEFAULT_WEIGHTS, "bias": 0.2}
"""Where the learner moves the red-car explorer: street 3 with no red car, the starting weights, bias +0.2."""
READ_OFF_TOLERANCE = 0.01
"""The readout shows two decimals; a learner who copies them is within half a hundredth."""

FALSE_ALARM_SOLUTION = """
false_alarm_evidence = 5.52  # the explorer's readout: kept evidence 5.52 (threshold 1)
"""


def false_alarm_result(scene: str = FALSE_ALARM["scene"], seed: int = FALSE_ALARM["seed"],
                       weights=FALSE_ALARM["weights"], bias: float = FALSE_ALARM["bias"]) -> dict:
    """What the red-car explorer computes for these settings (``detector.detect_red_car`` on the same street)."""
    return detector.detect_red_car(data.make_scene(seed, data.SCENES[scene]), weights, bias, detector.THRESHOLD)


@exercise("false_alarm_evidence", title="read off the explorer: the evidence of a false alarm",
          solution=FALSE_ALARM_SOLUTION, points=1)
def check_false_alarm_evidence(false_alarm_evidence) -> Feedback:
    """Check the kept evidence read off the red-car explorer on street 3 with no red car, bias +0.2."""
    name = "false_alarm_evidence"
    value = read_off(false_alarm_evidence, name, "3.14")
    want = false_alarm_result()
    if abs(value - want["evidence"]) <= READ_OFF_TOLERANCE:
        return Feedback(name, CORRECT, f"correct! {want['evidence']:.2f} of kept evidence, above the threshold of "
                        f"{fmt(detector.THRESHOLD)}, on a street with no red car: a false alarm. With bias −0.1 "
                        "the same street keeps 0.")
    start = false_alarm_result(bias=detector.DEFAULT_BIAS)
    if abs(value - start["evidence"]) <= READ_OFF_TOLERANCE:
        raise Advice(f"{fmt(value)} is what the detector keeps with the starting bias −0.1. Move the bias slider "
                     "to +0.2 and read the kept evidence again.")
    if abs(value - want["raw_sum"]) <= 0.5:
        raise Advice(f"{fmt(value)} is the sum *without* ReLU (the readout's last sentence). The question asks for "
                     "the kept evidence, the first number of the readout.")
    if abs(value - want["fraction_kept"]) <= READ_OFF_TOLERANCE or abs(value - 100 * want["fraction_kept"]) <= 1:
        raise Advice(f"{fmt(value)} is the share of patches that ReLU keeps. The question asks for the kept "
                     "evidence, their sum: the first number of the readout.")
    others = {other: false_alarm_result(scene=other)["evidence"] for other in data.SCENES
              if other != FALSE_ALARM["scene"]}
    for other, evidence in others.items():
        if abs(value - evidence) <= READ_OFF_TOLERANCE:
            raise Advice(f"{fmt(value)} is the kept evidence on the street called '{other}'. Pick 'no red car' in "
                         "the scene drop-down (street no. 3).")
    raise Advice(f"{fmt(value)} is not the kept evidence for these settings. Set the scene to 'no red car', the "
                 "street number to 3, the weights to 1, −1, −1 and the bias to +0.2, then copy the first number "
                 "of the readout (kept evidence …).")
