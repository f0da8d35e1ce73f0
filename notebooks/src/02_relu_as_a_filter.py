# %% [markdown]
# # 02 · ReLU as a filter
#
# In notebook 01 ReLU was a rule for single numbers. Here it does a job. A detector gives each part
# of a picture a score: positive when the part looks like what it is searching for, negative when it
# does not. ReLU then works as a **decision filter**: it lets the positive evidence through and
# drops the negative evidence. We will look for a red car in a street and for the edges of a cat's
# ears, and then ask what the filter throws away.
#
# **In this notebook you will**
# - put the four red-car scores through ReLU and turn what is left into a yes/no decision;
# - tune a small "redness detector" on generated street scenes and watch what survives ReLU;
# - slide edge filters over a drawn cat head and a cat photo, and see which ear edges a filter keeps
#   and which ones its negative keeps;
# - find out where "negative evidence is useless" goes too far, with a detector and its flipped twin.
#
# **Time:** about 30 minutes. **Builds on:** [00 · Welcome](00_welcome.ipynb) and
# [01 · The rule](01_the_relu_rule.ipynb).
#
# > **Explain it like I'm five.** You are looking for your red toy car in a messy room. Each
# > thing you see gets a thumbs up if it looks like your car and a thumbs down if it does not. You
# > count only the thumbs up, so a big blue rug cannot talk you out of a car you can see. Keep what
# > helps, zero what doesn't. (And a friend who counts the thumbs down can still tell you where the
# > rug is.)
#
# **If you do not see red well:** you can follow every step without telling colours apart. The
# detector's weights are plain numbers, each figure's title says what it shows, the street figures
# write every car's colour above it, and the explorer's readout gives the evidence on and off the red
# car in numbers. The score maps use blue for negative and red for positive, a pair that stays apart
# for the common kinds of colour blindness, with white at 0.

# %%
import numpy as np
import matplotlib.pyplot as plt

from relulab.activations import relu
from relulab.checks import check, peek
from relulab.plots import PALETTE, filter_pair_figure, tidy, use_course_style
from relulab.data import CAT_PHOTO_EAR_EDGES, SCENES, cat_head, cat_image, make_scene
from relulab.experiments import detector, edges

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
before = ax.bar(where - 0.2, scores, width=0.4, color=PALETTE["blue"], label="score")
after = ax.bar(where + 0.2, kept, width=0.4, color=PALETTE["orange"], hatch="//", label="after ReLU")
ax.bar_label(before, fmt="%+.0f", padding=2, fontsize=8)
ax.bar_label(after, fmt="%.0f", padding=2, fontsize=8)
ax.axhline(0, color=PALETTE["grey"], lw=0.8)
ax.set_ylim(-7, 13)
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
# as everyone else. Here are the three kinds of street the explorer below offers (each title lists
# the cars' colours from left to right):

# %%
fig, axes = plt.subplots(1, 3, figsize=(10.5, 2.4))
for ax, (name, cars) in zip(axes, SCENES.items(), strict=True):
    street = make_scene(seed=3, cars=cars)
    ax.imshow(street["image"])
    in_order = sorted(street["cars"], key=lambda car: car["box"][1])
    tidy(ax, "x (pixels)", "y (pixels)", f"{name}: {', '.join(car['colour'] for car in in_order)}")
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
# sliders. Left: the street, each car outlined with its colour written above it. Middle: the raw
# score of every square, blue for negative, red for positive, white for 0 (the colour scale stops at
# ±1; stronger scores take the end colours). Right: the same map after ReLU. The readout adds up the
# kept evidence and decides with a threshold of 1; it also says whether the evidence sits on the red car.
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
from relulab.widgets import cat_explorer, red_car_explorer

street_explorer = red_car_explorer()
street_explorer

# %%
street_explorer.still("Street 3 with its one red car outlined and labelled 'red'; the raw scores are "
                      "negative (blue) everywhere except the car, and after ReLU only the car's squares are left.")

# %% [markdown]
# **Read it off the explorer.** Pick **no red car** in the drop-down (street number 3), keep the weights
# at 1, −1, −1 and move the bias to **+0.2**: the false alarm from the list above. How much evidence does
# the detector keep now? Type the first number of the readout (two decimals are enough).

# %% tags=["exercise"]
false_alarm_evidence = None  # replace None with the kept evidence the readout shows

# %% tags=["check"]
check.false_alarm_evidence()

# %% [markdown]
# What the explorer reports with its starting weights, for each kind of street:

# %%
for name, cars in SCENES.items():
    found = detector.detect_red_car(make_scene(seed=3, cars=cars), weights=(1, -1, -1), bias=-0.1)
    print(f"{name:<17} kept {found['evidence']:5.2f}, raw sum {found['raw_sum']:8.2f}: {found['verdict']}")

# %% [markdown]
# **Question (in words, 2 points).** With the starting weights (1, −1, −1) and bias −0.1, the squares
# that survive ReLU lie on the red car, while the street with a blue, a white and a yellow car keeps
# 0.00: not one square of those cars survives, although white and yellow both contain plenty of red.
# Using the score w_R·R + w_G·G + w_B·B + b, explain why squares of the red car can score above 0 and
# those of the white and yellow cars cannot.

# %% [markdown] tags=["written", "points-2"]
# *Write your answer here.*

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
# ## The cat: a filter for the edges of ears
#
# The source makes a second promise: ReLU **helps a network focus on important details, such as the
# shape of a cat's ears, and ignore the background**. For that we need a detector of *edges* rather
# than colours.
#
# An edge filter is a small grid of weights (here 7 × 7) slid over a grey picture: positive weights
# on one side, negative on the other. At each place the response is the weighted sum of the pixels
# under the filter. Where the picture is brighter on the positive side the response is positive,
# where it is brighter on the other side it is negative, and on a flat area the two sides cancel to
# about 0. The filter only sits where it fits inside the picture, so the map of responses is 6 pixels
# smaller each way; the figures place it so that it lines up with the picture. Notebook 05 builds this
# sliding (a *convolution*) from scratch.
#
# We start with a drawn cat head, whose ears are whole triangles, and a "/" filter: positive weights
# below-right of a "/" line, negative above-left. The second row uses **its negative**, the same
# filter with every sign flipped. A bias of −0.05 is added before ReLU, so faint responses count as 0.

# %%
head = cat_head()
slash = edges.make_kernel("diagonal / edge")
filter_pair_figure(head["image"], slash, bias=edges.DEFAULT_BIAS,
                   title="The / filter keeps the ear edges with the head below-right of them; "
                         "its negative keeps the opposite edges")

# %% [markdown]
# The "/" filter (top row) keeps two straight lines: the outer edge of the left ear and the inner
# edge of the right ear, both "/" lines with the light head below-right of them, plus the upper-left
# curve of the head. Its negative (bottom row) keeps the places where the first filter's response is
# strongly negative: the lower-right curve of the head and the bottom edges of the ears. The two maps
# after ReLU never share a pixel. Each ear edge, and how much each filter keeps along it (the mean of the
# ReLU'd map along the middle of the edge, 0 meaning nothing):

# %%
backslash = edges.make_kernel("diagonal \\ edge")
filters = {"/": slash, "−/": -slash, "\\": backslash, "−\\": -backslash}
along = {name: edges.kept_along(head["image"], head["ears"], kernel) for name, kernel in filters.items()}
print(f"{'ear edge':<24}" + "".join(f"{name:>7}" for name in filters))
for edge in head["ears"]:
    print(f"{edge:<24}" + "".join(f"{along[name][edge]:7.2f}" for name in filters))

# %% [markdown]
# Between them, the "/" filter and the "\\" filter (positive weights below-left of a "\\" line) keep
# all four ear edges, each keeping the two edges of its own slant. Their negatives keep nothing of
# the ears' slanted edges: on a light head against a dark ground, every slanted ear edge has the light
# side below it. Flip the picture's brightness (a dark cat on a light wall) and the negatives would
# take over: which one "sees the ear" depends on the picture as much as on the filter.
#
# ## The photo: the ears are cut off
#
# Now the real photo that ships with scikit-image, turned grey and shrunk to 150 × 225 pixels. Its
# top edge cuts both ears off: only their lower parts are in the picture, in the top corners. Zoom
# into the top-right corner; the dashed line marks the outer edge of the right ear, a "/" line where
# the light ear meets the dark background:

# %%
cat = cat_image()
filter_pair_figure(cat, slash, bias=edges.DEFAULT_BIAS, crop=(0, 60, 140, 225),
                   segments={"right ear": CAT_PHOTO_EAR_EDGES["right ear, outer edge"]},
                   title="Top-right corner of the photo: the negative of the / filter keeps the right ear's edge")

