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
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/ml-course-lab/autoencoders-pca-lstm-keras/blob/main/notebooks/06_denoising_regularized_autoencoders.ipynb)
#
# # Week 6 — Denoising and regularised autoencoders
#
# An autoencoder that is allowed to copy its input learns nothing useful. Last weeks we stopped the
# copying with a narrow bottleneck. This week we try the other tools: we **corrupt the input** and ask
# for the clean image back (four kinds of corruption, ending with a convolutional denoiser on very
# noisy digits), and we **penalise the model** instead: weight decay, tied weights, a sparsity penalty
# on the code and a penalty on the encoder's sensitivity (the contractive autoencoder). Every variant
# is trained on MNIST and measured the same way, and a last table puts them side by side.
#
# **You will learn to**
# - corrupt images with Gaussian noise, dropout, masking noise and clipped noise, in NumPy and with
#   Keras layers, and know which of these layers are switched off at prediction time;
# - train a denoiser on *noisy inputs* against *clean targets*, and score it so that feeding it the
#   clean images by mistake is impossible;
# - read the first-layer weights of a dense autoencoder as images, and see what denoising changes;
# - write penalties as small backend-neutral Keras layers (`add_loss`, `keras.ops`): a KL sparsity
#   penalty, a contractive penalty, and a decoder that reuses the encoder's kernel.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## Setup
#
# The same first cell as every week, then this week's imports.

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
from keras import ops
from sklearn.decomposition import PCA

from course_utils import metrics, training

NOTEBOOK = "06_denoising_regularized_autoencoders"
rng = np.random.default_rng(cfg.seed)  # every NumPy corruption below draws from this generator

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The data, and the rule of the week
#
# MNIST digits, pixels in $[0, 1]$. The dense models read each image as a vector of 784 pixels, the
# convolutional one as a $28 \times 28 \times 1$ array.
#
# A denoising autoencoder is trained on pairs $(\tilde{x}, x)$: the **input** is a corrupted image
# $\tilde{x} \sim P(\tilde{x} \mid x)$, the **target** is the clean image $x$,
# $$\min_\theta \; \frac{1}{m} \sum_{i=1}^{m} \big\lVert g\big(f(\tilde{x}_i)\big) - x_i \big\rVert^2 .$$
# Copying the input is now a bad strategy: the copy contains the noise, and the noise is what the loss
# punishes. To do well, the model has to learn what digits look like. Everything in this notebook
# follows one rule: **noisy in, clean out, scored against the clean image.**

# %%
mnist = data.load_mnist()
n_train = cfg.limit(60_000, fast=5_000)
x_train, x_valid, x_test = (images.reshape(len(images), -1) for images in
                            (mnist.x_train[:n_train], mnist.x_valid, mnist.x_test))
N_PIXELS = x_train.shape[1]
print(mnist)
print("flat shapes:", x_train.shape, x_valid.shape, x_test.shape)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Four ways to corrupt an image
#
# | corruption | $\tilde{x}_j$ | as a Keras layer |
# |---|---|---|
# | Gaussian noise, $\sigma = 0.2$ | $x_j + \sigma \varepsilon_j$, $\varepsilon_j \sim \mathcal{N}(0, 1)$ | `GaussianNoise(0.2)` |
# | dropout, rate $0.5$ | $0$ with probability $0.5$, else $x_j / (1 - 0.5)$ | `Dropout(0.5)` |
# | masking noise, probability $q$ | $0$ with probability $q$, else $x_j$ | written below |
# | clipped noise, factor $0.5$ | $\operatorname{clip}(x_j + 0.5\, \varepsilon_j,\ 0,\ 1)$ | explicit noisy images |
#
# Dropout and masking noise hide the same kind of information; the difference is that dropout
# scales the surviving pixels up so that the *expected* pixel value stays $x_j$. Masking noise is the
# corruption of the lecture: $P(\tilde{x}_j = 0 \mid x_j) = q$, $P(\tilde{x}_j = x_j \mid x_j) = 1 - q$.
# Here are the four as NumPy functions; we use them to build the noisy **test** images.

# %%
MASKING_Q = 0.5  # the lecture shows q = 0.25 and q = 0.5; with 0.5 it hides as much as Dropout(0.5)


def add_gaussian_noise(images, sigma, rng):
    """x + sigma * N(0, 1), not clipped: what keras.layers.GaussianNoise(sigma) does while training."""
    return (images + sigma * rng.standard_normal(images.shape)).astype("float32")


def drop_pixels(images, rate, rng, rescale):
    """Zero each pixel with probability `rate`; with rescale=True divide the rest by 1 - rate (as Dropout does)."""
    kept = np.where(rng.random(images.shape) >= rate, images, 0.0)
    return (kept / (1.0 - rate) if rescale else kept).astype("float32")


# %%
def add_clipped_noise(images, noise_factor, rng):
    """x + noise_factor * N(0, 1), clipped back to [0, 1]: the explicit noisy images of the lecture."""
    return np.clip(images + noise_factor * rng.standard_normal(images.shape), 0.0, 1.0).astype("float32")


# %%
CORRUPTIONS = {
    "gaussian 0.2": lambda images, rng: add_gaussian_noise(images, 0.2, rng),
    "dropout 0.5": lambda images, rng: drop_pixels(images, 0.5, rng, rescale=True),
    f"masking {MASKING_Q}": lambda images, rng: drop_pixels(images, MASKING_Q, rng, rescale=False),
    "clipped 0.5": lambda images, rng: add_clipped_noise(images, 0.5, rng),
}
# Fixed noisy copies of the test set: every model below is scored on exactly these images.
noisy_test = {name: corrupt(x_test, rng) for name, corrupt in CORRUPTIONS.items()}

# %%
examples = [x_test[:6]] + [noisy[:6] for noisy in noisy_test.values()]
fig = plotting.plot_reconstructions(*[np.clip(images, 0, 1) for images in examples], n_images=6,
                                    row_titles=["clean", *CORRUPTIONS])

# %% [markdown]
# (Images are clipped to $[0, 1]$ for display only; the Gaussian and dropout versions go beyond it.)
# How far is each noisy test set from the clean one? This is the error of a "denoiser" that does
# nothing, the number every model has to beat.

# %%
input_mse = {name: metrics.reconstruction_mse(x_test, noisy) for name, noisy in noisy_test.items()}
for name, value in input_mse.items():
    print(f"{name:>13}: MSE(noisy, clean) = {value:.4f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The Keras layers do the same — but only while training
#
# `GaussianNoise` and `Dropout` have no masking-noise sibling, so we write one: a layer with no
# weights whose `call` draws a random mask with `keras.random` (backend-neutral) when `training` is
# true and returns its input untouched otherwise.

# %%
class MaskingNoise(keras.layers.Layer):
    """Set each input value to 0 with probability `rate` while training; the identity otherwise."""

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs, training=False):
        if not training:
            return inputs
        keep = keras.random.uniform(ops.shape(inputs), seed=self.seed_generator) >= self.rate
        return ops.where(keep, inputs, ops.zeros_like(inputs))

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}


# %% [markdown]
# Let us measure what the three layers do to 500 test images, in training mode and in inference mode.

# %%
probe = x_test[:500]
digit_pixels = probe > 0  # dropping a pixel that is already 0 changes nothing, so look at the others
noise_layers = {"gaussian 0.2": keras.layers.GaussianNoise(0.2, seed=1),
                "dropout 0.5": keras.layers.Dropout(0.5, seed=1),
                f"masking {MASKING_Q}": MaskingNoise(MASKING_Q, seed=1)}

# %%
layer_effects = {}
for name, layer in noise_layers.items():
    in_training = ops.convert_to_numpy(layer(probe, training=True))
    at_inference = ops.convert_to_numpy(layer(probe, training=False))
    survived = digit_pixels & (in_training != 0)
    layer_effects[name] = {"noise std": np.std(in_training - probe),
                           "digit pixels zeroed": np.mean(in_training[digit_pixels] == 0),
                           "survivors scaled by": np.median(in_training[survived] / probe[survived])}
    checks.verify(np.array_equal(at_inference, probe), f"{name} layer is the identity at inference")
    checks.verify(not np.array_equal(in_training, probe), f"{name} layer corrupts while training")
