# %% [markdown]
# # 09 · Capstone
#
# Your turn to build the whole thing. The task: read handwritten digits that have been moved, each by up to
# one pixel, as handwriting lands wherever it lands on a form. You choose the network (its activation, how
# many convolution blocks, the learning rate), train it, and hand it in. A check measures it on 400 digits
# that this notebook keeps aside, and your points come by levels of accuracy on them.
#
# **In this notebook you will**
# - meet the task: the digits, the moves, and the held-out split that grades your model;
# - see what a linear model makes of moved digits (a template per digit) and where it stops;
# - compare designs on the validation digits and explain the figure in your own words;
# - design, train and hand in your own CNN, choosing its activation, depth and learning rate.
#
# **Time:** about 90 minutes. **Builds on:** [04 · Sparsity, dying ReLU and its fixes](04_sparsity_and_dying_relu.ipynb)
# (activations and their fixes), [06 · Build a CNN](06_build_a_cnn.ipynb) (the layers of a CNN) and
# notebooks 07 · Train a CNN and 08 · Activation showdown (training and choosing an activation).

# %%
import numpy as np
import matplotlib.pyplot as plt
from tqdm.auto import tqdm  # progress bars

from relulab import nn
from relulab.checks import check, peek
from relulab.experiments import capstone
from relulab.plots import ACTIVATION_STYLES, tidy, use_course_style

use_course_style()

# %% [markdown]
# ## The task: digits that moved
#
# The digits are scikit-learn's 1797 handwritten digits of 8 × 8 pixels, the ones notebook 04 trained
# on. Here each one is placed on a 9 × 9 canvas, at one of four spots: flush with the top or one pixel
# lower, flush with the left or one pixel further right. You get two parts of them: the **training**
# digits, to train on, and the **validation** digits, to compare designs on.

# %%
X_train, y_train, X_val, y_val = capstone.shifted_digits()
print("training:  ", X_train.shape, "  validation:", X_val.shape)
print("the first ten labels:", y_train[:10])

# %%
fig, axes = plt.subplots(1, 10, figsize=(10, 1.6))
for ax, image, label in zip(axes, X_train[:10, 0], y_train[:10], strict=True):
    ax.imshow(image, cmap="gray_r", vmin=0, vmax=1)
    ax.set_title(str(label))
    ax.set_xticks([]), ax.set_yticks([])
fig.suptitle("the same kind of digit sits at different spots: see the empty row or column on each side", y=1.12)
plt.show()

# %% [markdown]
# A third part, the **held-out** split, is 400 more digits, moved the same way. The notebook never hands
# them to your cells: the check at the end runs your model on them, once, and counts how many it gets
# right. Held-out digits tell how the model does on digits it has never seen, which is the point of
# training it. Used to choose a design, they would stop telling that, which is why the validation digits
# exist. Your points:
#
# | held-out accuracy | level | points |
# |---|---|---|
# | 75 % or more | 1 | 2 of 6 |
# | 90 % or more | 2 | 4 of 6 |
# | 95 % or more | 3 | 6 of 6 |
#
# plus the written answer further down.
#
# ## A linear model first
#
# The simplest model that could work: one Linear layer from the 81 pixels to 10 scores, one score per
# digit, trained with stochastic gradient descent (SGD) for 40 epochs. `nn.fit` runs the training loop
# and measures the validation accuracy after each epoch:

# %% tags=["nbval-ignore-output"]
linear = capstone.linear_model(seed=0)
optimizer = nn.SGD(linear.parameters(), lr=0.1, momentum=0.9)
history = nn.fit(linear, X_train, y_train, nn.CrossEntropyLoss(), optimizer, num_epochs=40,
                 X_val=X_val, y_val=y_val, rng=np.random.default_rng(0), progress=tqdm)

# %%
print(linear)
print(f"validation accuracy after 40 epochs: {history.val_acc[-1]:.1%}")

# %% [markdown]
# About four digits in five: enough for level 1 and no more. Why does it stop there? A Linear layer gives
# each digit one weight per pixel, 81 weights that we can show as a 9 × 9 picture: its **template**. A
# digit's score is its pixels times the template, summed. Red weights raise the score, blue ones lower it:

# %%
templates = linear[1].weight.data.reshape(10, 9, 9)
fig, axes = plt.subplots(1, 10, figsize=(10, 1.6))
limit = np.abs(templates).max()
for digit, ax in enumerate(axes):
    ax.imshow(templates[digit], cmap="RdBu_r", vmin=-limit, vmax=limit)
    ax.set_title(str(digit))
    ax.set_xticks([]), ax.set_yticks([])
fig.suptitle("the linear model's templates: one fixed picture per digit, blurred over the four spots", y=1.12)
plt.show()

# %% [markdown]
# A template sits still. A 0 written one pixel to the right puts its strokes on other weights, so each
# template has to cover all four spots at once and becomes a blur, which also fits other digits. A
# convolution slides the same small filter over every position, and max pooling keeps the strongest
# answer in each 2 × 2 window, so a stroke one pixel off still finds its filter. That is the case for a CNN.
#
# ## Designs compared
#
# `capstone.make_cnn(depth, activation)` builds a CNN of `depth` blocks, each a 3 × 3 convolution with
# padding 1, the activation, and 2 × 2 max pooling (16 filters in the first block, twice as many in each
# next), then Flatten and a Linear layer to 10 scores. Here are four designs, each trained for 12 epochs on
# the same batches: the linear model, a CNN of two blocks with ReLU, and the same CNN with sigmoid at two
# learning rates. (It takes a few seconds.)

# %% tags=["nbval-ignore-output"]
designs = capstone.compare_designs(epochs=12, seed=0, progress=tqdm)

