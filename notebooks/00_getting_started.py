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
# ## Exercise: your first self-check
#
# Compute the mean pixel value of the MNIST **training** images (`mnist.x_train`) and store it in
# `mean_pixel`. Then run the check cell below it: it prints ✅ when your answer is right, ❌ with a
# hint when it is wrong, and ⏳ while the placeholder is still there.

# %% slideshow={"slide_type": "skip"} tags=["solution"]
mean_pixel = mnist.x_train.mean()

# %%
checks.check_value("mean pixel of the training images", mean_pixel, np.mean(mnist.x_train), rtol=1e-4,
                   hint="average over every pixel of every training image: x.mean()")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# - `cfg = course_utils.setup()` starts every notebook; sizes come from `cfg`.
# - `data.load_mnist()` / `data.load_fashion_mnist()` give verified, scaled arrays and say where
#   they came from.
# - Exercises end with a self-check; the notebook's own claims are checked with `checks.verify`.
#
# Next: [Week 1 — PCA by hand](01_pca_by_hand.ipynb).
