# %% [markdown]
# # 04 · Sparsity, dying ReLU and its fixes
#
# ReLU's flat half has two faces. Inside a trained network it switches many units off at once, which
# makes the network's inner code *sparse*. But a unit whose input is negative for every example is
# switched off for good: it outputs 0, receives no training signal, and never recovers. This notebook
# measures both, makes units die on purpose, and then revives them with Leaky ReLU and Parametric ReLU.
#
# **In this notebook you will**
# - measure how many activations of a trained digit classifier are exactly zero, per layer and per image;
# - see that different digits switch on different units;
# - kill units on purpose with a large learning rate or a negative starting bias, and count them as training runs;
# - see, in numbers, why a dead unit cannot come back: its gradient is exactly 0;
# - use Leaky ReLU and PReLU on the same experiment, and write Leaky ReLU's forward and backward yourself.
#
# **Time:** about 40 minutes. **Builds on:** [01 · The rule](01_the_relu_rule.ipynb) (the slope of ReLU
# is a step) and [03 · Why ReLU](03_why_relu.ipynb) (training with gradients).

# %%
import inspect

import matplotlib.pyplot as plt
import numpy as np

from relulab import activations, nn
from relulab.activations import leaky_relu_grad
from relulab.checks import check, peek
from relulab.data import digits
from relulab.experiments import dying
from relulab.experiments.models import ACTIVATIONS
from relulab.plots import ACTIVATION_COLOURS, PALETTE, tidy, use_course_style

use_course_style()

# %% [markdown]
# ## A small network to look inside
#
# scikit-learn ships 1797 handwritten digits as 8×8 grey images (no download needed). We keep 1200 to
# train on and 597 to test with, flatten each image to 64 numbers between 0 and 1, and train a small
# network: 64 pixels → 32 ReLU units → 32 ReLU units → 10 digit scores. It takes well under a second.

# %%
data = digits()  # (X_train, y_train, X_test, y_test)
X_train, y_train, X_test, y_test = data
model, accs = dying.train_digits_mlp(data, activation="relu", lr=0.3, num_epochs=10)
print(f"train accuracy {accs['train_acc']:.3f}, test accuracy {accs['test_acc']:.3f}")
print(model)

# %% [markdown]
# ## Sparsity: most units are silent most of the time
#
# The encyclopedia entry says ReLU gives *sparse activation*: only some units are active at once.
# That is easy to measure: run the 597 test images through the network and count outputs that are
# **exactly** 0 (not merely small).

# %%
report = dying.sparsity(model, X_test)
for layer, fraction in report["per_layer"].items():
    print(f"{layer}: {fraction:.0%} of its outputs are exactly 0")
per_input = report["per_input"]
print(f"per image: between {per_input.min():.0%} and {per_input.max():.0%} of the 64 hidden units are off")

# %%
fig, ax = plt.subplots(figsize=(5.5, 3))
ax.hist(per_input, bins=np.linspace(0, 1, 33), color=PALETTE["blue"])
ax.axvline(per_input.mean(), color=PALETTE["vermillion"], ls="--", label=f"mean {per_input.mean():.0%}")
ax.legend(frameon=False)
tidy(ax, "fraction of hidden units that output 0", "number of test images",
     "Every image leaves a large share of the units at exactly 0")
plt.show()

# %% [markdown]
# Which units are the silent ones? It depends on the image. Below are a test "0" and a test "1", and
# the 64 hidden units drawn as an 8×8 grid of squares (first layer on the top four rows, second layer
# on the bottom four): yellow means the unit fired (output above 0), dark means it was exactly 0.

# %%
first_zero = int(np.flatnonzero(y_test == 0)[0])
first_one = int(np.flatnonzero(y_test == 1)[0])
fig, axes = plt.subplots(1, 4, figsize=(8, 2.6), layout="constrained")
for k, idx in enumerate([first_zero, first_one]):
    axes[2 * k].imshow(X_test[idx].reshape(8, 8), cmap="gray_r")
    axes[2 * k + 1].imshow(report["active"][idx].reshape(8, 8), cmap="viridis", vmin=0, vmax=1)
    axes[2 * k].set_title(f"a test {y_test[idx]}")
    axes[2 * k + 1].set_title(f"units on for the {y_test[idx]}")
    for ax in axes[2 * k:2 * k + 2]:
        ax.set_xticks([])
        ax.set_yticks([])
