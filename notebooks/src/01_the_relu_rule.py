# %% [markdown]
# # 01 · The rule: max(0, x)
#
# ReLU stands for *Rectified Linear Unit*. Behind the long name is a rule you can say in one breath:
# **if a number is positive, keep it; if it is negative or zero, replace it with 0.**
#
# **In this notebook you will**
# - apply the rule by hand and with numpy, to one number and to whole arrays at once;
# - read its graph and move a point along it;
# - see that its slope is a step (0, then 1) and what happens exactly at 0;
# - find out in what sense ReLU is "piecewise linear", and why it is still not a linear function;
# - write `relu` yourself, with instant feedback.
#
# **Time:** about 30 minutes. **Builds on:** [00 · Welcome](00_welcome.ipynb).

# %%
import numpy as np
import matplotlib.pyplot as plt

from relulab import activations  # the course's reference versions: activations.relu, ...
from relulab.activations import relu_grad
from relulab.checks import check, peek
from relulab.plots import PALETTE, tidy, use_course_style

use_course_style()

# %% [markdown]
# ## The rule in words and in symbols
#
# Written as a formula, ReLU is
#
# $$\mathrm{relu}(x) = \max(0, x).$$
#
# `max` picks the larger of its two inputs. When `x` is bigger than 0, the larger one is `x` itself, so
# it passes through untouched. When `x` is below 0, the larger one is 0. When `x` *is* 0, both are 0.
# Three worked values:

# %%
for x in [3, -2, 0]:
    print(f"relu({x:>2}) = max(0, {x:>2}) = {activations.relu(x)}")

# %% [markdown]
# ## The graph
#
# Plot the rule for every input between −4 and 4 and you get two straight pieces that meet at the
# origin: flat along 0 on the left, the diagonal line *output = input* on the right. The bend at 0
# is the only place anything interesting happens.

# %%
x = np.linspace(-4, 4, 401)
fig, ax = plt.subplots(figsize=(5, 3.2))
ax.plot(x, activations.relu(x), color=PALETTE["blue"], lw=2.5, label="relu(x)")
ax.plot(x, x, ":", color=PALETTE["grey"], label="x (identity)")
ax.scatter([3, -2, 0], [3, 0, 0], color=PALETTE["vermillion"], zorder=3, label="3→3, −2→0, 0→0")
tidy(ax, "input x", "output", "ReLU: flat at 0 for negatives, the identity for positives")
ax.legend(frameon=False)
plt.show()

# %% [markdown]
# ## Move a point along the graph
#
# Drag the slider. The diamond walks along ReLU on the left; the line of text above the figure says
# which input went in and what came out. On the right is the *slope* of ReLU at that point, which we
# look at next. Watch both as you cross zero.

# %% tags=["nbval-ignore-output"]
from relulab.widgets import relu_explorer

ex = relu_explorer()
ex

# %% [markdown]
# The same figure as a still picture, at the slider's starting value (for a reader without a kernel):

# %%
ex.still("Left: ReLU, flat at 0 for negative inputs and the diagonal for positive ones, with a diamond "
         "at input 1.5, output 1.5. Right: its slope, 0 then 1, with the diamond at slope 1.")

# %% [markdown]
# ## One rule, millions of numbers: numpy
#
# A neural network applies ReLU to every number coming out of a layer: thousands or millions per
# image. Python's built-in `max(0, x)` handles one number at a time. numpy's `np.maximum(0, x)`
# compares 0 with **every entry** of an array in one call and returns a new array of the same shape.

# %%
scores = np.array([10.0, -3.0, -5.0, 8.0])
np.maximum(0, scores)

# %% [markdown]
# It works for any shape. Here is a small grid of numbers, the kind of thing a layer produces for
# an image, before and after:

# %%
rng = np.random.default_rng(seed=1)
grid = rng.normal(size=(3, 4)).round(1)
print("before:\n", grid)
print("after relu:\n", activations.relu(grid))
print("shape stays", grid.shape, "→", activations.relu(grid).shape)

# %% [markdown]
# Python's `max` fails on an array, with a message that puzzles almost everyone the first time:

# %%
try:
    max(0, scores)
except ValueError as error:
    print("ValueError:", error)

# %% [markdown]
# `max` asks "is `scores` bigger than 0?", and for an array with four entries that question has four
# answers, not one. numpy refuses to guess. `np.maximum` asks the question entry by entry.
#
# Besides being correct on arrays, numpy is fast: the loop runs in compiled code instead of Python.
# On a million numbers the difference is large; see for yourself (your timings will differ):

# %% tags=["nbval-ignore-output"]
import time

big = rng.normal(size=1_000_000)
start = time.perf_counter()
slow = [max(0.0, v) for v in big]
loop_time = time.perf_counter() - start
start = time.perf_counter()
fast = np.maximum(0, big)
numpy_time = time.perf_counter() - start
print(f"Python loop: {loop_time * 1000:.0f} ms, numpy: {numpy_time * 1000:.1f} ms, "
      f"numpy is about {loop_time / numpy_time:.0f}× faster; same result: {np.allclose(slow, fast)}")

