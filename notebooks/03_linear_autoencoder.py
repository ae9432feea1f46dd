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
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/ml-course-lab/autoencoders-pca-lstm-keras/blob/main/notebooks/03_linear_autoencoder.ipynb)
#
# # Week 3 — The linear autoencoder is PCA
#
# An autoencoder is a network trained to give back its own input after squeezing it through a
# narrow layer, the *code*. This week we take it apart (encoder, code, decoder, output activation,
# loss) and then build the simplest one there is: one linear layer in, one linear layer out, squared
# error. We train it on a 3-D point cloud, on two iris measurements and on the 784 pixels of MNIST
# and find that gradient descent lands on what PCA computes in closed form: the same subspace and
# the same reconstruction error, and, with one more step, PCA's ordered axes. We then break the
# equivalence on purpose (a non-linear activation, a different loss) and watch the numbers move,
# and finally prove with the SVD why the equivalence holds, which choices it needs, and why
# gradient descent cannot get stuck on the way.
#
# **You will learn to**
# - name the parts of an autoencoder, and tell an under-complete from an over-complete one;
# - pick an output activation and a loss that suit the range of the data;
# - build and train a linear autoencoder in Keras with `fit`, and compare it with PCA by principal
#   angles and reconstruction error;
# - recover PCA's ordered axes from a trained linear decoder;
# - explain with the SVD why linear layers, squared error and centred data make the autoencoder
#   equal to PCA, and what changes when one of them is dropped;
# - count the parameters of a dense autoencoder by hand.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## Setup
#
# The usual first cell (seeds, plotting style, versions and mode), then what this notebook needs
# besides: Keras, pandas for the comparison table and scikit-learn's PCA as the reference.

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

from course_utils import metrics, training

NOTEBOOK = "03_linear_autoencoder"  # the name our results are recorded under

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. Anatomy of an autoencoder
#
# **Notation, for the whole notebook.** The data are $m$ samples of $n$ features, stacked as the
# **rows** of a matrix $X \in \mathbb{R}^{m \times n}$, which is also how Keras receives them (one
# row per sample). A code has $k$ numbers. The encoder's `Dense` kernel is $E \in \mathbb{R}^{n \times k}$
# with bias $\mathbf{b}_E$, the decoder's kernel is $D \in \mathbb{R}^{k \times n}$ with bias
# $\mathbf{b}_D$; so for one sample (a row vector $\mathbf{x}$) and for all of them at once
# $$\mathbf{h} = \sigma_E(\mathbf{x}E + \mathbf{b}_E) \in \mathbb{R}^{k}, \quad
# \tilde{\mathbf{x}} = \sigma_D(\mathbf{h}D + \mathbf{b}_D) \in \mathbb{R}^{n}; \qquad
# H = XE, \quad \tilde{X} = HD = XED \ \text{(linear, no biases)}.$$
# The letter $V$ (with $V_k$, its first $k$ columns) is kept for the SVD $X = U\Sigma V^\top$ in
# section 8. Averages over samples divide by $m$: the loss is a mean over the $m$ rows, and the
# covariance in the proof is $C = X^\top X / m$ for centred $X$. scikit-learn's
# `explained_variance_` divides by $m - 1$ instead (the unbiased estimate, as in week 1); the two
# differ by the constant factor $m/(m-1)$, which changes no eigenvector, no minimiser and no ratio of
# errors, so nothing below depends on the choice.
#
# An autoencoder has two halves joined at a narrow layer: the **encoder** $f$ maps an input to its
# **code** $\mathbf{h}$, the **decoder** $g$ maps the code back to a reconstruction
# $\tilde{\mathbf{x}}$. Training asks only that $\tilde{\mathbf{x}}$ be close to $\mathbf{x}$; no
# labels are involved. The interesting part is the code. When $k < n$ (**under-complete**) the
# network cannot simply pass the input through: it has to find the few directions that matter, which
# is what PCA does too. When $k \ge n$ (**over-complete**) nothing stops it from learning the
# identity map, which reconstructs perfectly and teaches us nothing (week 6 adds noise and penalties
# to make wide codes useful).

# %% slideshow={"slide_type": "subslide"}
def draw_autoencoder(layer_sizes, ax, title):
    """Draw a fully connected autoencoder as columns of units joined by their weights."""
    colours = ["tab:blue"] + ["tab:orange"] * (len(layer_sizes) - 2) + ["tab:green"]
    tallest = max(layer_sizes)
    positions = [np.linspace(-(size - 1) / 2, (size - 1) / 2, size) for size in layer_sizes]
    for column in range(len(layer_sizes) - 1):  # every weight is one line
        for y_from in positions[column]:
            for y_to in positions[column + 1]:
                ax.plot([column, column + 1], [y_from, y_to], color="0.8", linewidth=0.6, zorder=1)
    for column, (ys, colour) in enumerate(zip(positions, colours)):
        ax.scatter(np.full(len(ys), column), ys, s=160, color=colour, edgecolor="k", zorder=2)
    names = ["input $\\mathbf{x}$", "code $\\mathbf{h}$", "output $\\tilde{\\mathbf{x}}$"]
    for column, (name, size) in enumerate(zip(names, layer_sizes)):
        ax.text(column, -tallest / 2 - 0.9, f"{name}\n{size} units", ha="center", va="top")
    ax.text(0.5, tallest / 2 + 0.5, "encoder $f$\nkernel $E$, bias $\\mathbf{b}_E$", ha="center", color="tab:blue")
    ax.text(1.5, tallest / 2 + 0.5, "decoder $g$\nkernel $D$, bias $\\mathbf{b}_D$", ha="center", color="tab:green")
    ax.set_xlim(-0.5, len(layer_sizes) - 0.5)
    ax.set_ylim(-tallest / 2 - 2.4, tallest / 2 + 2.0)
    ax.set_title(title)
    ax.set_axis_off()


fig, axes = plt.subplots(1, 2, figsize=(10, 4.2))
draw_autoencoder([6, 2, 6], axes[0], "under-complete: code narrower than the input (k < n)")
draw_autoencoder([6, 8, 6], axes[1], "over-complete: code as wide or wider (k ≥ n)")
fig.tight_layout()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. The data: points near a tilted sheet
#
# Our first data set has three coordinates per point. The first two run along an arc; the third is
# a fixed tilt of the first two, $x_3 = w_1 x_1 + w_2 x_2$ with $w_1 = 0.1$, $w_2 = 0.3$, plus
# noise of standard deviation 0.1. So the points lie close to a plane in 3-D, and a 2-D code should
# describe them well. We take $m = 60$ points, as the lecture does (in both modes: the set is tiny),
# so $X$ is $60 \times 3$, and subtract the mean, for reasons section 8 will make clear.

# %%
sheet_raw = data.make_tilted_sheet(m=60, w1=0.1, w2=0.3, noise=0.1)
sheet = sheet_raw - sheet_raw.mean(axis=0)

pca_sheet = PCA(n_components=3).fit(sheet)
pca2_sheet = PCA(n_components=2).fit(sheet)
sheet_pca_codes = pca2_sheet.transform(sheet)
sheet_pca_mse = metrics.reconstruction_mse(sheet, pca2_sheet.inverse_transform(sheet_pca_codes))

# %% tags=["nbval-check-output"]
print("shape:", sheet.shape, "| value range:", sheet.min().round(2), "to", sheet.max().round(2))
print("share of variance per principal component:", pca_sheet.explained_variance_ratio_.round(3))
print(f"PCA with 2 components: reconstruction MSE {sheet_pca_mse:.5f}")

# %%
checks.verify(pca_sheet.explained_variance_ratio_[:2].sum() > 0.98,
              "two principal components hold more than 98 % of the sheet's variance",
              f"{pca_sheet.explained_variance_ratio_[:2].sum():.4f}")
variance_spread = pca_sheet.explained_variance_[0] / pca_sheet.explained_variance_[-1]
checks.verify(variance_spread > 80, "the variances along the first and last principal directions differ by more than 80×",
              f"{variance_spread:.0f}×")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. Choosing the output layer and the loss
#
# The decoder's last activation decides which values the network can output at all:
#
# | output activation | range | suits |
# |---|---|---|
# | linear, $\sigma(z) = z$ | $\mathbb{R}$ | real-valued data (here: centred coordinates) |
# | sigmoid, $1/(1+e^{-z})$ | $(0, 1)$ | data scaled to $[0, 1]$, e.g. pixel intensities |
# | tanh | $(-1, 1)$ | data scaled to $[-1, 1]$ |
# | ReLU, $\max(0, z)$ | $[0, \infty)$ | non-negative data |
#
# The loss should match. For real values the natural choice is the mean squared error. For values in
# $[0, 1]$ a sigmoid output is usually trained with **binary cross-entropy**,
# $-[x \log \tilde{x} + (1 - x) \log(1 - \tilde{x})]$ for each value. It is not only for 0/1 data:
# for any target $x \in [0, 1]$ it is smallest exactly at $\tilde{x} = x$, although that smallest
# value is the entropy of $x$, not zero. The next cell checks both facts on a grid, with Keras's own
# loss function.

