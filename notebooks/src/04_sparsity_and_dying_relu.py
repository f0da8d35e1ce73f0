# %% [markdown]
# # 04 · Sparsity, dying ReLU and its fixes
#
# ReLU's flat half has two faces. Inside a trained network it switches many units off for any one
# input, so the network's inner code is *sparse*. But a unit whose input is negative for every example
# is switched off for good: it outputs 0, receives no training signal, and under plain gradient descent
# its weights never change again. This notebook measures both, makes units die on purpose, watches
# some of them come back (and finds out which ones can), and then revives them with Leaky ReLU and
# Parametric ReLU.
#
# **In this notebook you will**
# - measure how many activations of a trained digit classifier are exactly zero, against two baselines;
# - kill units on purpose with a negative starting bias or too large a learning rate, and count them per layer;
# - see in numbers why a dead first-layer unit cannot come back, while a second-layer unit can;
# - compare ReLU, Leaky ReLU (two slopes) and PReLU on the same experiment, and say honestly what each reaches;
# - write Leaky ReLU's forward and backward passes yourself.
#
# **Time:** about 40 minutes. **Builds on:** [01 · The rule](01_the_relu_rule.ipynb) (the slope of ReLU
# is a step) and [03 · Why ReLU](03_why_relu.ipynb) (training with gradients).
#
# > **Explain it like I'm five.** Imagine a team where each helper raises a hand only when they see
# > something useful, and stays quiet otherwise: keep what helps, zero what doesn't. That quiet is
# > fine, as long as each helper sometimes speaks. But a helper who never speaks also never hears the
# > coach's advice, and stays quiet forever. Leaky ReLU lets every helper whisper a little, so the coach
# > can always reach them.

# %%
import inspect

import matplotlib.pyplot as plt
import numpy as np

from relulab import activations, nn
from relulab.activations import leaky_relu_grad
from relulab.checks import check, peek
from relulab.data import digits
from relulab.experiments import dying
from relulab.plots import ACTIVATION_STYLES, PALETTE, tidy, use_course_style

use_course_style()

# %% [markdown]
# ## A small network to look inside
#
# scikit-learn ships 1797 handwritten digits as 8×8 grey images (no download needed). We keep 1200 to
# train on and 597 to test with, flatten each image to 64 numbers between 0 and 1, and train a small
# network with plain SGD (no momentum), batches of 64, learning rate 0.3, for 10 epochs:
# 64 pixels → 32 ReLU units → 32 ReLU units → 10 digit scores. It takes about a second.

# %%
data = digits()  # (X_train, y_train, X_test, y_test)
X_train, y_train, X_test, y_test = data
model, accs = dying.train_digits_mlp(data, activation="relu", lr=0.3, num_epochs=10)
print(f"train accuracy {accs['train_acc']:.3f}, test accuracy {accs['test_acc']:.3f}")
print(model)

# %% [markdown]
# ## Sparsity: about half of the units are silent for any one image
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
     "Every image leaves roughly half of the units at exactly 0")
plt.show()

# %% [markdown]
# Is "about half" a lot? A number means little without something to compare it with. Two baselines:
# the same ReLU network **before** training (random weights, biases 0), and the same network trained
# the same way with **tanh** instead of ReLU. "Near 0" counts outputs smaller than 0.05 in size.

# %%
baselines = dying.sparsity_baselines(data)
print(f"{'network':<16} {'exactly 0':>10} {'near 0':>8}")
for label, shares in baselines.items():
    print(f"{label:<16} {shares['exactly_zero']:>10.0%} {shares['near_zero']:>8.0%}")

# %% [markdown]
# So the sparsity comes from ReLU itself, not from training: with random weights, about half of the
# inputs to the units are negative for a given image, and ReLU turns those into exact zeros. Training
# did not make this network sparser (it has fewer exact zeros than before training). A tanh network has
# **no** exact zeros at all, and only a few outputs near 0: its units are all "on" a little, all the time.
#
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
# ### Do the zeros make the network faster, or better?
#
# Sources often add that sparsity makes networks **efficient** and **less prone to overfitting**. Take
# the first claim: a dense matrix product, the way this network (and PyTorch on a CPU or GPU) computes a
# layer, multiplies every entry, zero or not. Here is one 256×256 product timed with 0% and with 50% of
# its entries exactly 0 (the median of 41 tries each):