# %% [markdown]
# ## Your turn: write `relu`
#
# Write a function `relu(x)` that works on a single number **and** on a numpy array of any shape,
# and returns a new result without changing `x`. Replace the `raise` line with your code, run the
# cell, then run the check underneath. The check explains any problem it finds.
#
# (Cells further down use the course's own `relu`, so you can carry on even before you solve it.)

# %% tags=["exercise"]
def relu(x):
    """Return max(0, x) for a number, or for every entry of a numpy array."""
    # Your code here: replace the line below.
    raise NotImplementedError


# %% tags=["check"]
check.relu()

# %% tags=["peek"]
peek("relu")

# %% [markdown]
# There is more than one right answer. `np.maximum(0, x)`, `np.where(x > 0, x, 0)` and `x * (x > 0)`
# all pass. The last one turns −2 into `-0.0`, a "negative zero" that compares equal to 0, so it is
# still correct.

# %%
x = np.array([-2.0, 0.0, 3.0])
print(np.maximum(0, x), np.where(x > 0, x, 0), x * (x > 0))

# %% [markdown]
# ## The slope of ReLU is a step
#
# How much does the output change when the input nudges up a little? That is the **slope**
# (the derivative), and it is what training uses to decide which way to adjust a network.
#
# - Left of 0, ReLU is flat: nudging the input changes nothing. Slope **0**.
# - Right of 0, output equals input: a nudge of 0.001 in gives 0.001 out. Slope **1**.
#
# Let's measure it with a tiny nudge, from the left and from the right:

# %%
def measured_slope(x, nudge=1e-3, side=+1):
    """Change of relu over a small step to the right (side=+1) or to the left (side=-1)."""
    return (activations.relu(x + side * nudge) - activations.relu(x)) / (side * nudge)


for x0 in [-1.0, 1.0, 0.0]:
    left, right = measured_slope(x0, side=-1), measured_slope(x0, side=+1)
    print(f"at x = {x0:>4}: slope from the left {left + 0:.0f}, from the right {right + 0:.0f}")

# %% [markdown]
# At −1 and at 1 both sides agree. At exactly 0 they do not: from the left the slope is 0, from the
# right it is 1. The graph has a corner there, and a corner has **no derivative**. Sources that
# call ReLU "simple" skip this; frameworks cannot, because training asks for a slope at every input.
# Any value between 0 and 1 is a fair stand-in at the corner (a *subgradient*: a line through the
# corner with that slope never rises above the graph). Frameworks pick one: PyTorch uses **0**, and so
# does this course's `relu_grad`:

# %%
print("relu_grad at -1, 0, 1:", relu_grad(np.array([-1.0, 0.0, 1.0])))

# %% [markdown]
# In practice an input lands on exactly 0.0 rarely (a weighted sum of many real numbers almost never
# comes out as exactly zero), so the choice seldom changes anything. What matters is that the choice
# is made once and kept: the course's `relu_grad` and the ReLU layer of its network engine both use 0.

# %%
x = np.linspace(-3, 3, 601)
fig, ax = plt.subplots(figsize=(5, 2.8))
ax.plot(x[x < 0], relu_grad(x[x < 0]), color=PALETTE["orange"], lw=2.5)
ax.plot(x[x > 0], relu_grad(x[x > 0]), color=PALETTE["orange"], lw=2.5, label="slope of relu")
ax.plot([0], [0], "o", color=PALETTE["orange"], ms=8, label="at 0 we choose 0")
ax.plot([0], [1], "o", mfc="white", color=PALETTE["orange"], ms=8)
tidy(ax, "input x", "slope", "The slope of ReLU jumps from 0 to 1 at the corner")
ax.legend(frameon=False, loc="upper left")
plt.show()

# %% [markdown]
# That step will matter a great deal later. Training sends a signal backwards through the network, and
# at every layer the signal is multiplied by that layer's weights and by the activation's slope. On a
# unit that is active (input above 0), ReLU's slope is exactly 1: ReLU itself never shrinks the signal,
# however many layers it crosses. The weights still scale it at every layer, up or down. Take a chain of
# ten layers with one unit each, every one active, and multiply:

# %%
depth = 10
print(f"ReLU's slopes alone:             1 ** {depth} = {1.0 ** depth:g}")
print(f"sigmoid's slopes alone, at best: 0.25 ** {depth} = {0.25 ** depth:.2g}")
for weight in [0.8, 1.0, 1.25]:
    print(f"ReLU with every weight {weight:<4}:   ({weight} * 1) ** {depth} = {(weight * 1.0) ** depth:.3g}")

# %% [markdown]
# **Question (in words, 2 points).** Before you read on, look at the five lines just printed. ReLU's
# slopes alone multiply to 1, yet with every weight 0.8 the signal ends at 0.107, and with every weight
# 1.25 at 9.31. In two or three sentences: in a chain of active ReLU units, what makes the training
# signal shrink or grow, and what happens to the signal at a unit whose input is negative?

# %% [markdown] tags=["written", "points-2"]
# *Write your answer here.*