# %%
predictions = np.linspace(0.001, 0.999, 999)
targets = [0.1, 0.5, 0.8]
bce_curves = {}
for target in targets:
    y_true = np.full((len(predictions), 1), target, dtype="float32")
    y_pred = predictions[:, None].astype("float32")
    bce_curves[target] = keras.ops.convert_to_numpy(keras.losses.binary_crossentropy(y_true, y_pred))

# %%
for target, curve in bce_curves.items():
    best = predictions[np.argmin(curve)]
    entropy = -(target * np.log(target) + (1 - target) * np.log(1 - target))
    checks.verify(abs(best - target) < 0.0015 and abs(curve.min() - entropy) < 1e-3,
                  f"BCE for target {target} is smallest at prediction {target}, with value H({target})",
                  f"minimum at {best:.3f}, value {curve.min():.4f} vs entropy {entropy:.4f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Left: the four activations, with the range our centred sheet data spans shaded. Sigmoid and ReLU
# cannot produce the negative half of it and tanh cannot reach beyond $\pm 1$. Right: binary
# cross-entropy as a function of the prediction, for three targets; each curve bottoms out at its
# target (dotted lines).

# %%
z = np.linspace(-3, 3, 301)
activations = {"linear": z, "ReLU": np.maximum(z, 0), "sigmoid": 1 / (1 + np.exp(-z)), "tanh": np.tanh(z)}
fig, axes = plt.subplots(1, 2, figsize=(10, 3.6))
axes[0].axhspan(sheet.min(), sheet.max(), color="0.9", label="range of the sheet data")
for name, values in activations.items():
    axes[0].plot(z, values, label=name)
axes[0].set(xlabel="pre-activation $z$", ylabel="output", ylim=(-3, 3), title="what the output layer can produce")
axes[0].legend(loc="upper left", fontsize=9)
for target, curve in bce_curves.items():
    line, = axes[1].plot(predictions, curve, label=f"target {target}")
    axes[1].axvline(target, color=line.get_color(), linestyle=":")
axes[1].set(xlabel="prediction $\\tilde{x}$", ylabel="binary cross-entropy", ylim=(0, 3), title="BCE is smallest at the target")
axes[1].legend(fontsize=9)
fig.tight_layout()

# %% [markdown]
# How much does a wrong output layer cost? Whatever the rest of the network does, an output confined
# to a range can do no better than clipping each target to that range. That floor is easy to compute.
# For sigmoid and ReLU, which lose the whole negative half, it is far above PCA's error; for tanh it
# is small, because only a few values pass $\pm 1$ (section 7 shows that tanh costs more in practice).

# %%
output_ranges = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0), "ReLU": (0.0, np.inf)}
output_floors = {name: metrics.reconstruction_mse(sheet, np.clip(sheet, low, high))
                 for name, (low, high) in output_ranges.items()}
for name, floor in output_floors.items():
    print(f"{name:>8} output: MSE at least {floor:.4f} = {floor / sheet_pca_mse:6.1f} × PCA's error")
checks.verify(min(output_floors["sigmoid"], output_floors["ReLU"]) > 10 * sheet_pca_mse,
              "sigmoid and ReLU outputs cannot come within a factor 10 of PCA's error on the centred sheet",
              f"sigmoid ≥ {output_floors['sigmoid'] / sheet_pca_mse:.1f}×, ReLU ≥ {output_floors['ReLU'] / sheet_pca_mse:.1f}×")
checks.verify(output_floors["tanh"] > 0, "tanh cannot reach the sheet's values beyond ±1 either",
              f"floor {output_floors['tanh'] / sheet_pca_mse:.2f}× PCA's error")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4. A linear autoencoder on the sheet
#
# The encoder is one `Dense(2)` layer and the decoder one `Dense(3)` layer, both without activation
# (linear), and the loss is the mean squared error. We keep encoder and decoder as separate models so
# that we can read the codes and the decoder's kernel $D$ afterwards.

# %%
def make_linear_autoencoder(n_inputs, code_size, seed):
    """Encoder Dense(code_size) and decoder Dense(n_inputs), both linear, joined into one model."""
    keras.utils.set_random_seed(seed)
    encoder = keras.Sequential([keras.Input(shape=(n_inputs,)), keras.layers.Dense(code_size, name="code")], name="encoder")
    decoder = keras.Sequential([keras.Input(shape=(code_size,)), keras.layers.Dense(n_inputs, name="reconstruction")], name="decoder")
    autoencoder = keras.Sequential([encoder, decoder], name="linear_autoencoder")
    return encoder, decoder, autoencoder


sheet_encoder, sheet_decoder, sheet_autoencoder = make_linear_autoencoder(n_inputs=3, code_size=2, seed=cfg.seed)
sheet_autoencoder.summary()

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Plain gradient descent, and momentum
#
# With 60 points we use the whole set as one batch (`batch_size=60`), so each epoch is one exact
# gradient step. The lecture takes plain SGD with learning rate 1.5. The loss surface is badly
# conditioned here: the sheet's variance along its last principal direction is about a hundredth of
# that along its first (section 2), and a step small enough for the steep directions is short for
# the flat ones. Momentum keeps a running sum of past steps, so it builds up speed in the directions
# the gradient keeps pointing to. We train the course's recipe (SGD at 0.3 with momentum 0.9) and the
# lecture's plain SGD at 1.5 from the same initial weights, and record the first epoch at which each
# training loss comes within 1 % of PCA's error.

# %% tags=["parameters"]
SHEET_SETTINGS = dict(optimizer="SGD", learning_rate=0.3, momentum=0.9, loss="mse", batch_size=60, epochs=300)
PLAIN_SGD_SETTINGS = dict(optimizer="SGD", learning_rate=1.5, loss="mse", batch_size=60, epochs=300)

# %%
sheet_epochs = SHEET_SETTINGS["epochs"]  # 300 one-batch steps take seconds, so fast mode trains as long
sheet_run = training.compile_and_fit(sheet_autoencoder, sheet, sheet, settings=SHEET_SETTINGS, epochs=sheet_epochs)
print(sheet_run)
_, plain_decoder, plain_autoencoder = make_linear_autoencoder(n_inputs=3, code_size=2, seed=cfg.seed)  # the same start
plain_run = training.compile_and_fit(plain_autoencoder, sheet, sheet, settings=PLAIN_SGD_SETTINGS,
                                     epochs=PLAIN_SGD_SETTINGS["epochs"])
print(plain_run)

# %% [markdown]
# `fit` returns the loss of every epoch in its `History`; `plotting.plot_history` draws it, here
# with PCA's error as the floor and the plain-SGD run added on the same (logarithmic) axes.

# %%
fig = plotting.plot_history(sheet_run.history, reference={"loss": (sheet_pca_mse, "PCA-2 (the optimum)")},
                            title="linear autoencoder on the sheet")
# extra code – add the lecture's plain SGD to the same panel, on a log scale
ax = fig.axes[0]
ax.lines[0].set_label("SGD 0.3, momentum 0.9 (ours)")
ax.plot(np.arange(1, len(plain_run.history["loss"]) + 1), plain_run.history["loss"], label="plain SGD 1.5 (lecture)")
ax.set_yscale("log")
ax.legend();


# %%
def first_epoch_within(losses, optimum, tolerance=0.01):
    """The first epoch (counted from 1) whose loss is within ``tolerance`` of ``optimum``; None if none is."""
    close = np.flatnonzero(np.asarray(losses) <= (1 + tolerance) * optimum)
    return int(close[0]) + 1 if close.size else None


momentum_epoch = first_epoch_within(sheet_run.history["loss"], sheet_pca_mse)
plain_epoch = first_epoch_within(plain_run.history["loss"], sheet_pca_mse)
for name, epoch in [("SGD 0.3 with momentum 0.9", momentum_epoch), ("plain SGD 1.5", plain_epoch)]:
    print(f"{name}: within 1 % of PCA's error " + (f"from epoch {epoch}" if epoch else f"not within {plain_run.epochs} epochs"))
