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
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/ml-course-lab/autoencoders-pca-lstm-keras/blob/main/notebooks/05_conv_recurrent_autoencoders.ipynb)
#
# # Week 5 — Convolutional and recurrent autoencoders
#
# The autoencoders of week 4 flatten an image into 784 numbers and forget which pixels are
# neighbours. This week we build autoencoders that know the shape of their input. A
# **convolutional** autoencoder slides small filters over the image and shrinks it with pooling;
# its decoder grows it back with **transposed convolutions** or with **up-sampling**. A
# **recurrent** autoencoder reads the image one row at a time with an LSTM, squeezes what it has
# read into a single code vector, and writes the rows back out. We train three such models on the
# real data, count their parameters, time them, and put every one of them next to PCA with the
# same code size. At the end, three kinds of autoencoder (dense, convolutional, recurrent) squeeze
# the same Fashion-MNIST images into the same 30 numbers, beside PCA-30.
#
# **You will learn to**
# - explain what max-pooling, up-sampling and a transposed convolution do to a feature map, and
#   predict the shapes they produce;
# - build a convolutional autoencoder with transposed convolutions and one with up-sampling (a
#   4×4×4 bottleneck in 1 185 parameters);
# - build a recurrent autoencoder (LSTM encoder, `RepeatVector` + LSTM decoder), measure where its
#   gradient has far to travel, and choose an optimiser that actually trains it;
# - compare models fairly: equal code size, parameters, training time and test error against PCA.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## Setup
#
# The first cell is the same in every notebook; the second adds what this week needs.

# %% slideshow={"slide_type": "skip"} tags=["setup"]
import sys

if "google.colab" in sys.modules:  # on Colab: fetch the course once per session
    # !git clone -q --depth 1 https://github.com/ml-course-lab/autoencoders-pca-lstm-keras /content/autoencoders-pca-lstm-keras
    sys.path.insert(0, "/content/autoencoders-pca-lstm-keras")

import numpy as np

import course_utils
from course_utils import checks, data, plotting

cfg = course_utils.setup()

# %%
import keras
import matplotlib.pyplot as plt
import pandas as pd

from course_utils import metrics, training

NOTEBOOK = "05_conv_recurrent_autoencoders"
layers = keras.layers

# %% [markdown] slideshow={"slide_type": "subslide"}
# Two data sets: Fashion-MNIST for the lecture's transposed-convolution and recurrent
# autoencoders, MNIST for the tiny up-sampling autoencoder (as in the slides it comes from). In
# fast mode the loaders return small real samples and we train on a few thousand images.

