# %% [markdown]
# # 02 · ReLU as a filter
#
# In notebook 01 ReLU was a rule for single numbers. Here it does a job. A detector gives each part
# of a picture a score: positive when the part looks like what it is searching for, negative when it
# does not. ReLU then works as a **decision filter**: it lets the positive evidence through and
# drops the negative evidence. We will look for a red car in a street and for the edges of a cat's
# face, and then ask what the filter throws away.
#
# **In this notebook you will**
# - put the four red-car scores through ReLU and turn what is left into a yes/no decision;
# - see why filtering *before* adding up matters: a big patch of sky must not cancel a car;
# - tune a small "redness detector" on generated street scenes and watch what survives ReLU;
# - filter a real cat photo with edge detectors and see ReLU keep the outlines and zero the background;
# - find out where "negative evidence is useless" goes too far.
#
# **Time:** about 30 minutes. **Builds on:** [00 · Welcome](00_welcome.ipynb) and
# [01 · The rule](01_the_relu_rule.ipynb).

# %%
import numpy as np
import matplotlib.pyplot as plt

from relulab.activations import relu
from relulab.checks import check, peek
from relulab.plots import PALETTE, tidy, use_course_style
from relulab.data import SCENES, cat_image, make_scene
from relulab.experiments import detector

use_course_style()

# %% [markdown]
# ## Four scores, one filter
#
# Imagine a program that hunts for red cars. It cuts a photo into pieces and gives every piece a
# score: how strongly does this piece suggest a red car? One photo gives these four:
#
# | piece of the picture | score |
# |---|---|
# | a red shape | +10 |
# | a grey shape (the road) | −3 |
# | the blue sky | −5 |
# | a red bumper | +8 |
#
# The positive scores are evidence *for* a red car, the negative ones evidence *against* it.
# ReLU keeps the first kind and replaces the second with 0:

# %%
pieces = ["red shape", "grey road", "blue sky", "red bumper"]
scores = np.array([10.0, -3.0, -5.0, 8.0])
kept = relu(scores)
print(f"{'piece':<12} {'score':>6} {'after ReLU':>11}")
for piece, before, after in zip(pieces, scores, kept, strict=True):
    print(f"{piece:<12} {before:>+6.0f} {after:>11.0f}")

# %%
fig, ax = plt.subplots(figsize=(6, 3))
where = np.arange(len(pieces))
ax.bar(where - 0.2, scores, width=0.4, color=PALETTE["blue"], label="score")
ax.bar(where + 0.2, kept, width=0.4, color=PALETTE["orange"], label="after ReLU")
ax.axhline(0, color=PALETTE["grey"], lw=0.8)
ax.set_xticks(where, pieces)
tidy(ax, "piece of the picture", "score", "ReLU keeps the red evidence (10, 8) and zeros the rest")
ax.legend(frameon=False)
plt.show()

# %% [markdown]
# ## From kept evidence to a decision
#
# A filter alone decides nothing. The next step has to turn the 10 and the 8 into a yes or no. The
# simplest way: **add up the kept evidence and compare it with a threshold**. With a threshold of 15,
# 10 + 8 = 18 is more than 15, so the answer is "red car".
#
# Why filter first? Add up the raw scores instead and the road and the sky pull the total down:
# 10 − 3 − 5 + 8 = 10, below the threshold, and the car is missed. It gets worse as the sky grows.
# A photo with more sky has more pieces scoring −5, although the car is just as red:

# %%
threshold = 15
for sky_pieces in [1, 3, 10]:
    photo = np.array([10.0, -3.0] + [-5.0] * sky_pieces + [8.0])
    raw_total, kept_total = photo.sum(), relu(photo).sum()
    print(f"{sky_pieces:>2} sky pieces: raw total {raw_total:>+4.0f} → "
          f"{'car' if raw_total > threshold else 'no car'};  "
          f"total after ReLU {kept_total:.0f} → {'car' if kept_total > threshold else 'no car'}")

# %% [markdown]
# Without the filter, the verdict depends on how much sky is in the picture; with it, only the
# evidence for a car counts. That is what the source means by **ReLU acts like a decision filter:
# positive evidence is kept, negative evidence is dropped**.
#
# ## Your turn: filter, then decide
#
# Write `filter_and_decide(scores, threshold)`. `scores` is a numpy array. Return two things:
# - `kept`: the scores after ReLU, one per score, in the same order;
# - `decision`: `True` if the kept scores add up to **more than** `threshold`, else `False`.
#
# For the four scores above and a threshold of 15 it should return `[10, 0, 0, 8]` and `True`.

# %% tags=["exercise"]
def filter_and_decide(scores, threshold):
    """Keep the positive evidence, then decide: (kept scores, True/False)."""
    # Your code here: replace the line below.
    raise NotImplementedError


# %% tags=["check"]
check.filter_and_decide()

# %% tags=["peek"]
peek("filter_and_decide")