checks.verify(momentum_epoch is not None and (plain_epoch is None or momentum_epoch < plain_epoch),
              "momentum comes within 1 % of PCA's error in fewer epochs than plain SGD at 1.5",
              f"momentum {momentum_epoch}, plain {plain_epoch}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **A hand-written loop for the small experiments.** The runs of sections 4 (below) and 7 train the
# same tiny model many times. For those we call `train_on_batch` in a loop: one call is one step,
# that is one epoch here. `fit` computes exactly these steps, but at every epoch it also does its
# own bookkeeping (a fresh pass over the data, callbacks, logs), which on a 60-point batch can cost
# more than the step itself. Two cells below check that both compute the same weights and losses,
# and print the time per epoch of each on this machine and backend.
#
# One detail of the bookkeeping: the loss `train_on_batch` returns is the running mean of Keras's
# loss metric, which some Keras versions reset at every call and others only when told to. Calling
# `model.reset_metrics()` before each step makes it this step's loss on every version.

# %%
def train_full_batch(model, x, epochs):
    """Train the compiled ``model`` to reproduce ``x`` with one full-batch step per epoch.

    Returns a ``training.TrainingRun``: the losses (``run.history["loss"]``, each computed before
    that epoch's update, as ``fit`` reports it) and the epoch timer (``run.timer``).
    """
    timer = training.EpochTimer()  # a Keras callback; we call its two hooks ourselves
    losses = []
    for epoch in range(epochs):
        timer.on_epoch_begin(epoch)
        model.reset_metrics()  # so that the loss below is this step's, not a mean over earlier steps
        losses.append(float(model.train_on_batch(x, x, return_dict=True)["loss"]))
        timer.on_epoch_end(epoch)
    return training.TrainingRun(model, {"loss": losses}, timer, settings=None, epochs=epochs, batch_size=len(x))


# %%
_, _, with_fit = make_linear_autoencoder(n_inputs=3, code_size=2, seed=cfg.seed)
_, _, with_loop = make_linear_autoencoder(n_inputs=3, code_size=2, seed=cfg.seed)
for model in (with_fit, with_loop):
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.3, momentum=0.9), loss="mse")
fit_timer, loop_epochs = training.EpochTimer(), 5
fit_losses = with_fit.fit(sheet, sheet, epochs=loop_epochs, batch_size=len(sheet), verbose=0,
                          callbacks=[fit_timer]).history["loss"]
loop_run = train_full_batch(with_loop, sheet, loop_epochs)
print(f"one epoch: fit {1000 * fit_timer.seconds_per_epoch:.1f} ms, train_on_batch {1000 * loop_run.timer.seconds_per_epoch:.1f} ms")

# %%
largest_gap = max(np.abs(a - b).max() for a, b in zip(with_fit.get_weights(), with_loop.get_weights()))
checks.verify(largest_gap < 1e-5, "5 epochs of fit and 5 train_on_batch steps end at the same weights",
              f"largest weight difference {largest_gap:.1e}")
checks.verify(np.allclose(fit_losses, loop_run.history["loss"], rtol=1e-5), "and record the same loss for each epoch")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **One start, or any start?** The race above began from one draw of the initial weights. With the
# loop we can rerun it cheaply from five other draws: each is trained both ways for 300 epochs, and
# we compare where the loss ends, as a multiple of PCA's error (1 is the optimum). A run whose loss
# overflows is reported as diverged: plain SGD at 1.5 is close to the largest step this problem
# tolerates, and an unlucky start can push it over.

# %%
def final_loss_ratio(make_optimizer, seed, epochs=300):
    """Training loss after ``epochs`` full-batch steps from draw ``seed``, over PCA's error (inf if it diverged)."""
    _, _, autoencoder = make_linear_autoencoder(n_inputs=3, code_size=2, seed=seed)
    autoencoder.compile(optimizer=make_optimizer(), loss="mse")
    final_loss = train_full_batch(autoencoder, sheet, epochs).history["loss"][-1]
    return final_loss / sheet_pca_mse if np.isfinite(final_loss) else np.inf


race_optimizers = {"momentum": lambda: keras.optimizers.SGD(learning_rate=0.3, momentum=0.9),
                   "plain SGD 1.5": lambda: keras.optimizers.SGD(learning_rate=1.5)}
race_seeds = [cfg.seed + offset for offset in range(1, 6)]
race = pd.DataFrame({name: [final_loss_ratio(make, seed) for seed in race_seeds] for name, make in race_optimizers.items()},
                    index=pd.Index(race_seeds, name="initial draw"))
race.round(4).replace(np.inf, "diverged")