# %%
fashion = data.load_fashion_mnist()
mnist = data.load_mnist()
n_train = cfg.limit(55_000, fast=3_000)
x_fashion_train, x_fashion_valid, x_fashion_test = fashion.x_train[:n_train], fashion.x_valid, fashion.x_test
x_mnist_train, x_mnist_valid, x_mnist_test = mnist.x_train[:n_train], mnist.x_valid, mnist.x_test
print(f"training on {len(x_fashion_train)} images of each set; "
      f"validation {len(x_fashion_valid)}, test {len(x_fashion_test)}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The yardstick: PCA at every code size
#
# Every autoencoder this week is compared with PCA that keeps the same number of values per
# image. PCA's error for all code sizes comes from one eigendecomposition: if $\mathbf{v}_1,
# \dots, \mathbf{v}_{784}$ are the eigenvectors of the training covariance (largest eigenvalue
# first) and $\bar{\mathbf{x}}$ the training mean, keeping $k$ components loses
#
# $$\|\mathbf{x}-\hat{\mathbf{x}}_k\|^2 = \|\mathbf{x}-\bar{\mathbf{x}}\|^2
#   - \sum_{j=1}^{k} \big(\mathbf{v}_j^\top(\mathbf{x}-\bar{\mathbf{x}})\big)^2 ,$$
#
# because the $\mathbf{v}_j$ are orthonormal. Dividing by 784 and averaging over the test images
# gives the test MSE for every $k$ at once.

# %%
def pca_test_mse_curve(train_images, test_images):
    """Test MSE of PCA for every code size k = 1 .. n_pixels (entry k-1 is PCA with k components)."""
    train_rows = data.flatten_images(train_images).astype(np.float64)
    test_rows = data.flatten_images(test_images).astype(np.float64)
    mean = train_rows.mean(axis=0)
    eigenvalues, eigenvectors = np.linalg.eigh(np.cov(train_rows - mean, rowvar=False))
    eigenvectors = eigenvectors[:, np.argsort(eigenvalues)[::-1]]  # largest variance first
    centred = test_rows - mean
    captured = np.cumsum((centred @ eigenvectors) ** 2, axis=1)  # energy kept by the first k
    total = np.sum(centred ** 2, axis=1, keepdims=True)
    return np.mean(total - captured, axis=0) / test_rows.shape[1]


pca_curve = {"Fashion-MNIST": pca_test_mse_curve(x_fashion_train, x_fashion_test),
             "MNIST": pca_test_mse_curve(x_mnist_train, x_mnist_test)}
mean_image_mse = metrics.reconstruction_mse(
    x_fashion_test, np.broadcast_to(x_fashion_train.mean(axis=0), x_fashion_test.shape))
for name, curve in pca_curve.items():
    print(f"{name:>13}: PCA test MSE with k = 2, 30, 64, 576 components: "
          + ", ".join(f"{curve[k - 1]:.4f}" for k in (2, 30, 64, 576)))
print(f"Fashion-MNIST: predicting the mean training image for every test image gives MSE {mean_image_mse:.4f}")

# %% [markdown]
# The shortcut agrees with scikit-learn's PCA (the helper `metrics.pca_reconstruction_mse`):

# %%
pca_30_fashion = metrics.pca_reconstruction_mse(x_fashion_train, x_fashion_test, 30)
checks.verify(np.isclose(pca_curve["Fashion-MNIST"][29], pca_30_fashion, rtol=1e-3),
              "the eigendecomposition shortcut gives scikit-learn's PCA-30 test MSE",
              f"{pca_curve['Fashion-MNIST'][29]:.5f} vs {pca_30_fashion:.5f}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Pooling, up-sampling and transposed convolutions, in pictures
#
# A convolutional encoder alternates convolutions (which detect local patterns) with
# **max-pooling**, which halves the height and width by keeping the largest value of each 2×2
# block. The decoder must undo the halving. **Up-sampling** does the simplest thing: it copies
# each value into a 2×2 block. It has no weights, so a convolution after it has to smooth the
# blocks. Here is both on a 4×4 grid of numbers, computed by the Keras layers themselves:

# %%
def show_grid(ax, values, title):
    """Draw a small 2-D array as a heat map with each value written in its cell."""
    top = max(1.0, values.max())
    ax.imshow(values, cmap="Blues", vmin=0, vmax=top)
    for (row, column), value in np.ndenumerate(values):
        ax.text(column, row, f"{value:g}", ha="center", va="center", fontsize=10,
                color="white" if value > 0.6 * top else "black")  # readable on dark cells
    ax.set_axis_off()
    ax.set_title(title)


grid = np.array([[1, 3, 2, 0],
                 [4, 2, 1, 1],
                 [0, 1, 5, 6],
                 [2, 0, 7, 3]], dtype="float32")
as_batch = grid[None, :, :, None]  # Keras wants (batch, height, width, channels)
pooled = keras.ops.convert_to_numpy(layers.MaxPooling2D(pool_size=2)(as_batch))
upsampled = keras.ops.convert_to_numpy(layers.UpSampling2D(size=2)(pooled))

fig, axes = plt.subplots(1, 3, figsize=(9, 3.2), gridspec_kw={"width_ratios": [4, 2, 4]})
show_grid(axes[0], grid, "input 4×4")
show_grid(axes[1], pooled[0, :, :, 0], "MaxPooling2D → 2×2")
show_grid(axes[2], upsampled[0, :, :, 0], "UpSampling2D → 4×4")
fig.tight_layout()

# %%
checks.verify(np.array_equal(pooled[0, :, :, 0], grid.reshape(2, 2, 2, 2).max(axis=(1, 3))),
              "max-pooling keeps the largest value of each 2×2 block")
checks.verify(np.array_equal(upsampled[0, :, :, 0], np.repeat(np.repeat(pooled[0, :, :, 0], 2, axis=0), 2, axis=1)),
              "up-sampling copies each value into a 2×2 block")
checks.verify(not np.array_equal(upsampled[0, :, :, 0], grid),
              "pooling then up-sampling does not give the input back: 12 of the 16 values are lost")

# %% [markdown] slideshow={"slide_type": "subslide"}
# The same two layers on a digit. Three poolings with `padding="same"` take 28 to 14, 7 and
# then 4 (a 7-pixel side is padded to 8 before halving). Three up-samplings take 4 to 8, 16 and
# **32**, not 28: a decoder built only from up-sampling cannot land on 28. The lecture's decoder
# fixes this with one convolution *without* padding, which trims 16×16 to 14×14 before the last
# up-sampling.

# %%
digit = mnist.x_test[:1, :, :, None]
stages, titles = [digit], ["input"]
for _ in range(3):
    stages.append(layers.MaxPooling2D(pool_size=2, padding="same")(stages[-1]))
    titles.append("pooled")
for _ in range(3):
    stages.append(layers.UpSampling2D(size=2)(stages[-1]))
    titles.append("up-sampled")
stages = [keras.ops.convert_to_numpy(stage)[0, :, :, 0] for stage in stages]

fig, axes = plt.subplots(1, len(stages), figsize=(13, 2.4))
for ax, stage, title in zip(axes, stages, titles):
    plotting.plot_image(stage, ax=ax, title=f"{title}\n{stage.shape[0]}×{stage.shape[1]}")
fig.tight_layout()

# %% tags=["nbval-check-output"]
sides = [stage.shape[0] for stage in stages]
print("sides along the way:", sides)
checks.verify(sides == [28, 14, 7, 4, 8, 16, 32], "pooling 3 times gives 4×4; up-sampling 3 times gives 32×32, not 28×28")

# %% [markdown] slideshow={"slide_type": "subslide"}
# A **transposed convolution** is the other way up. Instead of copying, each input value stamps a
# copy of a learned kernel, scaled by that value, onto the output; with stride 2 the stamps are two
# pixels apart, so a 3×3 kernel overlaps its neighbours by one row and column, and overlaps add
# up. Below, a 3×3 input with two non-zero values goes through `Conv2DTranspose` with a fixed
# 3×3 kernel, stride 2 and no padding: the output is $(3-1)\cdot 2 + 3 = 7$ pixels wide, and where
# the two stamps meet, in row 2 and column 2 (counting from 0), their values add:
# $1\cdot1 + 0.5\cdot1 = 1.5$.

# %%
kernel = np.array([[1, 2, 1],
                   [2, 4, 2],
                   [1, 2, 1]], dtype="float32")
small_input = np.zeros((3, 3), dtype="float32")
small_input[0, 0], small_input[1, 1] = 1.0, 0.5  # their stamps overlap at output pixel (2, 2)

transposed = layers.Conv2DTranspose(filters=1, kernel_size=3, strides=2, padding="valid", use_bias=False)
transposed.build((None, 3, 3, 1))
transposed.set_weights([kernel[:, :, None, None]])  # kernel shape: (height, width, out, in)
stamped = keras.ops.convert_to_numpy(transposed(small_input[None, :, :, None]))[0, :, :, 0]

fig, axes = plt.subplots(1, 3, figsize=(10, 3.4), gridspec_kw={"width_ratios": [3, 3, 7]})
show_grid(axes[0], small_input, "input 3×3")
show_grid(axes[1], kernel, "kernel 3×3")
show_grid(axes[2], stamped, "Conv2DTranspose, stride 2 → 7×7")
fig.tight_layout()

# %% [markdown]
# The same result by hand: add value × kernel at row $2i$, column $2j$ for every input pixel $(i, j)$.

# %%
by_hand = np.zeros((7, 7), dtype="float32")
for (row, column), value in np.ndenumerate(small_input):
    by_hand[2 * row:2 * row + 3, 2 * column:2 * column + 3] += value * kernel
checks.verify(np.allclose(stamped, by_hand), "a stride-2 transposed convolution stamps the kernel every 2 pixels and adds the overlaps")
checks.verify(np.isclose(stamped[2, 2], 1.5), "where the two stamps overlap, their values add up", f"output[2, 2] = {stamped[2, 2]:g}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **How wide is the output?** With `padding="valid"` the stamp of the last input pixel starts at
# $(n-1)\cdot s$ and is $k$ pixels wide, so a kernel at least as wide as the stride gives
# $(n-1)\cdot s + k$ pixels. A kernel *narrower* than the stride leaves gaps between the stamps,
# and Keras still gives every input pixel a whole block of $s$ output pixels (the gaps are zeros),
# so the last block ends at $n\cdot s$. Both cases in one rule:
#
# $$\text{out} = (n-1)\cdot s + \max(k, s) \qquad (\texttt{padding="valid"}),$$
#
# and with `padding="same"` the output is simply $n\cdot s$. Keras agrees, also where $k < s$:

# %% tags=["nbval-check-output"]
size_cases = [(3, 3, 2), (3, 1, 2), (4, 2, 3), (5, 1, 3), (2, 3, 1)]  # (input side n, kernel k, stride s)
rule_holds = []
for side, kernel_size, stride in size_cases:
    keras_side = layers.Conv2DTranspose(1, kernel_size, strides=stride)(np.ones((1, side, side, 1), dtype="float32")).shape[1]
    rule_side = (side - 1) * stride + max(kernel_size, stride)
    print(f"n = {side}, k = {kernel_size}, s = {stride}: Keras {keras_side}, (n-1)s + max(k, s) = {rule_side}, "
          f"(n-1)s + k = {(side - 1) * stride + kernel_size}")
    rule_holds.append(keras_side == rule_side)
checks.verify(all(rule_holds), "a valid transposed convolution gives (n-1)s + max(k, s) pixels in all 5 cases, 3 of them with k < s")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## A convolutional autoencoder with transposed convolutions
#
# The lecture's model on Fashion-MNIST. The encoder has three 3×3 convolutions (16, 32 and 64
# filters, SELU activations), each followed by 2×2 max-pooling: $28 \to 14 \to 7 \to 3$, so
# the code is a $3\times3\times64$ block, **576 numbers**. The decoder has three
# `Conv2DTranspose` layers with stride 2: the first, without padding, turns 3 into
# $(3-1)\cdot2+3 = 7$; the next two, with `padding="same"`, double 7 to 14 and 14 to 28. A
# sigmoid keeps the output pixels in $[0, 1]$.

# %%
conv_encoder = keras.Sequential([
    keras.Input(shape=(28, 28)),
    layers.Reshape((28, 28, 1)),  # one grey channel
    layers.Conv2D(16, kernel_size=3, padding="same", activation="selu"),
    layers.MaxPooling2D(pool_size=2),
    layers.Conv2D(32, kernel_size=3, padding="same", activation="selu"),
    layers.MaxPooling2D(pool_size=2),
    layers.Conv2D(64, kernel_size=3, padding="same", activation="selu"),
    layers.MaxPooling2D(pool_size=2),
], name="conv_encoder")
conv_decoder = keras.Sequential([
    keras.Input(shape=(3, 3, 64)),
    layers.Conv2DTranspose(32, kernel_size=3, strides=2, padding="valid", activation="selu"),
    layers.Conv2DTranspose(16, kernel_size=3, strides=2, padding="same", activation="selu"),
    layers.Conv2DTranspose(1, kernel_size=3, strides=2, padding="same", activation="sigmoid"),
    layers.Reshape((28, 28)),
], name="conv_decoder")
conv_ae = keras.Sequential([conv_encoder, conv_decoder], name="conv_ae")
conv_ae.summary()

# %% tags=["nbval-check-output"]
conv_code_size = int(np.prod(conv_encoder.output_shape[1:]))
print("code shape:", conv_encoder.output_shape[1:], "=", conv_code_size, "numbers")
print("parameters: encoder", conv_encoder.count_params(), "+ decoder", conv_decoder.count_params(),
      "=", conv_ae.count_params())

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Training
#
# The lecture trains with plain SGD at learning rate 1.0 and binary cross-entropy for 5 epochs, in
# batches of 32. We keep the loss and the 5 epochs and change the rest:
#
# - **Adam** instead of SGD: it adapts the step size of every weight, so it needs no hand-tuned
#   learning rate (the recurrent AE below shows, measured, how much this can matter);
# - a learning rate of $2\times10^{-3}$ that falls to zero along a **cosine** over the run
#   (`training.cosine_decay`): big steps first, fine ones at the end;
# - **batches of 64**: half as many steps per epoch, each of which a CPU does more efficiently.
#
# Binary cross-entropy suits pixels in $[0, 1]$ behind a sigmoid output: its gradient with respect
# to the output's pre-activation is simply $\hat{x} - x$, and its minimiser, like the MSE's, is the
# expected pixel. We still report the MSE. Every model of this notebook is trained by the same
# function, `training.compile_and_fit`, from a plain settings dict, so all of them are treated the
# same way. (`benchmarks/results.md` compares this week's settings with the lecture's.)

# %% tags=["parameters"]
CONV_SETTINGS = dict(optimizer="Adam", learning_rate=2e-3, schedule="cosine", loss="binary_crossentropy",
                     batch_size=64, epochs=5)

# %%
conv_run = training.compile_and_fit(
    conv_ae, x_fashion_train, x_fashion_train, settings=CONV_SETTINGS, epochs=cfg.epochs(CONV_SETTINGS["epochs"]),
    validation_data=(x_fashion_valid, x_fashion_valid))
print(conv_run)
fig = plotting.plot_history(conv_run.history, title="Convolutional AE (transposed convolutions), Fashion-MNIST")

# %%
def predicted_mse(model, images):
    """Reconstruction MSE of ``model`` on ``images`` (all pixels of all images)."""
    return metrics.reconstruction_mse(images, model.predict(images, batch_size=500, verbose=0))


conv_mse = predicted_mse(conv_ae, x_fashion_test)
conv_pca_mse = metrics.pca_reconstruction_mse(x_fashion_train, x_fashion_test, conv_code_size)
training.record_result(NOTEBOOK, "conv_transpose_ae", conv_run, data="Fashion-MNIST", code_size=conv_code_size,
                       test_mse=conv_mse, pca_mse=conv_pca_mse)
print(f"test MSE: conv AE {conv_mse:.4f} | PCA-30 {pca_30_fashion:.4f} | PCA-{conv_code_size} {conv_pca_mse:.5f}")

# %%
fig = plotting.plot_reconstructions(x_fashion_test, conv_ae.predict(x_fashion_test[:10], verbose=0),
                                    row_titles=["original", "conv AE"], n_images=10)

# %% [markdown]
# What does the comparison say? The conv AE's "code" is 576 numbers per image, three quarters of
# the 784 pixels, so it hardly compresses at all, and PCA with 576 components reconstructs almost
# perfectly. At equal code size a linear method wins here: the lecture's network is a good
# introduction to the layers, not a good compressor. The next model shows the other side of
# convolutions: how few weights they need.

# %%
checks.verify(conv_mse > conv_pca_mse, "PCA with as many components as the conv AE's 576-number code reconstructs better",
              f"conv AE {conv_mse:.4f} vs PCA-{conv_code_size} {conv_pca_mse:.5f}")
conv_bound, conv_bound_name = cfg.pick(full=(pca_30_fashion, "PCA-30's"), fast=(0.5 * mean_image_mse, "half the mean image's"))
checks.verify(conv_mse < conv_bound, f"the conv AE still reconstructs well: its test MSE is below {conv_bound_name}",
              f"test MSE {conv_mse:.4f}; PCA-30 {pca_30_fashion:.4f}; mean image {mean_image_mse:.4f}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## A tiny convolutional autoencoder with up-sampling
#
# The second lecture's model on MNIST squeezes each digit into a $4\times4\times4$ block, **64
# numbers**, with only a handful of filters: 8, 4 and 4 in the encoder, each followed by 2×2
# pooling with `padding="same"` ($28\to14\to7\to4$); 4, 4 and 8 in the decoder, each followed by
# 2×2 up-sampling. The decoder's third convolution has no padding and trims 16 to 14, so the last
# up-sampling lands on 28 (see the pictures above). We write it with the functional API, as the
# lecture does, with one change of activation (the parameter count does not depend on it): the
# hidden layers use **GELU**, $x\,\Phi(x)$ with $\Phi$ the standard normal CDF, instead of ReLU.
# GELU is close to ReLU for large inputs of either sign but smooth around zero, where it still
# has a slope, so a filter whose inputs drift slightly negative keeps learning; with only four
# filters per layer, every filter counts. The output stays a **ReLU**, as in the lecture.
#
# Both choices were measured, not guessed: six random starts of each version, trained as below
# (test MSE, 2 epochs):
#
# | hidden + output | test MSE over six seeds | mean |
# |---|---|---:|
# | ReLU + ReLU (the lecture) | 0.0266, 0.0242, 0.0249, 0.0265, 0.0269, 0.0306 | 0.0266 |
# | GELU + ReLU (ours) | 0.0250, 0.0235, 0.0253, 0.0232, 0.0239, 0.0249 | 0.0243 |
# | ELU + sigmoid (this notebook's earlier choice; three seeds) | 0.0303, 0.0317, **0.1140** | |
# | ReLU + sigmoid (three seeds) | **0.1140**, **0.1140**, **0.1140** | |
#
# An MSE of $0.1140$ is a blank image: the model collapsed to predicting black. With MSE, a
# **sigmoid output** is the risk here, not ReLU: when the sigmoid saturates near 0 its slope
# $\sigma(1-\sigma)$ vanishes and the MSE gradient with it, so a network that starts by drawing
# black can stay there. (With binary cross-entropy the sigmoid's slope cancels out of the
# gradient; that is why the first model of this notebook could use it.) GELU won on five of the
# six seeds, by about 9 % on average: an edge, not a law.

# %% tags=["parameters"]
UPSAMPLING_SETTINGS = dict(hidden_activation="gelu", output_activation="relu",
                           optimizer="Adam", learning_rate=3e-3, loss="mse", batch_size=128, epochs=2)

# %%
hidden_activation = UPSAMPLING_SETTINGS["hidden_activation"]
image_input = keras.Input(shape=(28, 28, 1))
x = layers.Conv2D(8, 3, activation=hidden_activation, padding="same")(image_input)
x = layers.MaxPooling2D(2, padding="same")(x)           # 14×14×8
x = layers.Conv2D(4, 3, activation=hidden_activation, padding="same")(x)
x = layers.MaxPooling2D(2, padding="same")(x)           # 7×7×4
x = layers.Conv2D(4, 3, activation=hidden_activation, padding="same")(x)
bottleneck = layers.MaxPooling2D(2, padding="same")(x)  # 4×4×4: the code
x = layers.Conv2D(4, 3, activation=hidden_activation, padding="same")(bottleneck)
x = layers.UpSampling2D(2)(x)                           # 8×8×4
x = layers.Conv2D(4, 3, activation=hidden_activation, padding="same")(x)
x = layers.UpSampling2D(2)(x)                           # 16×16×4
x = layers.Conv2D(8, 3, activation=hidden_activation)(x)  # no padding: 14×14×8
x = layers.UpSampling2D(2)(x)                           # 28×28×8
image_output = layers.Conv2D(1, 3, activation=UPSAMPLING_SETTINGS["output_activation"], padding="same")(x)
upsampling_ae = keras.Model(image_input, image_output, name="upsampling_ae")
upsampling_encoder = keras.Model(image_input, bottleneck, name="upsampling_encoder")

# %%
upsampling_ae.summary()

# %% tags=["nbval-check-output"]
upsampling_code_size = int(np.prod(upsampling_encoder.output_shape[1:]))
print("bottleneck:", upsampling_encoder.output_shape[1:], "=", upsampling_code_size, "numbers")
print("parameters:", upsampling_ae.count_params())
checks.verify(upsampling_ae.count_params() == 1185, "the up-sampling AE has the lecture's 1 185 parameters")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Few weights do not make an epoch cheap: the first and last convolutions still run over every
# one of the 784 pixels. We train for only two epochs, with three times Adam's default learning
# rate (a network this small tolerates large steps).

# %%
upsampling_run = training.compile_and_fit(
    upsampling_ae, x_mnist_train[..., None], x_mnist_train[..., None], settings=UPSAMPLING_SETTINGS,
    epochs=cfg.epochs(UPSAMPLING_SETTINGS["epochs"]), validation_data=(x_mnist_valid[..., None], x_mnist_valid[..., None]))
print(upsampling_run)
fig = plotting.plot_history(upsampling_run.history, title="Up-sampling AE (1 185 parameters), MNIST")

# %%
upsampling_mse = predicted_mse(upsampling_ae, x_mnist_test[..., None])
upsampling_pca_mse = metrics.pca_reconstruction_mse(x_mnist_train, x_mnist_test, upsampling_code_size)
training.record_result(NOTEBOOK, "upsampling_conv_ae", upsampling_run, data="MNIST", code_size=upsampling_code_size,
                       test_mse=upsampling_mse, pca_mse=upsampling_pca_mse,
                       activations=f"{hidden_activation} + {UPSAMPLING_SETTINGS['output_activation']}")
print(f"test MSE: up-sampling AE {upsampling_mse:.4f} | PCA-{upsampling_code_size} {upsampling_pca_mse:.4f}")

# %%
fig = plotting.plot_reconstructions(x_mnist_test, upsampling_ae.predict(x_mnist_test[:10, :, :, None], verbose=0),
                                    row_titles=["original", "1 185-weight AE"], n_images=10)

# %% [markdown] slideshow={"slide_type": "subslide"}
# At the same code size PCA-64 wins again. But count what each model has to store: PCA with $k$
# components keeps a mean image and $k$ directions, $784\,(k+1)$ numbers, 50 960 for $k=64$. Our
# autoencoder has 1 185 weights in total, less than PCA with a *single* component (1 568
# numbers). How many PCA components does it take to match the tiny network's error?

# %%
mnist_curve = pca_curve["MNIST"]
matching_k = int(np.argmax(mnist_curve <= upsampling_mse)) + 1  # first k with PCA error at most the AE's
print(f"PCA needs k = {matching_k} components ({784 * (matching_k + 1):,} stored numbers) to reach the "
      f"up-sampling AE's test MSE {upsampling_mse:.4f}, which uses 1 185 weights")
checks.verify(upsampling_pca_mse < upsampling_mse, "at the same 64-number code, PCA reconstructs better",
              f"PCA-64 {upsampling_pca_mse:.4f} vs AE {upsampling_mse:.4f}")
blank_mse = metrics.reconstruction_mse(x_mnist_test, np.zeros_like(x_mnist_test))
upsampling_bound, upsampling_bound_name = cfg.pick(full=(mnist_curve[1], "PCA-2's (2 352 stored numbers)"),
                                                   fast=(0.7 * blank_mse, "70 % of a blank image's"))
checks.verify(upsampling_mse < upsampling_bound, f"the 1 185-weight AE's test MSE is below {upsampling_bound_name}",
              f"AE {upsampling_mse:.4f}; PCA-2 {mnist_curve[1]:.4f}; blank image {blank_mse:.4f}; PCA needs k = {matching_k}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## A recurrent autoencoder
#
# An image can also be read as a **sequence**: 28 time steps, each one row of 28 pixels. An LSTM
# reads the rows top to bottom and carries a memory from one row to the next.

# %%
image = x_fashion_test[0]
fig, (ax_image, ax_rows) = plt.subplots(1, 2, figsize=(9, 4), gridspec_kw={"width_ratios": [1, 1.4]})
plotting.plot_image(image, ax=ax_image, title=f"{fashion.class_names[fashion.y_test[0]]}: 28 rows of 28 pixels")
for step in range(0, 28, 3):
    ax_rows.plot(np.arange(28), image[step] - step * 0.6, color=plt.cm.viridis(step / 28))
    ax_rows.text(28.5, -step * 0.6, f"t = {step}", va="center", fontsize=8)
ax_rows.set_xlabel("column (the 28 inputs of one time step)")
ax_rows.set_yticks([])
ax_rows.set_title("every third row, read as time steps t = 0, 3, 6, ...")
fig.tight_layout()

# %% [markdown] slideshow={"slide_type": "subslide"}
# The lecture's architecture:
#
# - **encoder**: an LSTM with 100 units returns its output at every step to a second LSTM with
#   30 units, which returns only its *last* output: the 30-number **code** summarises the whole
#   image;
# - **decoder**: `RepeatVector(28)` feeds that same code to an LSTM (100 units) at each of 28
#   steps, and a `Dense(28)` layer with a sigmoid turns each step's output into one row of
#   pixels. A `Dense` layer on a sequence acts on every time step separately with the same
#   weights, which is what the lecture's `TimeDistributed(Dense(28))` spells out.
#
# An LSTM with $n$ inputs and $u$ units has four gates, each with a $u\times n$ input matrix,
# a $u\times u$ recurrent matrix and $u$ biases: $4\,u\,(n+u+1)$ parameters.

# %%
def build_recurrent_ae():
    """The lecture's recurrent autoencoder: LSTM(100) → LSTM(30) | RepeatVector(28) → LSTM(100) → Dense(28)."""
    encoder = keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.LSTM(100, return_sequences=True),
        layers.LSTM(30),
    ], name="recurrent_encoder")
    decoder = keras.Sequential([
        keras.Input(shape=(30,)),
        layers.RepeatVector(28),
        layers.LSTM(100, return_sequences=True),
        layers.Dense(28, activation="sigmoid"),
    ], name="recurrent_decoder")
    return keras.Sequential([encoder, decoder], name="recurrent_ae"), encoder


recurrent_ae, recurrent_encoder = build_recurrent_ae()
recurrent_ae.summary()

# %% tags=["nbval-check-output"]
recurrent_code_size = recurrent_encoder.output_shape[-1]
print("code size:", recurrent_code_size)
print("parameters: encoder", recurrent_encoder.count_params(), "| whole AE", recurrent_ae.count_params())
lstm_formula = 4 * 100 * (28 + 100 + 1) + 4 * 30 * (100 + 30 + 1) + 4 * 100 * (30 + 100 + 1) + 28 * (100 + 1)
checks.verify(recurrent_ae.count_params() == lstm_formula, "the parameter count follows 4u(n+u+1) for each LSTM")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Where the gradient has far to travel
#
# Before training it, look at the paths the gradient must take. The **decoder** is not the long
# one: `RepeatVector` hands the code to every one of its 28 steps, so the error in output row $t$
# reaches the code through a single step of the decoder's LSTM (and, besides, through the later
# steps). The long path is in the **encoder**. The code is the encoder's output after its *last*
# step, so whatever the top rows contribute must survive 27 more steps of the LSTMs, each of which
# keeps only part of its memory (the forget gate). The gradient travels that path backwards: if
# $\mathbf{h}$ is the code and $J_t = \partial \mathbf{h} / \partial \mathbf{x}_t$ says how strongly
# input row $t$ moves it, the gradient that reaches row $t$ is
# $\partial L / \partial \mathbf{x}_t = J_t^\top\, \partial L / \partial \mathbf{h}$.
#
# So we measure $\|J_t\|$ (the Frobenius norm of its $30 \times 28$ entries) for every row, and the
# decoder's counterpart $\|\partial \hat{\mathbf{x}}_t / \partial \mathbf{h}\|$ for every output row.
# Central differences need nothing but the model's predictions, so the same code runs on every
# backend: nudge one input value by $\pm\varepsilon$ and divide the change of the output by
# $2\varepsilon$.

# %%
def finite_difference_jacobian(model, inputs, step=1e-2):
    """d model(x) / d x for every example by central differences: shape (examples, input values, output values)."""
    n_values = int(np.prod(inputs.shape[1:]))
    nudges = (step * np.eye(n_values, dtype="float32")).reshape(n_values, *inputs.shape[1:])
    nudged = np.concatenate([inputs[:, None] + nudges, inputs[:, None] - nudges], axis=1)  # (examples, 2 n_values, ...)
    outputs = model.predict(nudged.reshape(-1, *inputs.shape[1:]), batch_size=2048, verbose=0)
    outputs = outputs.reshape(len(inputs), 2, n_values, -1)
    return (outputs[:, 0] - outputs[:, 1]) / (2 * step)


def row_gradient_norms(autoencoder, images):
    """Mean over ``images`` of ||d code / d input row t|| (encoder) and ||d output row t / d code|| (decoder)."""
    encoder, decoder = autoencoder.layers
    n_rows = images.shape[1]
    encoder_jacobian = finite_difference_jacobian(encoder, images)            # (images, 28 × 28 pixels, code)
    encoder_rows = np.sqrt((encoder_jacobian.reshape(len(images), n_rows, -1) ** 2).sum(axis=2))
    codes = encoder.predict(images, verbose=0)
    decoder_jacobian = finite_difference_jacobian(decoder, codes)             # (images, code, 28 × 28 pixels)
    decoder_rows = np.sqrt((decoder_jacobian.reshape(len(images), -1, n_rows, n_rows) ** 2).sum(axis=(1, 3)))
    return encoder_rows.mean(axis=0), decoder_rows.mean(axis=0)


# %%
# extra code – the figure: one line per model, encoder rows on the left, decoder rows on the right
def plot_row_gradients(profiles):
    """``profiles`` maps a model's name to its (encoder rows, decoder rows) from row_gradient_norms."""
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.6), sharey=True)
    for name, (encoder_rows, decoder_rows) in profiles.items():
        axes[0].plot(encoder_rows, "o-", markersize=3, label=name)
        axes[1].plot(decoder_rows, "o-", markersize=3, label=name)
    axes[0].set(yscale="log", xlabel="input row t (t = 0 is read first)", ylabel="norm",
                title="encoder: ‖∂ code / ∂ input row t‖")
    axes[1].set(xlabel="output row t", title="decoder: ‖∂ output row t / ∂ code‖")
    axes[0].legend()
    fig.tight_layout()
    return fig


# %%
keras.utils.set_random_seed(cfg.seed)
fresh_recurrent_ae, _ = build_recurrent_ae()
gradient_images = x_fashion_test[:20]
row_profiles = {"before training": row_gradient_norms(fresh_recurrent_ae, gradient_images)}
fresh_encoder_rows, fresh_decoder_rows = row_profiles["before training"]
fig = plot_row_gradients(row_profiles)
print(f"before training: the last input row moves the code {fresh_encoder_rows[-1] / fresh_encoder_rows[0]:.0f}× more than the top row")

# %%
checks.verify(fresh_encoder_rows[-1] > 5 * fresh_encoder_rows[0],
              "in the untrained encoder the top row gets over 5× less gradient than the last one",
              f"last / top = {fresh_encoder_rows[-1] / fresh_encoder_rows[0]:.1f}")
encoder_range, decoder_range = fresh_encoder_rows.max() / fresh_encoder_rows.min(), fresh_decoder_rows.max() / fresh_decoder_rows.min()
checks.verify(encoder_range > 2 * decoder_range,
              "the untrained encoder's rows differ by a factor over twice the one between the decoder's rows",
              f"largest / smallest: decoder {decoder_range:.1f}, encoder {encoder_range:.1f}")

# %% [markdown]
# The encoder's top row reaches the code many times more weakly than its last row, and the decay is
# smooth, step after step; the decoder's rows differ far less, since each of them is one step away
# from the code. For the gradient this means: the error
# tells the encoder very loudly how to encode the bottom rows and only in a whisper how to keep the
# top ones. Training has to build a memory that carries the top rows through 27 steps. Whether an
# optimiser manages that quickly is what the next experiment shows.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Why not the lecture's optimiser?
#
# The lecture trains this model with plain SGD (learning rate 0.1, batches of 32) and binary
# cross-entropy for 10 epochs; we train it with Adam and the MSE. That changes two things at once,
# so here they are one at a time: each of the four combinations of optimiser and loss trains the
# same starting weights for one epoch on the same 4 000 images, batches of 32. The table shows the
# test MSE, how much the reconstructions differ from one image to the next (the mean over pixels of
# their standard deviation across the test images; 0 means the same picture for every input), and
# the encoder's last-row / top-row ratio from above.

# %%
demo_images = fashion.x_train[:4_000]  # the same 4 000 images in both modes: fewer steps may not show it
demo_optimizers = {"SGD 0.1": lambda: keras.optimizers.SGD(learning_rate=0.1),
                   "Adam 3e-3": lambda: keras.optimizers.Adam(learning_rate=3e-3)}
demo_rows = []
for optimizer_name, make_demo_optimizer in demo_optimizers.items():
    for loss in ["binary_crossentropy", "mse"]:
        keras.utils.set_random_seed(cfg.seed)  # the same starting weights in all four runs
        demo_model, _ = build_recurrent_ae()
        demo_model.compile(optimizer=make_demo_optimizer(), loss=loss)
        demo_model.fit(demo_images, demo_images, epochs=1, batch_size=32, verbose=0)
        reconstructions = demo_model.predict(x_fashion_test, batch_size=500, verbose=0)
        demo_encoder_rows, _ = row_gradient_norms(demo_model, gradient_images)
        demo_rows.append(dict(optimizer=optimizer_name, loss=loss,
                              test_mse=metrics.reconstruction_mse(x_fashion_test, reconstructions),
                              spread=float(reconstructions.std(axis=0).mean()),
                              last_to_top_row=float(demo_encoder_rows[-1] / demo_encoder_rows[0])))
demo_table = pd.DataFrame(demo_rows)
print(demo_table.to_string(index=False, formatters={"test_mse": "{:.4f}".format, "spread": "{:.3f}".format,
                                                    "last_to_top_row": "{:.2f}".format}))
print(f"for reference: the mean training image has test MSE {mean_image_mse:.4f} and spread 0; "
      f"the test images themselves have spread {x_fashion_test.std(axis=0).mean():.3f}")

# %%
demo_mse = demo_table.pivot(index="optimizer", columns="loss", values="test_mse")
optimizer_factors = demo_mse.loc["SGD 0.1"] / demo_mse.loc["Adam 3e-3"]       # one per loss
loss_factors = demo_mse.max(axis=1) / demo_mse.min(axis=1)                    # one per optimiser
checks.verify(optimizer_factors.min() > loss_factors.max(),
              "switching the optimiser changes the test MSE by a larger factor than switching the loss",
              f"SGD / Adam: {optimizer_factors.min():.2f} to {optimizer_factors.max():.2f}; "
              f"between the losses: {loss_factors.min():.2f} to {loss_factors.max():.2f}")
by_optimizer = {name: demo_table[demo_table["optimizer"] == name] for name in demo_optimizers}
sgd_runs, adam_runs = by_optimizer["SGD 0.1"], by_optimizer["Adam 3e-3"]
checks.verify((sgd_runs["test_mse"] > mean_image_mse).all() and sgd_runs["spread"].max() < 0.2 * adam_runs["spread"].min(),
              "after one epoch of SGD, with either loss, the AE is worse than the mean image and draws nearly the same "
              "picture for every input", f"SGD MSEs {sgd_runs['test_mse'].round(4).tolist()}, mean image {mean_image_mse:.4f}")

# %%
adam_fraction = 0.9  # the same 4 000 training images in both modes
checks.verify((adam_runs["test_mse"] < adam_fraction * mean_image_mse).all(),
              "after the same epoch Adam's test MSE, with either loss, is below " + checks.times(adam_fraction, "the mean image's"),
              f"Adam MSEs {adam_runs['test_mse'].round(4).tolist()}")
checks.verify(sgd_runs["last_to_top_row"].min() > 5 and adam_runs["last_to_top_row"].max() < 3,
              "after the epoch SGD's encoder still hears the top row over 5× less than the last, Adam's less than 3× less",
              f"SGD {sgd_runs['last_to_top_row'].round(1).tolist()}, Adam {adam_runs['last_to_top_row'].round(2).tolist()}")

# %% [markdown]
# The optimiser, not the loss, makes the difference: in both columns Adam ends the epoch far below
# SGD, while swapping the loss moves the error much less. After its epoch SGD's reconstructions are
# nearly the same picture for every input, and not even the mean image yet; its encoder still hears
# the top row many times more weakly than the last. Adam divides each weight's gradient by a running
# estimate of its size, so weights whose gradients are small still take steps of about the learning
# rate, and within the same epoch its encoder has learnt to carry the top rows to the code.
#
# This is the start of training, not its end. Given the lecture's full 10 epochs on all 55 000
# images, SGD does get well below the mean image, though not to PCA-30 or to Adam's result, and it
# takes several times longer; the benchmark's full-mode numbers, read from
# `benchmarks/results.json` (see `benchmarks/results.md`):

# %%
import json
from pathlib import Path


def benchmark_test_mse(model_key, run="course"):
    """A model's test MSE in benchmarks/results.json under the "course" or "lecture" settings, or None where not recorded."""
    results_file = Path(course_utils.__file__).resolve().parents[1] / "benchmarks" / "results.json"
    records = json.loads(results_file.read_text()).get("models", []) if results_file.is_file() else []
    return next(((record.get(run) or {}).get("test_mse") for record in records if record.get("model") == model_key), None)


# %%
for run_name, description in [("lecture", "the lecture's SGD 0.1, cross-entropy, 10 epochs"), ("course", "this notebook's settings")]:
    recorded = benchmark_test_mse("recurrent_ae", run_name)
    print(f"recurrent AE, {description}: test MSE {'not recorded' if recorded is None else format(recorded, '.4f')}")
print(f"mean image {mean_image_mse:.4f}, PCA-30 {pca_30_fashion:.4f} (this run)")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Training it properly
#
# A recurrent network is the slowest model of the course on a CPU: it processes the 28 rows one
# after another, in every layer. So every setting aims at the most progress per second:
#
# - **Adam** with learning rate $3\times10^{-3}$, three times its default: with only a few epochs
#   we want large steps, and Adam keeps them stable;
# - **batches of 128** instead of the lecture's 32: the 28 sequential steps of each layer are then
#   paid once for every 128 images, so an epoch takes much less time;
# - the **MSE loss**, the number we report and compare with PCA;
# - **6 epochs**, as many as this notebook's time budget allows; the learning curves below show
#   the error still falling at the end, so more epochs would help further.

# %% tags=["parameters"]
RECURRENT_SETTINGS = dict(optimizer="Adam", learning_rate=3e-3, loss="mse", batch_size=128, epochs=6)

# %%
keras.utils.set_random_seed(cfg.seed)
recurrent_ae, recurrent_encoder = build_recurrent_ae()
recurrent_run = training.compile_and_fit(
    recurrent_ae, x_fashion_train, x_fashion_train, settings=RECURRENT_SETTINGS,
    epochs=cfg.epochs(RECURRENT_SETTINGS["epochs"], fast=3),
    batch_size=cfg.pick(full=RECURRENT_SETTINGS["batch_size"], fast=32),  # fast mode: enough steps on few images
    validation_data=(x_fashion_valid, x_fashion_valid))
print(recurrent_run)

# %%
recurrent_mse = predicted_mse(recurrent_ae, x_fashion_test)
training.record_result(NOTEBOOK, "recurrent_ae", recurrent_run, data="Fashion-MNIST", code_size=int(recurrent_code_size),
                       test_mse=recurrent_mse, pca_mse=pca_30_fashion)
print(f"test MSE: recurrent AE {recurrent_mse:.4f} | PCA-30 {pca_30_fashion:.4f} | mean image {mean_image_mse:.4f}")
fig = plotting.plot_history(recurrent_run.history, title="Recurrent AE, Fashion-MNIST",
                            reference={"loss": (pca_30_fashion, "PCA-30 (test)")})

# %%
recurrent_bound, recurrent_bound_name = cfg.pick(full=(pca_30_fashion, "PCA-30's"),
                                                 fast=(0.7 * mean_image_mse, "70 % of the mean image's"))
checks.verify(recurrent_mse < recurrent_bound, f"the recurrent AE really learns: its test MSE is below {recurrent_bound_name}",
              f"{recurrent_mse:.4f} vs PCA-30 {pca_30_fashion:.4f}, mean image {mean_image_mse:.4f}")
validation_curve = recurrent_run.history["val_loss"]
checks.verify(validation_curve[-1] < validation_curve[-2], "the validation error is still falling in the last epoch",
              f"{validation_curve[-2]:.4f} → {validation_curve[-1]:.4f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# And the gradient paths after training, measured as before on the same 20 test images:

# %%
row_profiles["after training"] = row_gradient_norms(recurrent_ae, gradient_images)
trained_encoder_rows, _ = row_profiles["after training"]
fig = plot_row_gradients(row_profiles)
trained_ratio, fresh_ratio = trained_encoder_rows[-1] / trained_encoder_rows[0], fresh_encoder_rows[-1] / fresh_encoder_rows[0]
print(f"last row / top row: {fresh_ratio:.1f} before training, {trained_ratio:.2f} after")
checks.verify(trained_ratio < fresh_ratio / 5, "training has built the memory: the top row's share of the gradient, "
              "relative to the last row's, is over 5× larger than before training", f"{fresh_ratio:.1f} → {trained_ratio:.2f}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Equal code size: 30 numbers, three architectures
#
# The recurrent AE squeezes an image into 30 numbers, as week 4's dense stacked AE does. To compare
# kinds of network rather than code sizes, we add a convolutional AE with a 30-number code and
# train all of them on the same Fashion-MNIST images:
#
# - **dense**: week 4's stacked AE, rebuilt here with the same architecture (784-100-30-100-784,
#   SELU hidden and code layers, sigmoid output) and the same training settings (Adam
#   $3\times10^{-3}$, binary cross-entropy, batches of 256, 20 epochs);
# - **convolutional**: the lecture's encoder from the top of this notebook (16/32/64 filters and
#   pooling down to $3\times3\times64$) followed by `Dense(30)`; the decoder turns the 30 numbers
#   back into a $3\times3\times64$ block with `Dense(576)` and then runs the lecture's three
#   transposed convolutions. Trained like the 576-number conv AE above;
# - **recurrent**: the model just trained;
# - **PCA-30**, the linear yardstick.

# %%
def build_dense_30_ae():
    """Week 4's stacked dense AE, 784-100-30-100-784 (SELU; sigmoid output), on 28×28 images."""
    encoder = keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Flatten(),
        layers.Dense(100, activation="selu"),
        layers.Dense(30, activation="selu"),
    ], name="dense_30_encoder")
    decoder = keras.Sequential([
        keras.Input(shape=(30,)),
        layers.Dense(100, activation="selu"),
        layers.Dense(28 * 28, activation="sigmoid"),
        layers.Reshape((28, 28)),
    ], name="dense_30_decoder")
    return keras.Sequential([encoder, decoder], name="dense_30_ae")


# %%
def build_conv_30_ae():
    """The lecture's conv encoder and transposed-convolution decoder with a Dense 30-number code between them."""
    encoder = keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Reshape((28, 28, 1)),
        layers.Conv2D(16, 3, padding="same", activation="selu"), layers.MaxPooling2D(2),  # 14×14×16
        layers.Conv2D(32, 3, padding="same", activation="selu"), layers.MaxPooling2D(2),  # 7×7×32
        layers.Conv2D(64, 3, padding="same", activation="selu"), layers.MaxPooling2D(2),  # 3×3×64
        layers.Flatten(),
        layers.Dense(30, activation="selu"),                                              # the code
    ], name="conv_30_encoder")
    decoder = keras.Sequential([
        keras.Input(shape=(30,)),
        layers.Dense(3 * 3 * 64, activation="selu"),
        layers.Reshape((3, 3, 64)),
        layers.Conv2DTranspose(32, 3, strides=2, padding="valid", activation="selu"),  # 7×7×32
        layers.Conv2DTranspose(16, 3, strides=2, padding="same", activation="selu"),   # 14×14×16
        layers.Conv2DTranspose(1, 3, strides=2, padding="same", activation="sigmoid"),  # 28×28×1
        layers.Reshape((28, 28)),
    ], name="conv_30_decoder")
    return keras.Sequential([encoder, decoder], name="conv_30_ae")