pd.DataFrame(layer_effects).T.round(3)

# %%
effects = pd.DataFrame(layer_effects).T
checks.verify(abs(effects.loc["gaussian 0.2", "noise std"] - 0.2) < 0.01,
              "GaussianNoise(0.2) adds noise of standard deviation 0.2", f"{effects.loc['gaussian 0.2', 'noise std']:.3f}")
for name, rate, scale in [("dropout 0.5", 0.5, 2.0), (f"masking {MASKING_Q}", MASKING_Q, 1.0)]:
    zeroed, scaled = effects.loc[name, "digit pixels zeroed"], effects.loc[name, "survivors scaled by"]
    checks.verify(abs(zeroed - rate) < 0.02 and abs(scaled - scale) < 1e-3,
                  f"{name} zeroes a fraction {rate} of the pixels and multiplies the others by {scale}",
                  f"{zeroed:.3f} zeroed, survivors × {scaled:.3f}")

# %% [markdown]
# So a model with a noise layer trains on noisy images but `model.predict` sees whatever we give it.
# To test a denoiser, we **must corrupt the test images ourselves** — that is what `noisy_test` is for.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Scoring a denoiser honestly
#
# A widely copied denoising tutorial once showed beautiful "denoised" digits — produced by feeding the
# model the *clean* test images. Nothing in the code stopped it. Here every denoising score goes
# through one function that takes the noisy and the clean images separately, refuses a "noisy" input
# that is not actually corrupted, feeds the noisy one to the model and compares the output with the
# clean one.

# %%
def predict_images(model, images):
    """`model`'s output for flat images of shape (n, 784), reshaped first to the model's input shape."""
    per_image_shape = tuple(model.inputs[0].shape[1:])
    return model.predict(images.reshape((len(images), *per_image_shape)), batch_size=1000, verbose=0)


# %%
def denoise_and_score(model, noisy, clean):
    """Feed NOISY images to `model`, compare its output with the CLEAN images.

    Returns the MSE of the noisy input, the MSE of the model's output (both against `clean`)
    and the denoised images. Raises ValueError if `noisy` is not a corrupted copy of `clean`.
    """
    noisy_mse = metrics.reconstruction_mse(clean, noisy)
    if noisy is clean or noisy_mse < 1e-3:
        raise ValueError(f"the 'noisy' images are the clean ones (MSE {noisy_mse:.1e}): corrupt them first.")
    denoised = predict_images(model, noisy)
    return noisy_mse, metrics.reconstruction_mse(clean, denoised), denoised.reshape(clean.shape)


# %%
def reconstruct_images(model, images):
    """Plain reconstruction of (clean) images, returned flat."""
    return predict_images(model, images).reshape(images.shape)


# %% [markdown] slideshow={"slide_type": "slide"}
# ## One small dense autoencoder, many variants
#
# All dense models this week share one shape: $784 \to 256 \to 784$, with a **sigmoid** code
# $h = \sigma(x W + b)$ and a sigmoid output, trained with MSE and Adam. One hidden layer keeps the
# pictures and the maths simple: the columns of $W$ are the "filters" we will look at, the mean of $h$
# is the activation the sparse AE controls, and the encoder's Jacobian has a closed form. (The
# lecture's denoisers are stacked, 784-100-30-100-784 with SELU; the corruption layers work the same
# way in front of any encoder.)
#
# The builder takes the pieces that change: a corruption layer in front, the encoder layer, a
# penalty layer on the code, the decoder layer.

# %%
N_CODE = 256


def variant_autoencoder(name, corruption=None, encoder=None, code_penalty=None, decoder=None):
    """784 → N_CODE (sigmoid) → 784 (sigmoid); any part may be replaced by a variant."""
    inputs = keras.Input(shape=(N_PIXELS,), name="image")
    x = inputs if corruption is None else corruption(inputs)  # noise layers act only while training
    encoder = encoder or keras.layers.Dense(N_CODE, activation="sigmoid", name="encoder")
    code = encoder(x)
    if code_penalty is not None:
        code = code_penalty(code)  # returns the code unchanged, adds a term to the loss
    decoder = decoder or keras.layers.Dense(N_PIXELS, activation="sigmoid", name="decoder")
    return keras.Model(inputs, decoder(code), name=name)


# %% [markdown] slideshow={"slide_type": "subslide"}
# ### A vanilla AE and three denoisers with noise layers
#
# With a noise layer inside the model, the training call is `fit(x_train, x_train)`: the layer turns
# the input into a fresh noisy copy at every step while the target stays clean.
#
# Each model's training settings are a plain dict in a cell of their own (tagged `parameters`):
# change a value there and rerun to try other settings. `DENSE_SETTINGS` serves every dense model
# of the week; the Gaussian and the dropout denoiser have their own copy, since the lecture trains
# its denoisers differently (SGD with learning rate 1 and binary cross-entropy), and
# `benchmarks/results.md` compares these settings with the lecture's. Fast mode (CI) trains every
# model for at most 4 epochs on 5 000 images, in batches of 32 so that there are still enough steps.

# %% tags=["parameters"]
# Adam, MSE: our settings for the dense models
DENSE_SETTINGS = dict(optimizer="Adam", learning_rate=1e-3, loss="mse", batch_size=128, epochs=4)
GAUSSIAN_SETTINGS = dict(optimizer="Adam", learning_rate=1e-3, loss="mse", batch_size=128, epochs=4)
DROPOUT_SETTINGS = dict(optimizer="Adam", learning_rate=1e-3, loss="mse", batch_size=128, epochs=4)

# %%
dense_variants = {  # name: (the corruption layer in front of the encoder, the training settings)
    "vanilla": (None, DENSE_SETTINGS),
    "gaussian 0.2": (keras.layers.GaussianNoise(0.2, seed=cfg.seed), GAUSSIAN_SETTINGS),
    "dropout 0.5": (keras.layers.Dropout(0.5, seed=cfg.seed), DROPOUT_SETTINGS),
    f"masking {MASKING_Q}": (MaskingNoise(MASKING_Q, seed=cfg.seed), DENSE_SETTINGS),
}
models, runs = {}, {}  # every model of the week and its training run, by name

# %%
for name, (corruption, settings) in dense_variants.items():
    models[name] = variant_autoencoder(name.replace(" ", "_"), corruption=corruption)
    runs[name] = training.compile_and_fit(
        models[name], x_train, x_train, settings=settings, epochs=cfg.epochs(settings["epochs"], fast=4),
        batch_size=cfg.pick(full=settings["batch_size"], fast=32), validation_data=(x_valid, x_valid),
        metrics=["mse"])
    print(runs[name])

# %% [markdown]
# The training loss of a denoiser is computed on noisy inputs and is higher than its validation loss,
# which is computed on clean inputs (the noise layer is off during `evaluate`). Now each denoiser on
# the test images corrupted *its own* way:

# %%
for name in list(dense_variants)[1:]:
    noisy_mse, denoised_mse, denoised = denoise_and_score(models[name], noisy_test[name], x_test)
    print(f"{name:>13}: noisy input {noisy_mse:.4f} → denoised {denoised_mse:.4f} (MSE to the clean images)")
    min_gain = cfg.pick(full=2.0, fast=1.2)
    checks.verify(noisy_mse / denoised_mse >= min_gain,
                  f"the {name} denoiser's output is at least {min_gain:g} times closer to the clean image than its noisy input",
                  f"{denoised_mse:.4f} vs {noisy_mse:.4f}")
    fig = plotting.plot_reconstructions(np.clip(noisy_test[name], 0, 1), denoised, x_test,
                                        row_titles=["noisy", "denoised", "clean"])
    fig.suptitle(f"dense AE trained with {name} noise", y=1.02)

# %% [markdown] slideshow={"slide_type": "subslide"}
# The guard in `denoise_and_score` is not decoration. Passing the clean images as the "noisy" ones
# — the tutorial's mistake — is refused:

# %%
try:
    denoise_and_score(models["gaussian 0.2"], x_test, x_test)
except ValueError as error:
    refused = True
    print("refused:", error)
else:
    refused = False
checks.verify(refused, "scoring a denoiser on clean inputs is refused")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## A convolutional denoiser on very noisy digits
#
# Now the explicit way of the lecture: build the noisy images once, then `fit(noisy, clean)`. With
# noise factor $0.5$ the noisy test images are about $0.116$ away from the clean ones (MSE, measured
# above), and the lecture's convolutional AE (32 filters everywhere, pooling and up-sampling, ReLU
# output, RMSprop, MSE, 50 epochs) ends at a training loss of $0.0106$. Its epochs are not slow, but
# fifty of them take many minutes on a small CPU machine.
#
# We need a model that learns faster per second of CPU. Five changes:
# - **strided convolutions** instead of pooling and up-sampling: `Conv2D(..., strides=2)` halves
#   the image size while it filters, and `Conv2DTranspose(..., strides=2)` doubles it, so no layer
#   works on a full $28 \times 28$ grid with many channels, which is where a CPU spends its time;
# - **depth where it is cheap**: four of the convolutions work on the $7 \times 7$ grid, where a
#   $3 \times 3$ convolution with 64 filters costs a quarter of what it costs at $14 \times 14$;
# - a **skip connection** (as in a U-Net): the decoder adds the encoder's $14 \times 14$ feature
#   maps to its own, so the fine position of each stroke does not have to squeeze through the
#   $7 \times 7$ code. A denoiser may do this: what stops it from copying is the noise, not a
#   bottleneck (its code, $7 \times 7 \times 64 = 3136$ numbers, is larger than the image anyway);
# - a **sigmoid output trained with binary cross-entropy**: the gradient of BCE with respect to the
#   pre-activation is simply $\hat{x} - x$, so it does not vanish when the sigmoid saturates, as it
#   can with MSE when the model starts by predicting an all-black image;
# - **Adam** with a learning rate that decays from $0.003$ to zero along a cosine, over 12 epochs.
#
# How these were chosen (test MSE against the clean images, one run each on a 2-core machine):
# without the two extra $7 \times 7$ layers, each epoch was a little faster, but after 15 epochs the
# model was still behind where it now is after 12; twice the filters everywhere (48 and 96) took twice
# the time per epoch and did no better.
#
# We still *measure* the MSE, which `compile_and_fit` tracks as a metric (`metrics=["mse"]`).
# After our model comes the lecture's, `lecture_conv_denoiser`; the knob `architecture` in the
# training settings chooses which of the two is trained (`"course"` or `"lecture"`).

# %%
def conv_denoiser():
    """28×28 → 14×14 → 7×7 (four convolutions around the code) → 14×14 → 28×28; the 14×14 maps skip across."""
    layers = keras.layers
    inputs = keras.Input(shape=(28, 28, 1), name="noisy_image")
    x = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(inputs)       # 14×14×32
    coarse = layers.Conv2D(32, 3, padding="same", activation="relu")(x)
    x = layers.Conv2D(64, 3, strides=2, padding="same", activation="relu")(coarse)       # 7×7×64
    x = layers.Conv2D(64, 3, padding="same", activation="relu")(x)
    code = layers.Conv2D(64, 3, padding="same", activation="relu", name="encoder")(x)
    x = layers.Conv2D(64, 3, padding="same", activation="relu")(code)
    x = layers.Conv2DTranspose(32, 3, strides=2, padding="same", activation="relu")(x)     # 14×14×32
    x = layers.Conv2D(32, 3, padding="same", activation="relu")(layers.Add()([x, coarse]))  # skip at 14×14
    outputs = layers.Conv2DTranspose(1, 3, strides=2, padding="same", activation="sigmoid")(x)  # 28×28×1
    return keras.Model(inputs, outputs, name="conv_denoiser")


# %%
def lecture_conv_denoiser():
    """The lecture's denoiser: 32 filters everywhere, no skip connections, ReLU output."""
    layers = keras.layers
    inputs = keras.Input(shape=(28, 28, 1), name="noisy_image")
    x = layers.Conv2D(32, 3, padding="same", activation="relu")(inputs)
    x = layers.MaxPooling2D(2, padding="same")(x)                                       # 14×14×32
    x = layers.Conv2D(32, 3, padding="same", activation="relu")(x)
    code = layers.MaxPooling2D(2, padding="same", name="encoder")(x)                    # 7×7×32 code
    x = layers.UpSampling2D(2)(layers.Conv2D(32, 3, padding="same", activation="relu")(code))  # 14×14
    x = layers.UpSampling2D(2)(layers.Conv2D(32, 3, padding="same", activation="relu")(x))     # 28×28
    outputs = layers.Conv2D(1, 3, padding="same", activation="relu")(x)
    return keras.Model(inputs, outputs, name="lecture_conv_denoiser")


# %%
NOISE_FACTOR = 0.5


def as_grid(images):
    """Flat images (n, 784) as the (n, 28, 28, 1) arrays a convolutional model reads."""
    return images.reshape(len(images), 28, 28, 1)


x_train_noisy = add_clipped_noise(x_train, NOISE_FACTOR, rng)
x_valid_noisy = add_clipped_noise(x_valid, NOISE_FACTOR, rng)
checks.verify(metrics.reconstruction_mse(x_train, x_train_noisy) > 0.1, "the training inputs really are noisy")

# %% tags=["parameters"]
# our model, Adam with a cosine decay, binary cross-entropy
CONV_DENOISER_SETTINGS = dict(architecture="course", optimizer="Adam", learning_rate=3e-3, schedule="cosine",
                              loss="binary_crossentropy", batch_size=128, epochs=12)

# %%
conv_builders = {"course": conv_denoiser, "lecture": lecture_conv_denoiser}
models["conv clipped 0.5"] = conv_builders[CONV_DENOISER_SETTINGS["architecture"]]()
runs["conv clipped 0.5"] = training.compile_and_fit(
    models["conv clipped 0.5"], as_grid(x_train_noisy), as_grid(x_train),  # noisy inputs, clean targets
    settings=CONV_DENOISER_SETTINGS, epochs=cfg.epochs(CONV_DENOISER_SETTINGS["epochs"], fast=4),
    batch_size=cfg.pick(full=CONV_DENOISER_SETTINGS["batch_size"], fast=32),
    validation_data=(as_grid(x_valid_noisy), as_grid(x_valid)), metrics=["mse"])
print(f"{models['conv clipped 0.5'].count_params():,} parameters;", runs["conv clipped 0.5"])

# %%
fig = plotting.plot_history(runs["conv clipped 0.5"].history, title="convolutional denoiser: noisy input, clean target")

# %%
noisy_mse, conv_mse, conv_denoised = denoise_and_score(models["conv clipped 0.5"], noisy_test["clipped 0.5"], x_test)
print(f"test MSE to the clean images: noisy input {noisy_mse:.4f}, denoised {conv_mse:.4f} "
      f"({noisy_mse / conv_mse:.1f} times smaller)")
min_gain = cfg.pick(full=9, fast=2)
checks.verify(noisy_mse / conv_mse >= min_gain,
              f"the denoised images are at least {min_gain} times closer to the clean ones than the noisy inputs",
              f"{conv_mse:.4f} vs {noisy_mse:.4f}")

# %%
CONV_TARGET = 0.0100  # the course's goal for this model in full mode (the lecture's 50 epochs: 0.0106 training loss)
max_conv_mse = cfg.pick(full=CONV_TARGET, fast=0.05)
checks.verify(conv_mse <= max_conv_mse, f"the convolutional denoiser's test MSE is at most {max_conv_mse:g} "
              "(full mode: below the lecture's 50-epoch training loss, 0.0106)", f"{conv_mse:.4f}")
fig = plotting.plot_reconstructions(noisy_test["clipped 0.5"], conv_denoised, x_test,
                                    row_titles=["noisy", "denoised", "clean"], n_images=10)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## What do the hidden units look for?