# %%
seconds = dying.matmul_seconds((0.0, 0.5))
print(f"0% zeros: {seconds[0.0] * 1e3:.2f} ms, 50% zeros: {seconds[0.5] * 1e3:.2f} ms "
      f"(ratio {seconds[0.5] / seconds[0.0]:.1f}×)")

# %% [markdown]
# The same time, within the noise of the measurement: the zeros are multiplied like any other number.
# Saving work from zeros needs code or hardware that skips them (sparse formats), which ordinary
# dense layers do not do. ReLU is cheap because `max(0, x)` is cheap, not because its zeros are skipped.
#
# The second claim is a **hypothesis**. Glorot, Bordes and Bengio (2011), who first trained deep
# networks of rectifiers, argued that sparse codes may be easier to separate and more robust, and so
# might generalise better; that is a reason to expect it, not a measurement, and this notebook does not
# test it. Treat "less overfitting" as an open idea, not a property ReLU guarantees.
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
# **Question (in words, 2 points).** Before you read on: unit 0's four weights and its bias are
# bit-identical after 5 steps and its last gradient is all zeros, while the other units changed. Using the
# line `dout * (self.x > 0)` printed above, explain why this unit gets no gradient at all, and why no
# number of further steps would change that in this network.

# %% [markdown] tags=["written", "points-2"]
# *Write your answer here.*

# %% [markdown]
# The rest of the network learns; unit 0 is frozen. Its inputs here are fixed numbers, so nothing can
# ever push it back above 0. (Keep that condition in mind: it matters in a moment.)
#
# ## Making units die while training
#
# Two things kill units in practice:
# - a **negative starting bias**: if every unit starts pushed below 0, many are dead before training begins;
# - a **learning rate that is too large**: big steps can shove a unit's bias so far down that no
#   image brings it back above 0.
#
# `dying.dying_run` trains the digit network with plain SGD and, through a callback of `nn.fit`, counts
# the dead units of each hidden layer after every step. First the negative start: every hidden bias
# starts at −1, learning rate 0.3, 20 epochs (380 steps).

# %%
start = dying.dying_run(0.3, -1.0, data=data, num_epochs=20)
layer1, layer2 = start["dead_per_layer"].T
print(f"layer 1: dead {layer1[0]} → {layer1[-1]} (fewest at any step: {layer1.min()})")
print(f"layer 2: dead {layer2[0]} → {layer2[-1]} (fewest at any step: {layer2.min()})")
print(f"test accuracy after 6 epochs {start['test_acc_per_epoch'][5]:.0%}, after 20 {start['test_acc']:.0%}")

# %%
fig, ax = plt.subplots(figsize=(6, 3))
ax.plot(layer1, color=PALETTE["vermillion"], lw=2, label="layer 1 (inputs: the pixels)")
ax.plot(layer2, color=PALETTE["blue"], lw=2, ls="--", label="layer 2 (inputs: layer 1's outputs)")
ax.set_ylim(0, 33)
ax.legend(frameon=False)
tidy(ax, "training step", "dead units (of 32)",
     "Bias −1: dead first-layer units stay dead, second-layer units revive")
plt.show()

# %% [markdown]
# **Question (in words, 3 points).** Before you read on: in the figure, the dead units of layer 1 stay
# dead (14 at the start, 15 at the end), while those of layer 2 fall from 31 to 11. Both layers use the
# same ReLU and the same backward pass. Explain why they behave so differently.

# %% [markdown] tags=["written", "points-3"]
# *Write your answer here.*