# %%
checks.verify((race["momentum"] < race["plain SGD 1.5"]).all(),
              "from every one of the five other draws, momentum ends closer to PCA's error than plain SGD",
              f"worst momentum ratio {race['momentum'].max():.4f}, best plain {race['plain SGD 1.5'].min():.4f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Two numbers say whether the autoencoder found PCA:
#
# 1. **Principal angles** between the plane the decoder can produce and PCA's top-2 plane, both
#    taken as planes through the origin. A reconstruction is $\mathbf{h}D + \mathbf{b}_D$, a
#    combination of the two rows of the $2 \times 3$ kernel $D$, so the decoder's plane is spanned by
#    the rows of $D$ (the columns of $D^\top$). If the planes coincide, every angle is 0°.
# 2. The **ratio of reconstruction errors**, autoencoder over PCA. PCA's reconstruction is the best
#    any rank-2 linear (or affine) map can do on these data (section 8 proves it), so the ratio cannot
#    go below 1; if the autoencoder is as good as PCA it is 1. This is the model trained with
#    momentum; the plain-SGD model's numbers are printed beside it.

# %%
sheet_reconstruction = keras.ops.convert_to_numpy(sheet_autoencoder(sheet))  # call the model on the whole set
sheet_ae_mse = metrics.reconstruction_mse(sheet, sheet_reconstruction)
decoder_directions = keras.ops.convert_to_numpy(sheet_decoder.get_layer("reconstruction").kernel).T  # Dᵀ, 3 × 2
sheet_angles = checks.principal_angles_degrees(decoder_directions, pca2_sheet.components_.T)
sheet_ratio = sheet_ae_mse / sheet_pca_mse
plain_ratio = metrics.reconstruction_mse(sheet, keras.ops.convert_to_numpy(plain_autoencoder(sheet))) / sheet_pca_mse
plain_angle = checks.principal_angles_degrees(keras.ops.convert_to_numpy(plain_decoder.get_layer("reconstruction").kernel).T,
                                              pca2_sheet.components_.T).max()
print(f"principal angles: {np.round(sheet_angles, 4)}°")
print(f"reconstruction MSE: autoencoder {sheet_ae_mse:.6f}, PCA {sheet_pca_mse:.6f}, ratio {sheet_ratio:.5f}")
print(f"plain SGD after {plain_run.epochs} epochs: ratio {plain_ratio:.4f}, largest angle {plain_angle:.2f}°")

# %%
MAX_ANGLE, MAX_RATIO = 1.0, 1.01
checks.verify(sheet_angles.max() < MAX_ANGLE, f"the decoder spans PCA's top-2 plane (largest principal angle below {MAX_ANGLE}°)",
              f"{sheet_angles.max():.3f}°")
checks.verify(1 - 1e-4 <= sheet_ratio <= MAX_RATIO, f"the autoencoder's reconstruction error matches PCA's (ratio at most {MAX_RATIO})",
              f"ratio {sheet_ratio:.5f}")
training.record_result(NOTEBOOK, "linear_ae_tilted_sheet", sheet_run, data="tilted sheet", code_size=2, train_mse=sheet_ae_mse,
                       pca_mse=sheet_pca_mse, mse_ratio=sheet_ratio, max_angle_degrees=float(sheet_angles.max()))

# %% [markdown] slideshow={"slide_type": "subslide"}
# The picture. Each point is coloured by where it sits along the arc (its angle in PCA's plane), so
# the same point has the same colour in all three panels. Left: the data with the plane the decoder
# spans. Middle: the autoencoder's 2-D codes. Right: PCA's projection.

# %%
arc_position = np.arctan2(sheet_pca_codes[:, 1], sheet_pca_codes[:, 0])
sheet_codes = keras.ops.convert_to_numpy(sheet_encoder(sheet))

# %%
# extra code – draws the data with the decoder's plane, the codes, and PCA's projection
fig = plt.figure(figsize=(13, 4))
ax3d = fig.add_subplot(1, 3, 1, projection="3d")
ax3d.scatter(*sheet.T, c=arc_position, cmap="viridis", s=8)
grid = np.linspace(-1.5, 1.5, 2)
plane_u, plane_v = np.meshgrid(grid, grid)
decoder_bias = keras.ops.convert_to_numpy(sheet_decoder.get_layer("reconstruction").bias)
plane = decoder_bias[:, None, None] + decoder_directions[:, :1, None] * plane_u + decoder_directions[:, 1:, None] * plane_v
ax3d.plot_surface(*plane, alpha=0.2, color="tab:orange")
ax3d.set(xlabel="$x_1$", ylabel="$x_2$", zlabel="$x_3$", title="data and the decoder's plane")
ax_ae = fig.add_subplot(1, 3, 2)
ax_ae.scatter(sheet_codes[:, 0], sheet_codes[:, 1], c=arc_position, cmap="viridis", s=8)
ax_ae.set(xlabel="$h_1$", ylabel="$h_2$", title="linear autoencoder: codes")
ax_pca = fig.add_subplot(1, 3, 3)
ax_pca.scatter(sheet_pca_codes[:, 0], sheet_pca_codes[:, 1], c=arc_position, cmap="viridis", s=8)
ax_pca.set(xlabel="PC 1", ylabel="PC 2", title="PCA: projection")
for ax in (ax_ae, ax_pca):
    ax.set_aspect("equal", adjustable="datalim")
fig.tight_layout()

# %% [markdown]
# The two scatter plots show the same arc, but turned, stretched or mirrored. That is expected:
# the loss only sees the product of encoder and decoder, and any invertible $2 \times 2$ matrix
# $G$ can be slipped in between ($E \to EG$, $D \to G^{-1}D$) without changing a single
# reconstruction. So the autoencoder learns PCA's *plane*, not PCA's axes (section 6 shows how to
# read the axes back out). In numbers: the codes are an affine image of PCA's codes (a least-squares
# fit explains them almost perfectly), while nothing makes the rows of $D$ orthonormal, as principal
# directions are: their lengths are far from 1.

# %%
design = np.column_stack([sheet_pca_codes, np.ones(len(sheet))])
affine_map, *_ = np.linalg.lstsq(design, sheet_codes, rcond=None)
residual = sheet_codes - design @ affine_map
code_r2 = 1 - residual.var() / sheet_codes.var()
row_lengths = np.linalg.norm(decoder_directions, axis=0)
row_angle = np.degrees(np.arccos(decoder_directions[:, 0] @ decoder_directions[:, 1] / np.prod(row_lengths)))
print(f"rows of D: lengths {row_lengths.round(3)}, angle between them {row_angle:.1f}°")
checks.verify(code_r2 > 0.999,
              "the autoencoder's codes are an affine map of PCA's codes", f"R² = {code_r2:.5f}")
checks.verify(np.abs(row_lengths - 1).max() > 0.1, "the rows of D are not PCA's unit-length axes",
              f"lengths {row_lengths.round(3)}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### And an over-complete one?
#
# Give the same network a code of 4 units for 3 inputs. Now nothing has to be thrown away: the
# product of encoder and decoder can become the identity matrix and the error can drop to (almost)
# zero, far below PCA's 2-component error. A perfect copy, and a useless code.

# %%
_, _, wide_autoencoder = make_linear_autoencoder(n_inputs=3, code_size=4, seed=cfg.seed)
wide_autoencoder.compile(optimizer=keras.optimizers.SGD(learning_rate=0.3, momentum=0.9), loss="mse")
train_full_batch(wide_autoencoder, sheet, sheet_epochs)
wide_mse = metrics.reconstruction_mse(sheet, keras.ops.convert_to_numpy(wide_autoencoder(sheet)))
encoder_kernel, _, decoder_kernel, _ = [keras.ops.convert_to_numpy(weight) for weight in wide_autoencoder.weights]
identity_gap = np.abs(encoder_kernel @ decoder_kernel - np.eye(3)).max()
print(f"over-complete MSE {wide_mse:.2e} vs PCA-2 {sheet_pca_mse:.2e}; largest entry of E D - I: {identity_gap:.3f}")

# %%
wide_ratio_limit, identity_limit = 0.01, 0.05
checks.verify(wide_mse < wide_ratio_limit * sheet_pca_mse,
              "the over-complete linear autoencoder's error is below " + checks.times(wide_ratio_limit, "PCA-2's"),
              f"MSE ratio {wide_mse / sheet_pca_mse:.4f}")
checks.verify(identity_gap < identity_limit, f"its encoder × decoder is close to the identity matrix (no entry off by {identity_limit} or more)",
              f"largest deviation {identity_gap:.3f}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5. The same on iris, with a (2, 1, 2) network
#
# Two measurements of the 150 iris flowers, sepal width and petal length (in cm), centred. The
# network has 2 inputs, a **single** code unit and 2 outputs, so it must pick one direction in the
# plane: PCA's first principal component, if the equivalence holds. We watch the training loss
# epoch by epoch against PCA's error, the best any such network can reach.

# %%
iris = data.load_iris()
iris_columns = [iris.feature_names.index("sepal width (cm)"), iris.feature_names.index("petal length (cm)")]
iris_raw = iris.X[:, iris_columns]
iris_xy = iris_raw - iris_raw.mean(axis=0)
pca_iris = PCA(n_components=1).fit(iris_xy)
iris_pca_mse = metrics.reconstruction_mse(iris_xy, pca_iris.inverse_transform(pca_iris.transform(iris_xy)))

# %% tags=["parameters"]
IRIS_SETTINGS = dict(optimizer="SGD", learning_rate=0.1, momentum=0.9, loss="mse", batch_size=150, epochs=300)

# %%
iris_encoder, iris_decoder, iris_autoencoder = make_linear_autoencoder(n_inputs=2, code_size=1, seed=cfg.seed)
iris_epochs = IRIS_SETTINGS["epochs"]
iris_run = training.compile_and_fit(iris_autoencoder, iris_xy, iris_xy, settings=IRIS_SETTINGS, epochs=iris_epochs)
print(iris_run)

# %% [markdown] slideshow={"slide_type": "subslide"}
# Left: the training loss per epoch (log scale) falls onto PCA's error, drawn as a horizontal line;
# momentum makes it overshoot and bounce at first. Right: how far above PCA's error the loss still is,
# relative to it. It keeps shrinking until it reaches the precision of 32-bit floats (about
# $10^{-7}$), where the curve turns into noise.

# %%
epoch_numbers = np.arange(1, iris_epochs + 1)
iris_losses = np.array(iris_run.history["loss"])
fig, axes = plt.subplots(1, 2, figsize=(10, 3.6))
axes[0].plot(epoch_numbers, iris_losses, label="autoencoder (training loss)")
axes[0].axhline(iris_pca_mse, color="k", linestyle=":", label="PCA (the optimum)")
axes[0].set(yscale="log", xlabel="epoch", ylabel="MSE", title="(2, 1, 2) linear autoencoder on iris")
axes[0].legend()
axes[1].plot(epoch_numbers, np.maximum(iris_losses / iris_pca_mse - 1, 1e-9))
axes[1].set(yscale="log", xlabel="epoch", ylabel="loss / PCA's error − 1", title="distance to PCA's error")
fig.tight_layout()

# %%
final_excess = np.abs(iris_losses[-10:] / iris_pca_mse - 1).max()
excess_limit = 1e-5
checks.verify(final_excess < excess_limit, f"over the last 10 epochs the loss stays within {excess_limit:g} of PCA's error (relative)",
              f"largest relative difference {final_excess:.1e}")

# %%
iris_reconstruction = keras.ops.convert_to_numpy(iris_autoencoder(iris_xy))
iris_ae_mse = metrics.reconstruction_mse(iris_xy, iris_reconstruction)
iris_direction = keras.ops.convert_to_numpy(iris_decoder.get_layer("reconstruction").kernel).T  # 2 × 1
iris_angle = checks.principal_angles_degrees(iris_direction, pca_iris.components_.T).max()
iris_ratio = iris_ae_mse / iris_pca_mse
print(f"angle to PC 1: {iris_angle:.4f}°; MSE autoencoder {iris_ae_mse:.5f}, PCA {iris_pca_mse:.5f}, ratio {iris_ratio:.5f}")
checks.verify(iris_angle < MAX_ANGLE, f"the code direction is PCA's first component (within {MAX_ANGLE}°)", f"{iris_angle:.3f}°")
checks.verify(1 - 1e-4 <= iris_ratio <= MAX_RATIO, f"the iris autoencoder's error matches PCA's (ratio at most {MAX_RATIO})",
              f"ratio {iris_ratio:.5f}")
training.record_result(NOTEBOOK, "linear_ae_iris_212", iris_run, code_size=1, train_mse=iris_ae_mse,
                       pca_mse=iris_pca_mse, mse_ratio=iris_ratio, max_angle_degrees=float(iris_angle))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The lecture's network has 4 parameters, ours 7
#
# Our (2, 1, 2) network has $2 \cdot 1 + 1 = 3$ encoder parameters and $1 \cdot 2 + 2 = 4$ decoder
# parameters, 7 in all, and it sees centred measurements. The lecture's (2, 1, 2) network has only
# the two kernels, $2 + 2 = 4$ weights and no biases, and it reads the raw measurements in cm. Its
# "same model as PCA" needs one of the two things ours has. A bias-free linear network maps
# $\mathbf{0}$ to $\mathbf{0}$, so its reconstructions lie on a line through the origin, and the best
# such line for the raw data is the truncated SVD of the *uncentred* matrix (Eckart–Young, section
# 8). The iris cloud sits far from the origin (means of about 3 cm and 3.8 cm), so that line is
# pulled towards the mean instead of running along the spread. The cell computes this best possible
# bias-free fit directly, with no training: however long the lecture's network trains, it cannot
# do better (exercise 6 trains it).

# %%
lecture_iris = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1, use_bias=False), keras.layers.Dense(2, use_bias=False)])
U_raw, s_raw, Vt_raw = np.linalg.svd(iris_raw, full_matrices=False)
best_uncentred = (U_raw[:, :1] * s_raw[:1]) @ Vt_raw[:1]  # best rank-1 fit through the origin
uncentred_ratio = metrics.reconstruction_mse(iris_raw, best_uncentred) / iris_pca_mse
uncentred_angle = checks.principal_angles_degrees(Vt_raw[:1].T, pca_iris.components_.T).max()
print(f"parameters: ours {iris_autoencoder.count_params()}, the lecture's {lecture_iris.count_params()}")
print(f"best bias-free (2, 1, 2) network on raw iris: MSE {uncentred_ratio:.1f} × PCA's; its line is {uncentred_angle:.1f}° off PC 1")
checks.verify(uncentred_ratio > 1.5, "without centring (or biases) the best (2, 1, 2) network is far worse than PCA", f"ratio {uncentred_ratio:.2f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# In the plane of the two measurements: every flower (grey) is replaced by its reconstruction, which
# lies on one line. The autoencoder's reconstructions (orange) sit on PCA's line (dashed). On the
# right, the single code unit against the first principal component score (coloured by species): a
# straight line, as the $G$ argument above predicts (here $G$ is just a number).

# %%
iris_codes = keras.ops.convert_to_numpy(iris_encoder(iris_xy))[:, 0]
iris_scores = pca_iris.transform(iris_xy)[:, 0]
fig, axes = plt.subplots(1, 2, figsize=(10, 4))
axes[0].scatter(*iris_xy.T, s=10, color="0.6", label="flowers (centred)")
axes[0].scatter(*iris_reconstruction.T, s=10, color="tab:orange", label="autoencoder reconstruction")
line = np.outer(np.linspace(-4, 4, 2), pca_iris.components_[0])
axes[0].plot(*line.T, "k--", linewidth=1, label="PCA's first component")
axes[0].set(xlabel="sepal width − mean (cm)", ylabel="petal length − mean (cm)", title="reconstructions lie on PCA's line")
axes[0].set_aspect("equal", adjustable="datalim")
axes[0].legend(fontsize=9, loc="lower right")
axes[1].scatter(iris_scores, iris_codes, s=10, c=iris.y, cmap="tab10", vmax=9)
axes[1].set(xlabel="PC 1 score", ylabel="code $h$", title="the code is a rescaled PC 1 score")
fig.tight_layout()

# %%
code_correlation = abs(np.corrcoef(iris_codes, iris_scores)[0, 1])
checks.verify(code_correlation > 0.999, "the 1-D code is a linear function of the PC 1 score", f"|r| = {code_correlation:.6f}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 6. Real, high-dimensional data: MNIST with a 16-number code
#
# Three and two features are easy. Does the equivalence survive $n = 784$ features? Take the MNIST
# training images as rows of $X$ ($m = 55\,000$ images of $28 \times 28$ pixels in full mode, the
# committed sample in fast mode), subtract the mean image as PCA does, and train a linear
# $784 \to 16 \to 784$ autoencoder with `fit`. Adam with a cosine-decaying learning rate gets
# there in a few epochs; any optimiser would do, only more slowly.

# %%
mnist = data.load_mnist()
mnist_train = data.flatten_images(mnist.x_train)
mnist_mean = mnist_train.mean(axis=0)
mnist_centred = mnist_train - mnist_mean
mnist_k = 16
pca16_mnist = PCA(n_components=mnist_k, random_state=cfg.seed).fit(mnist_centred)
mnist_pca_mse = metrics.reconstruction_mse(mnist_centred, pca16_mnist.inverse_transform(pca16_mnist.transform(mnist_centred)))
print(f"X is {mnist_centred.shape[0]} × {mnist_centred.shape[1]}; PCA-16's training MSE {mnist_pca_mse:.5f}")

# %% tags=["parameters"]
MNIST_SETTINGS = dict(optimizer="Adam", learning_rate=3e-3, schedule="cosine", loss="mse", batch_size=256, epochs=15)

# %%
mnist_encoder, mnist_decoder, mnist_autoencoder = make_linear_autoencoder(n_inputs=784, code_size=mnist_k, seed=cfg.seed)
mnist_run = training.compile_and_fit(mnist_autoencoder, mnist_centred, mnist_centred, settings=MNIST_SETTINGS,
                                     epochs=MNIST_SETTINGS["epochs"], batch_size=cfg.pick(full=256, fast=32))
print(mnist_run)

# %%
fig = plotting.plot_history(mnist_run.history, reference={"loss": (mnist_pca_mse, "PCA-16 (training images)")},
                            title="linear autoencoder 784-16-784 on MNIST")

# %% [markdown]
# The same two numbers as on the sheet: the error ratio on the training images, and the 16 principal
# angles between the decoder's subspace (the row space of its $16 \times 784$ kernel $D$) and
# PCA-16's.

# %%
mnist_reconstruction = mnist_autoencoder.predict(mnist_centred, batch_size=4096, verbose=0)
mnist_ratio = metrics.reconstruction_mse(mnist_centred, mnist_reconstruction) / mnist_pca_mse
mnist_kernel = keras.ops.convert_to_numpy(mnist_decoder.get_layer("reconstruction").kernel)  # D, 16 × 784
mnist_angles = checks.principal_angles_degrees(mnist_kernel.T, pca16_mnist.components_.T)
print(f"MSE ratio to PCA-16: {mnist_ratio:.4f}; principal angles from {mnist_angles.min():.2f}° to {mnist_angles.max():.2f}°")

# %%
MNIST_MAX_RATIO, MNIST_MAX_ANGLE = cfg.pick(full=(1.001, 2.0), fast=(1.01, 10.0))  # fast: 5 500 images, a smaller eigen-gap at k = 16
checks.verify(1 - 1e-4 <= mnist_ratio <= MNIST_MAX_RATIO,
              f"on MNIST the linear autoencoder reaches PCA-16's training error (ratio at most {MNIST_MAX_RATIO})", f"ratio {mnist_ratio:.5f}")
checks.verify(mnist_angles.max() < MNIST_MAX_ANGLE,
              f"its decoder spans PCA-16's subspace (largest of 16 principal angles below {MNIST_MAX_ANGLE}°)", f"{mnist_angles.max():.3f}°")

# %% [markdown]
# On the test images, which neither method saw, the two errors agree as well:

# %%
mnist_test = data.flatten_images(mnist.x_test) - mnist_mean  # centred with the training mean
mnist_test_mse = metrics.reconstruction_mse(mnist_test, mnist_autoencoder.predict(mnist_test, batch_size=4096, verbose=0))
mnist_pca_test_mse = metrics.reconstruction_mse(mnist_test, pca16_mnist.inverse_transform(pca16_mnist.transform(mnist_test)))
print(f"test MSE: autoencoder {mnist_test_mse:.5f}, PCA-16 {mnist_pca_test_mse:.5f}, ratio {mnist_test_mse / mnist_pca_test_mse:.4f}")
training.record_result(NOTEBOOK, "linear_ae_mnist_16", mnist_run, data="MNIST", code_size=mnist_k, test_mse=mnist_test_mse,
                       pca_mse=mnist_pca_test_mse, max_angle_degrees=float(mnist_angles.max()))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Reading PCA's ordered axes back out of the decoder
#
# The subspace is PCA's, but the rows of $D$ are not PCA's axes: any invertible $G$ can mix them
# (section 4). The axes can still be recovered after training, without refitting PCA. The centred
# reconstructions are $\tilde{X}_c = H_c D$, where $H_c$ are the centred codes, so their covariance
# is $D^\top C_H D$ with $C_H = H_c^\top H_c / m$ the codes' covariance. If the autoencoder is PCA,
# the reconstructions are the projections of the data onto PCA's subspace, whose covariance is
# $V_k \Lambda_k V_k^\top$. So factor $C_H = L L^\top$ (Cholesky) and take the SVD of $L^\top D$:
# its right singular vectors are PCA's axes, ordered by their singular values, whose squares are
# PCA's variances $\lambda_1 \ge \dots \ge \lambda_k$ (with $1/m$, section 1). The mixing $G$ cancels.

# %%
mnist_codes = mnist_encoder.predict(mnist_centred, batch_size=4096, verbose=0).astype(float)
centred_codes = mnist_codes - mnist_codes.mean(axis=0)
code_factor = np.linalg.cholesky(centred_codes.T @ centred_codes / len(centred_codes))  # C_H = L Lᵀ
_, recovered_spread, recovered_axes = np.linalg.svd(code_factor.T @ mnist_kernel, full_matrices=False)
axis_angles = np.array([checks.principal_angles_degrees(recovered_axes[i:i + 1].T, pca16_mnist.components_[i:i + 1].T)[0]
                        for i in range(mnist_k)])
pca_variances = pca16_mnist.explained_variance_ * (len(mnist_centred) - 1) / len(mnist_centred)  # 1/m, as C_H
print("angle of each recovered axis to PCA's (°):", axis_angles.round(2))
print("recovered variance / PCA's:", (recovered_spread ** 2 / pca_variances).round(3))

# %%
MNIST_MAX_AXIS_ANGLE = cfg.pick(full=2.0, fast=10.0)
checks.verify(axis_angles.max() < MNIST_MAX_AXIS_ANGLE,
              f"the decoder and the codes' covariance give back PCA's 16 axes in order (each within {MNIST_MAX_AXIS_ANGLE}°)",
              f"largest angle {axis_angles.max():.3f}° (axis {axis_angles.argmax() + 1})")

# %% [markdown]
# The first recovered axes, drawn as images beside PCA's components (an axis is defined up to its
# sign, so each is flipped to agree with PCA's):

# %%
signs = np.sign(np.sum(recovered_axes * pca16_mnist.components_, axis=1))
shown = np.concatenate([pca16_mnist.components_[:8], signs[:8, None] * recovered_axes[:8]])
fig = plotting.plot_images(shown.reshape(-1, 28, 28), n_cols=8, value_range=None,
                           titles=[f"PCA {i + 1}" for i in range(8)] + [f"AE {i + 1}" for i in range(8)])

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 7. Breaking the equivalence
#
# Change one ingredient at a time and train the sheet autoencoder again, with everything else as
# before: a `tanh` on the code, a sigmoid or tanh on the output, or the mean *absolute* error as the
# loss. Then measure, always by squared error (the yardstick PCA optimises), four numbers that say
# *how* each one misses PCA:
#
# - the error ratio to PCA, as before;
# - the largest angle between PCA's plane and the plane that best fits the reconstructions;
# - the share of the reconstructions' variance that lies *off* that plane (zero if the decoder's
#   output is a flat plane, larger if it bends);
# - the error over the error of the orthogonal projection onto that same plane (1 if each point is
#   reconstructed by its nearest point of the plane, larger if not).
#
# One change to the training recipe, applied to every variant alike: the absolute error's gradient
# has the same size however close the fit is, so at a constant learning rate the weights keep
# jumping around the optimum. Dividing the learning rate by 10 for the last fifth of the epochs lets
# every model settle. The first row (the linear autoencoder again) shows that this recipe still
# finds PCA.

# %%
def describe_reconstruction(x, reconstruction, pca_plane, pca_mse):
    """How a reconstruction of centred ``x`` compares with PCA's: four numbers (see the text)."""
    mse = metrics.reconstruction_mse(x, reconstruction)
    centre = reconstruction.mean(axis=0)
    _, spread, directions = np.linalg.svd(reconstruction - centre, full_matrices=False)
    plane = directions[:2].T  # the reconstructions' best-fitting plane, 3 × 2
    projected = centre + (x - centre) @ plane @ plane.T
    return {"MSE / PCA's MSE": mse / pca_mse,
            "largest angle (°)": checks.principal_angles_degrees(plane, pca_plane).max(),
            "variance off the plane": spread[2] ** 2 / np.sum(spread ** 2),
            "MSE / projection's MSE": mse / metrics.reconstruction_mse(x, projected)}


# %%
def train_sheet_variant(code_activation=None, output_activation=None, loss="mse"):
    """Train a 3-2-3 autoencoder on the centred sheet and describe its reconstruction."""
    keras.utils.set_random_seed(cfg.seed)
    encoder = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2, activation=code_activation)])
    decoder = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(3, activation=output_activation)])
    autoencoder = keras.Sequential([encoder, decoder])
    # one full-batch step per epoch, so steps = epochs: 0.3 for 80 % of them, then 0.03
    learning_rate = keras.optimizers.schedules.PiecewiseConstantDecay([int(0.8 * sheet_epochs)], [0.3, 0.03])
    autoencoder.compile(optimizer=keras.optimizers.SGD(learning_rate=learning_rate, momentum=0.9), loss=loss)
    train_full_batch(autoencoder, sheet, sheet_epochs)
    reconstruction = keras.ops.convert_to_numpy(autoencoder(sheet)).astype(float)
    return describe_reconstruction(sheet, reconstruction, pca2_sheet.components_.T, sheet_pca_mse)