# %% [markdown]
# Here the light side of the ear's edge is *above-left*, so the "/" filter (top row) zeros it and its
# negative (bottom row) keeps a streak along the upper part of the dashed line, next to streaks from
# whiskers and fur; the strongest response in the corner is the rim of the eye at the bottom. How much
# each filter keeps along both ears' outer edges (the left one stands against a bright wall and is
# nearly vertical), beside what the kept pixels of the whole photo hold:

# %%
for name, kernel in filters.items():
    kept_map = edges.relu_map(edges.filter_response(cat, kernel))["kept"]
    ears = edges.kept_along(cat, CAT_PHOTO_EAR_EDGES, kernel)
    print(f"{name:>3}: left ear {ears['left ear, outer edge']:.3f}, right ear {ears['right ear, outer edge']:.3f}; "
          f"kept pixels of the photo: median {np.median(kept_map[kept_map > 0]):.3f}, "
          f"top 1% above {np.percentile(kept_map, 99):.3f}")

# %% [markdown]
# Only the negative of "/" keeps both ears' edges in the photo. The "\\" filter keeps some of the left
# one too: that edge is nearly vertical with the bright wall on its left, and both filters have
# positive weights on the left. What survives along the ears is faint: for the left ear about twice
# the median kept pixel, for the right ear about the median, and both far below the top 1% of the
# photo, which lies on the eye rims, the nose and dark stripes. A photo with its ears cut off is a
# poor test of "ReLU finds the ears": the drawn head showed the idea cleanly, and the photo shows how
# faint such edges can be.
#
# ## Explore: filters, their negatives and the bias
#
# Pick a picture, a filter, the filter or its negative, and move the bias. The third panel is the raw
# response plus the bias, with its negative half in blue; the fourth is what ReLU keeps. The colour
# scale stops at ±0.3 (the drawn head's sharp edges go beyond it). Things to try:
# - On the **drawn cat head**, switch between "/" and "\\": each keeps two of the four ear edges.
#   Then choose **its negative**: the slanted ear edges turn blue (zeroed) and the lower-right side
#   of the head lights up.
# - Raise the **bias** towards +0.3: more and more of the map survives, until ReLU keeps almost all
#   of it and filters nothing. Lower it towards −0.3: only the strongest edges are left.

# %% tags=["nbval-ignore-output"]
cat_filters = cat_explorer()
cat_filters

# %%
cat_filters.still("The / filter on the cat photo with a bias of −0.05: the raw map is mostly blue, and "
                  "after ReLU thin lines are left along the eye rims, the nose and the fur's stripes.")

# %% [markdown]
# How much of the photo's map each filter keeps, with a bias of 0 and of −0.05:

# %%
for name in edges.KERNEL_NAMES:
    response = edges.filter_response(cat, edges.make_kernel(name))
    shares = [edges.relu_map(response, bias)["fraction_kept"] for bias in (0.0, edges.DEFAULT_BIAS)]
    print(f"{name:<24} bias 0: {shares[0]:6.1%} kept   bias −0.05: {shares[1]:6.1%} kept")

# %% [markdown]
# With a bias of 0 about half of every map survives: faint texture is as likely to be slightly
# positive as slightly negative. A small negative bias is a demand for *strong* evidence: now less
# than a fifth is kept, in thin lines along outlines, while smooth fur and the blurred background
# become 0. The honest summary: ReLU itself does not know what an ear is. The *filter* picks the kind
# of edge (its slant and which side is light), the *bias* sets how strong it must be, and ReLU throws
# away everything below that line. In a trained network nobody writes these filters by hand:
# the first layer of an image network learns filters much like these edge detectors.
#
# ## Where the source oversimplifies: negative evidence is information
#
# The source says the negative scores are dropped "because they are not relevant". That is too
# strong. For *this* detector the road's −3 is useless, but the −3 says something true about the
# picture, and networks use it. They do so by having **more than one detector**. Flip every weight of
# the red detector and you get a "not red" detector; ReLU keeps, for it, exactly what the first one
# dropped, just as the negative of the "/" filter kept the edges that the filter zeroed:

# %%
red_detector = np.array([10.0, -3.0, -5.0, 8.0])
not_red_detector = -red_detector
print("red detector after ReLU:     ", relu(red_detector))
print("not-red detector after ReLU: ", relu(not_red_detector))
print("difference of the two:       ", relu(red_detector) - relu(not_red_detector))