# %% [markdown]
# ### Why the second layer revives and the first does not
#
# "A dead unit never recovers" is true for a unit **whose inputs cannot change**. A first-layer unit
# reads the pixels, which are the same numbers in every epoch. If its weighted sum is negative for every
# training image, its gradient is exactly 0, its weights stay put, and so the sum stays negative: dead
# for good. The count of dead first-layer units can grow, but with plain SGD it can never shrink.
#
# A second-layer unit reads the **outputs of layer 1**, and those keep changing while the living
# first-layer units learn. A dead second-layer unit gets no gradient either, but the numbers it
# receives move under it, and some image eventually pushes its sum above 0: it is alive again. That is
# what the dashed line shows, and the accuracy climbs with it. (Optimizers with momentum or weight
# decay can move even a "gradient-0" weight; here there is neither.)
#
# Now the second cause. A learning rate of 1.5 with biases starting at 0, against a healthy 0.3, each
# for 5 different seeds (different starting weights and batch orders), 6 epochs each:

# %%
too_large = {lr: dying.seed_runs(lr, 0.0, data=data) for lr in (0.3, 1.5)}
for lr, seed_list in too_large.items():
    print(f"lr {lr}: dead units after training, by seed: {[int(r['dead'][-1]) for r in seed_list]}; "
          f"test accuracy: {[round(r['test_acc'], 2) for r in seed_list]}")

# %%
fig, ax = plt.subplots(figsize=(6, 3))
for lr, seed_list in too_large.items():
    style = {"color": PALETTE["blue"], "ls": "-"} if lr == 0.3 else {"color": PALETTE["vermillion"], "ls": "--"}
    for i, r in enumerate(seed_list):
        ax.plot(r["dead"], lw=1.5, label=f"lr {lr}" if i == 0 else None, **style)
ax.legend(frameon=False)
tidy(ax, "training step", "dead hidden units (of 64)", "At lr 1.5 most units die in the first epoch, in every seed")
plt.show()

# %% [markdown]
# At lr 0.3 every seed keeps nearly all its units; at 1.5 every seed has lost more than half of them by
# the end of the first epoch (19 steps), and the network ends up no better than guessing one of 10 digits.
# Why 1.5 and not 1.0? At 1.0 training sits at the edge of
# blowing up, where the outcome hangs on the last digit of a sum: the same seed can end with 28 dead
# units on one processor and 49 on another, because their maths libraries add numbers in a different
# order. A result that depends on rounding is not a result, so this notebook uses settings whose
# outcome does not.
#
# ## Explore the causes
#
# The explorer below shows 32 training runs of 6 epochs: 4 learning rates × 4 starting biases, for
# ReLU and for Leaky ReLU with `negative_slope = 0.1` (the next section explains it). Training 32
# networks takes a few seconds, too slow for a slider, so the cell **computes every run once** and the
# sliders only pick one: that is why they snap to a few values. Look for the corners: where does ReLU
# die, and where does Leaky ReLU do better? At lr 1.5, what happens to Leaky ReLU?

# %% tags=["nbval-ignore-output"]
from tqdm.auto import tqdm  # progress bars

grid = dying.dying_grid(data=data, progress=tqdm)

# %% tags=["nbval-ignore-output"]
from relulab.widgets import dying_explorer

explorer = dying_explorer(grid, lr=0.3, bias_init=-1.0)
explorer

# %%
explorer.still("At lr 0.3 and starting bias −1, ReLU keeps more than 40 of its 64 units dead for all 114 steps, "
               "Leaky ReLU's dead count falls to below 30, and Leaky ReLU ends with the higher test accuracy.")

# %% [markdown]
# **Read it off the explorer.** Move the learning rate to **1.5** and the starting bias to **0**. How many
# of ReLU's 64 hidden units are dead at the end of training? The readout says "ReLU: … → … dead"; type
# the number after the arrow.

# %% tags=["exercise"]
dead_units = None  # replace None with the number of dead ReLU units after training

# %% tags=["check"]
check.dead_units()

# %% [markdown]
# The whole grid at once: the final number of dead units for every combination. (A Leaky ReLU run that
# blew up shows the count at the step where it stopped.)

