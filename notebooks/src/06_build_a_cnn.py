# %% [markdown]
# # 06 · Build a CNN
#
# Notebook 05 slid filters over the cat, kept what ReLU let through and pooled the maps. A convolutional
# network (CNN) stacks those steps into **layers**. To *learn*, every layer must also answer a second
# question, in its **backward pass**: which way should my input and my weights move to lower the loss?
# Here we open every layer of a small CNN, forward and backward, and find the line behind dying ReLU.
#
# **In this notebook you will**
# - trace a street scene through a small CNN layer by layer: the shapes, the feature maps, the parameters;
# - open each layer (Conv2d, ReLU, MaxPool2d, Flatten, Linear, the loss) as a forward/backward pair;
# - write ReLU's backward, `dout * (x > 0)`, and see why a unit that is never positive never learns;
# - check a backward pass against central differences, and recognise a check that fails;
# - write max pooling's backward and a convolution's weight gradient.
#
# **Time:** about 45 minutes. **Builds on:** [04 · Sparsity, dying ReLU and its fixes](04_sparsity_and_dying_relu.ipynb)
# (dead units) and [05 · Convolutions and feature maps](05_convolutions.ipynb) (convolution, pooling,
# output sizes).

# %%
import numpy as np
import matplotlib.pyplot as plt

from relulab import nn
from relulab.checks import check, peek
from relulab.experiments import cnn
from relulab.nn import reference
from relulab.plots import use_course_style
from relulab.widgets.conv import draw_grid, show_maps

use_course_style()

# %% [markdown]
# ## The network we will open
#
# Our CNN reads a colour picture of a street from notebook 02 (96 × 160 pixels, three colour channels)
# and gives two scores, one for "there is a red car" and one for "there is not". Two blocks of
# convolution → ReLU → max pooling find patterns; Flatten lays the maps out in one row; a Linear layer
# turns that row into the two scores. In the (N, C, H, W) layout of PyTorch and this course, one picture
# is a batch of N = 1:

# %%
model = cnn.small_cnn(seed=0)
scene = cnn.scene_batch()
print(model)
print("input:", scene.shape)

# %% [markdown]
# What comes out of each layer? Shapes follow from notebook 05's formula, ⌊(n + 2p − k) / s⌋ + 1:
# a 3 × 3 convolution with padding 1 keeps the size, a 2 × 2 pool halves it. The last column counts the
# numbers each layer *learns* (its weights and biases):

# %%
rows = cnn.shape_table(model, scene.shape)
print(cnn.format_shape_table(rows))
print(f"parameters in all: {cnn.parameter_counts(model)['total']:,}")

# %% [markdown]
# A first convolution has 8 filters, each 3 × 3 over 3 colour channels: 8 · 3 · 3 · 3 = 216 weights plus
# 8 biases, 224. The second has 16 filters over 8 channels, 16 · 8 · 9 + 16 = 1,168. ReLU, pooling and
# Flatten learn nothing. The Linear layer connects each of 15,360 numbers to each of 2 scores: 30,722
# parameters, 96 % of the network. Convolutions are cheap in parameters because one small kernel is
# reused at every position.
#
# ### Predict, then check
#
# A third block would start with `nn.Conv2d(16, 32, kernel_size=3, padding=1)`: 32 filters of 3 × 3 over
# the 16 channels coming out of the second pool. How many parameters does that layer learn? Count them
# (weights and biases) and write the number.

# %% tags=["exercise"]
predicted_parameters = None  # replace None with your count

# %% tags=["check"]
check.conv_parameters()

# %% [markdown]
# Whatever you predicted, measure it: build the layer and count its numbers.

# %%
third = nn.Conv2d(16, 32, kernel_size=3, padding=1, rng=np.random.default_rng(0))
print({name: p.data.shape for name, p in third.named_parameters()}, "->", cnn.parameter_counts(third)["total"])

# %% [markdown]
# **The shape tracer.** Move the slider to walk the street through the network. The panels show the
# first four maps coming out of the layer you pick (blue below 0, red above, when a layer can be negative;
# grey when it cannot); the readout gives the shape, how many numbers that is, and how many are exactly 0.

# %% tags=["nbval-ignore-output"]
from relulab.widgets import shape_tracer_explorer

tracer = shape_tracer_explorer()
tracer