fig.suptitle("A 0 and a 1 switch on different sets of units")
plt.show()

# %%
on_zero, on_one = report["active"][first_zero], report["active"][first_one]
print(f"units firing for the 0: {on_zero.sum()}, for the 1: {on_one.sum()}, "
      f"for both: {(on_zero & on_one).sum()}, for neither: {(~on_zero & ~on_one).sum()}")

# %% [markdown]
# So "sparse" does not mean "wasted". A zero is information too: *which* units are off is part of
# how the network tells a 0 from a 1. The source texts describe the zeroed values as unimportant
# signals being dropped; the fuller picture is that the pattern of on and off units is the code the
# next layer reads.
#
# ## Dying ReLU: a unit that is off for every input
#
# Sparsity is healthy while each unit fires for *some* images. Trouble starts when a unit is off for
# **all** of them. We call such a unit **dead**: its output is never positive on any training image
# (`nn.dead_units(model, X)` counts them). The network above has this many:

# %%
print(nn.dead_units(model, X_train))

# %% [markdown]
# **Your turn: count the dead units yourself.** Write `count_dead(activations)`: it receives one layer's
# outputs for N examples, an array of shape (N, units) with one column per unit, and returns how many
# units output exactly 0 for **every** example. A unit that is positive for even one example, however
# slightly, is alive. (`nn.dead_units` does this for every layer of a model.)

# %% tags=["exercise"]
def count_dead(activations):
    """The number of units (columns) that are 0 for every example (row)."""
    # Your code here: replace the line below.
    raise NotImplementedError


# %% tags=["check"]
check.count_dead()

# %% tags=["peek"]
peek("count_dead")

# %% [markdown]
# Why can't a dead unit wake up again? Training changes a weight by `lr × gradient`, and the gradient
# reaches a unit only through ReLU's backward pass. Here it is, straight from the course package:

# %%
print(inspect.getsource(nn.ReLU.backward))

# %% [markdown]
# `dout * (self.x > 0)`: wherever the unit's input was not positive, the gradient is multiplied by 0.
# If that holds for *every* input, every gradient of that unit's weights and bias is exactly 0, and
# SGD subtracts `lr × 0`. A tiny experiment: a network with 4 inputs between 0 and 1 and 3 hidden
# units, where unit 0 has bias −5 and small weights, so its input is negative for all 32 examples.
# We train it for 5 steps with `nn.fit` and compare unit 0 before and after, bit for bit.

# %%
frozen = dying.frozen_unit_demo("relu", num_steps=5)
print(f"largest input unit 0 ever receives: {frozen['pre_max']:.2f}")
print("unit 0 (4 weights, bias) before:", frozen["before"])
print("unit 0 (4 weights, bias) after: ", frozen["after"])
print("its last gradient:", frozen["grad"], "| bit-identical:", frozen["identical"],
      "| the other units changed:", frozen["others_changed"])

# %% [markdown]
# The rest of the network learns; unit 0 is frozen forever. With a learning rate of 1000 it would
# still be frozen: any number times 0 is 0.
#
# ## Making units die while training
#
# Two things kill units in practice:
# - a **negative starting bias**: if every unit starts pushed below 0, many are dead before training begins;
# - a **learning rate that is too large**: one big step can shove a unit's bias so far down that no
#   image brings it back above 0.
#
# `dying.dying_run` trains the digit network with plain SGD for 6 epochs (114 steps) and, through a
# callback of `nn.fit`, counts the dead units of both hidden layers after every step. Two runs, one
# for each cause:

# %%
runs = {"lr 0.3, bias −1 (negative start)": dying.dying_run(0.3, -1.0, data=data),
        "lr 1.0, bias 0 (too-large steps)": dying.dying_run(1.0, 0.0, data=data)}
for label, run in runs.items():
    print(f"{label}: dead units {run['dead'][0]} → {run['dead'][-1]} of {run['total_units']}, "
          f"test accuracy {run['test_acc']:.3f}")