# %%
fig, axes = plt.subplots(1, 2, figsize=(8, 3.4), layout="constrained")
for ax, (act, name) in zip(axes, [("relu", "ReLU"), ("leaky_relu", "Leaky ReLU 0.1")], strict=True):
    table = dying.grid_table(grid, act)
    ax.imshow(table, cmap="viridis", vmin=0, vmax=64)
    for (i, j), value in np.ndenumerate(table):
        ax.text(j, i, f"{value:.0f}", ha="center", va="center", color="white" if value < 40 else "black")
    ax.set_xticks(range(len(dying.BIASES)), [f"{b:g}" for b in dying.BIASES])
    ax.set_yticks(range(len(dying.LEARNING_RATES)), [f"{lr:g}" for lr in dying.LEARNING_RATES])
    tidy(ax, "starting bias", "learning rate", f"{name}: dead units after training")
fig.suptitle("Dead units pile up at negative biases and large learning rates")
plt.show()

# %% [markdown]
# ## Leaky ReLU: let a little through
#
# The fix is to give the flat half a small slope, `negative_slope` (PyTorch's name; papers often
# write α), instead of 0:
#
# $$\mathrm{leaky\_relu}(x) = \begin{cases} x & x > 0 \\ \text{negative\_slope}\cdot x & x \le 0 \end{cases}
# \qquad \mathrm{slope} = \begin{cases} 1 & x > 0 \\ \text{negative\_slope} & x \le 0 \end{cases}$$
#
# With `negative_slope = 0.01` (PyTorch's default), −3 becomes −0.03 instead of 0. The output is still
# mostly "off" for negatives, but the slope is never 0, so a gradient always gets through. The course's versions:

# %%
print(inspect.getsource(activations.leaky_relu))
print(inspect.getsource(leaky_relu_grad))
print(inspect.getsource(nn.LeakyReLU.backward))

# %% [markdown]
# Move `negative_slope` and watch both halves. At 0 you get ReLU back; at 1, the identity (no bend at
# all, so a network of these is linear again, as notebook 03 showed).

# %% tags=["nbval-ignore-output"]
from relulab.widgets import leaky_explorer

slope_explorer = leaky_explorer(negative_slope=0.1)
slope_explorer

# %%
slope_explorer.still("With negative_slope 0.1, Leaky ReLU follows ReLU for positive inputs and passes a tenth of "
                     "each negative input (−2 becomes −0.2); its slope is 0.1 left of 0 and 1 right of 0.")

# %% [markdown]
# ## Parametric ReLU: let the network choose the slope
#
# **PReLU** has the same shape, but the negative slope is a parameter the network learns, like a weight
# (PyTorch stores it in `.weight`; we read it as `.alpha`). Its gradient is `dout * x` wherever `x ≤ 0`
# (summed over the examples). `nn.PReLU()` starts at 0.25 and learns one slope per layer:

# %%
prelu = nn.PReLU(init=0.25)
print(prelu, "starts with slope", prelu.alpha, "| trainable:", [p.name for p in prelu.parameters()])

# %% [markdown]
# ## The same experiment, four activations
#
# Now the fair comparison: the **same** learning rate (0.3), the **same** starting bias (−1) that
# killed most ReLU units, the same seed, 20 epochs, with ReLU, Leaky ReLU at PyTorch's default slope
# 0.01 and at 0.1, and PReLU. For Leaky and PReLU a unit's output is never exactly 0, so "dead" here
# means *never positive on any training image*, the same rule that defines a dead ReLU unit.

# %%
compare = dying.compare_variants(0.3, -1.0, data=data, num_epochs=20)
for label, run in compare.items():
    (a1, a2), (b1, b2) = run["dead_per_layer"][0], run["dead_per_layer"][-1]
    print(f"{label:>15}: dead (layer 1, layer 2) {a1:2d}, {a2:2d} → {b1:2d}, {b2:2d} | test accuracy after "
          f"6 epochs {run['test_acc_per_epoch'][5]:4.0%}, after 20 {run['test_acc']:4.0%}")

# %%
fig, ax = plt.subplots(figsize=(8, 3.2), layout="constrained")
for label, run in compare.items():
    act, _ = dying.VARIANTS[label]
    style = dict(ACTIVATION_STYLES[act])
    if label == "Leaky ReLU 0.01":  # the same colour as the 0.1 leak: a dotted line and hollow marks instead
        style.update(linestyle=":", markerfacecolor="none")
    ax.plot(run["dead"], lw=2, markevery=40, label=f"{label} ({run['test_acc']:.0%})", **style)