#
# Hidden unit $i$ of a dense encoder computes $h_i = \sigma(W_i^\top x + b_i)$, where $W_i$ is the
# $i$-th column of the kernel. Among all inputs of unit length, $\lVert x \rVert = 1$, the one that
# excites unit $i$ most maximises $W_i^\top x$, and by Cauchy–Schwarz it is
# $$x^\star = \frac{W_i}{\lVert W_i \rVert} .$$
# So each column of $W$, normalised and reshaped to $28 \times 28$, is a picture of what its unit
# responds to (dark = positive weight). Here are the first 64 units of the vanilla AE and of the AE
# trained with masking noise.

# %%
def unit_filters(model, n_units=64):
    """The first `n_units` columns of the encoder kernel, each divided by its norm, as flat images."""
    kernel = ops.convert_to_numpy(model.get_layer("encoder").kernel)[:, :n_units]
    return (kernel / np.linalg.norm(kernel, axis=0)).T


# %%
def plot_filter_grids(filter_sets, n_cols=8):
    """One grid of filters per entry of `filter_sets` ({title: flat filters}), side by side."""
    n_rows = int(np.ceil(max(len(filters) for filters in filter_sets.values()) / n_cols))
    fig = plt.figure(figsize=(4.6 * len(filter_sets), 4.6 * n_rows / n_cols + 0.5))
    for subfig, (title, filters) in zip(np.atleast_1d(fig.subfigures(1, len(filter_sets))), filter_sets.items()):
        axes = subfig.subplots(n_rows, n_cols)
        for index, ax in enumerate(axes.flat):
            if index < len(filters):
                plotting.plot_image(filters[index].reshape(28, 28), ax=ax, value_range=None)
            else:
                ax.set_axis_off()
        subfig.suptitle(title)
    return fig


# %%
filters = {"vanilla AE": unit_filters(models["vanilla"]),
           f"denoising AE, masking q = {MASKING_Q}": unit_filters(models[f"masking {MASKING_Q}"]),
           "denoising AE, gaussian σ = 0.2": unit_filters(models["gaussian 0.2"])}
fig = plot_filter_grids(filters)

# %% [markdown]
# After a few epochs these are not yet the crisp pen-stroke detectors of the lecture's figures, which
# come from much longer training; they are blurry blobs and stroke fragments. Two things can be
# measured, though:
#
# - **Smoothness.** A unit of a denoising AE cannot trust any single pixel, so it collects evidence
#   from a wider area and its filter varies more slowly from pixel to pixel. We measure this as the
#   correlation between neighbouring weights of a filter.
# - **The speckled frame.** Some pixels near the border are black in every training image. Their
#   input is always $0$, so their weights never receive a gradient and keep their random initial
#   values (for Keras's default Glorot-uniform initialiser, a standard deviation of
#   $\sqrt{6 / (n_\text{in} + n_\text{out})} / \sqrt{3}$). Dropout and masking noise keep those pixels at $0$;
#   Gaussian noise does not, so the Gaussian denoiser learns to ignore them.

# %%
def neighbour_correlation(flat_filters):
    """Correlation between horizontally and vertically adjacent weights, pooled over all filters."""
    grids = flat_filters.reshape(-1, 28, 28)
    horizontal = np.corrcoef(grids[:, :, :-1].ravel(), grids[:, :, 1:].ravel())[0, 1]
    vertical = np.corrcoef(grids[:, :-1, :].ravel(), grids[:, 1:, :].ravel())[0, 1]
    return (horizontal + vertical) / 2


# %%
never_lit = x_train.max(axis=0) == 0
initial_std = np.sqrt(6 / (N_PIXELS + N_CODE)) / np.sqrt(3)
print(f"{never_lit.sum()} of {N_PIXELS} pixels are black in every training image; "
      f"initial weight standard deviation {initial_std:.4f}")

# %%
filter_stats = {}
for name in ["vanilla", "gaussian 0.2", "dropout 0.5", f"masking {MASKING_Q}"]:
    kernel = ops.convert_to_numpy(models[name].get_layer("encoder").kernel)
    filter_stats[name] = {"neighbour correlation": neighbour_correlation(unit_filters(models[name], N_CODE)),
                          "std of never-lit weights": kernel[never_lit].std()}
pd.DataFrame(filter_stats).T.round(4)

# %%
stats = pd.DataFrame(filter_stats).T
smoother_by = stats.loc[f"masking {MASKING_Q}", "neighbour correlation"] - stats.loc["vanilla", "neighbour correlation"]
checks.verify(smoother_by > cfg.pick(full=0.02, fast=0.0),
              "the masking-noise AE's filters are smoother than the vanilla AE's", f"correlation higher by {smoother_by:.3f}")

# %%
for name in ["vanilla", "dropout 0.5", f"masking {MASKING_Q}"]:
    checks.verify(abs(stats.loc[name, "std of never-lit weights"] / initial_std - 1) < 0.05,
                  f"{name}: weights of never-lit pixels keep their initial spread",
                  f"{stats.loc[name, 'std of never-lit weights']:.4f} vs {initial_std:.4f}")
checks.verify(stats.loc["gaussian 0.2", "std of never-lit weights"] < cfg.pick(full=0.8, fast=1.0) * initial_std,
              "Gaussian noise makes the encoder shrink the weights of never-lit pixels",
              f"std {stats.loc['gaussian 0.2', 'std of never-lit weights']:.4f} vs {initial_std:.4f} at the start")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Regularising without noise
#
# Noise is one way to make copying useless. The other is to add a penalty $\Omega(\theta)$ to the
# reconstruction loss, $\hat{\mathcal{L}}(\theta) = \mathcal{L}(\theta) + \Omega(\theta)$, or to take
# freedom away from the model. Four classic choices follow; each is a few lines of Keras 3 that run on
# any backend, because the maths uses `keras.ops` and the extra loss is added with `self.add_loss`
# inside a layer.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Weight decay
#
# $\Omega(\theta) = \lambda \lVert W \rVert^2$ on both kernels: the gradient gains a term $2\lambda W$
# that pulls every weight towards zero, including the weights of never-lit pixels that the
# reconstruction loss leaves alone. Keras has it built in as a kernel regulariser.

# %%
L2_WEIGHT = 3e-6
weight_decay = keras.regularizers.L2(L2_WEIGHT)
models["L2 weight decay"] = variant_autoencoder(
    "l2_weight_decay",
    encoder=keras.layers.Dense(N_CODE, activation="sigmoid", kernel_regularizer=weight_decay, name="encoder"),
    decoder=keras.layers.Dense(N_PIXELS, activation="sigmoid", kernel_regularizer=weight_decay, name="decoder"))

# %%
runs["L2 weight decay"] = training.compile_and_fit(
    models["L2 weight decay"], x_train, x_train, settings=DENSE_SETTINGS,
    epochs=cfg.epochs(DENSE_SETTINGS["epochs"], fast=4), batch_size=cfg.pick(full=DENSE_SETTINGS["batch_size"], fast=32),
    validation_data=(x_valid, x_valid), metrics=["mse"])
print(runs["L2 weight decay"])


# %%
def kernel_norm(model):
    """Frobenius norm of the encoder kernel."""
    return float(np.linalg.norm(ops.convert_to_numpy(model.get_layer("encoder").kernel)))


checks.verify(kernel_norm(models["L2 weight decay"]) < kernel_norm(models["vanilla"]),
              "weight decay gives a smaller encoder kernel than the vanilla AE",
              f"‖W‖ = {kernel_norm(models['L2 weight decay']):.1f} vs {kernel_norm(models['vanilla']):.1f}")

# %%
decayed_kernel = ops.convert_to_numpy(models["L2 weight decay"].get_layer("encoder").kernel)
checks.verify(decayed_kernel[never_lit].std() < 0.5 * initial_std,
              "weight decay removes the random weights of never-lit pixels (the speckled frame)",
              f"std {decayed_kernel[never_lit].std():.4f} vs {initial_std:.4f} at the start")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Tied weights