# %% tags=["nbval-check-output"]
keras.utils.set_random_seed(cfg.seed)
dense_30_ae, conv_30_ae = build_dense_30_ae(), build_conv_30_ae()
for model in (dense_30_ae, conv_30_ae, recurrent_ae):
    encoder, decoder = model.layers
    print(f"{model.name:>12}: code {encoder.output_shape[1:]}, parameters encoder {encoder.count_params():,} "
          f"+ decoder {decoder.count_params():,} = {model.count_params():,}")
checks.verify(dense_30_ae.count_params() == 163_814, "the dense AE has week 4's 163 814 parameters")

# %% [markdown]
# Week 4's settings for the dense AE, and the 576-number conv AE's for the new one. In fast mode both
# take smaller batches, for enough steps on the few training images.

# %% tags=["parameters"]
DENSE_30_SETTINGS = dict(optimizer="Adam", learning_rate=3e-3, loss="binary_crossentropy", batch_size=256, epochs=20)
CONV_30_SETTINGS = dict(optimizer="Adam", learning_rate=2e-3, schedule="cosine", loss="binary_crossentropy",
                        batch_size=64, epochs=5)

# %%
dense_30_run = training.compile_and_fit(
    dense_30_ae, x_fashion_train, x_fashion_train, settings=DENSE_30_SETTINGS,
    epochs=cfg.epochs(DENSE_30_SETTINGS["epochs"], fast=10),
    batch_size=cfg.pick(full=DENSE_30_SETTINGS["batch_size"], fast=32), validation_data=(x_fashion_valid, x_fashion_valid))
