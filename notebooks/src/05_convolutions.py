# %% [markdown]
# # 05 · Convolutions and feature maps
#
# In notebook 02 a filter slid over the cat photo and ReLU kept the strong edges. That sliding is a
# **convolution**, the operation that gives convolutional networks (CNNs) their name. Here we open it:
# one output worked out by hand, then the same thing as loops you write yourself, then as one matrix
# product, and the proof that all three give the same numbers. Then we use it: many filters on the cat
# at once (feature maps), max pooling, and the arithmetic of stride and padding.
#
# **In this notebook you will**
# - compute one output of a convolution by hand, then write the loops that compute them all;
# - see the fast version, where every window becomes a column and one matrix product does the rest;
# - design 3 × 3 filters in a kernel editor and compare each raw, signed response with what ReLU keeps;
# - stack many filters into feature maps and shrink them with max pooling, and see what pooling keeps;
# - predict the output size of a stack of layers from kernel size, stride and padding.
#
# **Time:** about 40 minutes. **Builds on:** [02 · ReLU as a filter](02_relu_as_a_filter.ipynb) (edge
# filters on the cat) and [04 · Sparsity, dying ReLU and its fixes](04_sparsity_and_dying_relu.ipynb)
# (the zeros that ReLU makes).

# %%
import numpy as np
import matplotlib.pyplot as plt

from relulab.activations import relu
from relulab.checks import check, peek
from relulab.data import cat_image
from relulab.experiments import conv
from relulab.nn import functional as F
from relulab.plots import tidy, use_course_style
from relulab.widgets.conv import draw_grid, show_maps

use_course_style()

# %% [markdown]
# ## One output, by hand
#
# Here is a tiny picture, 5 × 5 pixels (0 is dark, 2 is bright), darker on the left than on the right,
# and a 3 × 3 **kernel** (also called a filter): −1 in its left column, +1 in its right column. Put the
# kernel on the top-left 3 × 3 window of the picture, multiply each pixel by the weight on top of it,
# and add up the nine products. That sum is one output.

# %%
image, kernel = conv.EXAMPLE_IMAGE, conv.EXAMPLE_KERNEL
shown = conv.multiply_adds(image, kernel, 0, 0)
print("window (rows 0-2, columns 0-2):\n", shown["pixels"])
print(" + ".join(shown["terms"]), "=", shown["total"])

# %% [markdown]
# Only the right column counts positively and the left column negatively, so the output says how much
# brighter the right side of the window is than its left side: the right column adds up to 1 + 1 + 2 = 4,
# the left column to 0, so the output is 4. Slide the window one pixel to the right
# and do it again; then along every row. A 3 × 3 kernel fits in 3 positions across a 5-pixel row (its
# left edge at column 0, 1 or 2), and 3 down, so the output is 3 × 3:

# %%
out = F.conv2d(image, kernel)
fig, axes = plt.subplots(1, 3, figsize=(9, 3.2), width_ratios=[5, 3, 3])
draw_grid(axes[0], image, "the image, first window outlined", box=(0, 0, 3))
draw_grid(axes[1], kernel, "the kernel", signed=True)
draw_grid(axes[2], out, "output: right brighter than left > 0", signed=True, box=(0, 0, 1))
plt.show()

# %% [markdown]
# The outlined window gives the outlined output. The largest outputs sit where the picture changes
# from dark to bright going right; the one negative output, bottom right, is where it gets *darker*
# to the right (the last column drops from 2 to 1). This kernel is a small **vertical-edge detector**.
#
# ## Now as loops: your turn
#
# Write `conv2d(image, kernel)` for one channel: `image` is an (H, W) array, `kernel` a (k, k) array.
# The output has one value for every place the kernel fits entirely inside the image ("valid"
# padding), so it is (H − k + 1) × (W − k + 1). Output `[i, j]` is the sum of
# `image[i:i+k, j:j+k] * kernel`. Do not change `image`: build a new array for the output.

