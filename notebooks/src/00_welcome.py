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
# - run code cells and see their results;
# - move a slider and watch a figure respond;
# - check that your computer has everything the course needs (and fix it if not);
# - try an exercise and see how the instant feedback works;
# - see the map of the course and how long each part takes.
#
# **Time:** about 10 minutes. **Builds on:** a little Python; nothing else.

# %% [markdown]
# ## Running a cell
#
# A notebook is a list of cells. Grey boxes hold code; the rest is text like this. Click into the code
# cell below and press **Shift + Enter**: Python runs it and shows the result underneath, then the
# cursor moves to the next cell.
#
# A few habits help:
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
# Run the next cell, then drag the slider (or click it and use the arrow keys). The blue bar is the
# score you pick; the orange bar is what ReLU keeps of it.

# %% tags=["nbval-ignore-output"]
from relulab.widgets import first_slider

first_slider()

# %% [markdown]
# Notice what happens as you cross zero: the orange bar follows the blue one on the positive side and
# sits flat at 0 on the negative side. That is the whole rule; the rest of the course is about why
# such a plain rule works so well.
#
# If you see the text *"Interactive explorer (controls and a figure): run this cell to use it"*
# instead of a slider, the cell has not been run yet in this session: run it. If the slider still
# does not appear, the check below tells you what is missing.
#
# ## Checking your setup
#
# The course needs a handful of Python packages. The next cell lists each one with the version it
# found. Anything missing or too old comes with the exact command that fixes it.

# %% tags=["nbval-ignore-output"]
from relulab.environment import check_environment

report = check_environment()
report

# %% [markdown]
# The line below should say `True`. If it says `False`, run the fix commands listed above (in a
# terminal, or in a cell starting with `%`, such as `%pip install --upgrade "numpy>=1.26"`),
# restart the kernel, and run this notebook again.

# %%
report.ok

# %% [markdown]
# ## How exercises work
#
# Each notebook has short exercises. You write a few lines in a cell marked *your turn*, then run the
# **check** cell under it. The check never crashes on you: it says *not yet* while the exercise is
# blank, explains what to fix when the answer is wrong, and says *correct* when it is right. Your
# instructor may grade the same exercises with the same checks.
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
# - Run cells with **Shift + Enter**, top to bottom; restart the kernel when in doubt.
# - Widgets respond as you move them; each one is backed by plain Python you can read in `relulab/`.
# - The environment check tells you what to install, with the command to do it.
# - Exercises give feedback on the spot: *not yet*, *what to fix*, or *correct*.
#
# **Next:** [01 · The rule](01_the_relu_rule.ipynb) looks closely at `max(0, x)`: its graph, its slope,
# and how numpy applies it to millions of numbers at once. You will write `relu` yourself.