# %%
tracer.still("After the first ReLU the street is eight maps of 96 × 160; channels 1 and 2 show the buildings, "
             "road and cars, channels 0 and 3 are almost entirely 0.")

# %% [markdown]
# The network is untrained (its weights are random), so its maps are not yet looking for anything in
# particular. Still, ReLU already sets about half of the numbers to exactly 0 (the readout counts them),
# mostly by silencing whole maps that are negative almost everywhere, and each pooling step keeps a
# quarter of the numbers. Notebook 07 trains this network.
#
# ## Every layer is a pair: forward and backward
#
# Training needs, for every weight, the **gradient**: how much the loss changes when that weight is
# nudged. Backpropagation (Rumelhart, Hinton and Williams, see the sources) gets all of them in one
# sweep backwards through the network, by the chain rule. Each layer only has to know its own local
# rule. The course writes every layer the way Stanford's cs231n course does, as two plain functions
# in `relulab.nn.reference`:
#
# - `out, cache = layer_forward(x, ...)`: compute the output, and remember (cache) what the backward needs;
# - `dx = layer_backward(dout, cache)`: given `dout`, the gradient of the loss with respect to the
#   layer's *output* (same shape as `out`), return `dx`, the gradient with respect to its *input* (same
#   shape as `x`), and for layers with weights also `dweight` and `dbias`.
#
# `dout` arrives from the layer above; `dx` is handed to the layer below as its `dout`. Let us open the
# layers one at a time on small arrays.
#
# **Conv2d.** Two images of 3 channels, 6 × 6; 4 filters of 3 × 3. The forward is notebook 05's loops;
# the backward runs the same loops and sends each output's gradient back to the window and the weights
# that made it. Every gradient has the shape of the thing it belongs to:

# %%
rng = np.random.default_rng(0)
x = rng.normal(size=(2, 3, 6, 6))
weight, bias = rng.normal(size=(4, 3, 3, 3)), np.zeros(4)
out, cache = reference.conv_forward(x, weight, bias, stride=1, padding=0)
dout = rng.normal(size=out.shape)  # pretend this came from the layer above
dx, dweight, dbias = reference.conv_backward(dout, cache)
print(f"x {x.shape} -> out {out.shape}")
print(f"dout {dout.shape} -> dx {dx.shape}, dweight {dweight.shape}, dbias {dbias.shape}")

# %% [markdown]
# **ReLU.** Forward: max(0, x). Backward: ReLU's slope is 1 where the input was positive and 0 where
# it was negative, so the gradient passes where `x > 0` and is blocked everywhere else:

# %%
x = np.array([-2.0, 3.0, 0.0, -0.5, 0.5])
out, cache = reference.relu_forward(x)
dx = reference.relu_backward(np.ones_like(x), cache)  # dout = 1 everywhere
print("x          ", x)
print("relu(x)    ", out)
print("dx (dout=1)", dx)

# %% [markdown]
# At exactly 0, ReLU has no slope (it has a corner there); the course, like PyTorch, uses 0.
#
# **MaxPool2d.** Notebook 05's 4 × 4 map, 2 × 2 pooling. Only the largest value of each window reached
# the output, so only it receives that window's gradient; the three others get 0:

# %%
small = np.array([[0.0, 0.9, 0.0, 0.0], [0.2, 0.0, 0.0, 0.4], [0.0, 0.0, 0.7, 0.0], [0.0, 0.1, 0.0, 0.0]])
out, cache = reference.max_pool_forward(small[None, None], 2)
dout = np.array([[1.0, 2.0], [3.0, 4.0]])
dx = reference.max_pool_backward(dout[None, None], cache)
fig, axes = plt.subplots(1, 3, figsize=(9, 3.2), width_ratios=[4, 2, 4])
draw_grid(axes[0], small, "the map x")
draw_grid(axes[1], dout, "dout, one per window")
draw_grid(axes[2], dx[0, 0], "dx: each dout lands on its window's largest")
plt.show()

# %% [markdown]
# **Flatten** only rearranges: its backward reshapes `dout` back to the maps' shape. **Linear** computes
# `out = x @ weight.T + bias`; its backward gives `dx = dout @ weight`, `dweight = dout.T @ x` and
# `dbias = dout.sum(axis=0)`:

# %%
maps = rng.normal(size=(2, 16, 3, 4))
flat, flat_cache = reference.flatten_forward(maps)
weight, bias = rng.normal(size=(2, 16 * 3 * 4)), np.zeros(2)
scores, linear_cache = reference.linear_forward(flat, weight, bias)
dflat, dweight, dbias = reference.linear_backward(np.ones_like(scores), linear_cache)
print(f"maps {maps.shape} -> flat {flat.shape} -> scores {scores.shape}")
print(f"dscores {scores.shape} -> dflat {dflat.shape} -> dmaps {reference.flatten_backward(dflat, flat_cache).shape}")

# %% [markdown]
# **The loss.** Softmax turns the two scores into probabilities, and the cross-entropy loss is
# −log(probability of the right answer). Its gradient with respect to the scores is strikingly simple:
# the probabilities minus 1 at the right answer (divided by N). With scores 2 and 0 and the right answer
# being class 0:

# %%
loss, dscores = reference.softmax_cross_entropy(np.array([[2.0, 0.0]]), np.array([0]))
print(f"loss = {loss:.3f}; dscores = {dscores.round(3)}")

# %% [markdown]
# Softmax gives class 0 a probability of 0.881, so the loss is −log 0.881 = 0.127, and the gradient
# says: raise score 0 (−0.119: the loss goes down when it goes up), lower score 1 (+0.119).
#
# **All of it at once.** Chain the pairs and you have backpropagation through the whole network. Here
# on the red car cut out of the street (32 × 48 pixels, so the loops finish quickly), with a copy of our
# network built for that size and the label 0 ("red car"): forward through every layer, the loss, then
# backward in reverse order.

# %%
car = cnn.car_crop()
small_model = cnn.small_cnn(seed=0, height=32, width=48)
by_reference = cnn.reference_pass(small_model, car, [0])
for row in by_reference["rows"]:
    print(f"{row['name']:<13} forward -> {str(row['out']):<16} backward -> dx {row['dx']}")
print(f"loss {by_reference['loss']:.2f}")

# %% [markdown]
# Read the backward column from the bottom up: each layer's `dx` has the shape of its own input, which
# is the shape of the layer before's output. The layer classes of `relulab.nn` (`nn.Conv2d`, `nn.ReLU`,
# ...) compute the same numbers without Python loops (notebook 05's im2col), in float32. Do they agree
# with the loops?

# %%
by_layers = cnn.layer_pass(small_model, car, [0])
for name, grad in by_reference["grads"].items():
    error = nn.relative_error(grad, by_layers["grads"][name])
    print(f"{name:<9} {str(grad.shape):<15} same as the layers (relative difference below 1e-5): {error < 1e-5}")

# %% [markdown]
# ## Backprop through ReLU
#
# The most important line of this notebook is ReLU's backward:
#
# ```python
# dx = dout * (x > 0)
# ```
#
# `x > 0` is the **mask**: True where the input was positive. Where it is False, whatever gradient
# arrives is multiplied by 0. Your turn: write `relu_backward(dout, x)`, which takes the gradient `dout`
# from above and the input `x` that the forward pass saw (both of any shape), and returns `dx`.
#
# (Some code computes the mask from the forward's *output* instead, `out > 0`. For ReLU that is the same
# mask, since max(0, x) is positive exactly where x is, including at 0, so either is right. The check
# watches for the mistakes that are not: a forgotten mask, a mask taken from the sign of `dout`, a mask
# the wrong way round, or passing the gradient at exactly 0.)

# %% tags=["exercise"]
def relu_backward(dout, x):
    """dout: gradient of the loss w.r.t. relu(x); x: the input of the forward. -> dx, shaped like x."""
    # Your code here: replace the line below.
    raise NotImplementedError


# %% tags=["check"]
check.relu_backward()

# %% tags=["peek"]
peek("relu_backward")

# %% [markdown]
# ### A unit that is never positive never learns
#
# Follow the mask one step further down. A unit of a Linear layer computes z = w · x + b for every
# example, then ReLU. The gradient of its weights is a sum over the examples of (its `dx` from ReLU) ×
# (the input). If z is negative for *every* example, the mask is 0 for every example, so the sum is 0:
# the weights get no gradient at all, whatever the loss wants. Here are four units on 64 examples; unit 2
# has a bias of −4, which pushes its input below 0 everywhere:

# %%
dead = cnn.dead_unit_gradients(seed=0)
for unit in range(4):
    print(f"unit {unit}: input positive for {dead['active'][unit]:4.0%} of the examples, largest input "
          f"{dead['max_input'][unit]:+.2f}, size of its weight gradient {dead['grad_norm'][unit]:.2f}")

# %% [markdown]
# Units 0, 1 and 3 are positive for about half of the examples and get a gradient. Unit 2 gets exactly 0:
# gradient descent will never change its weights or its bias, so nothing will ever make it positive again.
# That is the **dead ReLU** of [notebook 04](04_sparsity_and_dying_relu.ipynb), and this is its mechanism:
# not that 0 is a bad output, but that `dout * (x > 0)` is 0 for every example, so no step of training
# can move it. Leaky ReLU's backward never multiplies by exactly 0, which is why it cannot die this way.
#
# **The gradient mask on a feature map.** The explorer takes one of the first convolution's eight maps of
# the street (every fourth pixel) as the input to ReLU, adds a bias you choose, and sends back a gradient
# of 1 from every position. The middle panel is what a backward returns, the right panel what central
# differences (next section) measure; the readout runs the gradient check. Try: a bias of −2 (no
# position passes: for this picture the whole map gets no gradient); channel 1, which is positive almost
# everywhere; and the broken backwards in the last menu.

# %% tags=["nbval-ignore-output"]
from relulab.widgets import relu_gradient_explorer

mask = relu_gradient_explorer()
mask

# %%
mask.still("Channel 5 of the first convolution, bias 0: only the red (positive) places, the walls of two "
           "buildings and the red car, pass the gradient, and the backward's mask matches central differences "
           "square for square.")

# %% [markdown]
# **Read it off the explorer.** Keep channel **5** and the right backward, and move the bias to **−0.5**.
# What percentage of the positions does the gradient reach now? Type the number before the % sign.

# %% tags=["exercise"]
gradient_share = None  # replace None with the percentage the readout shows, e.g. 12.5 for 12.5%

# %% tags=["check"]
check.gradient_share()

# %% [markdown]
# One thing the explorer shows is worth saying aloud: the backward with the mask *forgotten* passes the
# gradient check on channel 1 with a bias of +2, because there every input is positive, and where every
# input is positive, forgetting the mask changes nothing. A gradient check only tests the inputs you give
# it: give it inputs of both signs.
#
# ## Gradient checking
#
# How do we know a backward pass is right? Measure the slope directly. Nudge one input up by a tiny ε,
# then down, and see how much the loss changes:
#
# $$\frac{\partial L}{\partial x_i} \approx \frac{L(x + \varepsilon e_i) - L(x - \varepsilon e_i)}{2\varepsilon}$$
#
# This **central difference** costs two forward passes per number, far too slow for training but
# perfect for testing. `cnn.backward_check` uses the loss L = sum(out × dout) for a random `dout`, so
# that the backward's `dx` should equal this measured gradient, and compares the two with a relative
# error, |a − b| / (|a| + |b|) over the whole array. It runs in float64 and keeps the inputs away from
# ReLU's corner at 0 (a nudge across the corner measures a slope of ½, which is no one's answer).
# First the right backwards, then three deliberately broken ones:

# %%
x = cnn.check_input((2, 3, 6, 6))
for name, (forward, backward) in {**cnn.RIGHT, **cnn.BROKEN}.items():
    error = cnn.backward_check(forward, backward, x)["relative_error"]
    verdict = "passes: error below 1e-8" if error < 1e-8 else f"FAILS: error {error:.2f}"
    print(f"{name:<52} {verdict}")

# %% [markdown]
# A right backward agrees with the measurement to about nine digits (the rest is rounding); a broken one is
# off by tens of per cent. There is nothing in between to interpret: errors around 1e-7 or smaller mean
# right, errors above 1e-2 mean a bug. What does a failure look like up close? The forgotten mask, entry
# by entry, on the first few inputs:

# %%
forward, backward = cnn.BROKEN["ReLU, mask forgotten: dx = dout"]
failed = cnn.backward_check(forward, backward, x)
print("x          ", x.ravel()[:6].round(2))
print("backward dx", failed["analytic"].ravel()[:6].round(2))
print("measured   ", failed["numerical"].ravel()[:6].round(2))