print(dense_30_run)
conv_30_run = training.compile_and_fit(
    conv_30_ae, x_fashion_train, x_fashion_train, settings=CONV_30_SETTINGS,
    epochs=cfg.epochs(CONV_30_SETTINGS["epochs"], fast=3),
    batch_size=cfg.pick(full=CONV_30_SETTINGS["batch_size"], fast=32), validation_data=(x_fashion_valid, x_fashion_valid))
print(conv_30_run)

# %%
dense_30_mse, conv_30_mse = predicted_mse(dense_30_ae, x_fashion_test), predicted_mse(conv_30_ae, x_fashion_test)
for key, run, mse in [("dense_30_ae", dense_30_run, dense_30_mse), ("conv_30_ae", conv_30_run, conv_30_mse)]:
    training.record_result(NOTEBOOK, key, run, data="Fashion-MNIST", code_size=30, test_mse=mse, pca_mse=pca_30_fashion)
code_30_runs = {"dense": (dense_30_run, dense_30_mse), "convolutional": (conv_30_run, conv_30_mse),
                "recurrent": (recurrent_run, recurrent_mse)}
code_30_table = pd.DataFrame([dict(model=name, parameters=run.model.count_params(), training_s=run.timer.total_seconds,
                                   epochs=run.epochs, test_mse=mse) for name, (run, mse) in code_30_runs.items()]
                             + [dict(model="PCA-30", parameters=784 * 31, test_mse=pca_30_fashion)])
