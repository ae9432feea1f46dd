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
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/ml-course-lab/autoencoders-pca-lstm-keras/blob/main/notebooks/04_deep_autoencoders.ipynb)
#
# # Week 4 — Deep (stacked) autoencoders
#
# Last week a single linear layer on each side of the bottleneck turned out to be PCA in disguise.
# This week we stack several **non-linear** layers on each side and ask what that buys us. We train
# a stacked autoencoder on Fashion-MNIST and measure it against PCA with the same code size; build
# one network twice, with Keras's Sequential and functional APIs, and cut its encoder out as a model
# of its own; squeeze MNIST through a two-number code and compare the picture with PCA's; and look at
# the codes with t-SNE. Every model ends up in one table: reconstruction error of the autoencoder
# beside PCA's at the same code size, on the same test images.
#
# **You will learn to**
# - build a deep autoencoder as an encoder model plus a decoder model, and train it end to end;
# - write the same network with the Sequential and the functional API, count its parameters by hand,
#   and reuse its encoder (or decoder) as a stand-alone model;
# - choose an output activation, a loss and an optimiser for images in $[0, 1]$, and read learning curves;
# - compare an autoencoder with PCA fairly: same code size, same test set, same error measure;
# - draw 2-D codes, and 2-D t-SNE maps of longer codes, coloured by class and with thumbnails.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## Setup
#
# The usual first cell (seeds, plotting style, versions and mode), then what this notebook uses
# besides: Keras, pandas for the final table, and scikit-learn's PCA, t-SNE and nearest-neighbour
# classifier.

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
from sklearn.decomposition import PCA
from sklearn.manifold import TSNE
from sklearn.neighbors import KNeighborsClassifier

from course_utils import metrics, training

NOTEBOOK = "04_deep_autoencoders"  # the name our results are recorded under

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The data
#
# Fashion-MNIST (clothes) for the stacked autoencoder, MNIST (digits) for the rest, as in the
# lectures. Dense layers take a vector, so each $28 \times 28$ image becomes a row of 784 pixel
# values in $[0, 1]$. We train on the training split, watch the validation split during training,
# and report every number on the test split, which no model (and no PCA) ever sees while fitting.

# %%
fashion = data.load_fashion_mnist()
mnist = data.load_mnist()
print(fashion)
print(mnist)

f_train, f_valid, f_test = (data.flatten_images(x) for x in (fashion.x_train, fashion.x_valid, fashion.x_test))
m_train, m_valid, m_test = (data.flatten_images(x) for x in (mnist.x_train, mnist.x_valid, mnist.x_test))
print("Fashion-MNIST rows:", f_train.shape, f_valid.shape, f_test.shape)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The yardstick: PCA with the same code size
#
# An autoencoder with a $k$-number code should at least match the best **linear** $k$-dimensional
# code, and that is PCA: project onto the top $k$ principal directions and map back,
# $\tilde{x} = \mu + V_k V_k^\top (x - \mu)$. We score every model by the mean squared error per
# pixel on the test images,
#
# $$\mathrm{MSE} = \frac{1}{n \cdot 784} \sum_{i=1}^{n} \lVert x_i - \tilde{x}_i \rVert^2 ,$$
#
# and `metrics.pca_reconstruction_mse` gives PCA's value (fitted on the training images only).
# Before any network, the trivial model "always answer the mean image" tells us what an MSE of
# *no skill at all* looks like:

# %%
f_mean_mse = metrics.reconstruction_mse(f_test, np.broadcast_to(f_train.mean(axis=0), f_test.shape))
m_mean_mse = metrics.reconstruction_mse(m_test, np.broadcast_to(m_train.mean(axis=0), m_test.shape))
print(f"MSE of the mean image: Fashion-MNIST {f_mean_mse:.4f}, MNIST {m_mean_mse:.4f}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## A stacked autoencoder on Fashion-MNIST
#
# A *stacked* (deep) autoencoder has more than one hidden layer on each side of the code, usually
# mirrored around it. Ours is $784 \to 100 \to 30 \to 100 \to 784$:
#
# - **encoder** $h = f(x)$: two Dense layers with the SELU activation, 784 → 100 → 30;
# - **decoder** $\tilde{x} = g(h)$: 30 → 100 (SELU) → 784 with a **sigmoid**, so every output pixel
#   lies in $(0, 1)$ like the input pixels.
#
# Because pixels are intensities in $[0, 1]$, we treat each one as the probability of "ink" and use
# the **binary cross-entropy** loss,
# $\;\ell(x, \tilde{x}) = -\frac{1}{784}\sum_j \big[x_j \log \tilde{x}_j + (1 - x_j) \log(1 - \tilde{x}_j)\big]$,
# which is smallest exactly when $\tilde{x} = x$. We still *report* the MSE, the measure PCA minimises.
#
# We build the two halves as separate models and chain them. The AE is then literally
# `decoder(encoder(x))`, and after training `encoder` alone turns an image into its 30-number code.

# %%
CODE_SIZE = 30

stacked_encoder = keras.Sequential([
    keras.Input(shape=(784,)),
    keras.layers.Dense(100, activation="selu"),
    keras.layers.Dense(CODE_SIZE, activation="selu"),
], name="stacked_encoder")

stacked_decoder = keras.Sequential([
    keras.Input(shape=(CODE_SIZE,)),
    keras.layers.Dense(100, activation="selu"),
    keras.layers.Dense(784, activation="sigmoid"),
], name="stacked_decoder")

stacked_ae = keras.Sequential([keras.Input(shape=(784,)), stacked_encoder, stacked_decoder], name="stacked_ae")
stacked_ae.summary()

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### A metric a person can read: rounded accuracy
#
# A loss of 0.27 says little. The lecture adds a friendlier number: round every pixel of the input and
# of the reconstruction to 0 or 1 (white or ink) and count how often they agree. It is only a
# diagnostic, never the training objective. Inside a model, maths goes through `keras.ops`, so the
# same function runs on every Keras backend.

# %%
def rounded_accuracy(y_true, y_pred):
    """Share of pixels that land on the same side of 0.5 in the input and its reconstruction."""
    return keras.metrics.binary_accuracy(keras.ops.round(y_true), keras.ops.round(y_pred))


# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Training: why not the lecture's settings
#
# The lecture trains this network with plain SGD at learning rate 1.5 for 20 epochs and batches of 32.
# The course benchmark trains it that way too (its test MSE and time are in `benchmarks/results.md`):
# a little better than PCA-30, but not by much. Two changes do better in less time on a laptop CPU:
#
# - **Adam** adapts a step size for every weight from running averages of its gradients, so one
#   learning rate (here $3 \times 10^{-3}$, three times Keras's default) suits both the 78 500
#   first-layer weights and the small code layer;
# - **batches of 256**: fewer, larger steps keep the CPU's vector units busy, so an epoch takes much
#   less time than with batches of 32, and Adam copes with the larger batches without a learning-rate
#   schedule.
#
# Every model of this week is trained by `training.compile_and_fit`: it builds the optimiser the
# settings name, compiles, fits, and times every epoch. `mse` is tracked as a second metric so that
# we can compare the curves with PCA directly. (`benchmarks/results.md` compares these settings with
# the lecture's, for every model of the course.)

# %% tags=["parameters"]
STACKED_SETTINGS = dict(optimizer="Adam", learning_rate=3e-3, loss="binary_crossentropy", batch_size=256, epochs=20)

# %%
stacked_run = training.compile_and_fit(
    stacked_ae, f_train, f_train, settings=STACKED_SETTINGS, epochs=cfg.epochs(STACKED_SETTINGS["epochs"], fast=15),
    validation_data=(f_valid, f_valid), metrics=["mse", rounded_accuracy])
print(stacked_run)

# %% [markdown] slideshow={"slide_type": "subslide"}
# The learning curves: loss, MSE and rounded accuracy per epoch, on the training images (solid) and
# the validation images (dashed), with PCA-30's **test** MSE drawn as a dotted line for scale. The
# two curves stay close together: the network does not overfit its training images in this many
# epochs (the cell checks the final gap).

# %%
f_pca30_mse = metrics.pca_reconstruction_mse(f_train, f_test, CODE_SIZE, seed=cfg.seed)
fig = plotting.plot_history(stacked_run.history, reference={"mse": (f_pca30_mse, "PCA-30 (test)")},
                            title="Stacked AE 784-100-30-100-784 on Fashion-MNIST")
final_train_mse, final_valid_mse = stacked_run.history["mse"][-1], stacked_run.history["val_mse"][-1]
checks.verify(final_valid_mse < 1.1 * final_train_mse, "no overfitting: validation MSE within 10 % of training MSE",
              f"train {final_train_mse:.4f}, validation {final_valid_mse:.4f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Test error beside PCA-30
#
# Now the fair comparison: both methods squeeze each **test** image into 30 numbers and expand it
# again. PCA-30 is fitted on the same training images the autoencoder saw.

# %%
f_test_rec = stacked_ae.predict(f_test, verbose=0)
stacked_mse = metrics.reconstruction_mse(f_test, f_test_rec)
stacked_rounded = float(keras.ops.mean(rounded_accuracy(f_test, f_test_rec)))
print(f"test MSE: stacked AE {stacked_mse:.4f} | PCA-30 {f_pca30_mse:.4f} | mean image {f_mean_mse:.4f}")
print(f"rounded accuracy of the AE on the test images: {stacked_rounded:.3f}")

# %%
STACKED_TARGET = cfg.pick(full=0.0120, fast=0.025)  # fast mode: 5 500 training images, a loose bound
checks.verify(stacked_mse <= STACKED_TARGET, "the stacked AE's test MSE meets the target",
              f"{stacked_mse:.4f} (target ≤ {STACKED_TARGET})")
pca_ratio_limit = cfg.pick(full=1.0, fast=1.6)  # fast mode trains on 5 500 images only
checks.verify(stacked_mse < pca_ratio_limit * f_pca30_mse,
              "the stacked AE's test MSE is below " + checks.times(pca_ratio_limit, "PCA-30's"),
              f"AE {stacked_mse:.4f} vs PCA-30 {f_pca30_mse:.4f} (ratio {stacked_mse / f_pca30_mse:.2f})")
training.record_result(NOTEBOOK, "stacked_ae_fashion", stacked_run, data="Fashion-MNIST", code_size=CODE_SIZE,
                       test_mse=stacked_mse, pca_mse=f_pca30_mse)

# %% [markdown] slideshow={"slide_type": "subslide"}
# Numbers are not the whole story. The first row shows test images, the second the autoencoder's
# reconstructions, the third PCA-30's. Both lose fine texture (stripes, logos); PCA's images are
# greyer and show faint "ghosts" of other garments, because a linear code can only add and subtract
# fixed patterns.

# %%
pca30 = PCA(n_components=CODE_SIZE, random_state=cfg.seed).fit(f_train)
f_test_pca30 = pca30.inverse_transform(pca30.transform(f_test[:10]))
fig = plotting.plot_reconstructions(f_test, f_test_rec, np.clip(f_test_pca30, 0, 1), n_images=10,
                                    row_titles=["original", "stacked AE", "PCA-30"])

# %% [markdown] slideshow={"slide_type": "slide"}
# ## One network, two APIs: Sequential and functional
#
# The second lecture builds a $784 \to 100 \to 20 \to 100 \to 784$ network for MNIST in two ways.
# **Sequential** lists the layers in order — short, but only for a straight chain.
# **Functional** calls each layer on a symbolic tensor and then names the model's inputs and outputs;
# any tensor along the way can become the output of *another* model, which is how we get the encoder.
#
# A Dense layer from $n_\text{in}$ to $n_\text{out}$ units holds an $n_\text{in} \times n_\text{out}$
# weight matrix and $n_\text{out}$ biases. Hence
# $(784 \cdot 100 + 100) + (100 \cdot 20 + 20) + (20 \cdot 100 + 100) + (100 \cdot 784 + 784)
# = 78\,500 + 2\,020 + 2\,100 + 79\,184 = 161\,804$ parameters, of which the encoder's two layers
# hold $80\,520$. The lecture uses ReLU everywhere, the output included; we keep ReLU inside but put a
# sigmoid on the output, so reconstructions stay in $[0, 1]$ (the count does not change).

# %% tags=["parameters"]
AE20_SETTINGS = dict(output_activation="sigmoid", optimizer="Adam", learning_rate=3e-3, loss="binary_crossentropy",
                     batch_size=256, epochs=10)

# %%
sequential_ae = keras.Sequential([
    keras.Input(shape=(784,)),
    keras.layers.Dense(100, activation="relu"),
    keras.layers.Dense(20, activation="relu"),
    keras.layers.Dense(100, activation="relu"),
    keras.layers.Dense(784, activation=AE20_SETTINGS["output_activation"]),
], name="sequential_ae")

# %%
images_in = keras.Input(shape=(784,), name="image")
hidden = keras.layers.Dense(100, activation="relu")(images_in)
code_20 = keras.layers.Dense(20, activation="relu", name="code")(hidden)
hidden = keras.layers.Dense(100, activation="relu")(code_20)
images_out = keras.layers.Dense(784, activation=AE20_SETTINGS["output_activation"])(hidden)
functional_ae = keras.Model(images_in, images_out, name="functional_ae")

# The encoder: same input, the code layer's output. No new weights: it shares the AE's layers.
encoder_20 = keras.Model(images_in, code_20, name="encoder_20")

# %% [markdown] slideshow={"slide_type": "subslide"}
# The parameter counts (this cell's output is checked exactly by the test suite):

# %% tags=["nbval-check-output"]
print("Sequential AE:", sequential_ae.count_params())
print("functional AE:", functional_ae.count_params())
print("encoder      :", encoder_20.count_params())
print("weights per layer:", [layer.count_params() for layer in functional_ae.layers[1:]])

# %%
checks.verify(sequential_ae.count_params() == functional_ae.count_params() == 161_804,
              "both APIs build the lecture's network: 161 804 parameters")
checks.verify(encoder_20.count_params() == 80_520, "the encoder holds 80 520 of them")
encoder_20.summary()

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Training the functional AE — the encoder learns with it
#
# The lecture trains this network with RMSprop and an MSE loss for 50 epochs. With the sigmoid output
# we use binary cross-entropy and Adam again, for far fewer epochs (the settings above). We train
# only `functional_ae`; `encoder_20` is never trained itself, yet afterwards it produces the trained
# codes, because its layers *are* the AE's first two layers.

# %%
ae20_run = training.compile_and_fit(
    functional_ae, m_train, m_train, settings=AE20_SETTINGS, epochs=cfg.epochs(AE20_SETTINGS["epochs"], fast=8),
    validation_data=(m_valid, m_valid))
print(ae20_run)
checks.verify(functional_ae.layers[1] is encoder_20.layers[1] and functional_ae.layers[2] is encoder_20.layers[2],
              "the encoder shares its layers (and so its trained weights) with the autoencoder")

# %%
ae20_mse = metrics.reconstruction_mse(m_test, functional_ae.predict(m_test, verbose=0))
m_pca20_mse = metrics.pca_reconstruction_mse(m_train, m_test, 20, seed=cfg.seed)
codes_20 = encoder_20.predict(m_test, verbose=0)
print(f"test MSE: AE {ae20_mse:.4f} | PCA-20 {m_pca20_mse:.4f}; encoder output: {codes_20.shape}")
checks.verify(ae20_mse < pca_ratio_limit * m_pca20_mse, "the 20-number AE's test MSE is below " + checks.times(pca_ratio_limit, "PCA-20's"),
              f"AE {ae20_mse:.4f} vs PCA-20 {m_pca20_mse:.4f}")
training.record_result(NOTEBOOK, "dense_ae_20_mnist", ae20_run, data="MNIST", code_size=20,
                       test_mse=ae20_mse, pca_mse=m_pca20_mse)

# %% [markdown] slideshow={"slide_type": "fragment"}
# ReLU codes have a quirk worth checking: a unit whose input is negative for every image outputs 0 for
# every image. Such a unit is "dead", and the code is effectively shorter than 20 numbers. How many
# did this run end up with?

# %%
dead_units = int(np.sum(codes_20.max(axis=0) == 0))
print(f"code units that are 0 for every test image: {dead_units} of 20")
print("mean code value per unit:", np.round(codes_20.mean(axis=0), 1))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The lecture's 0.0145, reproduced
#
# The lecture's run of this network (ReLU output, MSE, `RMSprop()` at its defaults, batches of 128,
# 50 epochs on 60 000 images) prints a training loss of 0.0390 after one epoch, 0.0281 after two and
# 0.0145 at the end. The same code in today's Keras learns more slowly. The difference is one line
# inside RMSprop. Both versions keep a running mean $v$ of each weight's squared gradient $g^2$ and
# step by $\eta\, g / (\ldots)$ with $\varepsilon = 10^{-7}$; Keras 2, which the lecture ran, divides by
# $\sqrt{v} + \varepsilon$, Keras 3 by $\sqrt{v + \varepsilon}$. For a weight whose gradients are tiny
# ($v \ll \varepsilon$: a weight reading a border pixel that is almost always 0, or one into a unit that
# rarely fires), Keras 2's step is still about $\eta$, while Keras 3's is $\eta\, g / \sqrt{\varepsilon}$,
# many times smaller. With $\varepsilon = 10^{-14}$ inside the root, $\sqrt{v + 10^{-14}}$ is about
# $\max(\sqrt{v}, 10^{-7})$, which is Keras 2's denominator. We train the lecture's network both ways
# from the same start.

# %%
def lecture_ae20(seed):
    """The lecture's 784-100-20-100-784 network with ReLU everywhere, its output included."""
    keras.utils.set_random_seed(seed)
    return keras.Sequential([keras.Input(shape=(784,))]
                            + [keras.layers.Dense(units, activation="relu") for units in (100, 20, 100, 784)])


lecture_images = np.concatenate([m_train, m_valid])  # the lecture trains on all 60 000 training images
rmsprop_epsilons = {"Keras 3: sqrt(v + 1e-7)": 1e-7, "Keras 2: sqrt(v) + 1e-7": 1e-14}
rmsprop_losses = {}
for name, epsilon in rmsprop_epsilons.items():
    lecture_model = lecture_ae20(cfg.seed)
    lecture_model.compile(optimizer=keras.optimizers.RMSprop(epsilon=epsilon), loss="mse")
    rmsprop_losses[name] = lecture_model.fit(lecture_images, lecture_images, batch_size=128, verbose=0,
                                             epochs=cfg.epochs(50, fast=3)).history["loss"]

# %%
rmsprop_rows = {name: {"epoch 1": losses[0], "epoch 2": losses[1], f"epoch {len(losses)}": losses[-1]}
                for name, losses in rmsprop_losses.items()}
rmsprop_rows["the lecture's printout"] = {"epoch 1": 0.0390, "epoch 2": 0.0281, "epoch 50": 0.0145}
pd.DataFrame(rmsprop_rows).T.round(4)  # training loss (MSE) after each epoch

# %%
keras3_loss, keras2_loss = (losses[-1] for losses in rmsprop_losses.values())
checks.verify(keras2_loss < keras3_loss, "with epsilon outside the root (Keras 2's RMSprop) the same run ends lower",
              f"training loss {keras2_loss:.4f} against {keras3_loss:.4f}")

# %% [markdown]
# So the lecture's number was right for its library: the printed loss comes from the optimiser's
# arithmetic, not from the network, which is the same in both runs. When you compare a result with
# an older notebook, keep this kind of difference in mind: a default can keep its value and change
# its meaning.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## A wider network: 784-256-64-256-784 on MNIST
#
# The first lecture's Keras example widens the hidden layers to 256 units and keeps 64 numbers in the
# code: ReLU inside, sigmoid output, binary cross-entropy, Adam with its default learning rate,
# batches of 128, 10 epochs. Here we keep exactly those settings. With more than three times as many
# weights as the 20-number model and a longer code, it should reconstruct digits almost perfectly.

# %%
def dense_autoencoder(sizes, activation="relu", code_activation="relu", name=None):
    """Mirror-image dense AE: ``sizes`` are the widths after the input, e.g. (256, 64, 256); sigmoid output."""
    middle = len(sizes) // 2
    layers = [keras.Input(shape=(784,))]
    for index, width in enumerate(sizes):
        layers.append(keras.layers.Dense(width, activation=code_activation if index == middle else activation))
    layers.append(keras.layers.Dense(784, activation="sigmoid"))
    return keras.Sequential(layers, name=name)


# %% tags=["parameters"]
AE64_SETTINGS = dict(optimizer="Adam", learning_rate=1e-3, loss="binary_crossentropy", batch_size=128, epochs=10)

# %%
ae64 = dense_autoencoder((256, 64, 256), name="ae_256_64")
ae64_run = training.compile_and_fit(
    ae64, m_train, m_train, settings=AE64_SETTINGS, epochs=cfg.epochs(AE64_SETTINGS["epochs"], fast=8),
    validation_data=(m_valid, m_valid))
print(f"{ae64.count_params()} parameters; {ae64_run}")

# %%
m_test_rec64 = ae64.predict(m_test, verbose=0)
ae64_mse = metrics.reconstruction_mse(m_test, m_test_rec64)
m_pca64_mse = metrics.pca_reconstruction_mse(m_train, m_test, 64, seed=cfg.seed)
print(f"test MSE: AE {ae64_mse:.4f} | PCA-64 {m_pca64_mse:.4f}")
ae64_limit = cfg.pick(full=1.0, fast=2.5)  # fast mode: 8 epochs on 5 500 images
checks.verify(ae64_mse < ae64_limit * m_pca64_mse, "the 64-number AE's test MSE is below " + checks.times(ae64_limit, "PCA-64's"),
              f"AE {ae64_mse:.4f} vs PCA-64 {m_pca64_mse:.4f}")
training.record_result(NOTEBOOK, "dense_ae_64_mnist", ae64_run, data="MNIST", code_size=64,
                       test_mse=ae64_mse, pca_mse=m_pca64_mse)

# %%
fig = plotting.plot_history(ae64_run.history, title="784-256-64-256-784 on MNIST (binary cross-entropy)")
fig = plotting.plot_reconstructions(m_test, m_test_rec64, n_images=10, row_titles=["original", "AE-64"])

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Two numbers per image: the AE against PCA-2
#
# The third lecture asks for a code small enough to *draw*: $(784, 100, 2, 100, 784)$. Each MNIST
# digit becomes one point in the plane. PCA-2 does the same with the two directions of largest
# variance; the autoencoder may bend its map to follow the data.
#
# Settings, and why. ReLU hidden layers and a sigmoid output, as before. A **linear** code layer:
# a ReLU there could switch off one of only two units and leave the digits on a line. The **MSE
# loss**: with two numbers per image every reconstruction is a blurred digit, and we are judged on
# the squared error, so we train on it directly (in a trial run it ended slightly below binary
# cross-entropy's MSE). Batches of 128 and Adam whose learning rate starts at $5 \times 10^{-3}$ and
# falls along a half cosine to 0 by the last epoch (`CosineDecay`): large steps while the digits are
# being spread out over the plane, small ones at the end so the loss settles instead of rattling
# around its plateau. The two-unit bottleneck passes little gradient to the encoder, so this small
# model gets the most epochs of the notebook (30). The lecture gives only the layer sizes.

# %% tags=["parameters"]
AE2_SETTINGS = dict(optimizer="Adam", learning_rate=5e-3, schedule="cosine", loss="mse", batch_size=128, epochs=30)

# %%
ae2 = dense_autoencoder((100, 2, 100), code_activation="linear", name="ae_100_2")
ae2_run = training.compile_and_fit(
    ae2, m_train, m_train, settings=AE2_SETTINGS, epochs=cfg.epochs(AE2_SETTINGS["epochs"], fast=20),
    validation_data=(m_valid, m_valid))
print(ae2_run)

# %%
encoder_2 = keras.Model(ae2.inputs, ae2.layers[1].output, name="encoder_2")  # input -> 2-unit code layer
m_test_rec2 = ae2.predict(m_test, verbose=0)
ae2_codes = encoder_2.predict(m_test, verbose=0)

pca2 = PCA(n_components=2, random_state=cfg.seed).fit(m_train)
pca2_codes = pca2.transform(m_test)
m_test_pca2 = pca2.inverse_transform(pca2_codes)
ae2_mse = metrics.reconstruction_mse(m_test, m_test_rec2)
m_pca2_mse = metrics.reconstruction_mse(m_test, m_test_pca2)
print(f"test MSE: AE-2 {ae2_mse:.4f} | PCA-2 {m_pca2_mse:.4f}")

# %%
AE2_TARGET = 0.040  # the course's goal for this model in full mode
print(f"course target MSE ≤ {AE2_TARGET}: " + ("met" if ae2_mse <= AE2_TARGET else f"missed by {ae2_mse - AE2_TARGET:.4f}"))
ae2_limit = cfg.pick(full=0.8, fast=1.0)  # full mode: at least 20 % below PCA-2
checks.verify(ae2_mse < ae2_limit * m_pca2_mse, "the 2-number AE's test MSE is below " + checks.times(ae2_limit, "PCA-2's"),
              f"AE {ae2_mse:.4f} vs PCA-2 {m_pca2_mse:.4f} (ratio {ae2_mse / m_pca2_mse:.2f})")
training.record_result(NOTEBOOK, "dense_ae_2_mnist", ae2_run, data="MNIST", code_size=2,
                       test_mse=ae2_mse, pca_mse=m_pca2_mse)

# %% [markdown] slideshow={"slide_type": "subslide"}
# The two maps of the test digits, coloured by the digit they show (the labels were never used for
# training). PCA's plane is one blurred cloud in which only 0s and 1s keep to their own sides; the
# autoencoder's map fans the digits out into arms.

# %%
fig, axes = plt.subplots(1, 2, figsize=(13, 5.5))
plotting.plot_embedding(pca2_codes, mnist.y_test, ax=axes[0], title=f"PCA-2 (test MSE {m_pca2_mse:.4f})")
plotting.plot_embedding(ae2_codes, mnist.y_test, ax=axes[1], title=f"AE (784, 100, 2, 100, 784) (test MSE {ae2_mse:.4f})")
fig.tight_layout()

# %% [markdown] slideshow={"slide_type": "fragment"}
# "Better separated" can be measured: train a 5-nearest-neighbour classifier on the **training**
# images' 2-D codes and ask it to name the digit of each test code. The more the classes overlap in
# the plane, the lower its accuracy (guessing gives 10 %).

# %%
def knn_accuracy(train_codes, train_labels, test_codes, test_labels, k=5):
    """Test accuracy of a k-nearest-neighbour classifier working on the codes."""
    return KNeighborsClassifier(n_neighbors=k).fit(train_codes, train_labels).score(test_codes, test_labels)


knn_pca2 = knn_accuracy(pca2.transform(m_train), mnist.y_train, pca2_codes, mnist.y_test)
knn_ae2 = knn_accuracy(encoder_2.predict(m_train, verbose=0), mnist.y_train, ae2_codes, mnist.y_test)
print(f"5-NN accuracy on 2-D codes: PCA-2 {knn_pca2:.3f} | AE {knn_ae2:.3f}")
knn_margin = cfg.pick(full=0.15, fast=0.0)  # full mode: 15 points more
checks.verify(knn_ae2 > knn_pca2 + knn_margin, f"digits overlap less in the AE's plane than in PCA's (5-NN accuracy "
              f"more than {knn_margin:.2f} higher)", f"5-NN accuracy {knn_ae2:.3f} vs {knn_pca2:.3f}")

# %%
fig = plotting.plot_reconstructions(m_test, m_test_rec2, np.clip(m_test_pca2, 0, 1), n_images=10,
                                    row_titles=["original", "AE-2", "PCA-2"])

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Seeing a 30-number code: t-SNE
#
# Codes longer than two numbers cannot be drawn directly. **t-SNE** places one point per image in the
# plane so that images with similar codes stay neighbours; it is a picture-making tool, not an
# encoder: it has no `transform` for new images, and distances *between* far-apart clusters mean
# little. We run it on the stacked encoder's 30-number codes of Fashion-MNIST test images
# (a few thousand are plenty for a picture and take seconds).

# %%
n_tsne = cfg.limit(3_000, fast=500)
tsne_codes = stacked_encoder.predict(f_test[:n_tsne], verbose=0)
tsne_labels = fashion.y_test[:n_tsne]
tsne_map = TSNE(n_components=2, init="pca", random_state=cfg.seed).fit_transform(tsne_codes)
fig = plotting.plot_embedding(tsne_map, tsne_labels, class_names=fashion.class_names,
                              title=f"t-SNE of the stacked AE's 30-number codes ({n_tsne} test images)")

# %% [markdown] slideshow={"slide_type": "subslide"}
# The same map with a thumbnail of the garment on well-separated points makes it easy to see *what*
# the clusters are. Look for trousers and bags on islands of their own, the three kinds of shoe side
# by side, and the upper-body garments (T-shirts, shirts, pullovers, coats) running into each other.

# %%
fig, ax = plt.subplots(figsize=(11, 9))
fig = plotting.plot_embedding(tsne_map, tsne_labels, images=fashion.x_test[:n_tsne], ax=ax,
                              class_names=fashion.class_names, n_thumbnails=120, thumbnail_zoom=0.6,
                              min_distance=0.06, title="t-SNE of the codes, with thumbnails")

# %% [markdown] slideshow={"slide_type": "fragment"}
# Numbers back the picture: a 5-NN classifier *inside the t-SNE map* (half of the points to fit, half
# to test) is far more accurate than the 10 % of guessing, so classes form neighbourhoods; and its
# accuracy per class shows which garments have an island and which share their ground.

# %%
half = n_tsne // 2
knn_map = KNeighborsClassifier(n_neighbors=5).fit(tsne_map[:half], tsne_labels[:half])
map_guess = knn_map.predict(tsne_map[half:])
knn_tsne = float(np.mean(map_guess == tsne_labels[half:]))
print(f"5-NN accuracy inside the t-SNE map: {knn_tsne:.3f}")
per_class = {name: float(np.mean(map_guess[tsne_labels[half:] == label] == label))
             for label, name in enumerate(fashion.class_names)}
print(pd.Series(per_class, name="5-NN accuracy").round(2).sort_values().to_string())
checks.verify(per_class["Trouser"] > per_class["Shirt"], "trousers are easier to tell apart than shirts in the map",
              f"{per_class['Trouser']:.2f} vs {per_class['Shirt']:.2f}")
tsne_floor = cfg.pick(full=0.60, fast=0.45)
checks.verify(knn_tsne > tsne_floor, f"classes form neighbourhoods in the t-SNE map (5-NN accuracy above {tsne_floor})",
              f"5-NN accuracy {knn_tsne:.3f}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The Science 2006 autoencoder: 784-1000-500-250-30
#
# Hinton and Salakhutdinov ("Reducing the dimensionality of data with neural networks", *Science* 313,
# 2006) trained a deep autoencoder with a 30-number code on MNIST and reported an average squared
# error of **3.00 per test image** — the squared error summed over an image's 784 pixels, averaged
# over the 10 000 test images, so 784 × our MSE — against **13.87 for PCA-30**. In 2006 a network this
# deep did not train from random weights: the gradient faded on its way down eight layers of logistic
# units. Their remedy was **pre-training**: each layer first trained alone (as a restricted Boltzmann
# machine), then the whole stack fine-tuned as one autoencoder.
#
# We train the same layer sizes from random weights. Three things that did not exist then take the
# place of pre-training:
# - **SELU units with LeCun-normal initial weights** (Klambauer et al. 2017), which keep every layer's
#   activations near mean 0 and variance 1, so the signal and its gradient cross all eight layers;
# - **Adam with a cosine schedule**, on the paper's loss for logistic outputs, binary cross-entropy;
# - **random shifts** of up to one pixel, a fresh draw every epoch (`training.RandomShifts`), so that
#   a network with 2.8 million weights cannot memorise its 55 000 training images.
#
# The code layer is linear, as in the paper. We report the error per image on the training images
# too: if the two numbers drift apart, the network is memorising. (Try it without the shifts.)

# %% tags=["parameters"]
DEEP30_SETTINGS = dict(optimizer="Adam", learning_rate=1e-3, schedule="cosine", loss="binary_crossentropy",
                       batch_size=128, epochs=30)


# %%
def science_2006_autoencoder(seed):
    """784-1000-500-250-30-250-500-1000-784: SELU hidden layers, a linear code, a sigmoid output."""
    keras.utils.set_random_seed(seed)
    selu = dict(activation="selu", kernel_initializer="lecun_normal")
    return keras.Sequential([keras.Input(shape=(784,)),
                             *[keras.layers.Dense(units, **selu) for units in (1000, 500, 250)],
                             keras.layers.Dense(30, kernel_initializer="lecun_normal", name="code"),
                             *[keras.layers.Dense(units, **selu) for units in (250, 500, 1000)],
                             keras.layers.Dense(784, activation="sigmoid")], name="science_2006")


deep30_ae = science_2006_autoencoder(cfg.seed)
print(f"parameters: {deep30_ae.count_params():,}")
shifted_train = training.RandomShifts(m_train, batch_size=DEEP30_SETTINGS["batch_size"], max_shift=1, seed=cfg.seed)
deep30_run = training.compile_and_fit(deep30_ae, shifted_train, None, settings=DEEP30_SETTINGS,
                                      epochs=cfg.epochs(DEEP30_SETTINGS["epochs"], fast=12),
                                      validation_data=(m_valid, m_valid))
print(deep30_run)

# %%
PIXELS = 784
m_pca30 = PCA(n_components=30, random_state=cfg.seed).fit(m_train)
m_test_pca30 = m_pca30.inverse_transform(m_pca30.transform(m_test))
m_test_deep30 = deep30_ae.predict(m_test, verbose=0)
deep30_per_image = PIXELS * metrics.reconstruction_mse(m_test, m_test_deep30)
deep30_train_per_image = PIXELS * metrics.reconstruction_mse(m_train, deep30_ae.predict(m_train, verbose=0))
pca30_per_image = PIXELS * metrics.reconstruction_mse(m_test, m_test_pca30)
pd.DataFrame({"Science 2006": [3.00, 13.87, np.nan], "this notebook": [deep30_per_image, pca30_per_image, deep30_train_per_image]},
             index=["deep AE-30, test", "PCA-30, test", "deep AE-30, training images"]).round(2)

# %%
deep30_target = cfg.pick(full=3.00, fast=14.0)  # fast mode: 12 epochs on 5 500 images
checks.verify(deep30_per_image <= deep30_target,
              f"the deep AE's squared error per test image is at most {deep30_target:.2f} (the paper's, with pre-training: 3.00)",
              f"{deep30_per_image:.2f} per image, PCA-30 {pca30_per_image:.2f}")
checks.verify(deep30_per_image < pca30_per_image, "and below PCA-30's",
              f"{deep30_per_image:.2f} against {pca30_per_image:.2f}")
training.record_result(NOTEBOOK, "science_2006_deep_ae_30", deep30_run, data="MNIST", code_size=30,
                       test_mse=deep30_per_image / PIXELS, pca_mse=pca30_per_image / PIXELS,
                       test_error_per_image=deep30_per_image, pca_error_per_image=pca30_per_image)

# %% [markdown] slideshow={"slide_type": "subslide"}
# The paper's figure, redrawn: test digits, the deep autoencoder's reconstructions, and PCA-30's.
# PCA keeps each digit's rough shape; the autoencoder keeps its strokes.

# %%
fig = plotting.plot_reconstructions(m_test, m_test_deep30, np.clip(m_test_pca30, 0, 1), n_images=10,
                                    row_titles=["original", "deep AE-30", "PCA-30"])

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Results: every autoencoder beside PCA with the same code size
#
# Each model recorded its numbers with `training.record_result` as it finished; here they are together.
# "AE / PCA" below 1 means the autoencoder reconstructs the test images better than PCA does with the
# same number of code values. Training seconds are wall-clock on the machine that ran this notebook
# (see its metadata), so compare them within a run only.

# %%
results = pd.DataFrame(training.recorded_results(NOTEBOOK))
results["AE / PCA"] = results["test_mse"] / results["pca_mse"]
table = results[["model", "data", "code_size", "params", "epochs", "train_seconds", "test_mse", "pca_mse", "AE / PCA"]]
table.round({"train_seconds": 1, "test_mse": 4, "pca_mse": 4, "AE / PCA": 2})

# %%
checks.verify(len(results) == 5, "five autoencoders were trained and recorded")
table_limit = cfg.pick(full=1.0, fast=2.5)  # fast mode: few epochs on 5 500 images
checks.verify(bool((results["AE / PCA"] < table_limit).all()),
              "every autoencoder's test MSE is below " + checks.times(table_limit, "PCA's") + " at the same code size",
              results["AE / PCA"].round(2).tolist())

# %% [markdown]
# What the table says: a non-linear code of $k$ numbers keeps more of an image than the best linear
# code of $k$ numbers, at every code size we tried, on both data sets. The price is training time
# (the `train_seconds` column), while PCA needs one matrix decomposition of the training set.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# ### Exercise 1: count the parameters by hand
#
# Write `dense_ae_params(sizes, bias=True)` that returns the number of trainable parameters of a chain
# of Dense layers with the given widths, e.g. `(784, 100, 20, 100, 784)`, with or without biases.
# (The week-3 exam question: a $(100, 10, 2, 10, 100)$ AE has 2 040 weights without biases and 2 162
# with them.) The check compares your function with what Keras counts.

# %% slideshow={"slide_type": "skip"} tags=["solution"]
def dense_ae_params(sizes, bias=True):
    """Trainable parameters of Dense layers sizes[0] -> sizes[1] -> ... -> sizes[-1]."""
    return sum(n_in * n_out + (n_out if bias else 0) for n_in, n_out in zip(sizes[:-1], sizes[1:]))


# %%
def keras_param_count(sizes, bias=True):
    """What Keras counts for the same chain of Dense layers (the reference for the check)."""
    layers = [keras.Input(shape=(sizes[0],))] + [keras.layers.Dense(n, use_bias=bias) for n in sizes[1:]]
    return keras.Sequential(layers).count_params()


checks.check_function("dense_ae_params", dense_ae_params, keras_param_count,
                      [((784, 100, 20, 100, 784),), ((784, 100, 20, 100, 784), False), ((100, 10, 2, 10, 100), False),
                       ((100, 10, 2, 10, 100),), ((784, 256, 64, 256, 784),), ((5, 3),), ((4, 7, 2),), ((3, 8), False)],
                      hint="count one layer at a time: its weight matrix, then its biases (one per what?)")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 2: the decoder as its own model
#
# We cut the encoder out of `functional_ae`. Do the same for the **decoder**: build `decoder_20`, a
# `keras.Model` that takes a 20-number code (`keras.Input(shape=(20,))`) and applies the *trained*
# last two layers of `functional_ae` (`functional_ae.layers[-2]` and `functional_ae.layers[-1]`).
# Then `decoder_20(encoder_20(x))` must equal `functional_ae(x)`.

# %% slideshow={"slide_type": "skip"} tags=["solution"]
code_in = keras.Input(shape=(20,))
decoder_20 = keras.Model(code_in, functional_ae.layers[-1](functional_ae.layers[-2](code_in)), name="decoder_20")

# %%
checks.check_value("decoder(encoder(x)) equals the autoencoder's output",
                   None if decoder_20 is None else decoder_20.predict(codes_20[:100], verbose=0),
                   functional_ae.predict(m_test[:100], verbose=0), rtol=1e-4, atol=1e-5,
                   hint="reuse the trained layer objects (not new ones of the same shape) on a new Input, in order, and make a model of it")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 3: rounded accuracy in NumPy
#
# Write `rounded_accuracy_numpy(originals, reconstructions)` that rounds both arrays to 0 or 1 and
# returns the share of pixels that agree (one number for the whole batch). The check compares it with
# the Keras metric on the stacked AE's test reconstructions. (NumPy, like Keras, rounds exactly 0.5
# to 0 — "round half to even".)

# %% slideshow={"slide_type": "skip"} tags=["solution"]
def rounded_accuracy_numpy(originals, reconstructions):
    """Share of pixels where round(original) == round(reconstruction)."""
    return float(np.mean(np.round(originals) == np.round(reconstructions)))


# %%
checks.check_function("rounded_accuracy_numpy", rounded_accuracy_numpy,
                      lambda x, y: float(keras.ops.mean(rounded_accuracy(x, y))),
                      [(f_test[:500], f_test_rec[:500]), (m_test[:500], m_test_rec2[:500])], rtol=1e-5,
                      hint="round both sides to 0 or 1 first, then count the pixels that agree; one number for the whole batch")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 4: why does the 2-number AE beat PCA-2?
#
# Choose one answer and store its letter in `why_ae2_wins`.
#
# - **a** — it was trained for more epochs than PCA.
# - **b** — its encoder and decoder are non-linear, so its 2-D code can follow a curved surface near
#   which the images lie, while PCA-2 can only project onto a flat plane.
# - **c** — it has more numbers in its code than PCA-2.
# - **d** — binary cross-entropy is a better loss than the squared error PCA minimises, whatever the model.

# %% slideshow={"slide_type": "skip"} tags=["solution"]
why_ae2_wins = "b"

# %%
checks.check_choice("why the 2-number AE beats PCA-2", why_ae2_wins, digest="334f29f2f3d55e12b5ae",
                    hint="both codes have two numbers; what can a non-linear decoder do that V_2 V_2ᵀ cannot?")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 5 (experiment): a code-size sweep
#
# Is the deep autoencoder's lead over PCA the same for every code size? Train one autoencoder per
# code size $k \in \{2, 8, 16\}$ on the Fashion-MNIST training images, each with hidden layers of
# 100 units around a $k$-unit code ($784 \to 100 \to k \to 100 \to 784$, sigmoid output;
# `dense_autoencoder` above builds this shape), and store the trained models in a dict
# `sweep_models = {2: ..., 8: ..., 16: ...}`. Activations, loss and optimiser are yours to choose.
# Keep it cheap: about 15 epochs on 20 000 images are enough (take the sizes from `cfg.limit` and
# `cfg.epochs`, so that fast mode shrinks them).
#
# The check makes sure that each model's narrowest layer has $k$ units, reconstructs the test
# images `f_test` with it and compares the MSE with that of PCA with $k$ components fitted on
# `f_train`. Target: at every code size, an error at least 20 % below PCA's (fast mode, with its
# 5 500 training images and fewer epochs, asks for 5 %). It also prints how many principal
# components PCA needs to do as well as each autoencoder: at which size is the non-linear code
# worth most?

# %%
def narrowest_dense_width(model):
    """The fewest units of any Dense layer in ``model``, nested encoder and decoder models included."""
    widths = []
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            widths.append(narrowest_dense_width(layer))
        elif isinstance(layer, keras.layers.Dense):
            widths.append(layer.units)
    if not widths:
        raise ValueError(f"{model.name} has no Dense layers")
    return min(widths)


def pca_test_mse_by_size(train, test, max_components):
    """Test MSE of PCA fitted on ``train`` with 1, 2, ..., ``max_components`` components (one eigendecomposition)."""
    mean = train.mean(axis=0)
    _, vectors = np.linalg.eigh((train - mean).T @ (train - mean))  # eigenvalues ascending
    scores = (test - mean) @ vectors[:, ::-1][:, :max_components]
    total = np.mean(np.sum((test - mean) ** 2, axis=1))
    return (total - np.cumsum(np.mean(scores ** 2, axis=0))) / test.shape[1]


# %% slideshow={"slide_type": "skip"} tags=["solution"]
sweep_images = f_train[:cfg.limit(20_000, fast=5_500)]
sweep_settings = dict(optimizer="Adam", learning_rate=3e-3, loss="mse", batch_size=128, epochs=15)
sweep_models = {}
for code_size in (2, 8, 16):
    keras.utils.set_random_seed(cfg.seed)
    sweep_models[code_size] = dense_autoencoder((100, code_size, 100), code_activation="linear", name=f"sweep_{code_size}")
    sweep_run = training.compile_and_fit(sweep_models[code_size], sweep_images, sweep_images, settings=sweep_settings,
                                         epochs=cfg.epochs(sweep_settings["epochs"], fast=12))
    print(sweep_run)


# %%
def judge_code_size_sweep(models):
    """Reconstruct f_test with each model; the target is, at every code size k, a test MSE below `limit` × PCA-k's."""
    limit = cfg.pick(full=0.8, fast=0.95)  # fast mode: 5 500 training images, fewer epochs
    if sorted(models) != [2, 8, 16]:
        return False, f"expected models for the code sizes 2, 8 and 16, got the keys {sorted(models)}"
    pca_errors = pca_test_mse_by_size(f_train, f_test, 64)
    passed, results = True, []
    for k in (2, 8, 16):
        width = narrowest_dense_width(models[k])
        mse = metrics.reconstruction_mse(f_test, keras.ops.convert_to_numpy(models[k](f_test, training=False)))
        matched = int(np.sum(pca_errors > mse)) + 1  # the fewest components with which PCA does as well
        passed = passed and width == k and mse < limit * pca_errors[k - 1]
        results.append(f"k = {k}: narrowest layer {width}, MSE {mse / pca_errors[k - 1]:.2f} × PCA-{k}'s, "
                       + (f"as good as PCA-{matched}" if matched <= 64 else "better than PCA-64"))
    return passed, "; ".join(results) + f" (target: below {checks.times(limit, 'PCA-k')}'s at every k)"


checks.check_experiment("code-size sweep against PCA", sweep_models, judge_code_size_sweep,
                        hint="one model per key, each with its own k-unit code; a linear network can at best tie PCA, and "
                             "a squashing or ReLU activation on a 2-unit code can lose most of what it carries.")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 6 (experiment): beat PCA-30 with a small network
#
# The stacked autoencoder of this notebook has 163 814 parameters. How small can a network be and
# still reconstruct the test images better than PCA-30? Build a dense autoencoder whose narrowest
# layer has 30 units and which has **fewer than 60 000 parameters**, train it on `f_train`, and
# store it in `small_ae`. Target: a test MSE on `f_test` at least 10 % below that of PCA with 30
# components fitted on `f_train` (fast mode, which trains on a tenth of the images, asks for 3 %).
# Try more than one design before you settle: at this size, which matter most — depth, the
# activations, or the output layer and its loss?

# %% slideshow={"slide_type": "skip"} tags=["solution"]
keras.utils.set_random_seed(cfg.seed)
small_ae = keras.Sequential([keras.Input(shape=(784,)), keras.layers.Dense(CODE_SIZE),
                             keras.layers.Dense(784, activation="sigmoid")], name="small_ae")
small_run = training.compile_and_fit(small_ae, f_train, f_train, epochs=cfg.epochs(10, fast=10),
                                     settings=dict(optimizer="Adam", learning_rate=1e-2, schedule="cosine",
                                                   loss="binary_crossentropy", batch_size=64, epochs=10))
print(f"{small_ae.count_params()} parameters; {small_run}")


# %%
def judge_small_autoencoder_against_pca30(model):
    """Reconstruct f_test; the target is a 30-unit code, fewer than 60 000 parameters and a test MSE below `limit` × PCA-30's."""
    limit = cfg.pick(full=0.9, fast=0.97)  # fast mode trains on a tenth of the images
    params, width = model.count_params(), narrowest_dense_width(model)
    pca30_mse = pca_test_mse_by_size(f_train, f_test, 30)[-1]
    mse = metrics.reconstruction_mse(f_test, keras.ops.convert_to_numpy(model(f_test, training=False)))
    passed = params < 60_000 and width == 30 and mse < limit * pca30_mse
    return passed, (f"{params} parameters (limit 60 000), narrowest layer {width} units (30 asked), test MSE {mse:.4f} = "
                    f"{mse / pca30_mse:.2f} × PCA-30's {pca30_mse:.4f} (target: below {checks.times(limit, 'PCA-30')}'s)")


checks.check_experiment("a small network that beats PCA-30", small_ae, judge_small_autoencoder_against_pca30,
                        hint="100-unit hidden layers alone cost about 160 000 parameters; without a non-linearity "
                             "somewhere an autoencoder can at best tie PCA; and a small model needs many optimiser steps.")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# - A stacked autoencoder is an encoder model and a decoder model trained together; afterwards each
#   half is a useful model by itself: the encoder compresses, and the decoder turns codes back into
#   images (week 8 asks which codes it can safely be given, and answers with the VAE).
# - The Sequential API suits a plain stack; the functional API lets any inner tensor be a model's
#   output, which is how we extracted the encoder (161 804 and 80 520 parameters, as in the lecture).
# - The lecture's RMSprop loss of 0.0145 comes back once RMSprop adds ε outside the square root, as
#   Keras 2 did; Keras 3 adds it inside, which slows the weights with tiny gradients.
# - For pixels in $[0, 1]$: sigmoid output and binary cross-entropy. Adam with batches of 256 took the
#   stacked AE below the test MSE of the lecture's SGD set-up (0.013–0.014) in 20 epochs, and in about
#   a third of its training time.
# - On the same test images, every autoencoder reconstructed better than PCA with the same code size,
#   and the non-linear 2-D map also separated the digits better than PCA's plane.
# - t-SNE draws long codes in the plane for a look at their neighbourhoods — a picture, not an encoder.
#
# Previous: [Week 3 — The linear autoencoder is PCA](03_linear_autoencoder.ipynb).
# Next: [Week 5 — Convolutional and recurrent autoencoders](05_conv_recurrent_autoencoders.ipynb).
