# %% [markdown]
# # 00 · Welcome to "ReLU, from max(0, x) to CNNs"
#
# This course takes one tiny rule, **keep a positive number, turn everything else into 0**, and follows
# it all the way to convolutional networks that you train yourself, written from scratch in numpy.
# Every idea comes with an experiment: a slider to move, a picture that changes, a number to check.
#
# ![The ReLU graph: flat at 0 for negative inputs, the diagonal for positive ones. Four scores
# from a red-car detector sit on it: the red shape +10 and the red bumper +8 pass unchanged, the
# grey road −3 and the blue sky −5 become 0.](../assets/relu_at_a_glance.png)
#
# **In this notebook you will**
# - check that your computer has everything the course needs (and fix it if not);
# - run code cells and see their results;
# - move a slider and watch a figure respond;
# - try an exercise and see how the instant feedback works;
# - see the map of the course and how long each part takes.
#
# **Time:** about 15 minutes. **Builds on:** a little Python; nothing else.
#
# ## First: check your setup
#
# A notebook is a list of cells. Grey boxes hold code; the rest is text like this. Click into the code
# cell below and press **Shift + Enter**: Python runs it and shows the result underneath. It checks
# that this notebook's Python (the *kernel*) has everything the course needs. It uses only Python
# itself, so it works even when something is missing, and then tells you the command that fixes it.

# %% tags=["nbval-ignore-output"]
import importlib.util

if importlib.util.find_spec("relulab") is None:
    print("The course package relulab is not installed for this kernel. Fix: run  %pip install -e ..\n"
          "in a new cell (or, in a terminal in the course folder:  python -m pip install -r requirements.txt),\n"
          "then restart the kernel (Kernel → Restart Kernel) and run this cell again.")
else:
    from IPython.display import display

    from relulab.environment import check_environment

    display(check_environment())

# %% [markdown]
# The first line names the version of the course package, `relulab` (mention it if you ask for help),
# and of Python. Then comes one row per package. The line in bold says *good to go* when
# everything is ready; otherwise each problem comes with its fix, in two forms:
# - in a notebook cell: `%pip install --upgrade "numpy>=1.26"`. The `%pip` command installs into
#   the Python that runs this notebook, which is the one that matters;
# - in a terminal, with the course's environment active: `python -m pip install --upgrade "numpy>=1.26"`.
#
# After installing, restart the kernel (**Kernel → Restart Kernel**) and run the check again: a
# running kernel keeps the old versions it has already loaded.
#
# The course is tested on **Python 3.11 and newer**. On Python 3.10 the check says *untested*: it may
# work, but nobody has run the course's tests on it. Older versions are too old. The check does not look
# for JupyterLab itself: on a university JupyterHub the notebook app runs on another machine than your
# kernel, and if you are reading this, it works.
#
# ## Running a cell
#
# You just ran your first cell. A few habits help:
# - Run cells **from top to bottom**: later cells use what earlier ones made.
# - If things get muddled, **Kernel → Restart Kernel and Run All Cells** starts fresh.
# - You can edit any cell and run it again. Try changing the numbers below.

# %%
3 + 4

# %%
scores = [10, -3, -5, 8]
[max(0, s) for s in scores]

# %% [markdown]
# The second cell already used the rule this course is about: `max(0, s)` keeps 10 and 8 and turns
# −3 and −5 into 0. Hold on to those four numbers; they come back in notebook 02 as a detector
# looking for a red car in generated streets like these:
#
# ![Three small generated street scenes with sky, brick buildings and a grey road: one with a red
# car, one with a red and a blue car, and one with white, blue and yellow cars but no red
# one.](../assets/street_scenes.png)
#
# ## Moving a widget
#
# Some cells show **widgets**: sliders, drop-down menus and figures that react when you move them.
# Run the next cell, then drag the slider (or click it and use the arrow keys). The left bar (blue) is
# the score you pick; the right bar (orange, hatched) is what ReLU keeps of it. The line of text above
# the figure says the same in words, and a screen reader reads it out when it changes.

# %% tags=["nbval-ignore-output"]
from relulab.widgets import first_slider

ex = first_slider()
ex

# %% [markdown]
# Below is the same figure as a still picture, at the slider's starting value, for readers who see this
# page without running it (on GitHub, for example):

# %%
ex.still("Two bars at the starting score 4: the score (left, blue) is 4 and what ReLU keeps of it "
         "(right, orange and hatched) is also 4.")