# %% tags=["exercise"]
def conv2d(image, kernel):
    """One-channel convolution, valid padding: (H, W) and (k, k) -> (H - k + 1, W - k + 1)."""
    # Your code here: replace the line below.
    raise NotImplementedError


# %% tags=["check"]
check.conv2d()

# %% tags=["peek"]
peek("conv2d")

# %% [markdown]
# The course's own loop version, `conv.conv2d_loops`, is the same two loops (with stride and padding,
# which come later). From here on the notebook uses the course's fast version, `F.conv2d` (the
# `functional` module of `relulab.nn`, imported as `F` at the top, as PyTorch users write it); your
# `conv2d` stays yours.

# %% [markdown]
# ## Fast: every window becomes a column
#
# Loops in Python are slow: the cat photo has 33,004 window positions for a 3 × 3 kernel, and each one
# is a separate little sum. The trick behind fast convolutions (called **im2col**, "image to columns")
# is to copy every window into one column of a matrix first. Then all outputs come out of a single
# matrix product: the kernel, flattened into one row, times the matrix of columns. For our 5 × 5 image
# there are 9 windows of 9 pixels each:

# %%
columns = conv.im2col(image, 3)
print("columns:", columns.shape, "(9 pixels per window, 9 windows)")
print(columns)
print("kernel as one row @ columns, reshaped to 3 × 3:\n", (kernel.ravel() @ columns).reshape(3, 3))

# %% [markdown]
# The first column is the first window read row by row (0, 0, 1, 0, 0, 1, 0, 1, 2), and the product
# gives the same 3 × 3 output as before. The copy costs memory (a pixel sits in up to 9 columns), but
# matrix products are what numpy, and every deep-learning library, does fastest. The course's `F.conv2d`
# works this way (through `einsum`, which forms the same product without spelling out the matrix).
#
# **The proof that all three agree.** On a random 30 × 40 image with a random 5 × 5 kernel: every
# output by hand (the multiply-adds listed one by one), the loops, the im2col product and the course's
# `F.conv2d`.

# %%
rng = np.random.default_rng(0)
test_image, test_kernel = rng.normal(size=(30, 40)), rng.normal(size=(5, 5))
by_hand = np.array([[conv.multiply_adds(test_image, test_kernel, i, j)["total"] for j in range(36)]
                    for i in range(26)])
versions = {"loops": conv.conv2d_loops(test_image, test_kernel),
            "im2col": conv.conv2d_im2col(test_image, test_kernel), "F.conv2d": F.conv2d(test_image, test_kernel)}
for name, result in versions.items():
    same = np.allclose(result, by_hand, rtol=0, atol=1e-12)
    print(f"{name:<8} shape {result.shape}, same numbers as by hand (to 12 decimals): {same}")

# %% [markdown]
# All three agree with the sums worked out one multiply-add at a time. (Not always to the last digit:
# adding the same numbers in a different order can change the 16th significant digit, hence the
# tolerance.) And the speed, on the cat photo (the exact times depend on your machine, so we print only
# the verdict):

# %%
import timeit

cat = cat_image()
seconds = {name: min(timeit.repeat(lambda fn=fn: fn(cat, kernel), number=1, repeat=3))  # best of three
           for name, fn in {"loops": conv.conv2d_loops, "im2col": conv.conv2d_im2col}.items()}
print("the loops took more than 10 times as long as im2col:", seconds["loops"] > 10 * seconds["im2col"])

# %% [markdown]
# **Convolution or cross-correlation?** In mathematics and signal processing, "convolution" turns the
# kernel by 180° before sliding it; deep-learning libraries (PyTorch's `conv2d` too, and ours) slide it
# as it is, which is strictly a *cross-correlation*, and since the network learns its kernels anyway the
# difference does not matter. For our edge kernel, flipping turns "brighter to the right" into "brighter
# to the left", so every output changes sign:

# %%
print("slid as it is (deep learning):\n", F.conv2d(image, kernel))
print("flipped first (textbook convolution):\n", conv.true_convolution(image, kernel))