# %% [markdown]
# The difference gives back the original scores, signs included: between them, the two filtered
# detectors lose nothing. Why would a network want the negative side? Compare a red car on a road
# with a red balloon in the sky. The red detector gives both the same kept evidence; only its
# *negative* scores differ (road −3 against sky −5), and ReLU zeros those. The not-red detector keeps
# them. A unit of the next layer adds the red evidence, subtracts twice the not-red evidence, and
# applies its own ReLU:

# %%
photos = {"red car on a road": np.array([10.0, -3.0, -5.0, 8.0]),
          "red balloon in the sky": np.array([10.0, -5.0, -5.0, 8.0])}
for photo, red in photos.items():
    red_kept, not_red_kept = relu(red).sum(), relu(-red).sum()
    car = relu(red_kept - 2 * not_red_kept)
    print(f"{photo:<23} red kept {red_kept:.0f}, not-red kept {not_red_kept:.0f} → "
          f"next layer: relu({red_kept:.0f} − 2 × {not_red_kept:.0f}) = {car:.0f} → {'car' if car > 0 else 'no car'}")

# %% [markdown]
# **Question (in words, 2 points).** Before you read on: the red detector keeps 18 in both photos, yet the
# next layer says "car" for one and "no car" for the other. Explain where the difference comes from, and
# what it says about the source's claim that negative scores are dropped "because they are not relevant".

# %% [markdown] tags=["written", "points-2"]
# *Write your answer here.*

# %% [markdown]
# The red detector alone would call the balloon a car (18 in both photos). The not-red detector,
# which reads the very numbers the red detector's ReLU threw away, keeps 8 for the car photo and 10
# for the balloon, and the next layer tells the two apart: 2 for the car, 0 for the balloon. The
# weights 1 and −2 are picked by hand for these toy numbers; in a trained network, training sets
# them, for many detectors at once. Trained image networks do grow such pairs: in the first layers
# of a well-known image network, many filters come with a near-opposite twin (Shang et al., 2016,
# below). So ReLU does drop negative values, but the network as a whole need not lose what they meant.
#
# ## Summary
# - ReLU works as a decision filter: the red-car scores +10, −3, −5, +8 become 10, 0, 0, 8.
# - Filter first, then decide: 10 + 8 = 18 beats a threshold of 15, while the raw total of 10 does
#   not, and more sky would push the raw total lower still.
# - On generated streets, a redness detector with weights (1, −1, −1) and a small negative bias keeps
#   only the squares of the red car and stays quiet on a street without one; a larger bias or
#   careless weights cause false alarms.
# - On a drawn cat head, the "/" and "\\" edge filters each keep two of the four ear edges after ReLU,
#   and a filter's negative keeps the opposite edges. On the photo, whose top edge cuts the ears off,
#   the ears' edges survive only faintly; the eye rims, nose and stripes are far stronger. The filter
#   and the bias choose, ReLU cuts.
# - Negative evidence is not worthless: a detector with flipped weights keeps what the first drops,
#   and a next layer can read both (the car and the balloon).
#
# ## Sources and further reading
# - Nair, V. and Hinton, G. E. (2010). *Rectified linear units improve restricted Boltzmann machines.*
#   ICML. Replacing binary hidden units with rectified ones gave better features for recognising
#   objects (NORB) and verifying faces; one of the papers that brought ReLU into neural networks.
# - Glorot, X., Bordes, A. and Bengio, Y. (2011). *Deep sparse rectifier neural networks.* AISTATS.
#   Deep networks of rectifier units trained well, and many of their units output exactly 0 for a
#   given input: a sparse code, as in this notebook's maps, where most pixels are 0 after ReLU. That
#   sparsity helps a network generalise is their argument, a hypothesis rather than a proof.
# - Krizhevsky, A., Sutskever, I. and Hinton, G. E. (2012). *ImageNet classification with deep
#   convolutional neural networks.* NeurIPS. A large ReLU network for images; the filters its first
#   layer learned look like oriented edge detectors and colour blobs, learned versions of the
#   filters you slid over the cat.
# - Shang, W., Sohn, K., Almeida, D. and Lee, H. (2016). *Understanding and improving convolutional
#   neural networks via concatenated rectified linear units.* ICML. Found that the first-layer filters
#   of a trained ReLU network tend to come in pairs of near-opposites, and proposed keeping both halves
#   of each response: relu(x) and relu(−x), the filter and its negative.

# %% [markdown]
# **Next:** [03 · Why ReLU](03_why_relu.ipynb) asks why networks use this rule at all, rather than
# no rule or a smooth one such as the sigmoid: non-linearity, keeping the size of evidence, gradients
# that do not vanish, and speed.
