# %% [markdown]
# # 03 · Why ReLU?
#
# A network is a stack of layers, and between the layers sits an *activation function*. Why put
# anything there at all, and why has `max(0, x)` become the usual choice instead of the smooth
# S-shaped sigmoid that older networks used? This notebook answers with experiments, not slogans.
#
# **In this notebook you will**
# - see numerically that two linear layers without a bend between them are just one layer, and watch
#   a tiny ReLU network separate two half-moons that no straight line can;
# - learn how training works, on one weight with a learning-rate slider: epochs, batches, loss,
#   learning rate, momentum and initialisation;
# - compare what sigmoid and ReLU keep of the red-car scores +10 and +8;
# - measure how the training signal fades layer by layer in deep sigmoid networks, and what
#   initialisation does for ReLU networks;
# - time ReLU against sigmoid and tanh, find out what really makes ReLU networks train faster, see what
#   a too-large step does to each, and write the slopes of ReLU and of sigmoid yourself.
#
# **Time:** about 50 minutes. **Builds on:** [01 · The rule](01_the_relu_rule.ipynb) and
# [02 · ReLU as a filter](02_relu_as_a_filter.ipynb).
#
# > **Explain it like I'm five.** Imagine passing a message down a long line of friends. The sigmoid
# > friends each whisper it a quarter as loud as they heard it, so the friends at the far end hear
# > nothing. The ReLU friends either repeat the message exactly as loud as they heard it, or, if it is
# > not for them, stay quiet. Keep what helps, zero what doesn't, and what is kept arrives at full
# > strength. (Start a ReLU line too loud, though, and nothing stops the message from getting louder at
# > every friend: section 7 shows why the starting volume, the initialisation, matters.)

# %%
import numpy as np
import matplotlib.pyplot as plt

from relulab.activations import relu, sigmoid, sigmoid_grad, tanh_grad
from relulab.checks import check, peek
from relulab.plots import ACTIVATION_STYLES, PALETTE, draw_decision, tidy, use_course_style
from relulab.data import moons
from relulab.experiments.nonlinearity import collapse_linear, stacked_vs_collapsed, train_moons
from relulab.experiments.models import ACTIVATIONS
from relulab.experiments.nonlinearity import BATCH_SIZE, MOMENTUM, NUM_EPOCHS, bumpy, fit_hinges
from relulab.experiments.nonlinearity import best_runs, race_health, race_to_accuracy
from relulab.experiments.descent import VERDICTS, descent_path, largest_stable_lr
from relulab.experiments.gradients import keeps_detail, signal_profiles, layer_signal_sizes
from relulab.experiments.gradients import ACTIVATION_NAMES, per_layer_factor, shrink_factor, shrink_text
from relulab.experiments.gradients import time_activations, time_layer
from relulab.widgets import descent_explorer, detail_explorer, gradient_explorer, hinge_explorer

use_course_style()

# %% [markdown]
# ## 1. Without a bend, two layers are one
#
# A *linear layer* multiplies its input by a matrix of weights and adds a bias: `W1 @ x + b1`.
# Feed that into a second linear layer and you get `W2 @ (W1 @ x + b1) + b2`. Multiply out the
# brackets and it becomes `(W2 @ W1) @ x + (W2 @ b1 + b2)`: one matrix `W` and one bias `b`. However
# many linear layers you stack, the result is a single linear layer in disguise. Let's check with
# random numbers: 3 inputs, 5 hidden units, 2 outputs.

# %%
rng = np.random.default_rng(seed=0)
W1, b1 = rng.normal(size=(5, 3)), rng.normal(size=5)
W2, b2 = rng.normal(size=(2, 5)), rng.normal(size=2)
x = rng.normal(size=3)

two_layers = W2 @ (W1 @ x + b1) + b2
W, b = collapse_linear(W1, b1, W2, b2)  # W = W2 @ W1, b = W2 @ b1 + b2
one_layer = W @ x + b
print("two stacked layers:", two_layers.round(4))
print("one collapsed layer:", one_layer.round(4))
print("np.allclose:", np.allclose(two_layers, one_layer),
      f"| largest difference: {np.max(np.abs(two_layers - one_layer)):.12f}")

# %% [markdown]
# Identical, up to the last rounding digit of the computer's arithmetic. Now put ReLU between the two
# layers and try the same shortcut on 100 random inputs:

# %%
plain = stacked_vs_collapsed(seed=0, n_points=100)
bent = stacked_vs_collapsed(seed=0, n_points=100, activation=relu)
print(f"no activation:  same as one layer? {plain['same']}, largest difference {plain['max_diff']:.12f}")
print(f"ReLU in between: same as one layer? {bent['same']}, largest difference {bent['max_diff']:.2f}")