# %% [markdown]
# ## Filters on the cat
#
# Now the real photo: scikit-image's cat, in grey levels, 150 × 225 pixels. Each column below is one
# 3 × 3 filter: Sobel's vertical, horizontal and diagonal edge detectors, a blur and a sharpen filter.
# The top row is the raw response with its sign (blue negative, white 0, red positive); the bottom row
# is the same map after ReLU, on the same colour scale.

# %%
names = ["vertical edge", "horizontal edge", "diagonal / edge", "blur", "sharpen"]
maps = conv.feature_maps(cat, {name: conv.preset(name) for name in names})
fig, axes = plt.subplots(2, 5, figsize=(13, 4.6), layout="constrained")
show_maps(axes[0], maps["raw"], [f"{n}: raw" for n in names], limit=1.2)
show_maps(axes[1], maps["kept"], [f"after ReLU: {f:.0%} kept" for f in maps["fraction_kept"]], limit=1.2)
fig.suptitle("Edge filters answer + and −, and ReLU keeps one sign; blur and sharpen are almost all positive")
plt.show()

# %%
for name, raw, kept in zip(names, maps["raw"], maps["fraction_kept"], strict=True):
    print(f"{name:<16} raw from {raw.min():+.2f} to {raw.max():+.2f}; ReLU keeps {kept:.1%}")

# %% [markdown]
# Each edge filter's raw map is about half red, half blue: an outline that is brighter on one side
# gives a positive answer, the opposite outline a negative one, and smooth fur something near 0. ReLU
# keeps only one kind of edge, roughly half the map. The vertical filter lights up along the sides of
# the eyes and the nose, the horizontal one along the upper and lower rims of the eyes. The blur
# and the sharpen filter have weights that add up to 1, and the picture is never negative, so their
# response is positive almost everywhere: for them ReLU changes next to nothing. ReLU only filters
# when a filter can answer "no".
#
# **The ears.** The source this course builds on promises that ReLU helps a network notice the shape of
# a cat's ears. In this photo the ears are cut off by the top edge: only their lower parts remain, in
# the top-left and top-right corners. (Notebook 02 is getting a generated cat silhouette with whole
# ears; it is not on this notebook's branch yet, so we use a corner.) In the top-right corner the
# outline of the right ear runs up and to the right, with the bright fur on its left and the dark
# background on its right. Notebook 02's smoothed 7 × 7 "/" filter looks for a "/" edge that is
# brighter on the *other* side:

# %%
from relulab.experiments import edges

corner = cat[:60, 145:]  # the top-right corner: what the photo leaves of the right ear
raw = F.conv2d(corner, edges.make_kernel("diagonal / edge"))
answers = {"raw response of the / filter": raw, "ReLU(raw − 0.05)": relu(raw - 0.05),
           "ReLU(−raw − 0.05): sign flipped": relu(-raw - 0.05)}
fig, axes = plt.subplots(1, 4, figsize=(12, 2.8), layout="constrained")
axes[0].imshow(corner, cmap="gray", vmin=0, vmax=1)
tidy(axes[0], None, None, "top-right corner of the cat")
show_maps(axes[1:], list(answers.values()), list(answers), limit=0.3)
fig.suptitle("The ear's outline is a blue (negative) line: ReLU drops it, the flipped filter keeps it")
plt.show()

# %% [markdown]
# The ear's outline is the long blue stripe of the raw response: a strong answer, with the "wrong"
# sign for this filter. ReLU throws it away; the same filter with its signs flipped keeps it (and, at the
# bottom, a piece of the eye's rim). So it is not ReLU that knows where the ear is. The filter (its shape and
# its sign) chooses what counts as evidence and ReLU removes the rest, which is why a network learns
# filters of both signs. In the top-left corner the left ear's outline against the bright background is
# closer to vertical in the photo, a job for the vertical-edge filter.