#
# Let the decoder reuse the encoder's kernel, transposed: $W^\ast = W^\top$, so
# $\hat{x} = \sigma(h W^\top + c)$ and only the decoder's bias $c$ is new. The layer below keeps a
# reference to the encoder layer and reads its kernel at every call (reading `kernel.shape`, as
# `layer.input_shape` no longer exists in Keras 3).

# %%
class TiedDense(keras.layers.Layer):
    """A dense layer whose kernel is the transpose of `tied_to`'s kernel; it owns only a bias."""

    def __init__(self, tied_to, activation=None, **kwargs):
        super().__init__(**kwargs)
        self.tied_to = tied_to
        self.activation = keras.activations.get(activation)

    def build(self, input_shape):
        n_outputs = self.tied_to.kernel.shape[0]
        self.bias = self.add_weight(shape=(n_outputs,), initializer="zeros", name="bias")

    def call(self, inputs):
        return self.activation(ops.matmul(inputs, ops.transpose(self.tied_to.kernel)) + self.bias)


# %%
tied_encoder = keras.layers.Dense(N_CODE, activation="sigmoid", name="encoder")
models["tied weights"] = variant_autoencoder("tied_weights", encoder=tied_encoder,
                                             decoder=TiedDense(tied_encoder, activation="sigmoid", name="decoder"))
runs["tied weights"] = training.compile_and_fit(
    models["tied weights"], x_train, x_train, settings=DENSE_SETTINGS,
    epochs=cfg.epochs(DENSE_SETTINGS["epochs"], fast=4), batch_size=cfg.pick(full=DENSE_SETTINGS["batch_size"], fast=32),
    validation_data=(x_valid, x_valid), metrics=["mse"])
print(runs["tied weights"])

# %% [markdown]
# Tying halves the number of weights. (`model.summary()` would list the shared kernel under both
# layers; `count_params()` counts it once.)

# %% tags=["nbval-check-output"]
untied_count = models["vanilla"].count_params()
tied_count = models["tied weights"].count_params()
print(f"untied: {untied_count:,} parameters = 2·784·{N_CODE} + {N_CODE} + 784")
print(f"tied:   {tied_count:,} parameters = 784·{N_CODE} + {N_CODE} + 784")
checks.verify(untied_count == 2 * N_PIXELS * N_CODE + N_CODE + N_PIXELS
              and tied_count == N_PIXELS * N_CODE + N_CODE + N_PIXELS, "the tied AE shares one kernel")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Sparse autoencoder
#
# A sigmoid unit is "on" near 1 and "off" near 0. A sparse AE wants each unit off most of the time:
# the mean activation of unit $l$ over $m$ examples, $\hat{\rho}_l = \frac{1}{m} \sum_i h_l(x_i)$,
# should be close to a small target $\rho$. The penalty is the KL divergence between a coin that
# comes up 1 with probability $\rho$ and one with probability $\hat{\rho}_l$,
# $$\Omega = \beta \sum_{l=1}^{k} \rho \log \frac{\rho}{\hat{\rho}_l} + (1 - \rho) \log \frac{1 - \rho}{1 - \hat{\rho}_l},$$
# which is zero when $\hat{\rho}_l = \rho$ and grows steeply as $\hat{\rho}_l$ moves away:

# %%
RHO = 0.05


def kl_to_target(rho, rho_hat):
    """KL divergence between Bernoulli(rho) and Bernoulli(rho_hat), element-wise."""
    return rho * np.log(rho / rho_hat) + (1 - rho) * np.log((1 - rho) / (1 - rho_hat))


# %%
rho_hat_grid = np.linspace(0.001, 0.999, 999)
fig, ax = plt.subplots(figsize=(5, 3))
ax.plot(rho_hat_grid, kl_to_target(RHO, rho_hat_grid))
ax.axvline(RHO, color="grey", linestyle=":", label=f"ρ = {RHO}")
ax.set(xlabel="mean activation ρ̂ of a unit", ylabel="KL(ρ ‖ ρ̂)", ylim=(0, 3))
ax.legend();

# %% [markdown]
# The batch plays the role of the $m$ examples. Keras has `activity_regularizer=`, but it divides the
# penalty by the batch size, which would make $\beta$ depend on the batch; a small penalty layer says
# exactly what it adds.

# %%
SPARSITY_WEIGHT = 2e-3


class KLSparsity(keras.layers.Layer):
    """Identity on a sigmoid code; adds weight · Σ_l KL(target ‖ batch mean of unit l) to the loss."""

    def __init__(self, target, weight, **kwargs):
        super().__init__(**kwargs)
        self.target = target
        self.weight = weight

    def call(self, code):
        rho, rho_hat = self.target, ops.clip(ops.mean(code, axis=0), 1e-6, 1 - 1e-6)
        kl = rho * ops.log(rho / rho_hat) + (1 - rho) * ops.log((1 - rho) / (1 - rho_hat))
        self.add_loss(self.weight * ops.sum(kl))
        return code

    def get_config(self):
        return {**super().get_config(), "target": self.target, "weight": self.weight}


# %%
models["sparse KL"] = variant_autoencoder("sparse_kl", code_penalty=KLSparsity(RHO, SPARSITY_WEIGHT))
runs["sparse KL"] = training.compile_and_fit(
    models["sparse KL"], x_train, x_train, settings=DENSE_SETTINGS,
    epochs=cfg.epochs(DENSE_SETTINGS["epochs"], fast=4), batch_size=cfg.pick(full=DENSE_SETTINGS["batch_size"], fast=32),
    validation_data=(x_valid, x_valid), metrics=["mse"])
print(runs["sparse KL"])

# %%
encoders = {}  # model name: (the autoencoder, its encoder model), built once per autoencoder


def encode(model, images):
    """The code the layer named "encoder" produces for (clean) `images`, one row per image."""
    cached = encoders.get(model.name)
    if cached is None or cached[0] is not model:  # a new model may reuse an old one's name
        encoders[model.name] = cached = (model, keras.Model(model.inputs, model.get_layer("encoder").output))
    return predict_images(cached[1], images).reshape(len(images), -1)


# %%
unit_means = {name: encode(models[name], x_test).mean(axis=0) for name in ("vanilla", "sparse KL")}
for name, means in unit_means.items():
    print(f"{name:>9}: mean activation {means.mean():.4f} (target ρ = {RHO}); "
          f"units with ρ̂ < 0.1: {np.mean(means < 0.1):.0%}")

# %%
fig, ax = plt.subplots(figsize=(6, 3))
ax.hist(list(unit_means.values()), bins=np.linspace(0, 1, 41), label=list(unit_means))
ax.axvline(RHO, color="grey", linestyle=":", label=f"target ρ = {RHO}")
ax.set(xlabel="mean activation of a hidden unit on the test set", ylabel="number of units")
ax.legend();

# %%
sparse_mean = unit_means["sparse KL"].mean()
checks.verify(abs(sparse_mean - RHO) < cfg.pick(full=0.5, fast=2.0) * RHO,
              "the sparse AE's mean code activation is close to the target ρ", f"{sparse_mean:.4f} vs ρ = {RHO}")
