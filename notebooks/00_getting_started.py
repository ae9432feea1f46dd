# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: tags,slideshow,-all
#     formats: ipynb,py:percent
#     notebook_metadata_filter: kernelspec,jupytext,-all
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] slideshow={"slide_type": "slide"}
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/ml-course-lab/autoencoders-pca-lstm-keras/blob/main/notebooks/00_getting_started.ipynb)
#
# # Week 0 — Getting started
#
# Before the first lecture, make sure the course runs on your machine. This notebook sets up the
# environment, loads the two image data sets we use all term (MNIST digits and Fashion-MNIST
# clothes), looks at them, and shows how the exercise self-checks work.
#
# **You will learn to**
# - start every notebook with `course_utils.setup()` and read its one-line report;
# - load MNIST and Fashion-MNIST with an explicit train / validation / test split;
# - tell fast mode (small data, for CI and quick tries) from full mode (what you should run);
# - answer an exercise and run its self-check.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## Setup
#
# The next cell is the same in every notebook. On Colab it first fetches the course repository;
# everywhere it then seeds the random generators, sets the plotting style and prints versions,
# the Keras backend, the device and the mode.

# %% slideshow={"slide_type": "skip"} tags=["setup"]
import sys

if "google.colab" in sys.modules:  # on Colab: fetch the course once per session
    # !git clone -q --depth 1 https://github.com/ml-course-lab/autoencoders-pca-lstm-keras /content/autoencoders-pca-lstm-keras
    sys.path.insert(0, "/content/autoencoders-pca-lstm-keras")

import numpy as np

import course_utils
from course_utils import checks, data, plotting

cfg = course_utils.setup()

# %% [markdown]
# `cfg` knows the mode. In full mode `cfg.epochs(20)` is 20 and `cfg.limit(60_000)` is 60 000; in
# fast mode (`COURSE_FAST=1`) they shrink, so the same code runs in seconds. Notebooks take every
# size from `cfg` and never branch on the mode themselves.

# %%
print(f"mode: {cfg.mode}; cfg.epochs(20) = {cfg.epochs(20)}; cfg.limit(60_000) = {cfg.limit(60_000)}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The data
#
# `data.load_mnist()` looks for MNIST in a data directory, in system copies, in Keras's cache
# (downloading there when it can), and finally falls back to a small real sample that ships with
# the course. It tells you where the data came from. Images are `float32` in $[0, 1]$, labels
# `uint8`; the last twelfth of the training images is set aside for validation.

# %%
mnist = data.load_mnist()
fashion = data.load_fashion_mnist()
print(mnist)
print(fashion)
print("pixel range:", mnist.x_train.min(), "to", mnist.x_train.max(), "| dtype:", mnist.x_train.dtype)

# %% [markdown] slideshow={"slide_type": "subslide"}
# Each class is about equally common, in the full sets and in the samples:

# %% tags=["nbval-check-output"]
print("Fashion-MNIST classes:", ", ".join(fashion.class_names))

# %%
counts = np.bincount(fashion.y_train, minlength=10)
for name, count in zip(fashion.class_names, counts):
    print(f"{name:>12}: {count}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# The first twenty test images of each set, with their labels:

# %%
fig = plotting.plot_images(mnist.x_test[:20], titles=[mnist.class_names[y] for y in mnist.y_test[:20]])

# %%
fig = plotting.plot_images(fashion.x_test[:20], titles=[fashion.class_names[y] for y in fashion.y_test[:20]])

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Claims are measured
#
# When a notebook states a fact, a cell measures it and `checks.verify` stops the notebook if it
# is false. Here: every pixel lies in $[0, 1]$ and the three splits do not share images.

# %%
checks.verify(0.0 <= mnist.x_train.min() and mnist.x_train.max() <= 1.0, "MNIST pixels lie in [0, 1]")
checks.verify(len(mnist.x_train) + len(mnist.x_valid) == 12 * len(mnist.x_valid),
              "validation is one twelfth of the original training set")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# Each exercise has a cell for your answer and a check cell after it. In your copy of the notebook
# the answer cell holds a placeholder; the check prints ⏳ until you replace it. Exercises marked
# *experiment* ask you to build or train something; their check measures what you made.
#
# ### Exercise 1: your first self-check
#
# Compute the mean pixel value of the MNIST **training** images (`mnist.x_train`) and store it in
# `mean_pixel`. Then run the check cell below it: it prints ✅ when your answer is right, ❌ with a
# hint when it is wrong, and ⏳ while the placeholder is still there.

# %% slideshow={"slide_type": "skip"} tags=["solution"]
mean_pixel = mnist.x_train.mean()

# %%
checks.check_value("mean pixel of the training images", mean_pixel, np.mean(mnist.x_train), rtol=1e-4,
                   hint="one number for the whole array: average over images and pixels alike, training set only")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 2: the class with the least ink
#
# Which Fashion-MNIST class uses the least ink, that is, has the lowest mean pixel value over its
# **training** images (`fashion.x_train`, labels `fashion.y_train`)? Store the class's name, as
# written in `fashion.class_names`, in `least_ink_class`. Measure it; don't guess from the pictures.

# %% slideshow={"slide_type": "skip"} tags=["solution"]
ink_per_class = [fashion.x_train[fashion.y_train == label].mean() for label in range(len(fashion.class_names))]
least_ink_class = fashion.class_names[int(np.argmin(ink_per_class))]

# %%
checks.check_choice("the class with the least ink", least_ink_class, digest="b8a6f338d266d8aa9a72",
                    hint="select each class's training images with a boolean mask on the labels and average them")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 3 (experiment): a first Keras model
#
# Points $(x, y)$ with $y = 3x + 2$ plus noise of standard deviation 0.1 are below. Build a Keras
# model with one `Dense` unit (`keras.Input(shape=(1,))` first), compile it with a loss and an
# optimiser of your choice, train it on `line_x`, `line_y`, and store it in `line_model`. The check
# draws new points and measures your model's mean squared error on them: it must be within 20 % of
# the noise's own variance, $0.1^2$, which is the best any model can do.

# %%
line_rng = np.random.default_rng(cfg.seed)
line_x = line_rng.uniform(-1, 1, size=(256, 1)).astype("float32")
line_y = (3 * line_x + 2 + line_rng.normal(scale=0.1, size=line_x.shape)).astype("float32")

# %% slideshow={"slide_type": "skip"} tags=["solution"]
import keras

keras.utils.set_random_seed(cfg.seed)
line_model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1)])
line_model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.1), loss="mse")
line_model.fit(line_x, line_y, epochs=100, batch_size=32, verbose=0)