# %% [markdown]
# With ReLU in between there is no single matrix that does the same job. That is the first claim this
# notebook checks: **an activation function adds non-linearity; without it, a network of any depth
# can only learn linear relationships** (straight lines, flat planes).
#
# To see what the bend buys, we are about to *train* networks. Training has a vocabulary of its own,
# so first a short primer.
#
# ## 2. How a network learns, on one weight
#
# Take the smallest model there is: one weight `w`, which predicts `w · x`. We have three examples,
# x = 0.5, 1.0, 1.5 with targets 1.1, 1.9, 3.1 (about twice x). The **loss** measures how wrong the model
# is: here the mean of the squared errors, `mean((w · x − y)²)`. As a function of `w` it is a bowl, lowest
# near w = 2. Training is walking down the bowl: **gradient descent** starts somewhere (here w = −1),
# measures the slope of the loss there, and steps against it:
#
# $$ w \leftarrow w - \text{lr} \times \text{slope of the loss at } w. $$
#
# The **learning rate** `lr` sets how far each step goes. Move the slider and watch twelve steps. Try
# 0.02, 0.3, 0.75 and 0.9.

# %% tags=["nbval-ignore-output"]
descent = descent_explorer(lr=0.3)
descent

# %%
descent.still("At learning rate 0.3 the twelve steps walk down the bowl-shaped loss curve from w = −1 and "
              "reach the bottom near w = 2 in four steps; the loss per step falls and then stays flat.")

# %% [markdown]
# The readout names four kinds of learning rate. The same four, computed for one rate of each kind:

# %%
for lr in [0.02, 0.3, 0.75, 0.9]:
    print(descent_path(lr).describe())
print(f"The four verdicts, smallest rate first: {', '.join(VERDICTS)}.")
print(f"On this bowl any rate above {largest_stable_lr():.2f} diverges.")

# %% [markdown]
# Too small, and training is slow: every step is right but tiny. Too large, and each step jumps over
# the bottom; larger still, and each jump lands higher up the other side than the last, so the loss
# grows without end. In between, the weight settles in a few steps, even if it zig-zags on the way. A
# real network has thousands of weights and a bumpy landscape instead of a bowl, but the same four
# behaviours, and you will meet all of them in this course.
#
# The rest of the vocabulary, one sentence each:
#
# - **Loss**: one number that says how wrong the model is on some examples; for classification we use
#   *cross-entropy*, which is small when the model gives the right class a high probability.
# - **Batch**: the slope is measured on a small random group of examples at a time, not on all of
#   them; one step per batch. (That makes it *stochastic* gradient descent, SGD.)
# - **Epoch**: one pass through all the training examples, batch by batch, in a new random order each
#   time.
# - **Learning rate**: the size of each step, as on the slider.
# - **Momentum**: each step also keeps part of the previous step's motion, like a ball rolling downhill;
#   with momentum 0.9 a slope that keeps pointing the same way moves the weight up to 1 / (1 − 0.9) = 10
#   times as far as the learning rate alone would.
# - **Initialisation**: the random values the weights start from. Their scale matters: we come back to
#   it in section 7.
#
# Every training run in this notebook uses these settings (read from the code that trains them):

# %%
print(f"optimizer: SGD with momentum {MOMENTUM}, batches of {BATCH_SIZE} examples")
print(f"400 training points -> {int(np.ceil(400 / BATCH_SIZE))} steps per epoch; {NUM_EPOCHS} epochs in section 3")
print("loss: cross-entropy; initialisation:", ", ".join(f"{ACTIVATIONS[name].init} for {name}"
                                                        for name in ACTIVATION_NAMES), "(biases start at 0)")

# %% [markdown]
# ## 3. A problem no straight line can solve
#
# Here are two interleaved half-moons of points, generated by scikit-learn (no download). A linear
# model draws one straight boundary. A network with two hidden layers of 16 ReLU units can bend its
# boundary. Both are trained the same way, with `nn.fit` from the course's numpy engine, at learning
# rate 0.1; this takes well under a second.

# %%
X, y = moons(400, seed=0)  # 400 training points
X_test, y_test = moons(400, seed=1000)  # 400 fresh points to test on
data = (X, y, X_test, y_test)
linear = train_moons(None, data=data)  # one Linear layer
net = train_moons("relu", data=data)  # Linear, ReLU, Linear, ReLU, Linear
print(f"linear model:  test accuracy {linear['test_acc']:.2f}")
print(f"ReLU network:  test accuracy {net['test_acc']:.2f}")
print(net["model"])