# %% [markdown]
# ## A street to search
#
# Four hand-made numbers are a start; a real detector scores every part of a picture. The course
# package draws small street scenes for that: sky, buildings, pavement, a road, and cars of
# different colours at random places. A seed fixes the random choices, so you see the same streets
# as everyone else. Here are the three kinds of street the explorer below offers:

# %%
fig, axes = plt.subplots(1, 3, figsize=(10.5, 2.4))
for ax, (name, cars) in zip(axes, SCENES.items(), strict=True):
    street = make_scene(seed=3, cars=cars)
    ax.imshow(street["image"])
    tidy(ax, "x (pixels)", "y (pixels)", f"{name}: {', '.join(cars)}")
plt.show()
street = make_scene(seed=3, cars=("red",))
print("one scene:", street["image"].shape, "floats from",
      f"{street['image'].min():.2f} to {street['image'].max():.2f}; cars:", street["cars"])

# %% [markdown]
# The detector looks at the street in squares of 8 × 8 pixels (a 96 × 160 picture gives 12 × 20
# squares). For each square it takes the average colour, three numbers R, G, B between 0 and 1, and
# computes
#
# $$\text{score} = w_R \cdot R + w_G \cdot G + w_B \cdot B + b.$$
#
# With $w_R = 1$, $w_G = -1$, $w_B = -1$ and a small negative bias $b = -0.1$, a square scores high
# only when it has much more red than green and blue. Three squares of the street above:

# %%
raw = detector.score_map(street["image"], weights=(1, -1, -1), bias=-0.1)
for label, (row, col) in [("sky", (0, 5)), ("road", (11, 2)), ("red car", (10, 13))]:
    r, g, b = detector.patch_means(street["image"])[row, col]
    print(f"{label:<8} R={r:.2f} G={g:.2f} B={b:.2f} → score {raw[row, col]:+.2f} → ReLU {relu(raw[row, col]):.2f}")

# %% [markdown]
# The sky and the road score negative, like the −5 and −3 of the story; the red car scores positive.
#
# ## Tune the redness detector
#
# Now you set the weights. Pick a street from the drop-down (or another street number) and move the
# sliders. Left: the street, cars outlined. Middle: the raw score of every square, blue for negative,
# red for positive, white for 0. Right: the same map after ReLU. The readout adds up the kept
# evidence and decides with a threshold of 1; it also says whether the evidence sits on the red car.
#
# Things to try:
# - Pick **no red car**: with the default weights the detector stays quiet.
# - Stay on **no red car** and raise the **bias** to 0.2. The reddish brick walls start to count as
#   evidence: a false alarm. On a street with a red car, about half the evidence is now off the car.
# - Back to bias −0.1, set the weights on green and blue to 0. Now the detector only asks "is there
#   red?", and the white car, the walls and the pale sky, which all contain plenty of red, light up:
#   most of the evidence is off the car. The negative weights are what make it a *redness* detector.
# - Watch the last sentence: without ReLU the sum over all squares is hugely negative. The sky would
#   drown any car.

# %% tags=["nbval-ignore-output"]
from relulab.widgets import red_car_explorer

red_car_explorer()

# %% [markdown]
# What the explorer reports with its starting weights, for each kind of street:

# %%
for name, cars in SCENES.items():
    found = detector.detect_red_car(make_scene(seed=3, cars=cars), weights=(1, -1, -1), bias=-0.1)
    print(f"{name:<17} kept {found['evidence']:5.2f}, raw sum {found['raw_sum']:8.2f}: {found['verdict']}")

# %% [markdown]
# ## Your turn: design a blue-car detector
#
# Now turn the red detector into a **blue** one. Choose three weights `(w_R, w_G, w_B)` and a bias so
# that, with the same threshold of 1, the detector fires on every street with a blue car, with most of
# the kept evidence on the blue car, and stays quiet on every street without one. The check tries your
# design on 28 streets. Beware: the sky and the car windows are blue too. Try ideas with
# `detector.score_map(street["image"], weights, bias)` and `relu`, or watch the maps in the explorer
# above, then write your design down.

# %% tags=["exercise"]
blue_weights = None  # replace None with three numbers (w_R, w_G, w_B)
blue_bias = None  # replace None with one number

# %% tags=["check"]
check.blue_car_detector()

# %% tags=["peek"]
peek("blue_car_detector")

# %% [markdown]
# ## The cat: keeping the outlines
#
# The source makes a second promise: ReLU **helps a network focus on important details, such as the
# shape of a cat's ears, and ignore the background**. Let's test it on a real photo, the cat that
# ships with scikit-image, turned grey and shrunk to 150 × 225 pixels.
#
# Instead of colours we now look for **edges**. An edge filter is a small grid of weights slid over
# the photo: positive weights on one side, negative on the other. Where the photo is brighter on the
# positive side the response is positive, where it is brighter on the other side the response is
# negative, and on smooth fur or a blurred background the two sides cancel to about 0. The diagonal
# filters match the slanted outlines of the ears.
#
# Pick a filter and move the bias. The third panel is the raw response plus the bias, with its
# negative half in blue; the fourth is what ReLU keeps. The readout reports the share of the map kept.