# %%
styles = {"linear": {"color": "black", "linestyle": "--", "marker": "x"}, "relu": ACTIVATION_STYLES["relu"],
          "sigmoid": ACTIVATION_STYLES["sigmoid"]}
fig, ax = plt.subplots(figsize=(7, 3.6))
for label, run in designs.items():
    style = dict(styles[run["kind"]])
    if run["learning_rate"] > 0.1:  # the larger step: hollow markers, dash-dot line
        style.update(markerfacecolor="white", linestyle="-.")
    ax.plot(range(1, len(run["val_acc"]) + 1), run["val_acc"], label=label, **style)
ax.axhline(0.1, color="grey", linewidth=0.8)
tidy(ax, "epoch", "validation accuracy",
     "the ReLU CNN passes 90 % within 12 epochs; both sigmoid CNNs stay near guessing (10 %)")
ax.legend(loc="center right")
plt.show()

# %%
for label, run in designs.items():
    print(f"{label:<22} after epoch 1: {run['val_acc'][0]:6.1%}   after epoch 12: {run['val_acc'][-1]:6.1%}")

# %% [markdown]
# **Your written answer (3 points).** Explain this figure in three to six sentences. Why does the sigmoid
# CNN stay near 10 % while the ReLU CNN, with the same layers, data, batches and learning rate, passes
# 90 %? Does a ten times larger learning rate rescue sigmoid within 12 epochs, and what does that tell you
# about the cause? What would you change in a sigmoid network to make it learn? Notebooks 03 and 04 have
# the pieces; say which of your reasons you have seen measured and which are your hypothesis.

# %% [markdown] tags=["written", "points-3"]
# *Write your answer here.*

# %% [markdown]
# ## Your design
#
# Now build the best model you can. In the cell below, make three choices:
#
# - `activation`: `"relu"`, `"leaky_relu"`, `"prelu"`, `"tanh"` or `"sigmoid"`;
# - `depth`: how many blocks of convolution, activation and pooling, 1, 2 or 3 (a 9 × 9 digit is 4 × 4
#   after one pooling, 2 × 2 after two, 1 × 1 after three);
# - `learning_rate`: SGD's step size (the linear model above used 0.1).
#
# Then build `model` with `capstone.make_cnn(depth, activation, seed=0)` (or write your own
# `nn.Sequential`: the input is (N, 1, 9, 9), the output must be 10 scores per digit), and train it with
# `nn.fit` as the linear model was trained, for as many epochs as it needs. Watch the validation accuracy;
# change a choice and run the cell again (it builds fresh weights each time). Training a small CNN for 30
# epochs takes a few seconds on a laptop. When you are happy, run the check: it measures your model on the
# held-out digits and says which level it reached.

# %% tags=["exercise"]
activation = None     # "relu", "leaky_relu", "prelu", "tanh" or "sigmoid"
depth = None          # blocks of Conv2d -> activation -> MaxPool2d: 1, 2 or 3
learning_rate = None  # SGD's step size
model = None          # replace None: build the model from your choices, then train it with nn.fit

# %% tags=["check"]
check.capstone()

# %% tags=["peek"]
peek("capstone")

# %% [markdown]
# The check runs your `model` on the 400 held-out digits and counts the right answers. It tells you what
# it found: the accuracy, the level reached and the next one, or what to fix if the model cannot read
# (N, 1, 9, 9) digits, gives something other than 10 scores, gives NaN (training blew up: lower the
# learning rate) or looks untrained. Run it when you have chosen your design on the validation digits,
# not as a way to choose: a design tuned to the held-out digits would make them one more validation set.
#
# > **Explain it like I'm five.** You practise reading numbers on cards that a friend wrote, some a bit
# > to the left, some a bit to the right. A helper who learned one picture per number gets confused when a
# > number moves; a helper who learned to spot little strokes wherever they are does not. At the end the
# > teacher shows you cards you have never seen: that is your score.
#
# ## Summary
# - The capstone's digits are moved by up to one pixel. A linear model, one fixed template per digit,
#   reaches about four in five of the validation digits; convolution and pooling forgive the move.
# - Design choices are made on the validation digits; the held-out digits are measured once, by the check.
# - At the same learning rate and with the same layers, a ReLU CNN learned within a few epochs while the
#   sigmoid CNNs stayed near guessing for 12 epochs: here the activation decided whether training got going.
# - Points come by levels of held-out accuracy (75 %, 90 %, 95 %), plus a written answer about the figure.

# %% [markdown]
# ## Sources and further reading
# - E. Alpaydin and C. Kaynak (1998), *Optical Recognition of Handwritten Digits*, UCI Machine Learning
#   Repository. The 8 × 8 digits that scikit-learn ships (its test part, 1797 digits) and this notebook moves.
# - Y. LeCun, L. Bottou, Y. Bengio and P. Haffner (1998), *Gradient-based learning applied to document
#   recognition*, Proceedings of the IEEE. Convolutional networks for handwritten digits, with the argument
#   that shared, sliding weights and subsampling make a network robust to small shifts.
# - X. Glorot and Y. Bengio (2010), *Understanding the difficulty of training deep feedforward neural
#   networks*, AISTATS. How sigmoid units saturate and slow training, and the Xavier initialisation.
# - I. Goodfellow, Y. Bengio and A. Courville (2016), *Deep Learning*, MIT Press, chapters 5.3 (validation
#   sets: why the data that picks a design cannot also measure it) and 9 (convolution and pooling).

# %% [markdown]
# **This is the last notebook.** The course map in [00 · Welcome](00_welcome.ipynb) lists them all; go back
# to any explorer with the model you have now in mind.