# %%
fig, axes = plt.subplots(1, 2, figsize=(8.5, 3.4), sharey=True)
draw_decision(axes[0], linear["model"], X_test, y_test,
              f"A straight line gets only {linear['test_acc']:.0%} right")
draw_decision(axes[1], net["model"], X_test, y_test,
              f"ReLU units bend the boundary: {net['test_acc']:.0%}")
axes[1].legend(frameon=False, fontsize=8, loc="lower right")
plt.show()

# %% [markdown]
# The linear model does the best a straight line can and still misclassifies the tips of both moons.
# The ReLU network's boundary is made of straight pieces joined at bends, one bend per place where some
# unit switches between "off" (0) and "on" (its input).
#
# ## 4. Any curve from hinges
#
# Notebook 01 showed that two shifted ReLUs add up to a ramp. Push the idea further: a "hinge"
# `relu(x − k)` is flat until `k` and then rises. A weighted sum of a straight line and N hinges,
#
# $$ f(x) = a + b\,x + w_1\,\mathrm{relu}(x - k_1) + \dots + w_N\,\mathrm{relu}(x - k_N), $$
#
# changes its slope by `w_i` at each knot `k_i`. Put the knots evenly across the range and choose the
# weights by least squares (`fit_hinges`), and the sum traces a bumpy curve better and better:

# %%
x_grid = np.linspace(-np.pi, np.pi, 400)
target = bumpy(x_grid)  # sin(2x) + 0.3 cos(5x)
for n in [0, 2, 3, 5, 10, 20, 30]:
    print(f"{n:>2} hinges: root-mean-square error {fit_hinges(x_grid, target, n)['error']:.3f}")

# %% [markdown]
# Move the slider. With 0 hinges you get the best straight line; every hinge adds one bend. The small
# triangles mark where the bends are.

# %% tags=["nbval-ignore-output"]
hinges = hinge_explorer(n=3)
hinges

# %%
hinges.still("Three evenly spaced ReLU hinges give a line with three bends that follows the wavy target "
              "curve only roughly (root-mean-square error 0.611).")

# %% [markdown]
# Two things to notice. The error falls steadily as N grows, and a straight line (N = 0) is
# hopeless, which is the claim again: without the bend, no amount of weights helps. But 3 hinges did
# *worse* than 2: with fixed, evenly spaced knots, adding one moves all the others, and they may land
# in poor places. A real network does not have that handicap: each ReLU unit's weight and bias set
# where its hinge sits, and training moves them to where they are needed. That is what the 16-unit
# network above did with the moons.

# %% [markdown]
# **Your turn: measure.** How few evenly spaced hinges are enough to bring the root-mean-square error
# under 0.05? The printout above jumps from 10 hinges to 20 and, as 2 and 3 showed, the error does not
# always fall, so measure: call `fit_hinges(x_grid, target, n)["error"]` for n = 0, 1, 2, … in a short
# loop, stop at the first n under 0.05, and store it in `fewest_hinges`.

# %% tags=["exercise"]
# Your code here: measure, then replace None with the number you found.
fewest_hinges = None

# %% tags=["check"]
check.fewest_hinges()

# %% tags=["peek"]
peek("fewest_hinges")

# %% [markdown]
# ## 5. ReLU keeps the size of a score
#
# Back to the red-car detector of notebook 02. It scored a red shape +10, a grey road −3, a blue sky −5
# and a red bumper +8. Here is what ReLU and sigmoid (`1 / (1 + exp(−x))`, which squashes every number
# into the range 0 to 1) pass on to the next layer:

# %%
for part, score in [("red shape", 10), ("grey road", -3), ("blue sky", -5), ("red bumper", 8)]:
    print(f"{part:<11} {score:>+3}:  sigmoid → {sigmoid(score):.5f}   relu → {relu(score):g}")

# %% [markdown]
# Sigmoid turns +10 and +8 into 0.99995 and 0.99966: almost the same number. ReLU passes on 10 and 8.
# What can the next layer still tell apart?

# %%
d = keeps_detail(10, 8)
print(f"sigmoid: difference {d['sigmoid_diff']:.5f}, ratio {d['sigmoid_ratio']:.5f}")
print(f"relu:    difference {d['relu_diff']:.5f}, ratio {d['relu_ratio']:.5f}")
print(f"slope at 10 (how much a nudge of the score moves the output): "
      f"sigmoid {d['sigmoid_slope_a']:.6f}, relu {d['relu_slope_a']:g}")