checks.verify(sparse_mean < cfg.pick(full=0.5, fast=0.9) * unit_means["vanilla"].mean(),
              "the sparse AE's units are far less active than the vanilla AE's",
              f"{sparse_mean:.4f} vs {unit_means['vanilla'].mean():.4f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Contractive autoencoder
#
# The contractive AE penalises how strongly the code reacts to small changes of the input, the squared
# Frobenius norm of the encoder's Jacobian $J_{lj} = \partial h_l / \partial x_j$:
# $$\Omega = \lambda\, \lVert J(x) \rVert_F^2 = \lambda \sum_{j=1}^{n} \sum_{l=1}^{k} \left( \frac{\partial h_l}{\partial x_j} \right)^2 .$$
# Reconstruction wants the code to follow the input; the penalty wants it to ignore the input. The
# compromise keeps sensitivity only along directions the data really vary in. For a sigmoid layer
# $h_l = \sigma(a_l)$ with $a_l = \sum_j W_{jl} x_j + b_l$, the Jacobian has a closed form,
# $\partial h_l / \partial x_j = h_l (1 - h_l) W_{jl}$, so
# $$\lVert J(x) \rVert_F^2 = \sum_{l=1}^{k} \big(h_l (1 - h_l)\big)^2 \sum_{j=1}^{n} W_{jl}^2 ,$$
# cheap enough to add to every training step. The encoder below is a `Dense` layer that adds it.

# %%
CONTRACTION_WEIGHT = 3e-4


class ContractiveDense(keras.layers.Dense):
    """A sigmoid Dense layer that adds weight · (batch mean of ‖∂h/∂x‖²_F) to the loss."""

    def __init__(self, units, contraction, **kwargs):
        super().__init__(units, **{**kwargs, "activation": "sigmoid"})
        self.contraction = contraction

    def call(self, inputs):
        code = super().call(inputs)
        slope_squared = ops.square(code * (1.0 - code))          # (σ'(a_l))², shape (batch, units)
        column_norms = ops.sum(ops.square(self.kernel), axis=0)  # Σ_j W_jl², shape (units,)
        self.add_loss(self.contraction * ops.mean(ops.sum(slope_squared * column_norms, axis=1)))
        return code

    def get_config(self):
        return {**super().get_config(), "contraction": self.contraction}


# %%
models["contractive"] = variant_autoencoder("contractive",
                                            encoder=ContractiveDense(N_CODE, CONTRACTION_WEIGHT, name="encoder"))
runs["contractive"] = training.compile_and_fit(
    models["contractive"], x_train, x_train, settings=DENSE_SETTINGS,
    epochs=cfg.epochs(DENSE_SETTINGS["epochs"], fast=4), batch_size=cfg.pick(full=DENSE_SETTINGS["batch_size"], fast=32),
    validation_data=(x_valid, x_valid), metrics=["mse"])
print(runs["contractive"])

# %% [markdown]
# First make sure the closed form is the Jacobian of the encoder Keras actually runs: nudge each of the
# 784 pixels of one test image by $\pm\varepsilon$ and take central differences.

# %%
def jacobian_norms(model, images):
    """‖∂h/∂x‖_F of a sigmoid dense encoder at each image, from the closed form."""
    kernel = ops.convert_to_numpy(model.get_layer("encoder").kernel).astype("float64")
    codes = encode(model, images).astype("float64")
    return np.sqrt(np.sum((codes * (1 - codes)) ** 2 * np.sum(kernel ** 2, axis=0), axis=1))


# %%
epsilon = 1e-2
image = x_test[0].astype("float64")
nudges = epsilon * np.eye(N_PIXELS)
finite_jacobian = (encode(models["contractive"], (image + nudges).astype("float32")).astype("float64")
                   - encode(models["contractive"], (image - nudges).astype("float32")))  / (2 * epsilon)
finite_norm = np.linalg.norm(finite_jacobian)
closed_norm = jacobian_norms(models["contractive"], x_test[:1])[0]
checks.verify(abs(finite_norm - closed_norm) < 1e-2 * closed_norm,
              "the closed-form Jacobian norm matches finite differences", f"{closed_norm:.4f} vs {finite_norm:.4f}")

# %% [markdown]
# Then compare the encoder's sensitivity with and without the penalty:

# %%
sensitivity = {name: jacobian_norms(models[name], x_test).mean() for name in ("vanilla", "contractive")}
clean_mse = {name: metrics.reconstruction_mse(x_test, reconstruct_images(models[name], x_test)) for name in sensitivity}
for name in sensitivity:
    print(f"{name:>11}: mean ‖J‖_F on the test set {sensitivity[name]:.3f}, clean test MSE {clean_mse[name]:.4f}")
checks.verify(sensitivity["contractive"] < cfg.pick(full=0.5, fast=0.9) * sensitivity["vanilla"],
              "the contractive penalty makes the encoder much less sensitive to its input",
              f"‖J‖_F {sensitivity['contractive']:.3f} vs {sensitivity['vanilla']:.3f}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## All variants side by side
#
# Every model is scored on the same clean test images and on the same four noisy copies of them
# (always against the clean images, through `denoise_and_score`). "Mean code activation" is the mean
# of the code over the clean test set (sigmoid units for the dense models; the conv model's code is
# a ReLU feature map, so its number is not comparable); $\lVert J \rVert_F$ is the mean encoder
# Jacobian norm (closed form, dense models only).
#
# For the record each model also gets a linear baseline at its code size: PCA with 256 components,
# fitted on the clean training images, applied to the same (noisy or clean) test images a model is
# judged on. A denoiser is judged on the noise it was trained with; the other models on clean images.

# %%
OWN_NOISE = {"gaussian 0.2": "gaussian 0.2", "dropout 0.5": "dropout 0.5",
             f"masking {MASKING_Q}": f"masking {MASKING_Q}", "conv clipped 0.5": "clipped 0.5"}
pca_code = PCA(n_components=N_CODE, random_state=cfg.seed).fit(x_train)
pca_mse = {noise: metrics.reconstruction_mse(x_test, pca_code.inverse_transform(pca_code.transform(images)))
           for noise, images in {"clean": x_test, **noisy_test}.items()}

# %%
rows = []
for name, model in models.items():
    row = {"variant": name, "parameters": model.count_params(), "train s": round(runs[name].timer.total_seconds, 1),
           "clean → clean": metrics.reconstruction_mse(x_test, reconstruct_images(model, x_test))}
    for noise, noisy in noisy_test.items():
        row[f"{noise} → clean"] = denoise_and_score(model, noisy, x_test)[1]
    row["mean code activation"] = float(encode(model, x_test).mean())
    is_dense = isinstance(model.get_layer("encoder"), keras.layers.Dense)
    row["‖J‖_F"] = float(jacobian_norms(model, x_test).mean()) if is_dense else np.nan
    rows.append(row)
table = pd.DataFrame(rows).set_index("variant")

# %%
for name, model in models.items():
    judged_on = OWN_NOISE.get(name, "clean")
    is_dense = isinstance(model.get_layer("encoder"), keras.layers.Dense)
    training.record_result(NOTEBOOK, name.replace(" ", "_"), runs[name], data="MNIST", test_images=judged_on,
                           code_size=int(np.prod(model.get_layer("encoder").output.shape[1:])),
                           test_mse=table.loc[name, f"{judged_on} → clean"],
                           pca_mse=pca_mse[judged_on] if is_dense else None,  # a 3 136-number code: PCA is exact
                           clean_test_mse=table.loc[name, "clean → clean"])

# %%
noisy_row = pd.DataFrame([{"clean → clean": 0.0, **{f"{noise} → clean": value for noise, value in input_mse.items()}}],
                         index=["(noisy input itself)"])
pd.concat([table, noisy_row]).style.format(precision=4, na_rep="—").format(
    {"parameters": "{:,.0f}", "train s": "{:.1f}"}, na_rep="—")

# %% [markdown]
# Reading the table, row by row against the vanilla AE: the masking denoiser is far better than the
# vanilla AE on masked images, and the dropout denoiser clearly better on dropout noise; both kinds
# of noise hide half of every image.
# Gaussian noise with $\sigma = 0.2$ is mild by comparison: the vanilla AE's 256 sigmoid units already
# average most of it away, and in full mode the Gaussian denoiser only matches it there (in fast
# mode, with little training, its noisy inputs help more). The convolutional denoiser handles the
# heavy clipped noise far better than any dense model; the penalties cost a little clean accuracy
# and buy what they promise (small weights, half the parameters, sparse codes, an insensitive
# encoder). One surprise: the sparse AE's encoder is about as insensitive as the contractive one.
# That follows from the formula for $\lVert J \rVert_F$: a sigmoid unit that is almost always off has
# a tiny slope $h_l (1 - h_l)$, so a sparse code is also a contracted one. Measured:

# %%
for noise in ["dropout 0.5", f"masking {MASKING_Q}"]:
    column = f"{noise} → clean"
    checks.verify(table.loc[noise, column] < cfg.pick(full=0.9, fast=1.25) * table.loc["vanilla", column],
                  f"the {noise} denoiser beats the vanilla AE on {noise} noise (full mode: by at least 10 %)",
                  f"{table.loc[noise, column]:.4f} vs {table.loc['vanilla', column]:.4f}")

# %%
gaussian_column = "gaussian 0.2 → clean"
checks.verify(table.loc["gaussian 0.2", gaussian_column] < 1.1 * table.loc["vanilla", gaussian_column],
              "on mild Gaussian noise the Gaussian denoiser is at least about as good as the vanilla AE (within 10 %)",
              f"{table.loc['gaussian 0.2', gaussian_column]:.4f} vs {table.loc['vanilla', gaussian_column]:.4f}")

# %%
checks.verify(table["clipped 0.5 → clean"].idxmin() == "conv clipped 0.5",
              "the convolutional denoiser is the best model on the clipped noise",
              f"{table['clipped 0.5 → clean'].min():.4f}")
checks.verify(table["mean code activation"].drop("conv clipped 0.5").idxmin() == "sparse KL",
              "the sparse AE has the lowest mean code activation of the dense models")

# %%
jacobian_ranking = table["‖J‖_F"].dropna().sort_values()
checks.verify(set(jacobian_ranking.index[:2]) == {"contractive", "sparse KL"},
              "the contractive and the sparse AE have the two least sensitive encoders",
              ", ".join(f"{name} {value:.2f}" for name, value in jacobian_ranking.items()))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# ### Exercise 1: salt-and-pepper noise
#
# Another classic corruption sets a random fraction $q$ of the pixels to pure black **or** pure white.
# Write `salt_and_pepper(images, q, seed)` that makes `rng = np.random.default_rng(seed)`, draws
# `u = rng.random(images.shape)` once, and returns a float32 copy of `images` where pixels with
# $u < q/2$ become $0$ and pixels with $q/2 \le u < q$ become $1$ (all others unchanged).

# %% slideshow={"slide_type": "skip"} tags=["solution"]
def salt_and_pepper(images, q, seed):
    """Set a fraction q of the pixels to 0 or 1 (half each, on average)."""
    u = np.random.default_rng(seed).random(images.shape)
    corrupted = np.where(u < q / 2, 0.0, np.where(u < q, 1.0, images))
    return corrupted.astype("float32")


# %%
def _reference_salt_and_pepper(images, q, seed):
    u = np.random.default_rng(seed).random(images.shape)
    return np.select([u < q / 2, u < q], [0.0, 1.0], images).astype("float32")


checks.check_function("salt_and_pepper", salt_and_pepper, _reference_salt_and_pepper,
                      [(x_test[:5], 0.1, 0), (x_test[5:8], 0.5, 3), (np.full((2, 4), 0.5, dtype="float32"), 1.0, 7)],
                      hint="one uniform draw per pixel decides both whether it is corrupted and whether it turns black or white")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 2: which corruptions keep the average image?
#
# For which of the four corruptions of this notebook is the expected corrupted pixel equal to the
# clean pixel, $\mathbb{E}[\tilde{x}_j \mid x_j] = x_j$, for every $x_j \in [0, 1]$? Answer with a set
# of names taken from `{"gaussian", "dropout", "masking", "clipped"}`.
# *Hint:* think about what clipping does to a pixel that is exactly 0.

# %% slideshow={"slide_type": "skip"} tags=["solution"]
unbiased_corruptions = {"gaussian", "dropout"}

# %%
checks.check_choice("corruptions with E[x̃ | x] = x", unbiased_corruptions,
                    digest="405ecbd018d36b670cd2",
                    hint="masking keeps only a fraction 1 - q of each pixel on average; clipping a "
                         "black pixel can only make it brighter.")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 3: the sparsity penalty in NumPy
#
# Write `sparsity_penalty(codes, rho)`: given a batch of sigmoid codes of shape `(m, k)`, return
# $\sum_l \mathrm{KL}(\rho \,\Vert\, \hat{\rho}_l)$ where $\hat{\rho}_l$ is the mean of column $l$.
# (Assume every $\hat{\rho}_l$ lies strictly between 0 and 1.)

# %% slideshow={"slide_type": "skip"} tags=["solution"]
def sparsity_penalty(codes, rho):
    """Sum over units of KL(Bernoulli(rho) || Bernoulli(mean activation of the unit))."""
    rho_hat = codes.mean(axis=0)
    return float(np.sum(rho * np.log(rho / rho_hat) + (1 - rho) * np.log((1 - rho) / (1 - rho_hat))))


# %%
exercise_codes = np.random.default_rng(1).uniform(0.01, 0.99, size=(50, 8))
checks.check_function("sparsity_penalty", sparsity_penalty,
                      lambda codes, rho: float(kl_to_target(rho, codes.mean(axis=0)).sum()),
                      [(exercise_codes, 0.05), (exercise_codes ** 3, 0.2), (np.full((4, 3), 0.05), 0.05)],
                      rtol=1e-6, hint="the penalty compares each code unit's average activation over the batch with rho")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 4: the Jacobian of a sigmoid encoder
#
# Write `sigmoid_jacobian(x, W, b)` that returns the $k \times n$ matrix $J_{lj} = \partial h_l / \partial x_j$
# of $h = \sigma(x W + b)$ at one input `x` of shape `(n,)`, with `W` of shape `(n, k)` and `b` of shape
# `(k,)`. The check compares your matrix with central finite differences.

# %% slideshow={"slide_type": "skip"} tags=["solution"]
def sigmoid_jacobian(x, W, b):
    """∂h/∂x for h = sigmoid(x W + b): row l is h_l (1 - h_l) times column l of W."""
    h = 1.0 / (1.0 + np.exp(-(x @ W + b)))
    return (h * (1.0 - h))[:, None] * W.T


# %%
def _finite_difference_jacobian(x, W, b, step=1e-6):
    encode_one = lambda point: 1.0 / (1.0 + np.exp(-(point @ W + b)))
    return np.stack([(encode_one(x + step * e) - encode_one(x - step * e)) / (2 * step)
                     for e in np.eye(len(x))], axis=1)


exercise_rng = np.random.default_rng(2)
checks.check_function("sigmoid_jacobian", sigmoid_jacobian, _finite_difference_jacobian,
                      [(exercise_rng.normal(size=5), exercise_rng.normal(size=(5, 3)), exercise_rng.normal(size=3)),
                       (exercise_rng.normal(size=4), exercise_rng.normal(size=(4, 6)), np.zeros(6))],
                      rtol=1e-5, atol=1e-8, hint="differentiate the sigmoid, then use the chain rule; row i of J is the gradient of code unit i")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 5 (experiment): how much contraction does accuracy allow?
#
# The contractive penalty's weight $\lambda$ trades sensitivity for accuracy: $\lambda = 0$ is the
# vanilla AE, and a huge $\lambda$ gives an encoder that ignores its input and blurry
# reconstructions. Sweep $\lambda$ and find a model whose encoder is **at most half as sensitive**
# as the vanilla AE's (mean $\lVert J \rVert_F$ over the test images) while its test MSE on the
# clean images is **at most 1.5 times** the vanilla AE's.
#
# Training from scratch for every $\lambda$ would take minutes. Instead, build each model with
# `variant_autoencoder` and a `ContractiveDense` encoder, start it from the vanilla AE's trained
# weights (`model.set_weights(models["vanilla"].get_weights())`: the shapes match) and fine-tune it
# with the penalty for one epoch on `cfg.limit(10_000, fast=2_000)` training images (Adam, learning
# rate 0.01, batch size 32). Where to start the sweep, and how far apart to space the values, is
# part of the experiment. Compare the models on validation images (`jacobian_norms`,
# `reconstruct_images`), store the sweep as a DataFrame `contraction_sweep` (one row per
# $\lambda$) and the model you choose as `contracted_ae`. The check measures your model and the
# vanilla AE on the test images, with the closed form of $\lVert J \rVert_F$, after making sure by
# finite differences that the closed form applies to your encoder. (The week's contractive AE,
# trained from scratch, misses this target.)

# %% slideshow={"slide_type": "skip"} tags=["solution"]
FINE_TUNE_SETTINGS = dict(optimizer="Adam", learning_rate=1e-2, loss="mse", batch_size=32, epochs=1)
sweep_images, sweep_valid = x_train[:cfg.limit(10_000, fast=2_000)], x_valid[:2_000]


def contraction_numbers(model):
    """Mean ‖J‖_F and clean MSE of `model` on the sweep's validation images."""
    return (jacobian_norms(model, sweep_valid).mean(),
            metrics.reconstruction_mse(sweep_valid, reconstruct_images(model, sweep_valid)))


def fine_tuned_contractive(weight):
    """The vanilla AE, fine-tuned for one epoch with a contractive penalty of this weight."""
    keras.utils.set_random_seed(cfg.seed)
    model = variant_autoencoder(f"contractive_{weight:g}", encoder=ContractiveDense(N_CODE, weight, name="encoder"))
    model.set_weights(models["vanilla"].get_weights())
    training.compile_and_fit(model, sweep_images, sweep_images, settings=FINE_TUNE_SETTINGS,
                             epochs=FINE_TUNE_SETTINGS["epochs"])
    return model


sweep_models = {weight: fine_tuned_contractive(weight) for weight in (1e-4, 3e-4, 1e-3)}
vanilla_numbers = np.array(contraction_numbers(models["vanilla"]))
sweep_ratios = [np.array(contraction_numbers(model)) / vanilla_numbers for model in sweep_models.values()]
contraction_sweep = pd.DataFrame(sweep_ratios, index=pd.Index(list(sweep_models), name="λ"),
                                 columns=["‖J‖ / vanilla", "MSE / vanilla"])
within_target = contraction_sweep[(contraction_sweep["‖J‖ / vanilla"] <= 0.5)
                                  & (contraction_sweep["MSE / vanilla"] <= 1.5)]
contracted_ae = sweep_models[within_target["MSE / vanilla"].idxmin()]  # the most accurate model within the target
contraction_sweep.round(3)


# %%
def judge_contractive_tradeoff(model):
    """Mean ‖J‖_F and clean MSE on the test images against the vanilla AE's: at most 0.5 × and 1.5 × them."""
    image, nudges = x_test[1].astype("float64"), 1e-2 * np.eye(N_PIXELS)
    codes = encode(model, np.vstack([image + nudges, image - nudges]).astype("float32")).astype("float64")
    finite_norm = np.linalg.norm(codes[:N_PIXELS] - codes[N_PIXELS:]) / 2e-2
    closed_norm = jacobian_norms(model, x_test[1:2])[0]
    if not abs(finite_norm - closed_norm) <= 0.05 * closed_norm + 1e-3:
        raise ValueError(f"the closed form gives ‖J‖_F = {closed_norm:.3f}, finite differences {finite_norm:.3f}: "
                         "the layer named 'encoder' must be a sigmoid Dense layer that reads the pixels")
    pair = (model, models["vanilla"])
    sensitivity, vanilla_sensitivity = (jacobian_norms(m, x_test).mean() for m in pair)
    error, vanilla_error = (metrics.reconstruction_mse(x_test, reconstruct_images(m, x_test)) for m in pair)
    return sensitivity <= 0.5 * vanilla_sensitivity and error <= 1.5 * vanilla_error, (
        f"mean ‖J‖_F {sensitivity:.2f}, {sensitivity / vanilla_sensitivity:.2f} × the vanilla AE's "
        f"{vanilla_sensitivity:.2f} (target ≤ 0.5 ×); test MSE {error:.4f}, {error / vanilla_error:.2f} × its "
        f"{vanilla_error:.4f} (target ≤ 1.5 ×)")


checks.check_experiment("contractive penalty sweep", contracted_ae, judge_contractive_tradeoff,
                        hint="λ = 0 is the vanilla AE, and too large a λ blurs everything: space the λ by factors "
                             "of about 3, read the table, then refine between the two values that bracket the target")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 6 (experiment): a salt-and-pepper denoiser
#
# The vanilla AE already averages away some noise. How much better does an AE do that has been
# trained for salt-and-pepper noise? Train a dense AE on training images corrupted with your
# `salt_and_pepper` from Exercise 1, with $q = 0.5$ (a quarter of the pixels black, a quarter
# white), against the **clean** images as targets, and store it as `salt_pepper_denoiser`. Starting
# from the vanilla AE's weights and fine-tuning for one epoch on `cfg.limit(10_000, fast=2_000)`
# images is enough (Adam, learning rate 0.003, batch size 32).
#
# The check corrupts the test images the same way with its own seed, feeds them to your model and
# to the vanilla AE, and compares both outputs with the clean images: your MSE must be at most
# 0.65 times the vanilla AE's (in fast mode, after less training, 0.75 times). Would the Gaussian
# denoiser of this notebook pass?

# %% slideshow={"slide_type": "skip"} tags=["solution"]
keras.utils.set_random_seed(cfg.seed)
salt_pepper_clean = x_train[:cfg.limit(10_000, fast=2_000)]
salt_pepper_noisy = salt_and_pepper(salt_pepper_clean, 0.5, cfg.seed)
salt_pepper_denoiser = variant_autoencoder("salt_pepper_denoiser")
salt_pepper_denoiser.set_weights(models["vanilla"].get_weights())  # start from the trained vanilla AE
print(training.compile_and_fit(salt_pepper_denoiser, salt_pepper_noisy, salt_pepper_clean,  # noisy in, clean out
                               settings=dict(optimizer="Adam", learning_rate=3e-3, loss="mse", batch_size=32, epochs=1),
                               epochs=1))


# %%
def judge_salt_pepper_denoiser(model):
    """MSE to the clean test images from salt-and-pepper copies (q = 0.5, the check's seed) against the vanilla AE's."""
    u = np.random.default_rng(606).random(x_test.shape)
    noisy = np.select([u < 0.25, u < 0.5], [0.0, 1.0], x_test).astype("float32")
    error, vanilla_error = (denoise_and_score(m, noisy, x_test)[1] for m in (model, models["vanilla"]))
    bound = cfg.pick(full=0.65, fast=0.75)
    target = checks.times(bound, "the vanilla AE's")
    return error <= bound * vanilla_error, (f"test MSE from salt-and-pepper images {error:.4f}, "
                                            f"the vanilla AE's {vanilla_error:.4f} (target ≤ {target})")


checks.check_experiment("salt-and-pepper denoiser", salt_pepper_denoiser, judge_salt_pepper_denoiser,
                        hint="noisy images in, clean images out: a model that learns to reproduce its noisy input "
                             "keeps the white specks")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# - A denoising AE is trained on **noisy inputs** against **clean targets**. Noise layers
#   (`GaussianNoise`, `Dropout`, our `MaskingNoise`) corrupt only while training, so test images must
#   be corrupted explicitly — and scored against the clean ones, never "denoising" clean images.
# - Dropout is masking noise plus rescaling; masking noise zeroes pixels with probability $q$.
# - The convolutional denoiser brings very noisy digits many times closer to the clean images in
#   twelve short epochs; in full mode the checks above require a test MSE of at most 0.0100, below
#   the lecture's model's training loss after fifty epochs.
# - The first-layer weights $W_i / \lVert W_i \rVert$ are the inputs each unit likes best; denoising
#   changes what they look like.
# - Penalties are layers: weight decay is built in, tied weights reuse the encoder kernel, the KL
#   sparsity and the contractive penalty are a few lines of `keras.ops` with `add_loss`, so the same
#   code runs on TensorFlow, JAX or PyTorch.
#
# Previous: [Week 5 — Convolutional and recurrent autoencoders](05_conv_recurrent_autoencoders.ipynb).
# Next: [Week 7 — Recurrent networks and LSTM classifiers](07_lstm_classifiers.ipynb).