# %%
fig, ax = plt.subplots(figsize=(6, 3))
for (label, run), colour in zip(runs.items(), [PALETTE["vermillion"], PALETTE["blue"]], strict=True):
    ax.plot(run["dead"], color=colour, lw=2, label=label)
ax.legend(frameon=False)
tidy(ax, "training step", "dead hidden units (of 64)",
     "Negative biases kill units at once; large steps kill them along the way")
plt.show()

# %% [markdown]
# The two curves tell different stories. With bias −1 most units are dead before the first step, and
# training cannot revive those of the first layer. With lr 1.0 the network starts healthy and units
# die one after another as large steps push them off the edge. Either way the accuracy collapses.
#
# ## Explore the causes
#
# The explorer below shows 32 training runs: 4 learning rates × 4 starting biases, for ReLU (red) and
# for Leaky ReLU with α = 0.1 (blue; the next section explains it). Training 32 networks takes a few
# seconds, too slow for a slider, so the cell **computes every run once** and the sliders only pick
# one: that is why they snap to a few values. Look for the corners: where does ReLU die, and where does
# Leaky ReLU do better? At lr 1.0 and bias 0, what happens to Leaky ReLU?

# %% tags=["nbval-ignore-output"]
from tqdm.auto import tqdm  # progress bars

grid = dying.dying_grid(data=data, progress=tqdm)

# %% tags=["nbval-ignore-output"]
from relulab.widgets import dying_explorer

dying_explorer(grid, lr=0.3, bias_init=-1.0)

# %% [markdown]
# The whole grid at once: the final number of dead units for every combination. (One Leaky ReLU
# run, lr 1 with bias 0, blew up; its number is the count at the step where it stopped.)

# %%
fig, axes = plt.subplots(1, 2, figsize=(8, 3.4), layout="constrained")
for ax, act in zip(axes, ["relu", "leaky_relu"], strict=True):
    table = dying.grid_table(grid, act)
    ax.imshow(table, cmap="viridis", vmin=0, vmax=64)
    for (i, j), value in np.ndenumerate(table):
        ax.text(j, i, f"{value:.0f}", ha="center", va="center", color="white" if value < 40 else "black")
    ax.set_xticks(range(len(dying.BIASES)), [f"{b:g}" for b in dying.BIASES])
    ax.set_yticks(range(len(dying.LEARNING_RATES)), [f"{lr:g}" for lr in dying.LEARNING_RATES])
    tidy(ax, "starting bias", "learning rate", f"{ACTIVATIONS[act].label}: dead units after training")
fig.suptitle("Dead units pile up at negative biases and large learning rates")
plt.show()

# %% [markdown]
# ## Leaky ReLU: let a little through
#
# The fix is to give the flat half a small slope α instead of 0:
#
# $$\mathrm{leaky\_relu}(x) = \begin{cases} x & x > 0 \\ \alpha\,x & x \le 0 \end{cases}
# \qquad \mathrm{slope} = \begin{cases} 1 & x > 0 \\ \alpha & x \le 0 \end{cases}$$
#
# With α = 0.01 (PyTorch's default), −3 becomes −0.03 instead of 0. The output is still mostly "off"
# for negatives, but the slope is never 0, so a gradient always gets through. The course's versions:

# %%
print(inspect.getsource(activations.leaky_relu))
print(inspect.getsource(leaky_relu_grad))
print(inspect.getsource(nn.LeakyReLU.backward))

# %% [markdown]
# Move α and watch both halves. At α = 0 you get ReLU back; at α = 1, the identity (no bend at all,
# so a network of these is linear again, as notebook 03 showed).

# %% tags=["nbval-ignore-output"]
from relulab.widgets import leaky_explorer

leaky_explorer(negative_slope=0.1)

# %% [markdown]
# ## Parametric ReLU: let the network choose α
#
# **PReLU** has the same shape, but α is a parameter the network learns, like a weight. Its gradient
# is `dout * x` wherever `x ≤ 0` (summed over the examples). `nn.PReLU()` starts at α = 0.25 and learns
# one α per layer:

# %%
prelu = nn.PReLU(init=0.25)
print(prelu, "starts with α =", prelu.alpha, "| trainable:", [p.name for p in prelu.parameters()])

# %% [markdown]
# ## The same experiment, three activations
#
# Now the fair comparison: the **same** learning rate (0.3) and the **same** starting bias (−1) that
# killed most ReLU units, with ReLU, Leaky ReLU (α = 0.1) and PReLU. For Leaky and PReLU a unit's
# output is never exactly 0, so "dead" here means *never positive on any training image*, the same
# rule that defines a dead ReLU unit.

# %%
compare = {act: dying.dying_run(0.3, -1.0, act, data=data) for act in dying.COMPARED}
for act, run in compare.items():
    print(f"{ACTIVATIONS[act].label:>10}: dead units {run['dead'][0]:2d} → {run['dead'][-1]:2d}, "
          f"test accuracy {run['test_acc']:.3f}")
print("PReLU's learned slopes (layer 1, layer 2):", compare["prelu"]["alpha"].round(2))

# %%
fig, ax = plt.subplots(figsize=(6, 3))
for act, run in compare.items():
    ax.plot(run["dead"], color=ACTIVATION_COLOURS[act], lw=2, label=f"{ACTIVATIONS[act].label} ({run['test_acc']:.0%})")
ax.legend(frameon=False, title="test accuracy")
tidy(ax, "training step", "units never positive (of 64)",
     "Same start: ReLU units stay dead, Leaky and PReLU units come back")
plt.show()

# %% [markdown]
# Why do the leaky units recover? Because they still receive a gradient. Here is the gradient that
# reaches the silent units of the first layer in one backward pass, at the very start of training:

# %%
for act in dying.COMPARED:
    start = dying.digits_mlp(act, bias_init=-1.0)
    g = dying.silent_unit_gradient(start, X_train, y_train)
    print(f"{ACTIVATIONS[act].label:>10}: {g['silent']} silent units, gradient size {g['grad_norm']:.4f}, "
          f"exactly zero: {g['grad_norm'] == 0.0}")

# %% [markdown]
# ReLU's silent units get exactly 0; the leaky ones get a small but real signal, and SGD uses it to
# pull their biases back up. The tiny frozen-unit network from before shows the same thing with Leaky ReLU:

# %%
thawed = dying.frozen_unit_demo("leaky_relu", num_steps=5)
print("unit 0 before:", thawed["before"])
print("unit 0 after: ", thawed["after"].round(4), "| bit-identical:", thawed["identical"])

# %%
for act in ["relu", "leaky_relu"]:
    run = grid[(act, 1.0, 0.0)]
    outcome = "blew up (infinite loss)" if run["diverged"] else f"test accuracy {run['test_acc']:.3f}"
    print(f"lr 1.0, bias 0, {ACTIVATIONS[act].label:>10}: dead units {run['dead'][0]} → {run['dead'][-1]}, {outcome}")

# %% [markdown]
# Three honest remarks about these results:
# - **PReLU learned a large slope.** In this run the first layer's α ended far above the 0.25 it started
#   from, while the second layer's shrank (see the printout above).
#   Nothing keeps α small: with every unit pushed below 0, the network found it useful to make the
#   "negative" side a working side. PReLU can drift towards a linear unit, which is fine on digits but
#   worth watching on harder problems.
# - **A leak does not fix a learning rate that is far too large.** In the grid, at lr 1.0 and bias 0,
#   ReLU lost dozens of units, while Leaky ReLU's weights blew up (printed just above). Leaky ReLU keeps
#   gradients flowing; it cannot make a bad step size good. Lower the learning rate first.
# - **Dead is not always bad.** A few dead units in a large network cost little; the problem is when
#   most of a layer dies, as here.
#
# ## Your turn: write Leaky ReLU, forward and backward
#
# Write `leaky_relu(x, negative_slope=0.01)` (PyTorch's name for α): `x` where `x > 0`, `negative_slope * x`
# elsewhere, for a number or an array
# of any shape, without changing `x`. (Cells further down use the course's own version.)