# %% [markdown]
# After ReLU, "a strong red signal" (10) and "a somewhat weaker one" (8) differ by 2 and by a ratio of
# 1.25: plenty for the next layer. After sigmoid they differ by 0.0003. The information is not
# strictly gone (a next-layer weight of several thousand could blow the gap up again), but such a
# weight would also blow up every other bit of noise, and the slope of 0.00005 means training barely
# notices when the score changes. In practice, sigmoid has squashed the detail away. This is the claim
# that **ReLU keeps the size of positive values, where sigmoid squashes everything into (0, 1)**.
#
# Try other pairs of scores. Which pairs can sigmoid still keep apart? (Hint: look near 0.) And what
# does ReLU do to two negative scores, such as the road and the sky?

# %% tags=["nbval-ignore-output"]
detail = detail_explorer(a=10, b=8)
detail

# %%
detail.still("For scores 10 and 8 the two sigmoid bars are both at the top, almost equal in height, while "
             "the two ReLU bars stand at 10 and 8.")

# %% [markdown]
# The second question points at a simplification in the source texts. ReLU keeps the *size* of
# positive scores but throws away the size of negative ones: after ReLU the road (−3) and the sky (−5)
# are both 0 and the next layer can no longer tell them apart. That is fine when "how negative" does
# not matter; the network learns to arrange its units so that what it needs ends up on the positive
# side of *some* unit.
#
# ## 6. Saturation: sigmoid's slope is never more than 0.25
#
# Training adjusts each weight in proportion to a *gradient*: how much the loss changes when that
# weight moves a little (the slope of section 2, one per weight). For a weight deep inside the network,
# the chain rule multiplies that signal by the slope of every activation it passes on the way back. So
# the slopes matter. Here are sigmoid and its slope `s · (1 − s)`:

# %%
x_plot = np.linspace(-8, 8, 401)
sig, tnh = ACTIVATION_STYLES["sigmoid"], ACTIVATION_STYLES["tanh"]
fig, ax = plt.subplots(figsize=(6, 3.2))
ax.plot(x_plot, sigmoid(x_plot), color=sig["color"], lw=2, label="sigmoid(x)")
ax.plot(x_plot, sigmoid_grad(x_plot), lw=2.5, markevery=40, label="slope of sigmoid", **sig)
ax.plot(x_plot, tanh_grad(x_plot), lw=2, markevery=40, label="slope of tanh, for comparison", **tnh)
ax.annotate("peak 0.25 at x = 0", (0, 0.25), xytext=(1.5, 0.45), arrowprops={"arrowstyle": "->"})
ax.axhline(1, color=PALETTE["grey"], lw=0.8, ls="--")
tidy(ax, "input x", "value", "Sigmoid's slope peaks at 0.25 and is ~0 beyond ±5")
ax.legend(frameon=False, fontsize=8, loc="center left")
plt.show()

# %% [markdown]
# Away from 0 the curve goes flat: it **saturates**, and its slope there is close to 0. Even at its
# very best, at 0, the slope is only 0.25. Pass back through ten sigmoid layers and, weights aside, the
# signal is multiplied by at most 0.25 ten times:

# %%
for depth in [1, 5, 10, 30]:
    print(f"{depth:>2} layers: 0.25 ** {depth} = {0.25 ** depth:.1e}")

# %% [markdown]
# ReLU's slope is exactly 1 wherever a unit is on, so the activation itself passes the signal back
# unchanged through every active unit (the weights still scale it, which is where initialisation comes
# in). Tanh's slope reaches 1 at 0 but saturates like sigmoid's further out.
#
# ## 7. Gradient size, layer by layer
#
# Bounds are one thing; let's measure. The experiment: a network of 64-unit layers, freshly
# initialised, a batch of 128 random inputs with random labels, one backward pass of the cross-entropy
# loss. For each layer we record the size of its weight gradient (`nn.grad_norms`) and the size of its
# output. We do this for every depth from 2 to 30 hidden layers and for three initialisations: each
# activation's usual one (He for ReLU, Xavier for sigmoid and tanh), He for all, and Xavier for all.
# (Xavier draws weights with variance 1 / 64 here, He with 2 / 64: He's factor 2 makes up for ReLU
# zeroing about half of its inputs.) All of it is computed once, so the explorer below only has to pick
# which curves to show.

# %%
profiles = signal_profiles(depths=range(2, 31))  # {init: {activation: {depth: sizes}}}
usual = profiles["usual"]
print("How many times smaller the first layer's gradient is than the last layer's (usual init):")
print(f"{'hidden layers':>13}" + "".join(f"{name:>10}" for name in ACTIVATION_NAMES))
for depth in [2, 5, 10, 20, 30]:
    factors = [shrink_factor(usual[name][depth]["grad"]) for name in ACTIVATION_NAMES]
    print(f"{depth:>13}" + "".join(f"{f:>10.2g}" for f in factors))