# %% tags=["nbval-ignore-output"]
from relulab.experiments import edges
from relulab.widgets import cat_explorer

cat_explorer()

# %% [markdown]
# The same view, stored so you can see it without running anything: the "/" filter with a bias of
# −0.06.

# %%
still = cat_explorer("diagonal / edge", bias=-0.06)
still.live.as_figure()

# %% [markdown]
# How much of the map each filter keeps, with a bias of 0 and of −0.06:

# %%
cat = cat_image()
for name in edges.KERNEL_NAMES:
    response = edges.filter_response(cat, edges.make_kernel(name))
    shares = [edges.relu_map(response, bias)["fraction_kept"] for bias in (0.0, -0.06)]
    print(f"{name:<24} bias 0: {shares[0]:6.1%} kept   bias −0.06: {shares[1]:6.1%} kept")

# %% [markdown]
# With a bias of 0 roughly half of every map survives: faint texture is as likely to be slightly
# positive as slightly negative. A small negative bias is a demand for *strong* evidence: now only
# a sixth or less is kept, and it lies along outlines, the rims of the eyes, the stripes, the edge of
# the ears, while smooth fur and the blurred background are zero. The honest summary: ReLU itself
# does not know what an ear is. The *filter* picks the kind of edge, the *bias* sets how strong it
# must be, and ReLU throws away everything below that line.
#
# ## Where the source oversimplifies: negative evidence is information
#
# The source says the negative scores are dropped "because they are not relevant". That is too
# strong. For *this* detector the road's −3 is useless, but the −3 says something true about the
# picture, and networks use it. They do so by having **more than one detector**. Flip every weight of
# the red detector and you get a "not red" detector; ReLU keeps, for it, exactly what the first one
# dropped:

# %%
red_detector = np.array([10.0, -3.0, -5.0, 8.0])
not_red_detector = -red_detector
print("red detector after ReLU:     ", relu(red_detector))
print("not-red detector after ReLU: ", relu(not_red_detector))
print("difference of the two:       ", relu(red_detector) - relu(not_red_detector))

# %% [markdown]
# The difference gives back the original scores, signs included: between them, the two filtered
# detectors lose nothing. Why would a network want the negative side? Compare a red car on a road
# with a red balloon in the sky. The red detector scores both the same way after ReLU; only its
# *negative* scores differ (road −3 against sky −5), and those are zeroed. A second detector that
# fires on grey, scoring the road +6 and everything else −4 or lower, recovers the difference:

# %%
photos = {"red car on a road": {"red": [10, -3, -5, 8], "grey": [-6, 6, -4, -6]},
          "red balloon in the sky": {"red": [10, -5, -5, 8], "grey": [-6, -4, -4, -6]}}
for photo, detectors in photos.items():
    red_kept, grey_kept = relu(np.array(detectors["red"])).sum(), relu(np.array(detectors["grey"])).sum()
    verdict = "car" if red_kept > 15 and grey_kept > 0 else "no car"
    print(f"{photo:<23} red evidence {red_kept}, road evidence {grey_kept} → {verdict}")

# %% [markdown]
# The red detector alone would call the balloon a car (18 in both photos). The next layer combines
# the two kept signals, "red" and "road", and tells them apart. In a trained network nobody writes
# these detectors by hand: training sets the weights of many of them, and it readily learns pairs
# that look at the same thing with opposite signs. So ReLU does drop negative values, but the
# network as a whole does not lose what they meant.
#
# > **Explain it like I'm five.** You are looking for your red toy car in a messy room. Each
# > thing you see gets a thumbs up if it looks like your car and a thumbs down if it does not. You
# > only count the thumbs up, so a big blue rug cannot talk you out of a car you can see. Keep what
# > helps, zero what doesn't. (And a friend who counts the thumbs down for "rug" can tell you where
# > the rug is.)
#
# ## Summary
# - ReLU works as a decision filter: the red-car scores +10, −3, −5, +8 become 10, 0, 0, 8.
# - Filter first, then decide: 10 + 8 = 18 beats a threshold of 15, while the raw total of 10 does
#   not, and more sky would push the raw total lower still.
# - On generated streets, a redness detector with weights (1, −1, −1) and a small negative bias keeps
#   only the squares of the red car and stays quiet on a street without one; a larger bias or
#   careless weights cause false alarms.
# - On the cat photo, an edge filter plus a negative bias plus ReLU keeps the outlines (eyes, stripes,
#   ears) and zeros smooth fur and background: the filter and the bias choose, ReLU cuts.
# - Negative evidence is not worthless: a second detector with flipped weights keeps what the first
#   drops, and the next layer can use both.
#
# **Next:** [03 · Why ReLU](03_why_relu.ipynb) asks why networks use this rule at all, rather than
# no rule or a smooth one such as the sigmoid: non-linearity, keeping the size of evidence, gradients
# that do not vanish, and speed.