# %% [markdown]
# So ReLU removes one cause of a fading signal: sigmoid's slope is never more than 0.25, so ten sigmoid
# layers shrink the signal about a million times on top of whatever the weights do. It does not remove the other
# cause: weights a little below 1 still shrink the signal layer after layer, and weights a little above
# 1 make it grow. That is why starting weights are chosen with care (notebook 03 shows both). A slope
# of 0, on the other hand, blocks the signal completely: that is how a unit can "die" (notebook 04).
#
# ## Piecewise linear, but not linear
#
# ReLU is made of two straight pieces, so it is called **piecewise linear**. A truly *linear* function
# would obey `f(a + b) = f(a) + f(b)` for every pair of inputs. ReLU does when `a` and `b` have the
# same sign, and breaks it when they do not:

# %%
for a, b in [(2.0, 1.0), (-2.0, -1.0), (3.0, -2.0)]:
    together, apart = activations.relu(a + b), activations.relu(a) + activations.relu(b)
    print(f"a={a:>4}, b={b:>4}:  relu(a + b) = {together:.0f}   relu(a) + relu(b) = {apart:.0f}")

# %% [markdown]
# That single broken case is what gives networks their power. Adding and scaling straight lines only
# ever produces another straight line, but adding a few *shifted* ReLUs produces bends wherever you
# put them. Two of them already make a ramp that rises and then levels off:

# %%
x = np.linspace(-2, 3, 501)
fig, ax = plt.subplots(figsize=(5, 2.8))
ramp = activations.relu(x) - activations.relu(x - 1)
ax.plot(x, activations.relu(x), "--", color=PALETTE["blue"], label="relu(x)")
ax.plot(x, -activations.relu(x - 1), "-.", color=PALETTE["sky"], label="−relu(x − 1)")
ax.plot(x, ramp, color=PALETTE["vermillion"], lw=2.5, label="their sum: a ramp")
tidy(ax, "input x", "output", "Two shifted ReLUs add up to a shape no straight line can make")
ax.legend(frameon=False)
plt.show()

# %% [markdown]
# **Question (in words, 2 points).** The ramp in the figure is flat at 0 left of 0, rises from 0 to 1,
# and stays flat at 1 after that. Explain, from the two curves it is the sum of, why it levels off at 1.
# Then say why no sum of straight lines, however many, could draw this shape.

# %% [markdown] tags=["written", "points-2"]
# *Write your answer here.*

# %% [markdown]
# **Your turn: predict before you run.** Without running any code, predict three things for
# `x = [-1.5, 0, 0.25, 2, 7]`: what `relu(x)` gives, ReLU's slope at each entry (use 0 at the corner,
# as the course does), and the ramp `relu(x) - relu(x - 1)` from the figure above. Type your five
# numbers into each list, run the cell, then run the check. If one is off, the check tells you which
# entry and why.

# %% tags=["exercise"]
predicted_relu = None  # replace None with five numbers, e.g. [1, 2, 3, 4, 5]
predicted_slope = None
predicted_ramp = None

# %% tags=["check"]
check.relu_predictions()

# %% tags=["peek"]
peek("relu_predictions")

# %% [markdown]
# Notebook 03 takes this further: with enough of these hinges, a network can trace almost any curve.
#
# > **Explain it like I'm five.** ReLU is a gate that only opens one way. Positive numbers walk
# > through as they are. Negative numbers bump into the gate and come out as nothing, 0. Keep what
# > helps, zero what doesn't.
#
# ## Summary
# - ReLU is `max(0, x)`: 3 → 3, −2 → 0, 0 → 0.
# - `np.maximum(0, x)` applies it to every entry of an array, of any shape, fast; Python's `max` cannot.
# - Its slope is a step: 0 for negative inputs, 1 for positive ones, and undefined at the corner,
#   where frameworks pick a subgradient (PyTorch, and this course, pick 0).
# - On active units ReLU's slope of 1 does not shrink the training signal; the weights still scale it.
# - It is piecewise linear but not linear, and sums of shifted ReLUs can bend wherever they need to.

# %% [markdown]
# ## Sources and further reading
#
# - Nair & Hinton (2010), *Rectified linear units improve restricted Boltzmann machines* (ICML): brought
#   rectified units (a noisy version of `max(0, x)`) into restricted Boltzmann machines and found them
#   better than the binary units used before, on pictures of objects and of faces.
# - Glorot, Bordes & Bengio (2011), *Deep sparse rectifier neural networks* (AISTATS): argued for ReLU in
#   deep networks partly through the point made above: along active units the network is linear, so
#   the signal on the way back does not fade the way it does through sigmoid or tanh.
# - Krizhevsky, Sutskever & Hinton (2012), *ImageNet classification with deep convolutional neural
#   networks* (NeurIPS): measured ReLU training a convolutional network six times faster than tanh.
# - He, Zhang, Ren & Sun (2015), *Delving deep into rectifiers* (ICCV): worked out how to set the starting
#   weights of a ReLU network so that the signal neither fades nor grows with depth: the weights' part
#   of the multiplication above.
#
# **Next:** [02 · ReLU as a filter](02_relu_as_a_filter.ipynb) puts the rule to work: a detector looks
# for a red car in a street scene, and a filter finds the outline of a cat's ears.