# %% [markdown]
# ## The kernel editor
#
# Your turn to design filters. Type nine weights into the grid (press Enter or click elsewhere to
# apply), or pick a preset, and move the bias. The left panel is the raw response plus the bias; the
# right panel is what ReLU keeps; the readout says what share of the map survives. Try: the vertical
# edge with its signs flipped (the other kind of edge survives); a kernel of nine 1/9s (a plain blur);
# a large negative bias (only the strongest edges survive). A box that is empty or holds something that
# is not a number gets a message, and the maps wait for a number.

# %% tags=["nbval-ignore-output"]
from relulab.widgets import kernel_explorer

kernel_explorer()

# %%
kernel_explorer().still("The vertical-edge preset on the cat: the raw response is red where the picture gets "
                        "brighter to the right and blue where it gets darker; after ReLU about half the map, the "
                        "red half, is kept.")

# %% [markdown]
# ## Many filters at once: feature maps
#
# A convolution layer in a CNN does not use one filter, it uses many, and each one produces its own map.
# These maps are called **feature maps** or **channels**. In the (N, C, H, W) layout of PyTorch and of
# this course, four filters on one grey picture give an output with C = 4 channels:

# %%
bank = {name: conv.preset(name) for name in ["vertical edge", "horizontal edge", "diagonal / edge", "diagonal \\ edge"]}
weight = np.stack(list(bank.values()))[:, None]  # (F, C, k, k) = (4, 1, 3, 3)
feature_maps = relu(F.conv2d(cat[None, None], weight, bias=np.full(4, -0.2)))
print("input", cat[None, None].shape, "-> weights", weight.shape, "-> feature maps", feature_maps.shape)
print("share kept per channel:", [f"{m.mean():.1%}" for m in (feature_maps[0] > 0)])

# %%
fig, axes = plt.subplots(1, 5, figsize=(13, 2.6), layout="constrained")
show_maps(axes[:4], feature_maps[0], list(bank), limit=1.0, signed=False)
show_maps(axes[4:], [feature_maps[0].max(axis=0)], ["largest of the four"], limit=1.0, signed=False)
fig.suptitle("Four ReLU'd feature maps (bias −0.2): each keeps its own kind of edge")
plt.show()

# %% [markdown]
# With a bias of −0.2 each channel keeps only its strongest edges, 13 to 15 per cent of the pixels;
# together, the last panel shows, they trace the outlines of the eyes, the nose and the stripes. The
# next convolution layer reads all four channels at once: its kernels are (C, k, k), one k × k slice per
# channel, so it can combine "an edge going this way here and that way there" into corners, curves and,
# layer by layer, larger shapes.
#
# ## Max pooling: keep the strongest, forget exactly where
#
# Feature maps are large. **Max pooling** shrinks them: cut the map into 2 × 2 blocks and keep the
# largest value of each. On a small example:

# %%
small = np.array([[0.0, 0.9, 0.0, 0.0], [0.2, 0.0, 0.0, 0.4], [0.0, 0.0, 0.7, 0.0], [0.0, 0.1, 0.0, 0.0]])
print("feature map:\n", small)
print("2 × 2 max pooling:\n", conv.max_pool(small, 2))
print("the values it kept sit at:\n", conv.pool_winners(small, 2).astype(int))

# %% [markdown]
# What it keeps: the strongest answer in each block, so "there is an edge somewhere around here, this
# strong". What it throws away: three values out of four, and *where* in the block the winner was
# (0.9 sat in the top row of its block and 0.4 in the bottom row of its block; after pooling both are
# just "somewhere in this block").
# On a ReLU'd map the values it drops are often zeros anyway. On the cat, 2 × 2 and 4 × 4 pooling of the
# vertical-edge map:

# %%
vertical = feature_maps[0, 0]
pooled = {"ReLU'd vertical edges": vertical, "2 × 2 max pool": conv.max_pool(vertical, 2),
          "4 × 4 max pool": conv.max_pool(vertical, 4)}
fig, axes = plt.subplots(1, 3, figsize=(11, 2.7), layout="constrained")
show_maps(axes, list(pooled.values()), [f"{k}: {v.shape[0]} × {v.shape[1]}" for k, v in pooled.items()],
          limit=1.0, signed=False)