# %%
def judge_line_fit(model):
    """Mean squared error on 1 000 new points, against the noise variance 0.01."""
    rng = np.random.default_rng(12_345)
    x_new = rng.uniform(-1, 1, size=(1000, 1)).astype("float32")
    y_new = 3 * x_new + 2 + rng.normal(scale=0.1, size=x_new.shape)
    mse = float(np.mean((np.asarray(model.predict(x_new, verbose=0)).reshape(y_new.shape) - y_new) ** 2))
    return mse <= 1.2 * 0.1 ** 2, f"MSE on new points {mse:.4f}, target at most {1.2 * 0.1 ** 2:.4f}"


checks.check_experiment("a line fitted by Keras", line_model, judge_line_fit,
                        hint="is it trained long enough for the loss to stop falling? Does the unit have a bias for the 2?")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 4 (experiment): runs you can repeat
#
# Training starts from random weights, so two runs differ unless you seed them. Write
# `train_tiny_model(seed)`: seed everything, build a small model (e.g. `Dense(8)` then `Dense(1)`),
# train it for a few epochs on `line_x`, `line_y`, and return its final weights as one NumPy array
# (`np.concatenate([w.ravel() for w in model.get_weights()])`). The check calls it three times: two
# calls with the same seed must give identical weights, a call with another seed different ones.

# %% slideshow={"slide_type": "skip"} tags=["solution"]
def train_tiny_model(seed):
    """Train a small model on the line data from a seeded start; return its weights as one array."""
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    model.fit(line_x, line_y, epochs=3, batch_size=32, verbose=0)
    return np.concatenate([w.ravel() for w in model.get_weights()])


# %%
def judge_repeatable_runs(train):
    """Same seed twice: identical weights; another seed: different weights."""
    first, again, other = (np.asarray(train(seed), dtype=float) for seed in (7, 7, 8))
    same = first.shape == again.shape and np.array_equal(first, again)
    differs = first.shape != other.shape or not np.allclose(first, other)
    return same and differs, (f"same seed gives {'identical' if same else 'different'} weights; "
                              f"another seed gives {'different' if differs else 'the same'} weights")


checks.check_experiment("runs that repeat with the same seed", train_tiny_model, judge_repeatable_runs,
                        hint="NumPy's seed is not enough: Keras draws its initial weights and shuffles batches with its own generators")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# - `cfg = course_utils.setup()` starts every notebook; sizes come from `cfg`.
# - `data.load_mnist()` / `data.load_fashion_mnist()` give verified, scaled arrays and say where
#   they came from.
# - Exercises end with a self-check; experiments are judged by what they measure; the notebook's own
#   claims are checked with `checks.verify`.
# - `keras.utils.set_random_seed(seed)` makes a training run repeatable.
#
# Next: [Week 1 — PCA by hand](01_pca_by_hand.ipynb).