# %%
variants = {
    "linear, MSE (as in section 4)": {},
    "tanh code": {"code_activation": "tanh"},
    "sigmoid output": {"output_activation": "sigmoid"},
    "tanh output": {"output_activation": "tanh"},
    "mean absolute error loss": {"loss": "mae"},
}
variant_table = pd.DataFrame({name: train_sheet_variant(**settings) for name, settings in variants.items()}).T
variant_table.round({"MSE / PCA's MSE": 4, "largest angle (°)": 2, "variance off the plane": 6, "MSE / projection's MSE": 4})

# %% [markdown]
# Every change moves the error away from PCA's, each in its own way. The bounded outputs are the
# worst offenders, and no training can rescue them: each one's error stays above the clipping floor
# computed in section 3 (ReLU, not trained here, has nearly the sigmoid's floor), and a tanh output
# puts part of the reconstructions' variance off any plane, where a linear decoder puts none (to
# float32 precision): it bends the decoder's plane. The `tanh` code and the absolute-error loss keep
# the reconstructions on a plane (a linear decoder cannot do otherwise), but the points on it are no
# longer the orthogonal projections of the data (last column above 1): the squashing code cannot
# place them there, and the absolute error does not ask for them. For the tanh code, whose plane is
# PCA's, that misplacement is nearly all of its extra error; the absolute error also tilts its plane
# a little away from PCA's (second column).