# %% [markdown]
# The first/last ratio hides *how* the gradient shrinks. Layer by layer, the geometric mean of the step
# from one hidden layer to the next tells: if it is about the same at every depth, the gradient loses
# the same factor at every layer.

# %%
print("Gradient change per layer toward the input (geometric mean over the hidden layers; × = grows):")
for depth in [5, 10, 20, 30]:
    print(f"{depth:>2} hidden layers: " + ", ".join(
        f"{name} {shrink_text(per_layer_factor(usual[name][depth]['grad']))}" for name in ACTIVATION_NAMES))

# %% [markdown]
# Move the depth slider and switch the initialisation. The vertical axes are logarithmic: each gridline
# is ten times the one below, so a gradient that shrinks by the same factor at every layer is a straight
# falling line.

# %% tags=["nbval-ignore-output"]
signal = gradient_explorer(depth=10, init="usual", profiles=profiles)
signal

# %%
signal.still("With 10 hidden layers and each activation's usual initialisation, sigmoid's weight gradient "
             "falls in a straight line toward the input on the log axis, losing about the same factor at "
             "every layer, while tanh's and ReLU's stay within a small factor; sigmoid's and ReLU's "
             "outputs keep their size and tanh's shrink slowly.")

# %% [markdown]
# **Read it off the explorer.** Move the depth slider to **20** hidden layers, keeping the usual
# initialisation. The first phrase of the readout gives the factor by which sigmoid's weight gradient
# shrinks at every layer on its way back to the input ("gradient ÷… per layer toward the input"). Type
# that factor.

# %% tags=["exercise"]
sigmoid_shrink = None  # replace None with the number after the ÷ sign

# %% tags=["check"]
check.sigmoid_shrink()

# %% [markdown]
# **Question (in words, 3 points).** Before you read on, move the depth slider between 5 and 30 and watch
# the left panel. What does the figure show about depth: how does the gradient that reaches the first
# layers of a sigmoid network change as you add layers, and what does that mean for how fast those first
# layers can learn? What does ReLU's curve do instead?

# %% [markdown] tags=["written", "points-3"]
# *Write your answer here.*

# %% [markdown]
# In the sigmoid network the gradient shrinks by about the same factor, roughly 4, at every layer: a
# straight line on the log axis. So the first layers of a deep sigmoid network get a signal millions or
# billions of times weaker than the last ones, and they hardly learn at all. That is the **vanishing
# gradient**, and switching sigmoid to He initialisation does not cure it (the explorer shows a smaller
# factor, still several per layer): its slope is at most 0.25 however the weights start. The claim that
# **ReLU mitigates it** holds up: in the ReLU network the gradient changes by a factor near 1 per layer
# and the first layer's stays within a small factor of the last one's, however deep the stack. (The
# first layer sees the raw inputs and the last one is the output layer, which differ for reasons
# unrelated to the activation.)
#
# Now switch to "Xavier for all" and look at ReLU on the right. ReLU has no ceiling: sigmoid's outputs
# stay between 0 and 1 and tanh's between −1 and 1 whatever the weights, but a ReLU unit passes on
# whatever positive number it gets. So the scale of the weights alone decides whether a ReLU network's
# outputs shrink, hold or grow from layer to layer:

# %%
for init, gain, label in [("xavier", 1.0, "Xavier"), ("he", 1.0, "He"), ("he", 1.5, "He, weights × 1.5")]:
    out = layer_signal_sizes(30, "relu", init, gain=gain)["output"]
    print(f"ReLU, {label:<18} output size at hidden layer 1: {out[0]:.2g}, at hidden layer 30: {out[-1]:.2g}")
out = layer_signal_sizes(30, "tanh", "he", gain=1.5)["output"]
print(f"tanh, {'He, weights × 1.5':<18} output size at hidden layer 1: {out[0]:.2g}, at hidden layer 30: {out[-1]:.2g}")

# %% [markdown]
# With Xavier's weights a ReLU network's outputs fade to almost nothing by layer 30 (and with them every
# gradient, evenly: that is why the gradient curve is level but low); with weights 1.5 times He's they
# grow by about 1.5 at every layer, to hundreds of thousands at layer 30, while tanh's stay below 1.
# He's initialisation is the scale at which ReLU's outputs hold their size. That is why initialisation
# matters so much for ReLU, and why every ReLU network in the course starts with He's weights.
#
# The fuller picture for tanh: started with Xavier initialisation, it also keeps its gradient at
# initialisation, because its slope is 1 near 0 and Xavier keeps the inputs to each unit small. Tanh's
# trouble comes later, when training pushes units into the flat parts of the curve (section 9 shows
# it). Sigmoid has no such luck: its slope is at most 0.25 even at its best point.
#
# ## 8. Is ReLU cheaper to compute?
#
# The sources say ReLU is simple, so training is faster. The first half is easy to measure: apply each
# activation once to 10 million numbers in float32. How sigmoid is *written* turns out to matter as much
# as what it is, so we time three versions of it: the course's (two branches around `exp(−|x|)`, which
# never overflows; the same formula as `nn.Sigmoid`), the plain `1 / (1 + np.exp(−x))`, and
# `0.5 * (1 + np.tanh(x / 2))`, which is the same function. Your timings will differ from anyone
# else's; the ratios printed are from this very run.