fig.suptitle("Pooling keeps the strong edges and sixteen times fewer numbers (4 × 4)")
plt.show()

# %% [markdown]
# **Translation tolerance.** Move the cat a few pixels to the right and filter it again. The ReLU'd map
# moves too, so pixel by pixel it is a different map. How different, with pooling and without? We
# measure the average change of each map (inside a margin, so the edge of the picture does not count)
# relative to its average value: 0 means identical.

# %%
moved = conv.translation_change(cat, conv.preset("vertical edge"), [0, 1, 2, 3, 4], pool=4, bias=-0.2)
print("shift (pixels)      ", "  ".join(f"{s:>5}" for s in moved["shifts"]))
print("ReLU'd map changes  ", "  ".join(f"{v:5.0%}" for v in moved["map_change"]))
print("after 4 × 4 pooling ", "  ".join(f"{v:5.0%}" for v in moved["pooled_change"]))

# %% [markdown]
# **Question (in words, 2 points).** Before you read on: a shift of one pixel changes the ReLU'd edge map
# by 105%, but the map after 4 × 4 pooling by only 29%. Explain why pooling changes so much less, and why
# its advantage shrinks as the shift grows to 4 pixels (184% against 108%).

# %% [markdown] tags=["written", "points-2"]
# *Write your answer here.*

# %% [markdown]
# A shift of one pixel changes the thin, sparse edge map by about as much as the map is large (an edge
# that was here is now next door), while the pooled map changes by less than a third of that: the
# strongest edge in a 4 × 4 block usually stays in the same block. The tolerance fades as the shift
# grows towards the block size; pooling tolerates *small* shifts, it does not make a network blind to
# position. LeCun and colleagues built LeNet (see the sources) on this idea: convolution and
# subsampling layers in turn, each adding a little tolerance to shifts and distortions.
#
# ## Stride and padding
#
# Two more settings decide where the windows go. The **stride** is how far the kernel jumps between
# positions (1: every pixel; 2: every other pixel, which halves the output). **Padding** adds a border of
# zeros around the input, so the kernel can also sit on the edge pixels; with a 3 × 3 kernel, padding 1
# keeps the output as large as the input. For an n × n input, a k × k kernel, stride s and padding p:
#
# $$\text{output size} = \left\lfloor \frac{n + 2p - k}{s} \right\rfloor + 1$$
#
# (the brackets mean "round down"). The explorer draws the padded input (grey padding, blue pixels that
# some window reads, orange pixels that no window reaches), the first window (solid) and the last one
# (dashed), a dot at the centre of every window, and the output grid; the readout puts your numbers into
# the formula. Try stride 2 with an even and then an odd input size. The formula is the one in Dumoulin
# and Visin's guide to convolution arithmetic (see the sources); max pooling follows it too (a 2 × 2 pool
# with stride 2 is k = 2, s = 2, p = 0).

# %% tags=["nbval-ignore-output"]
from relulab.widgets import stride_padding_explorer

stride_padding_explorer()

# %%
stride_padding_explorer().still("A 7 × 7 input with padding 1 is 9 × 9; a 3 × 3 kernel with stride 2 fits at 4 "
                                "positions each way, so the output is 4 × 4, and every padded row and column is read.")

# %% [markdown]
# **Read it off the explorer.** Set the input size to **10**, the kernel to **3**, the stride to **2** and
# the padding to **1**. How many windows does the kernel fit in, in all? The readout counts them (one dot
# each on the input grid).

# %% tags=["exercise"]
window_count = None  # replace None with the number of windows

# %% tags=["check"]
check.window_count()

# %% [markdown]
# ### Predict, then check
#
# A 32 × 32 picture goes through this stack of layers. Predict the side length after each layer (use
# the formula; a pool here has no padding) and write the five numbers in the list.

# %%
for number, layer in enumerate(conv.EXERCISE_STACK, start=1):
    print(f"layer {number}: {conv.describe_layer(layer)}")