ax.legend(frameon=False, title="test accuracy after 20 epochs", loc="upper left", bbox_to_anchor=(1, 1))
tidy(ax, "training step", "units never positive (of 64)", "Same start: PReLU revives fastest; a 0.01 leak barely helps")
plt.show()

# %% [markdown]
# What each one reached, honestly. After 6 epochs only PReLU had recovered; Leaky ReLU at 0.1 was far
# from it, and at PyTorch's default 0.01 it was no better than ReLU. After 20 epochs Leaky ReLU at 0.1
# and PReLU both reached a good accuracy, Leaky ReLU at 0.01 was still well behind, and even ReLU had
# partly recovered, through its second layer, as we saw above. A bigger leak helps more here, but a leak
# is no instant cure. Note also that Leaky ReLU 0.1 reached 97% with 19 units that are still never
# positive: such a unit is not dead, since it passes `0.1 × x` to the next layer and still gets a gradient;
# it just works as a linear unit.
#
# **Why do the step-0 counts differ?** The four networks start from the same random weights (same seed;
# the activation layers draw no random numbers), so their first layers are identical: same pixels, same
# weights, same biases, same dead units. Their second layers differ because their *inputs* differ:
# where a first-layer unit is negative, ReLU passes 0, Leaky ReLU passes `negative_slope × x`, and PReLU
# passes `0.25 × x`. Those small negative numbers, times the second layer's weights, push some
# second-layer sums above 0 for some images. Checked:

# %%
nets = {label: dying.digits_mlp(act, bias_init=-1.0, negative_slope=slope)
        for label, (act, slope) in dying.VARIANTS.items()}
print("same weights in every layer:", all(np.array_equal(net[i].weight.data, nets["ReLU"][i].weight.data)
                                          for net in nets.values() for i in (0, 2, 4)))
for label, net in nets.items():
    counts = list(dying.never_positive_units(net, X_train).values())
    print(f"{label:>15}: dead before training (layer 1, layer 2) {counts}")

# %% [markdown]
# Why do the leaky units recover? Because they still receive a gradient. Here is the gradient that
# reaches the silent units of the first layer in one backward pass, at the very start of training:

# %%
for label, net in nets.items():
    g = dying.silent_unit_gradient(net, X_train, y_train)
    print(f"{label:>15}: {g['silent']} silent units, gradient size {g['grad_norm']:.4f}, "
          f"exactly zero: {g['grad_norm'] == 0.0}")

# %% [markdown]
# ReLU's silent units get exactly 0; the leaky ones get a small but real signal, and SGD uses it to
# pull their biases back up. The tiny frozen-unit network from before shows the same thing with Leaky ReLU:

# %%
thawed = dying.frozen_unit_demo("leaky_relu", num_steps=5)
print("unit 0 before:", thawed["before"])
print("unit 0 after: ", thawed["after"].round(4), "| bit-identical:", thawed["identical"])

# %% [markdown]
# **What PReLU learned.** Its slopes, one per hidden layer, after 6 and after 20 epochs:

# %%
slopes = compare["PReLU"]["alpha_per_epoch"]
print("after 6 epochs (layer 1, layer 2):", slopes[5].round(2))
print("layer 1's slope still grew after that:", bool(slopes[-1, 0] > slopes[5, 0]),
      "| layer 2's slope ended below 0.1:", bool(slopes[-1, 1] < 0.1))

# %% [markdown]
# A slope of 1.99 on the negative side means the first layer **no longer rectifies**: a negative input
# comes out almost twice as large (still negative), while a positive one passes unchanged. Nothing is set
# to 0 or shrunk; the unit is linear on each side, steeper on the left, with only a bend at 0. With
# every unit pushed below 0 at the start, the network found it more useful to make the "negative" side a
# working side than to wait for the biases to climb. Nothing keeps PReLU's slope small: it can drift
# towards a plain linear unit (slope 1) or past it, which is worth watching on harder problems.
#
# **A leak does not fix a learning rate that is far too large.** The same 5 seeds as before at lr 1.5,
# with Leaky ReLU (`negative_slope = 0.1`):