code_30_table["MSE / PCA-30"] = code_30_table["test_mse"] / pca_30_fashion
print(code_30_table.to_string(index=False, na_rep="—", formatters={"training_s": "{:.0f}".format, "epochs": "{:.0f}".format,
      "test_mse": "{:.4f}".format, "MSE / PCA-30": "{:.2f}".format, "parameters": "{:,}".format}))

# %%
from sklearn.decomposition import PCA

pca_30 = PCA(n_components=30, random_state=0).fit(data.flatten_images(x_fashion_train))
grid_images = x_fashion_test[:10]
pca_30_images = pca_30.inverse_transform(pca_30.transform(data.flatten_images(grid_images))).reshape(grid_images.shape)
fig = plotting.plot_reconstructions(
    grid_images, *[model.predict(grid_images, verbose=0) for model in (dense_30_ae, conv_30_ae, recurrent_ae)],
    np.clip(pca_30_images, 0, 1), row_titles=["original", "dense", "convolutional", "recurrent", "PCA-30"], n_images=10)

# %%
checks.verify(dense_30_mse < min(conv_30_mse, recurrent_mse), "at 30 numbers per image the dense AE reconstructs best of the three",
              f"dense {dense_30_mse:.4f}, convolutional {conv_30_mse:.4f}, recurrent {recurrent_mse:.4f}")