# %%
linear_ratio = variant_table.loc["linear, MSE (as in section 4)", "MSE / PCA's MSE"]
checks.verify(linear_ratio <= MAX_RATIO, f"the linear MSE autoencoder matches PCA (ratio at most {MAX_RATIO})", f"ratio {linear_ratio:.4f}")
for name in list(variants)[1:]:
    ratio = variant_table.loc[name, "MSE / PCA's MSE"]
    checks.verify(ratio > 1.01, f"{name}: the error misses the 1.01 target the linear model meets", f"ratio {ratio:.3f} > 1.01")
for name in ["sigmoid", "tanh"]:
    ratio = variant_table.loc[f"{name} output", "MSE / PCA's MSE"]
    floor = output_floors[name] / sheet_pca_mse
    checks.verify(ratio >= floor * (1 - 1e-3), f"{name} output stays above its clipping floor", f"{ratio:.2f} ≥ {floor:.2f}")

# %%
off_plane = variant_table["variance off the plane"]
flat = off_plane[["linear, MSE (as in section 4)", "tanh code", "mean absolute error loss"]].max()
checks.verify(off_plane["tanh output"] > 1e-5 > 1e-8 > flat,
              "a tanh output bends the reconstructions off a plane; with a linear decoder they stay on one (to float32 precision)",
              f"share of variance off the plane: tanh output {off_plane['tanh output']:.1e}, linear decoders at most {flat:.1e}")
for name in ["tanh code", "mean absolute error loss"]:
    excess = variant_table.loc[name, "MSE / projection's MSE"]
    checks.verify(excess > 1.01, f"{name}: the reconstructions are not the orthogonal projections onto their plane",
                  f"MSE {excess:.3f} × the projection's")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 8. Why it works: a proof with the SVD
#
# **Set-up.** Let $X \in \mathbb{R}^{m \times n}$ be the data with each column's mean subtracted
# (rows are samples, as in section 1), so that its covariance matrix is $C = X^\top X / m$. Take a
# linear encoder and a linear decoder without biases: the codes are $H = XE$ and the reconstructions
# $\tilde{X} = HD = XED$. Keras's MSE averages the squared errors over all $m \times n$ entries, so
# the loss is
# $$L(E, D) = \tfrac{1}{mn} \lVert X - XED \rVert_F^2 = \tfrac{1}{mn} \sum_{i,j} \big(X - XED\big)_{ij}^2 .$$
# A constant factor changes no minimiser, so below we minimise $\lVert X - XED \rVert_F^2$. (The
# lecture divides $X$ by $\sqrt{m}$ so that $X^\top X$ is $C$ itself: the same constant, moved into
# the data.)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Step 1 — a linear decoder caps the rank.** $XED$ is a product through a $k$-wide layer, so its
# rank is at most $k$, whatever $E$ and $D$ are. Hence
# $$L(E, D) \;\ge\; \min_{\operatorname{rank} Y \le k} \lVert X - Y \rVert_F^2 .$$
#
# **Step 2 — squared error makes this an SVD problem.** Write $X = U \Sigma V^\top$ with singular
# values $\sigma_1 \ge \sigma_2 \ge \dots$. The Eckart–Young–Mirsky theorem says the closest matrix
# of rank $\le k$ in the Frobenius norm is the truncated SVD
# $Y^\star = U_k \Sigma_k V_k^\top$ (first $k$ columns of $U$ and $V$, top-left $k \times k$ block of
# $\Sigma$), and the smallest error is $\sum_{i > k} \sigma_i^2$.
#
# **Step 3 — a linear encoder reaches the bound.** Choose $E = V_k$ and $D = V_k^\top$. Since
# $V^\top V_k$ is the identity's first $k$ columns,
# $$XED = U \Sigma V^\top V_k V_k^\top = U_k \Sigma_k V_k^\top = Y^\star ,$$
# so these weights are optimal, and the codes are $H = X V_k = U_k \Sigma_k$.
#
# **Step 4 — this is PCA.** $C = X^\top X / m = V (\Sigma^2 / m) V^\top$, so the columns of $V$
# are the eigenvectors of the covariance matrix, sorted by eigenvalue $\sigma_i^2 / m$: the
# principal directions. $H = XV_k$ are the principal component scores, and $XV_kV_k^\top$ is PCA's
# rank-$k$ reconstruction. (scikit-learn reports the eigenvalues as $\sigma_i^2 / (m - 1)$; same
# vectors, as section 1 said.)
#
# **Step 5 — but not only PCA's axes.** For any invertible $k \times k$ matrix $G$, the pair
# $E = V_k G$, $D = G^{-1} V_k^\top$ gives the same product and the same loss, so the optimum is a
# whole family of weights: the autoencoder finds PCA's subspace, with axes of its own. That is why
# we compared subspaces (principal angles), not weights.
#
# **Step 6 — why gradient descent finds it.** Steps 1–5 describe the global optimum; they do not say
# that training reaches it, since the loss is not convex in $(E, D)$. Baldi and Hornik (1989, *Neural
# Networks* 2, 53–58) proved that it has no spurious local minima: when the covariance's eigenvalues
# are distinct, every local minimum of this loss is a global one (the family of step 5), and every
# other critical point (a subspace spanned by any other $k$ eigenvectors) is a saddle point, from
# which almost every small perturbation leads downhill. So the loss cannot trap gradient descent in
# a wrong local minimum; what it can do is slow it down near a saddle or in a badly conditioned
# valley (section 4's plain SGD).

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Which choices did the proof use?**
#
# | choice | where it is needed |
# |---|---|
# | linear decoder | step 1: the reconstructions form a matrix of rank $\le k$ (a non-linear decoder can bend them onto a curved surface) |
# | squared-error loss | step 2: Eckart–Young is a statement about the Frobenius norm; another loss has another minimiser |
# | linear encoder | step 3: the optimal codes $XV_kG$ are a linear function of the input; a squashing activation cannot produce them everywhere |
# | centred inputs (or biases that can learn the mean) | set-up: without it the best rank-$k$ fit is a subspace through the origin, not PCA's plane through the mean (section 5 measured the cost on iris) |
#
# Now the same steps with numbers, on the sheet. The weights come straight from `np.linalg.svd`; no
# training is involved.