# %%
leaky_too_large = dying.seed_runs(1.5, 0.0, "leaky_relu", data=data)
good = sum(bool(r["test_acc"] >= 0.9) for r in leaky_too_large)
print(f"Leaky ReLU at lr 1.5: {good} of 5 seeds reached 90% test accuracy "
      f"(ReLU at lr 0.3: {sum(bool(r['test_acc'] >= 0.9) for r in too_large[0.3])} of 5)")

# %% [markdown]
# At lr 1.5 the Leaky ReLU runs are at the edge of blowing up (their weights overflow in some runs, on
# some computers); none of them trains well. Leaky ReLU keeps gradients flowing; it cannot make a bad
# step size good. Lower the learning rate first. And **dead is not always bad**: a few dead units in a
# large network cost little; the problem is when most of a layer dies, as here.
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
# For a slope between 0 and 1, `np.maximum(negative_slope * x, x)` is also a correct forward pass (the
# larger of `x` and `negative_slope · x` is `x` for positives and `negative_slope · x` for negatives). It
# breaks for slopes above 1, which PReLU can learn (it learned 1.99 above), so
# `np.where(x > 0, x, negative_slope * x)` is the safer habit. Here is the numerical check, using the
# course's reference:

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
# ## Summary
# - ReLU networks are **sparse**: on average 44% of our digit classifier's hidden outputs are exactly 0
#   (28% to 58% per test image). That comes from ReLU, not from training (the untrained network has even
#   more); a tanh network has none. Different digits switch on different units, so the zeros carry information.
# - Zeros do not make a dense layer faster (the product multiplies them anyway), and "sparsity reduces
#   overfitting" is a hypothesis from the literature, not something shown here.
# - A unit whose input is negative on every example is **dead**: ReLU's backward `dout * (x > 0)`
#   sends it exactly zero gradient, so SGD never changes its weights. A first-layer unit, whose inputs
#   are fixed pixels, stays dead; a second-layer unit can revive, because its inputs keep changing.
# - A negative starting bias kills units at once; too large a learning rate kills them while training.
#   Accuracy falls with them.
# - **Leaky ReLU** and **PReLU** keep a gradient flowing. Here, from bias −1 at lr 0.3, PReLU reached 97%
#   within 6 epochs; Leaky ReLU with slope 0.1 reached 40% after 6 epochs and 97% after 20; with PyTorch's
#   default 0.01 it reached 79% after 20, only a little above ReLU's 73%. PReLU did it by learning a
#   first-layer slope above 1 (1.99 after 6 epochs), so that layer stopped rectifying.
#   None of them rescues a learning rate that makes training blow up.
#
# ## Sources and further reading
# - Nair & Hinton (2010), *Rectified linear units improve restricted Boltzmann machines* (ICML): brought
#   `max(0, x)` units into modern neural networks and found that they learned better features than the
#   binary units they replaced.
# - Glorot, Bordes & Bengio (2011), *Deep sparse rectifier neural networks* (AISTATS): trained deep
#   networks of ReLU units without layer-by-layer pre-training, measured how sparse their activations are,
#   and argued, as a hypothesis, that this sparsity is part of why they work well.
# - Maas, Hannun & Ng (2013), *Rectifier nonlinearities improve neural network acoustic models* (ICML
#   workshop): introduced the leaky rectifier (a fixed small slope for negative inputs) in speech
#   recognition, where it did about as well as ReLU.
# - He, Zhang, Ren & Sun (2015), *Delving deep into rectifiers* (ICCV): made the negative slope a learned
#   parameter (PReLU) and derived the weight initialisation for ReLU networks that this course uses.
# - Lu, Shin, Su & Karniadakis (2019), *Dying ReLU and initialization: theory and numerical examples*
#   (arXiv:1903.06733): showed that a very deep, narrow ReLU network is likely to be dead from the start,
#   and proposed an initialisation that makes it less likely.

# %% [markdown]
# **Next:** [05 · Convolutions and feature maps](05_convolutions.ipynb) moves from single pixels to
# small patterns: a filter slides over an image, and ReLU keeps the places where the pattern is found.