conv_30_factor = cfg.pick(full=1.0, fast=2.0)
checks.verify(max(dense_30_mse, conv_30_mse) < conv_30_factor * pca_30_fashion,
              "the dense and the convolutional AE both have a test MSE below " + checks.times(conv_30_factor, "PCA-30's"),
              f"dense {dense_30_mse:.4f}, convolutional {conv_30_mse:.4f}, PCA-30 {pca_30_fashion:.4f}")
checks.verify(conv_30_ae.count_params() < dense_30_ae.count_params() / 2, "the convolutional AE has less than half the dense AE's weights",
              f"{conv_30_ae.count_params():,} vs {dense_30_ae.count_params():,}")

# %% [markdown]
# With the same 30 numbers per image, the **dense** AE reconstructs best, ahead of the
# convolutional and the recurrent ones (in full mode, on all training images, all three beat
# PCA-30; the recurrent AE only just, as its own check above said). Why does the architecture with the most knowledge of
# images not win? A code of 30 numbers has to summarise the *whole* image, and a dense layer sees
# every pixel at once; the convolutional encoder hands its `Dense(30)` a $3\times3\times64$ summary
# that three poolings have already coarsened, and the recurrent encoder must carry the top rows
# through 27 steps. What the convolutions do buy is economy: the conv AE gets close with less than
# half the weights, since its filters are shared across the image. Its filters also run at every
# pixel, so an epoch costs more than the dense AE's (compare the seconds; the ranking of times
# depends on the backend and the device). In the grid, look at the lettering on the sweater and the
# checks on the shirt: no 30-number code keeps them.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Results: week 5's autoencoders side by side
#
# Every model above was recorded with `training.record_result`; here they are in one table. "PCA
# MSE" is PCA on the same data set keeping as many numbers per image as the model's code;
# "AE / PCA" below 1 means the autoencoder reconstructs better than PCA at its own code size.
# Training times are wall-clock seconds on the machine that ran this notebook (see the setup line).

# %%
results = pd.DataFrame(training.recorded_results(NOTEBOOK))
results["AE / PCA"] = results["test_mse"] / results["pca_mse"]
table = results[["model", "data", "code_size", "params", "train_seconds", "epochs", "test_mse", "pca_mse", "AE / PCA"]]
table = table.rename(columns={"code_size": "code size", "params": "parameters", "train_seconds": "training s",
                              "test_mse": "test MSE", "pca_mse": "PCA MSE"})
table.style.format({"training s": "{:.0f}", "test MSE": "{:.4f}", "PCA MSE": "{:.5f}", "AE / PCA": "{:.2f}"}).hide(axis="index")

# %%
checks.verify(len(table) == 5 and table.notna().all().all(), "the table holds all 5 models with every column filled")

# %%
# How long each model took per epoch here. The order depends on the backend's kernels as much as on
# the model: on the same CPU, JAX has run the transposed convolutions slower than the LSTMs.
for _, row in results.sort_values("seconds_per_epoch", ascending=False).iterrows():
    print(f"{row['model']:>20}: {row['seconds_per_epoch']:5.1f} s per epoch ({cfg.backend}, {cfg.device})")