# %% tags=["nbval-ignore-output"]
t = time_activations(n=10_000_000, repeats=3)
for name, label in [("relu", "np.maximum(x, 0)"), ("tanh", "np.tanh(x)"), ("sigmoid", "two-branch sigmoid"),
                    ("sigmoid_plain", "1 / (1 + np.exp(-x))"), ("sigmoid_tanh", "0.5 * (1 + np.tanh(x / 2))")]:
    print(f"{label:>27}: {t[name] * 1000:6.1f} ms   ({t['ratio_' + name]:.1f}× ReLU's time)")

# %% [markdown]
# ReLU is a single comparison per number. Every version of sigmoid takes several times longer. The
# course's two-branch sigmoid is the slowest: it computes both branches for every number and then picks
# one, which is the price of never overflowing. The plain formula is faster (it does overflow, harmlessly,
# for inputs below about −88), and writing sigmoid through tanh lands near the plain one. So "sigmoid is
# slow" is partly an implementation choice. And a good part of each of these times goes into moving
# 10 million numbers to and from memory, not into arithmetic: each extra step of a formula is one more
# pass over them. On a GPU that is even more so: element-wise activations are limited by memory
# traffic, so ReLU, tanh and sigmoid cost about the same there.
#
# But how much of a layer's work is the activation anyway? A dense layer first multiplies a batch of
# 256 inputs of width 1024 by a 1024 × 1024 weight matrix, *then* applies the activation to the result:

# %% tags=["nbval-ignore-output"]
cost = time_layer(batch=256, width=1024, repeats=5)
print(f"matrix product: {cost['matmul'] * 1000:.2f} ms")
for name in ["relu", "tanh", "sigmoid"]:
    print(f"{name:>8}: {cost[name] * 1000:.2f} ms, {cost['share_' + name]:.0%} of the layer's forward pass")

# %% [markdown]
# For ReLU and tanh the activation is a sliver of the layer's time. The course's two-branch sigmoid
# takes a noticeable share (how much depends on the machine); a plainer sigmoid would take less. In a
# training step the matrix product counts three times (the forward pass and two products in the
# backward pass), and in a convolutional network the convolutions dominate even more. So a cheaper
# activation saves some time per step. It is not where ReLU's real advantage lies.
#
# ## 9. The race, and what a too-large step does
#
# The real advantage is **how many steps training needs**, because the gradient reaches every layer.
# Let's race: the small moons network from section 3, trained with ReLU, tanh and sigmoid until it gets
# 95% of the test points right (at most 200 epochs), for three learning rates and three seeds each.

# %% tags=["nbval-ignore-output"]
from tqdm.auto import tqdm  # progress bars

rates = [0.1, 0.3, 1.0]
race = {lr: race_to_accuracy({name: lr for name in ACTIVATION_NAMES}, seeds=(0, 1, 2),
                             progress=tqdm, desc=f"runs at lr {lr}")
        for lr in rates}

# %%
print("epochs to reach 95% test accuracy, one number per seed (— = not within 200 epochs):")
print(f"{'lr':>5}" + "".join(f"{name:>16}" for name in ACTIVATION_NAMES))
for lr in rates:
    cells = [" ".join(str(r["epochs"]) if r["epochs"] else "—" for r in race[lr][name])
             for name in ACTIVATION_NAMES]
    print(f"{lr:>5}" + "".join(f"{cell:>16}" for cell in cells))

# %% [markdown]
# Epochs are what a learning curve counts; what you wait for is seconds. The same runs in seconds on
# this machine, each activation at the learning rate where it needed the fewest epochs (your times will
# differ, and tiny runs like these are noisy, but sigmoid's should stay many times ReLU's):

# %% tags=["nbval-ignore-output"]
for name, best in best_runs(race).items():
    print(f"{name:>8} at lr {best['lr']}: median {best['epochs']:.0f} epochs, {best['seconds']:.2f} s to 95%")