# %%
m, k = len(sheet_raw), 2
U, singular_values, Vt = np.linalg.svd(sheet, full_matrices=False)  # sheet: the centred data
svd_encoder = Vt[:k].T          # E = V_k, 3 × 2
svd_decoder = Vt[:k]            # D = V_kᵀ, 2 × 3
svd_reconstruction = sheet_raw.mean(axis=0) + sheet @ svd_encoder @ svd_decoder
pca_reconstruction = pca2_sheet.inverse_transform(sheet_pca_codes) + sheet_raw.mean(axis=0)

# %%
print("singular values:", singular_values.round(4), "| squared / m:", (singular_values ** 2 / m).round(4))
print("eigenvalues of C = XᵀX/m:", np.sort(np.linalg.eigvalsh(sheet.T @ sheet / m))[::-1].round(4))
print("scikit-learn's explained_variance_ (1/(m-1)):", pca_sheet.explained_variance_.round(4))
checks.verify(np.allclose(singular_values ** 2 / (m - 1), pca_sheet.explained_variance_),
              "scikit-learn's variances are the squared singular values over m - 1")
checks.verify(np.allclose(np.linalg.norm(sheet - sheet @ svd_encoder @ svd_decoder) ** 2, np.sum(singular_values[k:] ** 2)),
              "the error of the SVD weights is the sum of the discarded squared singular values")
checks.verify(np.abs(svd_reconstruction - pca_reconstruction).max() < 1e-10,
              "the SVD encoder/decoder reproduce PCA's reconstruction", f"largest difference {np.abs(svd_reconstruction - pca_reconstruction).max():.1e}")

# %% [markdown]
# The same weights in a Keras model (biases switched off, inputs centred), and with an arbitrary
# invertible $G$ slipped between encoder and decoder:

# %%
svd_model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(k, use_bias=False), keras.layers.Dense(3, use_bias=False)])
svd_model.set_weights([svd_encoder, svd_decoder])
keras_reconstruction = keras.ops.convert_to_numpy(svd_model(sheet)) + sheet_raw.mean(axis=0)

mixing = np.random.default_rng(cfg.seed).normal(size=(k, k))  # almost surely invertible
svd_model.set_weights([svd_encoder @ mixing, np.linalg.inv(mixing) @ svd_decoder])
mixed_reconstruction = keras.ops.convert_to_numpy(svd_model(sheet)) + sheet_raw.mean(axis=0)

checks.verify(np.abs(keras_reconstruction - pca_reconstruction).max() < 1e-5,
              "a Keras model with the SVD weights reconstructs like PCA (to float32 precision)")
checks.verify(np.abs(mixed_reconstruction - pca_reconstruction).max() < 1e-5,
              "inserting an invertible G between encoder and decoder changes nothing")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 9. Exercises
#
# ### Exercise 1: which choices make an autoencoder equal PCA?
#
# Pick every option that is **needed** for the optimal autoencoder to reconstruct exactly like PCA
# with the same number of components, and store the letters as a set in `needed_choices`:
#
# (a) a linear encoder  (b) a linear decoder  (c) the squared-error loss
# (d) centred inputs, or biases that can learn the mean  (e) a sigmoid output layer
# (f) the binary cross-entropy loss  (g) a code as wide as the input  (h) the Adam optimiser

# %% slideshow={"slide_type": "skip"} tags=["solution"]
needed_choices = {"a", "b", "c", "d"}

# %%
checks.check_choice("choices that make the autoencoder PCA", needed_choices, digest="a63f02d3d7b9f5e71afb",
                    hint="go through the table after the proof; the optimiser only decides how fast you get there.");

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 2: counting parameters
#
# A dense autoencoder for data with $n = 100$ features has layers of $(100, 10, 2, 10, 100)$ units
# (the lecture's exam question asks for the count without biases; the count with biases is ours).
# Write `count_parameters(layer_sizes, use_bias)` that returns the number of trainable numbers of a
# chain of `Dense` layers with these widths (each layer of $u_{\text{out}}$ units fed by
# $u_{\text{in}}$ has a $u_{\text{in}} \times u_{\text{out}}$ weight matrix, plus $u_{\text{out}}$
# biases if `use_bias`). Then store the count for the $(100, 10, 2, 10, 100)$ network without biases
# in `params_without_bias` and with biases in `params_with_bias`. The check builds the Keras models
# and compares with `model.count_params()`.

# %% slideshow={"slide_type": "skip"} tags=["solution"]
def count_parameters(layer_sizes, use_bias):
    """Number of weights (and biases if use_bias) in a chain of Dense layers of these widths."""
    pairs = zip(layer_sizes[:-1], layer_sizes[1:])
    return sum(n_in * n_out + (n_out if use_bias else 0) for n_in, n_out in pairs)


params_without_bias = count_parameters((100, 10, 2, 10, 100), use_bias=False)
params_with_bias = count_parameters((100, 10, 2, 10, 100), use_bias=True)


# %%
def keras_parameter_count(layer_sizes, use_bias):
    """Build the chain of Dense layers in Keras and let it count."""
    layers = [keras.layers.Dense(units, use_bias=use_bias) for units in layer_sizes[1:]]
    return keras.Sequential([keras.Input(shape=(layer_sizes[0],)), *layers]).count_params()


checks.check_function("count_parameters", count_parameters, keras_parameter_count,
                      [((100, 10, 2, 10, 100), False), ((100, 10, 2, 10, 100), True), ((3, 2, 3), True),
                       ((2, 1, 2), False), ((784, 100, 30, 100, 784), True), ((5, 3), True), ((4, 7, 2), True)],
                      hint="sum n_in * n_out over consecutive pairs of layers, plus n_out per layer for the biases.")
checks.check_value("parameters without biases", params_without_bias, keras_parameter_count((100, 10, 2, 10, 100), False))
checks.check_value("parameters with biases", params_with_bias, keras_parameter_count((100, 10, 2, 10, 100), True));

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 3: the optimal linear autoencoder without training
#
# Write `svd_autoencoder_reconstruction(X, k)`: centre `X`, take its SVD, use $E = V_k$ as the
# encoder and $D = V_k^\top$ as the decoder, and return the reconstruction of `X` in the original
# units (add the mean back). The check compares it with scikit-learn's PCA on several data sets.

# %% slideshow={"slide_type": "skip"} tags=["solution"]
def svd_autoencoder_reconstruction(X, k):
    """Reconstruct X through the optimal k-unit linear autoencoder built from the SVD."""
    mean = X.mean(axis=0)
    _, _, vt = np.linalg.svd(X - mean, full_matrices=False)
    encoder, decoder = vt[:k].T, vt[:k]
    return mean + (X - mean) @ encoder @ decoder


# %%
def pca_reconstruction_reference(X, k):
    """PCA with k components, fitted on X, applied to X."""
    pca = PCA(n_components=k).fit(X)
    return pca.inverse_transform(pca.transform(X))