# %% [markdown]
# Notice what happens as you cross zero: the right bar follows the left one on the positive side and
# sits flat at 0 on the negative side. That is the whole rule; the rest of the course is about why
# such a plain rule works so well.
#
# **If the slider does not appear:**
# - The text *"Interactive explorer (controls and a figure): run this cell to use it"* means the cell
#   has not run in this session yet: run it.
# - **"Error displaying widget"** (or *"Loading widget…"* that never ends) means the kernel made the
#   widget but the page could not draw it: the notebook app lacks the widget front end, or has one
#   that does not match the kernel's `ipywidgets`. On your own computer, install it where JupyterLab
#   runs, `python -m pip install --upgrade "ipywidgets>=8.1" jupyterlab_widgets` in a terminal, then
#   stop JupyterLab, start it again and reload the page. On a JupyterHub you cannot change the
#   app's side: tell whoever runs it. The still picture above shows what you would have seen.
#
# ## How exercises work
#
# Each notebook has short exercises. You write a few lines in a cell marked *your turn*, run it, then
# run the **check** cell under it. The check says *not yet* while the exercise is blank, explains what
# to fix when the answer is wrong, and says *correct* when it is right. Your instructor may grade the
# same exercises with the same checks.
#
# **Your turn.** What is `max(0, -3)`? Replace `None` with your answer, run the cell, then run the check.

# %% tags=["exercise"]
answer = None  # replace None with a number

# %% tags=["check"]
from relulab.checks import check, peek

check.warm_up()

# %% [markdown]
# Stuck on an exercise? Each one has a solution you can peek at. It stays folded until you click it:

# %% tags=["peek"]
peek("warm_up")

# %% [markdown]
# ## The map of the course
#
# The notebooks build on each other; take them in order. Times are for reading, running and doing the
# exercises at a steady pace.

# %%
from relulab.course import course_map

course_map()

# %% [markdown]
# > **Explain it like I'm five.** Imagine sorting a box of clues about a picture. Clues that say
# > "yes, there is a red car here" you keep, just as strong as they are. Clues that say "no" or
# > "nothing to see" you put aside, so they stop adding noise. ReLU does exactly that with numbers:
# > keep what helps, set the rest to zero.
#
# ## Summary
# - The setup check at the top uses only Python itself; it names `relulab`'s version and gives a
#   `%pip` command (for a cell) and a `python -m pip` command (for a terminal) for anything missing.
# - Run cells with **Shift + Enter**, top to bottom; restart the kernel when in doubt.
# - Widgets respond as you move them; each one is backed by plain Python you can read in `relulab/`,
#   and each has a still picture under it. "Error displaying widget" is the notebook app's side.
# - Exercises give feedback on the spot: *not yet*, *what to fix*, or *correct*.

# %% [markdown]
# ## Sources and further reading
#
# The course rests on a handful of papers; later notebooks show, on your own computer, what each one
# found. You do not need to read them to follow the course.
# - Nair & Hinton (2010), *Rectified linear units improve restricted Boltzmann machines* (ICML): swapping
#   the usual binary units of their models for rectified ones improved object recognition and face
#   verification; an early case for ReLU.
# - Glorot, Bordes & Bengio (2011), *Deep sparse rectifier neural networks* (AISTATS): deep networks of
#   ReLUs trained well without layer-by-layer pre-training, and many of their activations were exactly 0
#   ("sparse"); that this sparsity helps is their hypothesis, which notebook 04 looks at.
# - Krizhevsky, Sutskever & Hinton (2012), *ImageNet classification with deep convolutional neural
#   networks* (NeurIPS): the network that made ReLU the default in convolutional networks; in their test, a
#   small network with ReLU reached 25% training error on CIFAR-10 six times faster than with tanh.
# - Maas, Hannun & Ng (2013), *Rectifier nonlinearities improve neural network acoustic models* (ICML
#   workshop): Leaky ReLU, which lets a small part of a negative input through; in speech recognition,
#   rectifier networks made fewer word errors than the S-shaped (sigmoidal) units used before.
# - He, Zhang, Ren & Sun (2015), *Delving deep into rectifiers* (ICCV): PReLU, which learns that slope,
#   and a way to set a ReLU network's starting weights so that very deep ones train.
#
# **Next:** [01 · The rule](01_the_relu_rule.ipynb) looks closely at `max(0, x)`: its graph, its slope,
# and how numpy applies it to millions of numbers at once. You will write `relu` yourself.