# %% [markdown]
# Read each column at its best learning rate. Sigmoid needs many times more epochs than ReLU (and many
# times more seconds), and the larger its learning rate the better it does: its small slopes make every
# step small. Tanh is between the two. ReLU, at its best, needs the fewest epochs.
#
# Now the bottom row. At lr = 1.0, with momentum 0.9 (so a steady slope moves a weight up to ten times
# that far in one step), sigmoid trains, and neither ReLU nor tanh ever gets there. ReLU is not immune
# to a bad learning rate, and it does not fail the way tanh does. Let's look inside those networks,
# at the 32 hidden units of each, on its own training points:

# %%
health = race_health({lr: race[lr] for lr in (0.1, 1.0)}, seeds=(0, 1, 2))
relu_dead = {lr: [h["dead"] for h in health[lr]["relu"]] for lr in (0.1, 1.0)}
tanh_sat = {lr: [h["saturated"] for h in health[lr]["tanh"]] for lr in (0.1, 1.0)}
tanh_stuck = [h["stuck"] for h in health[1.0]["tanh"]]
print(f"lr 0.1, when each run reached 95%: dead ReLU units {relu_dead[0.1]} of 32; "
      f"tanh outputs beyond ±0.99: {', '.join(f'{s:.0%}' for s in tanh_sat[0.1])}")
print("lr 1.0, after 200 epochs:")
print(f"  ReLU: more than half of the 32 units dead in every run? {all(d > 16 for d in relu_dead[1.0])}")
print(f"  tanh: more than 95% of all outputs beyond ±0.99 in every run? {all(s > 0.95 for s in tanh_sat[1.0])}")
print(f"  tanh: more than a third of the units pinned at ±1 on every point? {all(k > 32 / 3 for k in tanh_stuck)}")

# %% [markdown]
# The exact counts of each run at lr 1.0 (this cell's numbers are not checked: at such a large step the
# last digits of the arithmetic, which differ between processors, decide exactly which units die):

# %% tags=["nbval-ignore-output"]
for h, r in zip(health[1.0]["relu"], race[1.0]["relu"], strict=True):
    print(f"relu: {h['dead']} of 32 units dead, test accuracy {r['test_acc']:.2f}")
for h, r in zip(health[1.0]["tanh"], race[1.0]["tanh"], strict=True):
    print(f"tanh: {h['stuck']} of 32 units pinned, {h['saturated']:.1%} of outputs saturated, "
          f"test accuracy {r['test_acc']:.2f}")

# %% [markdown]
# Two different ways to fail. A **dead** ReLU unit outputs 0 for every training point: its input is
# negative everywhere, its slope there is exactly 0, so no gradient reaches its weights; it can only come
# back if the layers before it change what it receives (notebook 04 shows when that happens). At lr 1.0
# the large steps push most units into that flat half, and after 200 epochs more than half of them are
# still there. A **saturated** tanh unit outputs almost exactly +1 or −1: its slope `1 − a²` is below
# 0.02 there, so its gradient is not zero, but tiny; at lr 1.0 more than 95% of tanh's outputs sit
# there. Either way the network stops learning: no run gets to 95%, and many end
# near 50%, a coin toss. Even at lr 0.1 a few ReLU units died on the way to 95%. Dead units are ReLU's
# own weakness, and the next notebook is about them.

# %% [markdown]
# So, the honest version of the claim that **ReLU is simple and cheap to compute, so training is
# faster**: it *is* cheaper than sigmoid, by an amount that depends on how sigmoid is written, but that
# saves only a sliver of each step; training is faster mainly because ReLU networks need far fewer
# steps, since the gradient does not vanish. And a ReLU network pays for its flat half when the steps
# are too large: its units die.
#
# ## Your turn: the slopes of ReLU and sigmoid
#
# Write `relu_derivative(x)`: the slope of ReLU, for a single number **and** for a numpy array of
# any shape (without changing `x`). Left of 0 the slope is 0, right of 0 it is 1. At exactly 0 ReLU
# has a corner and no true slope; the course, like PyTorch, uses **0** there. (Any value between 0 and
# 1 is a mathematically valid choice, so the check accepts those too, and tells you.)

# %% tags=["exercise"]
def relu_derivative(x):
    """The slope of ReLU at x (a number or an array): 1 where x > 0, 0 elsewhere."""
    # Your code here: replace the line below.
    raise NotImplementedError


# %% tags=["check"]
check.relu_derivative()

# %% tags=["peek"]
peek("relu_derivative")

# %% [markdown]
# Now `sigmoid_derivative(x)`. The course's `sigmoid` is already imported; its slope is `s · (1 − s)`
# where `s = sigmoid(x)`. Your function should give 0.25 at 0.

# %% tags=["exercise"]
def sigmoid_derivative(x):
    """The slope of sigmoid at x (a number or an array)."""
    # Your code here: replace the line below.
    raise NotImplementedError