# %% tags=["exercise"]
predicted_sizes = None  # replace None with a list of five side lengths, one per layer

# %% tags=["check"]
check.stack_sizes()

# %% [markdown]
# Whatever you predicted, measure it: run a 32 × 32 array through the real operations and print the
# shapes.

# %%
x = np.zeros((32, 32))
for layer in conv.EXERCISE_STACK:
    kind, k, stride, *padding = layer
    if kind == "conv":
        x = F.conv2d(x, np.ones((k, k)), stride=stride, padding=padding[0])
    else:
        x = conv.max_pool(x, k)
    print(f"{conv.describe_layer(layer):<30} -> {x.shape[0]} × {x.shape[1]}")

# %% [markdown]
# ### A question to answer in words
#
# In the top-right corner of the cat, the ear's outline survived ReLU only when the filter's signs were
# flipped. A trained network has no one to flip its filters for it. In two or three sentences: how can a
# layer of many filters followed by ReLU still keep outlines of *both* polarities, and what does that
# cost (think of the number of feature maps)?

# %% [markdown] tags=["written", "points-2"]
# *Write your answer here.*

# %% [markdown]
# > **Explain it like I'm five.** You look at a big picture through a small window, one spot at a time,
# > and at every spot you ask one question: "is there a line going up and down here?" You write down
# > how sure you are. Where the answer is "no", you write 0 instead: keep what helps, zero what doesn't.
# > Then you ask other questions (a line going across? a corner?) on new sheets of paper, and finally
# > you squeeze each sheet smaller by keeping only the biggest number in every little square.
#
# ## Summary
# - A convolution slides a k × k kernel over the image and, at every position, adds up pixel × weight:
#   by hand, with two loops, or as one matrix product after copying every window into a column
#   (im2col). All three gave the same numbers, up to rounding.
# - Deep-learning "convolution" does not flip the kernel (strictly, a cross-correlation); flipping an
#   edge kernel flips the sign of its answer.
# - On the cat, edge filters answer with both signs and ReLU keeps about half of each map (less with a
#   negative bias); blur and sharpen answer almost only positively, so ReLU barely changes them.
# - Many filters give many feature maps (channels): an (N, C, H, W) array that the next layer reads as a
#   whole. Max pooling keeps the strongest value of each block and forgets where in the block it was,
#   so the map changes less when the picture shifts a pixel or two (one pixel: 29% after 4 × 4 pooling,
#   105% without).
# - Output size = ⌊(n + 2p − k) / s⌋ + 1, for convolutions and pooling alike.

# %% [markdown]
# ## Sources and further reading
# - Y. LeCun, L. Bottou, Y. Bengio and P. Haffner (1998), *Gradient-based learning applied to document
#   recognition*, Proceedings of the IEEE. LeNet-5: convolutions with learned kernels, subsampling
#   (pooling) layers and a few fully connected layers, trained end to end on handwritten digits; the
#   layout CNNs still follow. Its units used a squashing function (a scaled tanh), not ReLU.
# - A. Krizhevsky, I. Sutskever and G. E. Hinton (2012), *ImageNet classification with deep convolutional
#   neural networks*, NeurIPS. AlexNet: a much larger CNN with ReLU after every convolution, trained on
#   GPUs; it reached a given training error several times faster with ReLU than with tanh, and won the
#   ImageNet competition by a wide margin.
# - V. Dumoulin and F. Visin (2016), *A guide to convolution arithmetic for deep learning*, arXiv:1603.07285.
#   Pictures and formulas for output sizes under every combination of kernel size, stride and padding,
#   the formula used in this notebook among them.
# - V. Nair and G. E. Hinton (2010), *Rectified linear units improve restricted Boltzmann machines*, ICML.
#   The paper that brought ReLU into neural-network practice.

# %% [markdown]
# **Next:** [06 · Build a CNN](06_build_a_cnn.ipynb) puts these pieces into layers with a forward and a
# backward pass, and shows how a gradient flows back through ReLU and max pooling.