# %% [markdown] slideshow={"slide_type": "subslide"}
# The same numbers as a picture: PCA's test error for every code size (the curves computed at the
# start) and each autoencoder as a point. A point below its data set's curve beats PCA at that
# code size.

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 4), sharey=True)
for ax, dataset_name in zip(axes, ["Fashion-MNIST", "MNIST"]):
    code_sizes = np.arange(1, 601)  # beyond ~600 components PCA's error is practically zero
    ax.plot(code_sizes, pca_curve[dataset_name][:600], color="grey", label="PCA with k components")
    for _, row in results[results["data"] == dataset_name].iterrows():
        ax.plot(row["code_size"], row["test_mse"], "o", markersize=8, label=f"{row['model']} ({row['params']:,} weights)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_ylim(1e-4, 0.1)
    ax.set_xlabel("code size k (numbers per image)")
    ax.set_title(dataset_name)
    ax.legend(fontsize=9)
axes[0].set_ylabel("test MSE")
fig.tight_layout()

# %% [markdown]
# What the table says (measured in full mode on the whole test sets):
#
# - The **transposed-convolution AE** reconstructs Fashion-MNIST well, but its 576-number code is
#   barely smaller than the image, and PCA keeping 576 components is far better still. Code size
#   must be equal before errors can be compared.
# - The **up-sampling AE** loses to PCA-64 at equal code size, yet with 1 185 weights it beats PCA
#   with 2 components, which stores twice as many numbers (the cell above prints how many
#   components PCA needs to catch up). Weight sharing makes convolutions extremely economical.
# - At an equal **30-number code**, the dense AE beats the convolutional and the recurrent one, and
#   all three beat PCA-30; the convolutional AE needs less than half the dense AE's weights.
# - The **recurrent AE**'s layers each take 28 sequential steps per image, which no batch size
#   removes; whether that makes it the slowest model depends on the backend and the device (the
#   cell above prints this run's times). The lecture's SGD trains it far more slowly than Adam
#   (`benchmarks/results.md`).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# ### Exercise 1: parameters of a convolution
#
# A `Conv2D` layer with `filters` filters of size `kernel_size`×`kernel_size` on an input with
# `in_channels` channels has one weight per filter, per kernel position and per input channel,
# plus one bias per filter. Write `conv2d_param_count(in_channels, filters, kernel_size)`.
# (Check: the up-sampling AE's first layer, `conv2d_param_count(1, 8, 3)`, has 80.)

# %% slideshow={"slide_type": "skip"} tags=["solution"]
def conv2d_param_count(in_channels, filters, kernel_size):
    """Number of weights and biases of a Conv2D layer with square kernels."""
    return filters * (kernel_size * kernel_size * in_channels + 1)


# %%
def keras_conv2d_param_count(in_channels, filters, kernel_size):
    layer = layers.Conv2D(filters, kernel_size)
    layer.build((None, 16, 16, in_channels))
    return layer.count_params()


checks.check_function("conv2d_param_count", conv2d_param_count, keras_conv2d_param_count,
                      cases=[(1, 8, 3), (8, 4, 3), (4, 1, 3), (16, 32, 3), (3, 64, 5)],
                      hint="one filter looks at a kernel_size × kernel_size window of every input channel, and has one bias")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 2: how small does pooling make an image?
#
# With `padding="same"`, a 2×2 max-pooling turns a side of $n$ pixels into $\lceil n/2 \rceil$.
# Write `pooled_side(side, n_pools)`: the side after `n_pools` such poolings (`pooled_side(28, 3)`
# is 4).

# %% slideshow={"slide_type": "skip"} tags=["solution"]
def pooled_side(side, n_pools):
    """Side length after ``n_pools`` 2×2 max-poolings with padding="same"."""
    for _ in range(n_pools):
        side = (side + 1) // 2
    return side


# %%
def keras_pooled_side(side, n_pools):
    shape = (None, side, side, 1)
    for _ in range(n_pools):
        shape = layers.MaxPooling2D(2, padding="same").compute_output_shape(shape)
    return shape[1]


checks.check_function("pooled_side", pooled_side, keras_pooled_side,
                      cases=[(28, 1), (28, 3), (7, 1), (32, 2), (29, 4), (100, 0)],
                      hint="with padding=\"same\" a pooling keeps the last, incomplete window: what happens to an odd side?")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 3: how large does a transposed convolution make it?
#
# Write `transposed_side(side, kernel_size, stride, padding)`, the side of a `Conv2DTranspose`
# layer's output for `padding="valid"` or `"same"`, from the rule of the transposed-convolution
# section (think again about what happens when the kernel is narrower than the stride). The check
# compares it with the shapes Keras computes, on eight cases. (The lecture's decoder goes
# $3 \to 7 \to 14 \to 28$.)

# %% slideshow={"slide_type": "skip"} tags=["solution"]
def transposed_side(side, kernel_size, stride, padding):
    """Side length after a Conv2DTranspose layer with padding "valid" or "same"."""
    if padding == "same":
        return side * stride
    return (side - 1) * stride + max(kernel_size, stride)


# %%
def keras_transposed_side(side, kernel_size, stride, padding):
    layer = layers.Conv2DTranspose(1, kernel_size, strides=stride, padding=padding)
    return layer.compute_output_shape((None, side, side, 1))[1]


checks.check_function("transposed_side", transposed_side, keras_transposed_side,
                      cases=[(3, 3, 2, "valid"), (7, 3, 2, "same"), (14, 3, 2, "same"), (4, 5, 1, "valid"), (5, 3, 1, "valid"),
                             (6, 5, 2, "same"), (4, 1, 2, "valid"), (3, 2, 3, "valid")],
                      hint="valid: where do the stamps of the last input pixel end, and what if the kernel is narrower than the stride?")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 4: parameters of an LSTM
#
# Write `lstm_param_count(n_inputs, units)` for a Keras `LSTM` layer (four gates, each with
# input weights, recurrent weights and a bias). Then use it to say how much of the recurrent AE's
# 122 548 parameters sit in its three LSTM layers, as a fraction `lstm_share` between 0 and 1.

# %% slideshow={"slide_type": "skip"} tags=["solution"]
def lstm_param_count(n_inputs, units):
    """Number of weights and biases of a Keras LSTM layer."""
    return 4 * units * (n_inputs + units + 1)


lstm_share = (lstm_param_count(28, 100) + lstm_param_count(100, 30) + lstm_param_count(30, 100)) / 122_548

# %%
def keras_lstm_param_count(n_inputs, units):
    layer = layers.LSTM(units)
    layer.build((None, 5, n_inputs))
    return layer.count_params()


checks.check_function("lstm_param_count", lstm_param_count, keras_lstm_param_count,
                      cases=[(28, 100), (100, 30), (30, 100), (1, 1), (64, 128)],
                      hint="each of the four gates has its own input weights, recurrent weights and biases")
lstm_layers = [layer for part in recurrent_ae.layers for layer in part.layers if isinstance(layer, layers.LSTM)]
checks.check_value("share of the recurrent AE's parameters in its LSTMs", lstm_share,
                   sum(layer.count_params() for layer in lstm_layers) / recurrent_ae.count_params(), rtol=1e-3,
                   hint="which layers of the recurrent AE are not LSTMs, and how many weights do they hold?")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 5 (experiment): a 32-number code that beats the dense autoencoder
#
# In the equal-code comparison above, the lecture's convolutions with a `Dense(30)` code lost to
# week 4's stacked dense AE. The benchmark recorded that dense AE's test MSE from week 4's full-mode
# run in `benchmarks/results.json`. Can convolutions beat it with a code of **at most 32 numbers**
# per image?
#
# Build an encoder model whose output, the code, holds at most 32 numbers per image, and a decoder
# model that turns a code back into a $28\times28$ image, with convolutions in at least one of
# them. Put them together as `small_code_conv_ae = keras.Sequential([encoder, decoder])` (as
# `conv_ae` above) and train it on `x_fashion_train`. Keep the full-mode training to about a
# minute: part of the training images and a few epochs are enough if every step is cheap (which of
# your layers run on the most pixels?).
#
# The check runs your encoder on the test images `x_fashion_test` and then your decoder on the
# codes, so nothing can go around the code. Target: a test MSE below week 4's stacked AE's
# recorded one (below PCA-32's if the file lacks that record); in fast mode, which trains on only
# 3 000 images, below 1.5 × PCA-32's.

# %% slideshow={"slide_type": "skip"} tags=["solution"]
keras.utils.set_random_seed(cfg.seed)
small_code_encoder = keras.Sequential([
    keras.Input(shape=(28, 28)),
    layers.Reshape((28, 28, 1)),
    layers.Conv2D(16, 3, strides=2, padding="same", activation="elu"),  # 14×14×16: a stride instead of pooling
    layers.Conv2D(32, 3, strides=2, padding="same", activation="elu"),  # 7×7×32
    layers.Flatten(),
    layers.Dense(32),                                                   # the code: 32 numbers
], name="small_code_encoder")
small_code_decoder = keras.Sequential([
    keras.Input(shape=(32,)),
    layers.Dense(7 * 7 * 32, activation="elu"),
    layers.Reshape((7, 7, 32)),
    layers.Conv2DTranspose(16, 3, strides=2, padding="same", activation="elu"),    # 14×14×16
    layers.Conv2DTranspose(1, 3, strides=2, padding="same", activation="sigmoid"),  # 28×28×1
    layers.Reshape((28, 28)),
], name="small_code_decoder")
small_code_conv_ae = keras.Sequential([small_code_encoder, small_code_decoder], name="small_code_conv_ae")
small_code_images = x_fashion_train[:cfg.limit(30_000, fast=3_000)]
small_code_run = training.compile_and_fit(
    small_code_conv_ae, small_code_images, small_code_images, epochs=cfg.epochs(5, fast=3),
    settings=dict(optimizer="Adam", learning_rate=1e-2, schedule="cosine", loss="binary_crossentropy",
                  batch_size=128, epochs=5),
    batch_size=cfg.pick(full=128, fast=32))  # fast mode: more steps on its few images
print(small_code_run)

# %%
def eager_outputs_in_batches(model, inputs, batch_size=500):
    """``model(inputs)`` as a NumPy array, computed batch by batch without tracing a predict function."""
    return np.concatenate([keras.ops.convert_to_numpy(model(inputs[start:start + batch_size], training=False))
                           for start in range(0, len(inputs), batch_size)])


def layers_of_nested_model(model):
    """Every layer of ``model``, those of nested models included."""
    found = []
    for layer in model.layers:
        found += [layer, *(layers_of_nested_model(layer) if isinstance(layer, keras.Model) else [])]
    return found


# %%
def judge_small_code_conv_ae(model):
    """Encode x_fashion_test, decode the codes; the target is a code of at most 32 numbers and a test MSE
    below week 4's stacked AE's (fast mode: below 1.5 × PCA-32's)."""
    parts = [layer for layer in model.layers if not isinstance(layer, layers.InputLayer)]
    if len(parts) != 2 or not all(isinstance(part, keras.Model) for part in parts):
        raise TypeError("build the autoencoder as keras.Sequential([encoder, decoder]) from two models")
    encoder, decoder = parts
    codes = eager_outputs_in_batches(encoder, x_fashion_test.reshape((-1, *encoder.input_shape[1:])))
    code_size = int(np.prod(codes.shape[1:]))
    test_mse = metrics.reconstruction_mse(x_fashion_test, eager_outputs_in_batches(decoder, codes))
    convolutional = any("Conv" in type(layer).__name__ for part in parts for layer in layers_of_nested_model(part))
    pca_32 = metrics.pca_reconstruction_mse(x_fashion_train, x_fashion_test, 32)
    stacked_mse = benchmark_test_mse("stacked_ae_fashion")  # week 4's full-mode run, as the benchmark recorded it
    target, target_name = cfg.pick(full=(stacked_mse, "week 4's stacked AE's") if stacked_mse else (pca_32, "PCA-32's"),
                                   fast=(1.5 * pca_32, checks.times(1.5, "PCA-32's")))
    return (code_size <= 32 and convolutional and test_mse < target,
            f"code of {code_size} numbers per image (at most 32), {'with' if convolutional else 'without'} convolutions; "
            f"test MSE {test_mse:.4f}, target below {target_name} {target:.4f} (PCA-32: {pca_32:.4f})")


checks.check_experiment("a conv AE with a code of at most 32 numbers", small_code_conv_ae, judge_small_code_conv_ae,
                        hint="the code is everything the encoder outputs, whatever its shape; if the error is too high, "
                             "count your optimiser steps and what each one costs.")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 6 (experiment): how much does a shift of a few pixels hurt?
#
# A convolution applies the same filters at every position, so its output moves with its input.
# The recurrent AE's LSTM has one input weight per column of a row, so to it a column is a fixed
# place, as a pixel is to a dense layer. Measure what that means for reconstruction.
#
# Take the first 1 000 test images, `x_fashion_test[:1000]`, and shift them $s = 0, 1, 2, 3$
# pixels to the **right**: the $s$ left-most columns become black (0) and the $s$ right-most fall
# off. Reconstruct the shifted images with `conv_ae` and with `recurrent_ae`, and compute each
# model's MSE against the *shifted* images. Store the results as
# `mse_by_shift = {"conv_ae": [4 MSEs for s = 0..3], "recurrent_ae": [...]}`, and in
# `shift_robust_model` the name (`"conv_ae"` or `"recurrent_ae"`) of the model whose error grows
# by the smaller factor from $s = 0$ to $s = 3$.
#
# The check repeats the measurement on the models of this notebook: your numbers must agree within
# 2 %, and your conclusion must follow from them. Afterwards, think about why PCA with 30
# components, whose components are fixed images, would behave like one of the two models.

# %% slideshow={"slide_type": "skip"} tags=["solution"]
def shift_images_right(images, pixels):
    """``images`` moved ``pixels`` columns to the right; black columns come in from the left."""
    return np.pad(images, ((0, 0), (0, 0), (pixels, 0)))[:, :, :images.shape[2]]


shift_test_images = x_fashion_test[:1000]
mse_by_shift = {name: [predicted_mse(model, shift_images_right(shift_test_images, s)) for s in range(4)]
                for name, model in [("conv_ae", conv_ae), ("recurrent_ae", recurrent_ae)]}
shift_growth = {name: errors[3] / errors[0] for name, errors in mse_by_shift.items()}
shift_robust_model = min(shift_growth, key=shift_growth.get)
print({name: " → ".join(f"{error:.4f}" for error in errors) for name, errors in mse_by_shift.items()}, shift_growth)

# %%
def shifted_right_zero_filled(images, pixels):
    """The check's own shift: columns move ``pixels`` to the right, zeros come in on the left."""
    moved = np.zeros_like(images)
    moved[:, :, pixels:] = images[:, :, :images.shape[2] - pixels]
    return moved


def measured_shift_mse(images, models):
    """For each named model, its MSE on ``images`` shifted s = 0, 1, 2, 3 pixels to the right."""
    shifted = [shifted_right_zero_filled(images, s) for s in range(4)]
    return {name: [metrics.reconstruction_mse(moved, model.predict(moved, batch_size=500, verbose=0)) for moved in shifted]
            for name, model in models.items()}


# %%
shift_measurements = {}  # filled by the first judge that needs it, once per run of this cell


def shift_reference_mse():
    """The check's measurement on x_fashion_test[:1000] with this notebook's conv_ae and recurrent_ae."""
    if not shift_measurements:
        shift_measurements.update(measured_shift_mse(x_fashion_test[:1000], {"conv_ae": conv_ae, "recurrent_ae": recurrent_ae}))
    return shift_measurements


def judge_shift_mse_table(table):
    """Repeat the measurement; every one of the 8 numbers must agree within 2 %."""
    reference = shift_reference_mse()
    if sorted(table) != sorted(reference):
        return False, f"expected the keys {sorted(reference)}, got {sorted(table)}"
    yours = {name: np.asarray(table[name], dtype=float).reshape(4) for name in reference}
    off = [f"{name} at s = {s}" for name in reference for s in range(4) if not np.isclose(yours[name][s], reference[name][s], rtol=0.02)]
    listed = "; ".join(f"{name}: " + ", ".join(f"{value:.4f}" for value in values) for name, values in yours.items())
    return not off, f"your MSEs {listed}" + (f"; more than 2 % away from the check's measurement: {', '.join(off)}" if off else "")


def judge_shift_robust_model(name):
    """The model whose measured error grows by the smaller factor from s = 0 to s = 3 (either one if they are within 2 %)."""
    growth = {model: errors[3] / errors[0] for model, errors in shift_reference_mse().items()}
    smaller = min(growth, key=growth.get)
    tie = max(growth.values()) < 1.02 * min(growth.values())
    return (name in growth and (name == smaller or tie),
            "measured growth from s = 0 to s = 3: " + ", ".join(f"{model} × {factor:.2f}" for model, factor in growth.items()))


checks.check_experiment("MSE of both models on shifted test images", mse_by_shift, judge_shift_mse_table,
                        hint="shift with zeros coming in (np.roll wraps around), and compare with the shifted images, not the originals")
checks.check_experiment("the model that a shift hurts less", shift_robust_model, judge_shift_robust_model,
                        hint="compare the ratio MSE(s = 3) / MSE(s = 0) of the two models, not their errors")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# - **Max-pooling** keeps the largest value of each block; **up-sampling** copies values into
#   blocks and has no weights; a **transposed convolution** stamps a learned kernel at every
#   input pixel and adds the overlaps. Padding decides the sizes: a decoder must be designed to
#   land exactly on 28×28.
# - A convolutional AE shares its filters across the image, so it needs very few weights: 1 185
#   are enough to beat PCA with two components, which stores twice as many numbers.
# - A recurrent AE reads an image row by row; its code is the encoder LSTM's last output, and
#   `RepeatVector` hands it to the decoder at every step. So the long gradient path is in the
#   encoder: before training, the top row reaches the code many times more weakly than the last.
#   Adam builds the memory that bridges those 27 steps within an epoch; the lecture's SGD gets
#   there far more slowly. Change one setting at a time to find out which one matters: here the
#   optimiser, not the loss.
# - Compare autoencoders with PCA **at the same code size**, and also look at the number of
#   parameters and the training time: no model wins on every count. At 30 numbers per image the
#   dense AE reconstructs best; the convolutional one needs half its weights.
#
# Previous: [Week 4 — Deep (stacked) autoencoders](04_deep_autoencoders.ipynb).
# Next: [Week 6 — Denoising and regularised autoencoders](06_denoising_regularized_autoencoders.ipynb).