# %% [markdown]
# **Question (in words, 2 points).** Before you read on: in the three rows just printed, the broken
# backward and the measurement agree on five of the six entries and differ on the fourth. What is special
# about that entry, and why does the measurement say 0 there?

# %% [markdown] tags=["written", "points-2"]
# *Write your answer here.*

# %% [markdown]
# Wherever x is negative the broken backward passes `dout` through, while the measurement says 0: moving
# a negative input a little does not move ReLU's output at all. The disagreement points straight at the
# bug. The same test works on whole layers with weights; `nn.gradcheck` checks the input gradient and
# every parameter's:

# %%
layer = nn.Conv2d(3, 4, 3, padding=1, rng=np.random.default_rng(1))
errors = nn.gradcheck(layer, cnn.check_input((2, 3, 5, 5)), rng=np.random.default_rng(2))
print({name: f"below 1e-8: {error < 1e-8}" for name, error in errors.items()})

# %% [markdown]
# ## Your turn: max pooling's backward
#
# Write `max_pool_backward(dout, x)` for 2 × 2 pooling with stride 2. `x` is (N, C, H, W), `dout` is
# (N, C, H // 2, W // 2). Start from `dx = np.zeros_like(x)`; for each window, find its largest cell and
# add that window's `dout` there. When several cells tie for the largest (after ReLU, a window of four
# zeros is common), send it to the first one in reading order, as `np.argmax` does; rows or columns
# that fill no window (an odd H or W) get 0. The check also runs a gradient check.

# %% tags=["exercise"]
def max_pool_backward(dout, x):
    """2 × 2 max pooling, stride 2. dout: (N, C, H // 2, W // 2), x: (N, C, H, W) -> dx: (N, C, H, W)."""
    # Your code here: replace the line below.
    raise NotImplementedError


# %% tags=["check"]
check.max_pool_backward()

# %% tags=["peek"]
peek("max_pool_backward")

# %% [markdown]
# ## Your turn: a convolution's weight gradient
#
# One channel, valid padding, as in notebook 05: `out[i, j] = sum(image[i:i+k, j:j+k] * weight)`.
# Weight `[a, b]` multiplies `image[i + a, j + b]` in *every* output `(i, j)`, so its gradient adds up
# `dout[i, j] * image[i + a, j + b]` over all of them. Write `conv_weight_grad(image, dout)`: `image` is
# (H, W), `dout` is (H − k + 1, W − k + 1), and the result has the kernel's shape (k, k), with
# k = H − dout rows + 1. (Once it works, look at the peek and at the check's message: the result is itself
# a convolution.)

# %% tags=["exercise"]
def conv_weight_grad(image, dout):
    """image: (H, W), dout: (H - k + 1, W - k + 1) -> dweight: (k, k), the gradient of the loss w.r.t. the kernel."""
    # Your code here: replace the line below.
    raise NotImplementedError


# %% tags=["check"]
check.conv_weight_grad()

# %% tags=["peek"]
peek("conv_weight_grad")

# %% [markdown]
# ## The whole network on the street
#
# Back to the full street scene of notebook 02 and the network from the start:

# %%
plt.figure(figsize=(4.8, 3))
plt.imshow(scene[0].transpose(1, 2, 0))  # (C, H, W) -> (H, W, C) for showing
plt.title("the street: a red car and a blue one")
plt.axis("off")
plt.show()

# %% [markdown]
# Here are four maps from each of the network's first six layers, top to bottom: convolution, ReLU,
# pooling, and again.

# %%
outputs = cnn.trace(model, scene)
fig, axes = plt.subplots(6, 4, figsize=(11, 8.6), layout="constrained")
for axes_row, (name, out) in zip(axes, outputs[1:7], strict=True):
    show_maps(axes_row, out[0, :4], [f"{name}, channel {c}" for c in range(4)], signed=bool((out < 0).any()))
fig.suptitle("Each ReLU turns the blue (negative) parts of a map to 0; each pool keeps a quarter of the numbers")
plt.show()

# %% [markdown]
# The convolutions' maps (rows 1 and 4) are negative (blue) in some channels and places and positive
# (red) in others; the ReLU rows below them keep only the red parts, so a map that was blue almost
# everywhere becomes almost all black (0). The pooled rows are the same pictures at half the size. The
# last layers turn the 15,360 numbers of the last pooled maps into two scores:

# %%
empty_street = cnn.scene_batch(cars=("blue", "white", "yellow"))  # the same street without the red car
for label, picture in {"this street": scene, "a street with no red car": empty_street}.items():
    scores = model(picture)[0]
    p_red = 1 / (1 + np.exp(scores[1] - scores[0]))  # softmax of two scores
    print(f"{label:<25} scores: red car {scores[0]:+.2f}, no red car {scores[1]:+.2f} -> P(red car) = {p_red:.0%}")
print(f"zeros after each ReLU: {', '.join(f'{v:.0%}' for v in nn.fraction_zeros(model, scene).values())}")

# %% [markdown]
# The untrained network says "red car" with confidence, and it says so just as confidently about a
# street with no red car in it: its weights are random, so its answer is right here only by chance.
# Every piece needed to change that is now in place: a forward pass, a loss, and a backward pass that
# gives each of the 32,114 parameters its gradient.
#
# ### A question to answer in words
#
# The dead unit above had a bias of −4. In two or three sentences: why can gradient descent never rescue
# it, even though the loss would go down if it fired? And what would a Leaky ReLU, with its slope of 0.01
# below 0, change in the backward pass?

# %% [markdown] tags=["written", "points-2"]
# *Write your answer here.*

# %% [markdown]
# > **Explain it like I'm five.** A message goes backwards along a line of people, from the last to the
# > first: "a bit more of this, a bit less of that". Each person passes it on only if they spoke up on
# > the way forwards; the ones who stayed silent (ReLU said "zero") pass back nothing. Keep what helps,
# > zero what doesn't, both ways. Someone who stays silent for every picture never hears a message again.
#
# ## Summary
# - A CNN is a stack of layers: Conv2d, ReLU and MaxPool2d, repeated, then Flatten, Linear and the loss.
#   Our small one turns (1, 3, 96, 160) into 2 scores with 32,114 parameters, 96 % of them in the Linear layer.
# - Every layer is a forward/backward pair: `out, cache = forward(x)`, `dx = backward(dout, cache)`; each
#   gradient has the shape of what it belongs to, and chaining the backwards in reverse is backpropagation.
# - ReLU's backward is `dout * (x > 0)`. A unit whose input is negative for every example gets a gradient
#   of exactly 0, so it can never change: the dead ReLU of notebook 04.
# - Max pooling sends each window's gradient to its largest cell; a convolution's weight gradient adds up
#   `dout` times the image under every position (a convolution of the image with `dout`).
# - A gradient check compares a backward with central differences: right backwards agree to below 1e-8,
#   broken ones are off by tens of per cent. It only tests the inputs you give it: use both signs.

# %% [markdown]
# ## Sources and further reading
# - D. E. Rumelhart, G. E. Hinton and R. J. Williams (1986), *Learning representations by
#   back-propagating errors*, Nature 323. Backpropagation: the chain rule applied layer by layer, from
#   the output back, gives every weight its gradient in one backward sweep.
# - Y. LeCun, L. Bottou, Y. Bengio and P. Haffner (1998), *Gradient-based learning applied to document
#   recognition*, Proceedings of the IEEE. LeNet-5: convolution, subsampling and fully connected layers
#   trained end to end by backpropagation, the layout of the network in this notebook.
# - V. Nair and G. E. Hinton (2010), *Rectified linear units improve restricted Boltzmann machines*, ICML.
#   The paper that brought ReLU into neural-network practice.
# - A. Krizhevsky, I. Sutskever and G. E. Hinton (2012), *ImageNet classification with deep convolutional
#   neural networks*, NeurIPS. A large CNN with ReLU after every convolution, trained several times faster
#   than with tanh; it made ReLU the default in CNNs.
# - Stanford's CS231n course notes, *Convolutional Neural Networks for Visual Recognition*: the
#   forward/backward pairs with a cache, and gradient checking with central differences and relative
#   errors, as this notebook uses them.

# %% [markdown]
# **Next:** [07 · Train a CNN](07_train_a_cnn.ipynb) puts this network to work: it trains it on generated
# street scenes to spot the red car, with a live loss curve, and shows the filters it learns.