# %% tags=["exercise"]
def leaky_relu(x, negative_slope=0.01):
    """Return x where x > 0 and negative_slope * x elsewhere, entry by entry."""
    # Your code here: replace the line below.
    raise NotImplementedError


# %% tags=["check"]
check.leaky_relu_forward()

# %% tags=["peek"]
peek("leaky_relu_forward")

# %% [markdown]
# Now the backward pass, in the cs231n style: `leaky_relu_backward(dout, x, negative_slope=0.01)` receives the
# gradient `dout` arriving from the layer above and the input `x` of the forward pass, and returns the
# gradient with respect to `x` (same shape). The check also compares your answer with a numerical
# gradient, measured by nudging each input a little.

# %% tags=["exercise"]
def leaky_relu_backward(dout, x, negative_slope=0.01):
    """Return the gradient of the loss with respect to x, given dout (same shape as x)."""
    # Your code here: replace the line below.
    raise NotImplementedError


# %% tags=["check"]
check.leaky_relu_backward()

# %% tags=["peek"]
peek("leaky_relu_backward")

# %% [markdown]
# For 0 < α < 1, `np.maximum(alpha * x, x)` is also a correct forward pass (the larger of `x` and
# `α·x` is `x` for positives and `α·x` for negatives). It breaks for α > 1, which PReLU can learn, so
# `np.where(x > 0, x, alpha * x)` is the safer habit. Here is the numerical check, using the course's reference:

# %%
x = np.array([-2.0, -0.5, 1.5])
dout = np.array([1.0, -3.0, 2.0])
loss = lambda: float(np.sum(dout * activations.leaky_relu(x, 0.2)))  # nudged entry by entry
print("formula  :", dout * leaky_relu_grad(x, 0.2))
print("numerical:", nn.numerical_gradient(loss, x).round(6))

# %% [markdown]
# **Your turn: PReLU's slope gradient.** PReLU computes `x` where `x > 0` and `a * x` elsewhere, with one
# slope `a` that the network learns. To learn it, backprop needs the gradient of the loss with respect
# to `a`. Write `prelu_slope_grad(dout, x)`: given the gradient `dout` arriving from above and the input
# `x` (same shape), return that gradient, a single number. Each entry where `x ≤ 0` changes by `x` when
# `a` grows by 1. The check compares your answer with a numerical gradient (`nn.numerical_gradient`,
# nudging `a` by 1e-6).

# %% tags=["exercise"]
def prelu_slope_grad(dout, x):
    """The gradient of the loss with respect to PReLU's slope a (a number), given dout and x."""
    # Your code here: replace the line below.
    raise NotImplementedError


# %% tags=["check"]
check.prelu_slope_grad()

# %% tags=["peek"]
peek("prelu_slope_grad")

# %% [markdown]
# > **Explain it like I'm five.** Imagine a team where each helper raises a hand only when they see
# > something useful, and stays quiet otherwise: keep what helps, zero what doesn't. That quiet is
# > good, as long as each helper sometimes speaks. But a helper who never speaks also never hears the
# > coach's advice, and stays quiet forever. Leaky ReLU lets every helper whisper a little, so the coach
# > can always reach them.
#
# ## Summary
# - ReLU networks are **sparse**: in our digit classifier a large share of the hidden outputs is
#   exactly 0, and different digits switch on different units, so the zeros carry information.
# - A unit whose input is negative on every example is **dead**: ReLU's backward `dout * (x > 0)`
#   sends it exactly zero gradient, so SGD never changes its weights (bit-identical before and after).
# - A strongly negative starting bias kills units at once; a too-large learning rate kills them while
#   training. Accuracy falls with them.
# - **Leaky ReLU** (slope α for negatives) and **PReLU** (α learned) keep a gradient flowing: at the same
#   learning rate and bias, their units come back and the accuracy recovers. They do not rescue a
#   learning rate that makes training blow up.
#
# **Next:** 05 · Convolutions and feature maps moves from single pixels to small patterns: a filter
# slides over an image, and ReLU keeps the places where the pattern is found. It is still being
# written; the course map in [00 · Welcome](00_welcome.ipynb) shows what is ready.