# %% tags=["check"]
check.sigmoid_derivative()

# %% tags=["peek"]
peek("sigmoid_derivative")

# %% [markdown]
# These two little functions are the whole story of this notebook: one returns 1 on every active unit,
# the other at most 0.25 and usually far less.
#
# ## Where the sources oversimplify
#
# - *"ReLU is simple, so training is faster."* It is cheaper to compute than sigmoid (and how much
#   depends on how sigmoid is written), but the matrix products cost more than the activation (far
#   more than ReLU), and on a GPU element-wise activations cost about the same. Training is faster
#   mainly because fewer steps are needed.
# - *"ReLU prevents saturation."* Only on the positive side. For negative inputs ReLU's slope is 0, as
#   flat as a saturated sigmoid. At lr = 1.0 most of our ReLU units ended up there for good: the "dying
#   ReLU" of the next notebook.
# - *"ReLU keeps the important details."* It keeps the size of positive values; the size of negative
#   ones is lost (−3 and −5 both become 0). And because nothing bounds it, it keeps the size of
#   *everything* positive, noise included: its outputs hold steady only when the weights start at the
#   right scale (He's).
# - *Sigmoid vs "the others".* Tanh, properly initialised, is far less troubled than sigmoid; the big
#   gap is between sigmoid and everything else.
#
# ## Summary
# - Without an activation, stacked linear layers collapse into one matrix (checked with `np.allclose`);
#   ReLU's bend is what lets a network separate the moons and trace a curve with hinges.
# - Training is gradient descent: steps against the slope of the loss, sized by the learning rate (too
#   small creeps, too large zig-zags or diverges), taken batch by batch, epoch after epoch; our runs use
#   SGD with momentum 0.9 and batches of 32.
# - Sigmoid turns +10 and +8 into 0.99995 and 0.99966; ReLU keeps 10 and 8 apart.
# - Sigmoid's slope is at most 0.25, so in a deep sigmoid network the gradient shrinks by about the same
#   factor at every layer, whatever the initialisation; with ReLU and He initialisation it changes by a
#   factor near 1 per layer and stays within a small factor at any depth. ReLU is unbounded, so its
#   initialisation decides whether its outputs fade, hold or grow.
# - ReLU is cheaper than sigmoid, but the matrix products take most of a training step. Its real
#   advantage is trainability: far fewer epochs. Too large a step breaks it differently from tanh:
#   ReLU's units die, tanh's saturate.
#
# ## Sources and further reading
#
# - Xavier Glorot and Yoshua Bengio (2010), *Understanding the difficulty of training deep feedforward
#   neural networks*, AISTATS. They watched the activations and gradients of deep sigmoid and tanh
#   networks during training, found sigmoid's top layers saturating early, and proposed drawing the
#   starting weights at a scale that keeps signals about the same size from layer to layer: the
#   "Xavier" initialisation used here for sigmoid and tanh.
# - Vinod Nair and Geoffrey Hinton (2010), *Rectified Linear Units Improve Restricted Boltzmann
#   Machines*, ICML. Replaced binary stochastic units with rectified ones in restricted Boltzmann
#   machines and got better object and face recognition: an early case for `max(0, x)`.
# - Xavier Glorot, Antoine Bordes and Yoshua Bengio (2011), *Deep Sparse Rectifier Neural Networks*,
#   AISTATS. Showed that deep networks of rectifiers train well from a random start, matching or beating
#   tanh networks, and that their activations are sparse (notebook 04).
# - Alex Krizhevsky, Ilya Sutskever and Geoffrey Hinton (2012), *ImageNet Classification with Deep
#   Convolutional Neural Networks*, NeurIPS. The network that won ImageNet 2012 used ReLU; on CIFAR-10
#   their four-layer ReLU network reached 25% training error about six times faster than the same
#   network with tanh, the kind of race section 9 runs in miniature.
# - Kaiming He, Xiangyu Zhang, Shaoqing Ren and Jian Sun (2015), *Delving Deep into Rectifiers:
#   Surpassing Human-Level Performance on ImageNet Classification*, ICCV. Worked out the starting scale
#   for ReLU networks (variance 2 / inputs, the "He" initialisation of section 7), with which very deep
#   ReLU networks train from scratch, and introduced PReLU, which learns the slope of ReLU's negative side.

# %% [markdown]
# **Next:** [04 · Sparsity, dying ReLU and its fixes](04_sparsity_and_dying_relu.ipynb) looks at the flat half of
# ReLU: how many units are off at any moment, when units switch off for good (as they did at lr 1.0),
# and the Leaky and Parametric ReLUs that bring them back.