random_cloud = np.random.default_rng(1).normal(size=(50, 5)) @ np.random.default_rng(2).normal(size=(5, 5)) + 3.0
checks.check_function("svd_autoencoder_reconstruction", svd_autoencoder_reconstruction, pca_reconstruction_reference,
                      [(sheet_raw, 1), (sheet_raw, 2), (iris.X, 2), (random_cloud, 3)], rtol=1e-6, atol=1e-8,
                      hint="centre first, and add the mean back at the end; check whether the SVD hands you V or its transpose.");

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 4: output layer and loss
#
# For each data set choose the output activation and loss, from (a) linear output + MSE,
# (b) sigmoid output + binary cross-entropy, (c) ReLU output + MSE, (d) tanh output + binary
# cross-entropy.
#
# 1. MNIST images with pixels scaled to $[0, 1]$ → `choice_pixels`.
# 2. The centred sheet of this notebook, when you want the autoencoder to match PCA → `choice_sheet`.
#
# Finally, store in `cannot_fit_sheet` the set of output activations (from `"linear"`, `"sigmoid"`,
# `"tanh"`, `"relu"`) that can never reproduce every value of the centred sheet.

# %% slideshow={"slide_type": "skip"} tags=["solution"]
choice_pixels = "b"
choice_sheet = "a"
cannot_fit_sheet = {"sigmoid", "tanh", "relu"}

# %%
checks.check_choice("output for pixels in [0, 1]", choice_pixels, digest="16fb31d46e7d99e6fc9b", hint="which activation's range is (0, 1)?")
checks.check_choice("output for the centred sheet", choice_sheet, digest="bbce609a9ef281817bcc",
                    hint="the proof needs a linear decoder and squared error.")
checks.check_choice("activations that cannot reproduce the sheet", cannot_fit_sheet,
                    {name.lower() for name, floor in output_floors.items() if floor > 0},
                    hint="compare each range with the sheet's values (section 3 printed them).");

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 5 (experiment): your own linear autoencoder on all of iris
#
# Now all four iris measurements, **standardised**: subtract each column's mean and divide by its
# standard deviation, as `StandardScaler` does (week 2). Build a linear $4 \to 2 \to 4$
# autoencoder, train it on these standardised measurements with a recipe of your choice
# (optimiser, learning rate, number of epochs) and store the trained `keras.Model` in
# `iris4_autoencoder`.
#
# The check feeds it the standardised measurements and measures the two numbers of section 4:
# the ratio of its reconstruction error to that of PCA with 2 components, and the largest
# principal angle between the plane its reconstructions span and PCA's plane. Target: a ratio
# from 1 to 1.01 and an angle below 1°. The recipes above are a place to start, not a guarantee:
# watch the loss, and change what you need.

# %% slideshow={"slide_type": "skip"} tags=["solution"]
iris4 = (iris.X - iris.X.mean(axis=0)) / iris.X.std(axis=0)
iris4_autoencoder = make_linear_autoencoder(n_inputs=4, code_size=2, seed=cfg.seed)[2]
iris4_autoencoder.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1, momentum=0.9), loss="mse")
iris4_run = train_full_batch(iris4_autoencoder, iris4, cfg.epochs(300, fast=200))
print(f"final training loss {iris4_run.history['loss'][-1]:.5f}")


# %%
def judge_iris4_linear_autoencoder(model):
    """Reconstruct the standardised iris measurements; the target is PCA-2's error (ratio 1 to 1.01) and plane (within 1°)."""
    features = (iris.X - iris.X.mean(axis=0)) / iris.X.std(axis=0)
    reconstruction = np.asarray(keras.ops.convert_to_numpy(model(features)), dtype=float)
    pca = PCA(n_components=2).fit(features)
    pca_mse = metrics.reconstruction_mse(features, pca.inverse_transform(pca.transform(features)))
    ratio = metrics.reconstruction_mse(features, reconstruction) / pca_mse
    spanned = np.linalg.svd(reconstruction - reconstruction.mean(axis=0))[2][:2].T  # the reconstructions' top-2 directions
    angle = checks.principal_angles_degrees(spanned, pca.components_.T).max()
    measured = f"MSE {ratio:.4f} × PCA-2's, largest angle to PCA's plane {angle:.2f}°"
    if ratio < 1 - 1e-3:
        measured += " (below PCA-2's, which no linear 2-number code can do: is the code 2 units wide?)"
    return 1 - 1e-3 <= ratio <= 1.01 and angle < 1.0, measured


checks.check_experiment("linear autoencoder on standardised iris", iris4_autoencoder, judge_iris4_linear_autoencoder,
                        hint="no activations, a 2-unit code, squared error, then train until the loss stops falling; "
                             "a loss that turns into nan means the learning rate is too large, one that crawls too small.");

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 6 (experiment): what the biases are for
#
# Sections 5 and 8 claimed two things about data that are **not** centred: biases can learn the mean, and a
# network without biases stays far from PCA however well it is trained. Test both by training.
# Take the two raw measurements of section 5, `iris_raw` (sepal width and petal length in cm, not
# centred), and train two $(2, 1, 2)$ linear autoencoders on them: one with biases (the `Dense`
# default) and one with `use_bias=False` in both layers. Store them as
# `raw_iris_models = {"with_bias": ..., "without_bias": ...}`.
#
# The check feeds both models the raw measurements. Targets: with biases, an error within 2 % of
# PCA-1's (PCA centres the data itself); without biases, a model that maps $\mathbf{0}$ to
# $\mathbf{0}$ and whose error is within 2 % of the best that any bias-free $(2, 1, 2)$ linear
# network can reach (the truncated SVD of the raw data, section 5). Read the two ratios the check
# prints side by side. Expect raw data to be harder to train on than centred data: a learning rate
# that worked in section 5 may not work here.

# %% slideshow={"slide_type": "skip"} tags=["solution"]
raw_iris_models = {}
for name, use_bias in [("with_bias", True), ("without_bias", False)]:
    keras.utils.set_random_seed(cfg.seed)
    raw_model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1, use_bias=use_bias),
                                  keras.layers.Dense(2, use_bias=use_bias)], name=f"raw_iris_{name}")
    raw_model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.95), loss="mse")
    train_full_batch(raw_model, iris_raw, cfg.epochs(500, fast=400))
    raw_iris_models[name] = raw_model


# %%
def judge_raw_iris_bias_experiment(models):
    """Reconstruct the raw iris measurements: with biases the target is PCA-1's error (within 2 %),
    without biases an output of 0 at 0 and the best bias-free error (within 2 %)."""
    raw = iris.X[:, iris_columns]
    pca = PCA(n_components=1).fit(raw)
    pca_mse = metrics.reconstruction_mse(raw, pca.inverse_transform(pca.transform(raw)))
    u, s, vt = np.linalg.svd(raw, full_matrices=False)
    best_bias_free_mse = metrics.reconstruction_mse(raw, (u[:, :1] * s[:1]) @ vt[:1])  # best line through the origin
    errors = {key: metrics.reconstruction_mse(raw, keras.ops.convert_to_numpy(models[key](raw))) for key in ("with_bias", "without_bias")}
    at_origin = float(np.abs(keras.ops.convert_to_numpy(models["without_bias"](np.zeros((1, 2))))).max())
    with_ratio, without_ratio = errors["with_bias"] / pca_mse, errors["without_bias"] / best_bias_free_mse
    passed = 1 - 1e-3 <= with_ratio <= 1.02 and 1 - 1e-3 <= without_ratio <= 1.02 and at_origin < 1e-6
    return passed, (f"with biases: MSE {with_ratio:.3f} × PCA-1's; without: {errors['without_bias'] / pca_mse:.2f} × PCA-1's, "
                    f"that is {without_ratio:.3f} × the best bias-free network's, and output {at_origin:.1e} at 0")


checks.check_experiment("biases on raw iris", raw_iris_models, judge_raw_iris_bias_experiment,
                        hint="train both on iris_raw itself; if a loss turns into nan, lower the learning rate and "
                             "train for more epochs; only the second model gets use_bias=False.");

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# - An autoencoder = encoder → code → decoder, trained to reproduce its input. Under-complete codes
#   force a summary; over-complete ones can learn the identity (we saw the error vanish).
# - The output activation must cover the data's range (linear for real values, sigmoid for
#   $[0, 1]$), and the loss should fit it (MSE for real values, binary cross-entropy for $[0, 1]$).
# - A linear encoder, a linear decoder, squared error and centred inputs (or biases) make the optimal
#   autoencoder PCA: measured here by principal angles and error ratios on the sheet, on iris and on
#   MNIST with 16 codes. The SVD proof shows why, and that only the subspace, not the axes, is fixed;
#   the axes come back from the decoder and the codes' covariance.
# - Baldi and Hornik: the linear autoencoder's loss has no spurious local minima (every local
#   minimum is global, other critical points are saddles), so training only has to be patient:
#   momentum got there in far fewer epochs than the lecture's plain SGD.
# - The lecture's bias-free (2, 1, 2) network on raw iris cannot equal PCA: its best is the
#   truncated SVD of the uncentred data, far worse than PCA.
# - Change any ingredient (activation, loss, centring) and the numbers move away from PCA's.
#
# Previous: [Week 2 — PCA with scikit-learn and beyond](02_pca_scikit_learn.ipynb).
# Next: [Week 4 — Deep (stacked) autoencoders](04_deep_autoencoders.ipynb), where non-linear layers
# finally do better than PCA.
