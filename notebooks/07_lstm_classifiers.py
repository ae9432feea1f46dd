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
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/ml-course-lab/autoencoders-pca-lstm-keras/blob/main/notebooks/07_lstm_classifiers.ipynb)
#
# # Week 7 — Recurrent networks and LSTM classifiers
#
# A recurrent network reads its input one piece at a time and carries a state from one step to the
# next. This week we see why the plain recurrent network forgets (its gradients vanish or explode),
# how the gates of a long short-term memory (LSTM) cell fix that, and we write the LSTM forward pass
# in NumPy until it agrees with Keras to the fifth decimal. Then we treat every MNIST digit as a
# sequence of 28 rows, train an LSTM classifier to better than 98.5 % test accuracy, look at what it
# gets wrong, and compare it with a GRU, a stacked LSTM, a bidirectional LSTM and a plain dense network.
# Last, a synthetic task that needs a memory of 50 steps shows the simple RNN's forgetting at work.
#
# **You will learn to**
# - explain vanishing and exploding gradients in a simple RNN, and measure them;
# - write down the LSTM and GRU equations and count their parameters by hand;
# - run an LSTM step by step in NumPy with the weights of a `keras.layers.LSTM` (gate order included);
# - train, evaluate and diagnose a sequence classifier (learning curves, confusion matrix, errors);
# - choose between LSTM, GRU, stacked and bidirectional layers, keeping the fast cuDNN kernels usable.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## Setup
#
# The same set-up cell as in every notebook, followed by what this week needs.

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
import matplotlib.pyplot as plt
import pandas as pd
from sklearn import metrics as sk_metrics

import keras
from course_utils import training

NOTEBOOK = "07_lstm_classifiers"
mnist = data.load_mnist()
print(mnist)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. A simple RNN, and why it forgets
#
# A simple recurrent layer keeps a hidden state $\mathbf h_t$ and updates it from the new input
# $\mathbf x_t$ with the same weights at every step:
#
# $$\mathbf h_t = \tanh\left(W \mathbf x_t + U \mathbf h_{t-1} + \mathbf b\right).$$
#
# Training needs the gradient of the loss with respect to early states. By the chain rule it passes
# through one Jacobian per step,
#
# $$\frac{\partial \mathbf h_T}{\partial \mathbf h_0} = \prod_{t=T}^{1} \operatorname{diag}\!\left(1 - \mathbf h_t^2\right) U ,$$
#
# a product of $T$ matrices. When $U$ shrinks vectors (largest singular value below one) the product
# goes to zero exponentially fast — **vanishing gradients**, the network cannot learn that something
# early matters later. When $U$ stretches vectors it can blow up — **exploding gradients**. Let us
# measure it on real sequences: the 28 rows of MNIST digits fed to a random 64-unit RNN whose
# recurrent matrix is a rotation scaled by $\rho$ (so all its singular values equal $\rho$).

# %%
def simple_rnn_jacobian_norms(sequence, kernel, recurrent_kernel):
    """Spectral norm of d h_t / d h_0 after each step of a tanh RNN (row-vector convention)."""
    state = np.zeros(recurrent_kernel.shape[0])
    jacobian = np.eye(recurrent_kernel.shape[0])
    norms = []
    for x_t in sequence:
        state = np.tanh(x_t @ kernel + state @ recurrent_kernel)
        # d h_t / d h_{t-1} = diag(1 - h_t^2) U^T, because the state multiplies U from the left
        jacobian = (1.0 - state**2)[:, None] * recurrent_kernel.T @ jacobian
        norms.append(np.linalg.norm(jacobian, ord=2))
    return np.array(norms)


rng = np.random.default_rng(cfg.seed)
n_units = 64
rotation, _ = np.linalg.qr(rng.normal(size=(n_units, n_units)))        # an orthogonal matrix
input_kernel = rng.normal(scale=np.sqrt(2 / (28 + n_units)), size=(28, n_units))
digits_for_rnn = mnist.x_test[:20]
gradient_norms = {
    rho: np.median([simple_rnn_jacobian_norms(digit, input_kernel, rho * rotation) for digit in digits_for_rnn], axis=0)
    for rho in (0.5, 0.9, 1.0, 1.5)
}

fig, ax = plt.subplots(figsize=(6.5, 3.8))
for rho, norms in gradient_norms.items():
    ax.semilogy(np.arange(1, 29), norms, "o-", markersize=3, label=rf"$\rho = {rho}$")
ax.set_xlabel("time step t (image row)")
ax.set_ylabel(r"$\|\partial h_t / \partial h_0\|_2$ (median of 20 digits)")
ax.set_title("Gradients through a simple RNN vanish or explode")
ax.legend()
fig.tight_layout()

# %%
last = {rho: norms[-1] for rho, norms in gradient_norms.items()}
checks.verify(last[0.5] < 1e-6, "with rho = 0.5 the gradient after 28 steps has shrunk a million-fold",
              f"norm {last[0.5]:.1e}")
checks.verify(last[1.5] > 10, "with rho = 1.5 it grows instead", f"norm {last[1.5]:.1f}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. The LSTM cell
#
# Hochreiter and Schmidhuber's LSTM (1997, with the forget gate added by Gers et al. in 1999) keeps
# two states: a **cell state** $\mathbf c_t$, the long-term memory, and a **hidden state**
# $\mathbf h_t$, the short-term memory and the layer's output. Three sigmoid gates, each a vector of
# numbers between 0 and 1, decide what flows where:
#
# | | LSTM | GRU (Keras default, `reset_after=True`) |
# |---|---|---|
# | gate 1 | forget: $\mathbf f_t = \sigma(W_f\mathbf x_t + U_f\mathbf h_{t-1} + \mathbf b_f)$ | update: $\mathbf z_t = \sigma(W_z\mathbf x_t + U_z\mathbf h_{t-1} + \mathbf b_z)$ |
# | gate 2 | input: $\mathbf i_t = \sigma(W_i\mathbf x_t + U_i\mathbf h_{t-1} + \mathbf b_i)$ | reset: $\mathbf r_t = \sigma(W_r\mathbf x_t + U_r\mathbf h_{t-1} + \mathbf b_r)$ |
# | candidate | $\mathbf g_t = \tanh(W_g\mathbf x_t + U_g\mathbf h_{t-1} + \mathbf b_g)$ | $\tilde{\mathbf h}_t = \tanh\big(W_h\mathbf x_t + \mathbf b_h + \mathbf r_t \odot (U_h\mathbf h_{t-1} + \mathbf b'_h)\big)$ |
# | gate 3 | output: $\mathbf o_t = \sigma(W_o\mathbf x_t + U_o\mathbf h_{t-1} + \mathbf b_o)$ | — |
# | memory | $\mathbf c_t = \mathbf f_t \odot \mathbf c_{t-1} + \mathbf i_t \odot \mathbf g_t$ | (no separate cell state) |
# | output | $\mathbf h_t = \mathbf o_t \odot \tanh(\mathbf c_t)$ | $\mathbf h_t = \mathbf z_t \odot \mathbf h_{t-1} + (1 - \mathbf z_t) \odot \tilde{\mathbf h}_t$ |
#
# $\odot$ is the element-wise product. The key line is the cell update: the old memory is *scaled*
# by the forget gate and new content is *added*. Along that path $\partial \mathbf c_t / \partial
# \mathbf c_{t-1} = \operatorname{diag}(\mathbf f_t)$, with no squashing non-linearity and no
# weight matrix, so when the network learns to keep $\mathbf f_t \approx 1$ the gradient survives
# many steps. The GRU merges forget and input into one update gate $\mathbf z_t$ (keep the old
# state where $z \approx 1$, take the candidate where $z \approx 0$) and has no output gate: three
# weight blocks instead of four, so about 25 % fewer parameters.

# %%
fig = plotting.draw_lstm_cell()
fig.axes[0].set_title("One LSTM cell: forget (f), input (i), candidate (g) and output (o)");

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Parameters.** Each of the four blocks has an input matrix ($\text{units}\times\text{features}$),
# a recurrent matrix ($\text{units}\times\text{units}$) and a bias ($\text{units}$), so an LSTM layer has
#
# $$4\,\big(\text{units}\,(\text{units} + \text{features}) + \text{units}\big)$$
#
# parameters, and a Keras GRU with `reset_after=True` (two biases per block) has
# $3\,\big(\text{units}\,(\text{units} + \text{features}) + 2\,\text{units}\big)$. Keras agrees:

# %%
def count_layer_parameters(layer, n_steps, n_features):
    """Build ``layer`` on sequences of ``n_features`` and return its parameter count."""
    layer.build((None, n_steps, n_features))
    return layer.count_params()


for units, features in [(128, 28), (64, 28), (64, 64)]:
    lstm_count = count_layer_parameters(keras.layers.LSTM(units), 28, features)
    gru_count = count_layer_parameters(keras.layers.GRU(units), 28, features)
    print(f"units={units:3d}, features={features}: LSTM {lstm_count:6d}, GRU {gru_count:6d}")
    checks.verify(lstm_count == 4 * (units * (units + features) + units), "LSTM count = 4(u(u+f)+u)")
    checks.verify(gru_count == 3 * (units * (units + features) + 2 * units), "GRU count = 3(u(u+f)+2u)")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. An LSTM in NumPy, checked against Keras
#
# A `keras.layers.LSTM` stores its weights in three arrays: `kernel` of shape
# $(\text{features}, 4\,\text{units})$ holding $W$, `recurrent_kernel` of shape
# $(\text{units}, 4\,\text{units})$ holding $U$, and `bias` of length $4\,\text{units}$. The four
# blocks sit side by side **in the order input, forget, candidate, output** ($i, f, g, o$) — not the
# order we wrote the equations in. Keras works with row vectors, so a step is `x @ kernel + h @
# recurrent_kernel + bias`, then split into four.

# %%
def sigmoid(values):
    return 1.0 / (1.0 + np.exp(-values))


def lstm_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    """One LSTM step for a batch: returns the new hidden state, cell state and the four gates."""
    pre_activations = x_t @ kernel + h_prev @ recurrent_kernel + bias
    z_input, z_forget, z_candidate, z_output = np.split(pre_activations, 4, axis=-1)  # Keras order i, f, g, o
    gates = {"i": sigmoid(z_input), "f": sigmoid(z_forget), "g": np.tanh(z_candidate), "o": sigmoid(z_output)}
    c_t = gates["f"] * c_prev + gates["i"] * gates["g"]
    h_t = gates["o"] * np.tanh(c_t)
    return h_t, c_t, gates


def lstm_sequence(sequences, kernel, recurrent_kernel, bias):
    """Run an LSTM over a batch of sequences (batch, steps, features) from zero states.

    Returns all hidden states (batch, steps, units), the last cell state, and each gate's values
    stacked over time (batch, steps, units).
    """
    batch, n_steps, _ = sequences.shape
    units = recurrent_kernel.shape[0]
    h_t, c_t = np.zeros((batch, units)), np.zeros((batch, units))
    hidden_states, gate_history = [], {name: [] for name in "ifgo"}
    for step in range(n_steps):
        h_t, c_t, gates = lstm_step(sequences[:, step, :], h_t, c_t, kernel, recurrent_kernel, bias)
        hidden_states.append(h_t)
        for name, values in gates.items():
            gate_history[name].append(values)
    gate_history = {name: np.stack(values, axis=1) for name, values in gate_history.items()}
    return np.stack(hidden_states, axis=1), c_t, gate_history


# %% [markdown] slideshow={"slide_type": "subslide"}
# Now a Keras LSTM with 32 units, its freshly initialised weights, and 64 test digits read row by row.
# `return_sequences=True` gives every hidden state and `return_state=True` adds the final $h$ and $c$.

# %%
keras_lstm = keras.layers.LSTM(32, return_sequences=True, return_state=True)
digits = mnist.x_test[:64]
keras_all_h, keras_last_h, keras_last_c = (np.asarray(out) for out in keras_lstm(digits))
kernel, recurrent_kernel, bias = (w.astype(np.float64) for w in keras_lstm.get_weights())
print("kernel", kernel.shape, "| recurrent_kernel", recurrent_kernel.shape, "| bias", bias.shape)

# one step: row 14 of each digit, from a random non-zero state, in NumPy and in Keras
h_start = rng.normal(scale=0.5, size=(64, 32)).astype("float32")
c_start = rng.normal(scale=0.5, size=(64, 32)).astype("float32")
one_h, one_c, _ = lstm_step(digits[:, 14, :].astype(np.float64), h_start, c_start, kernel, recurrent_kernel, bias)
_, keras_one_h, keras_one_c = (np.asarray(out) for out in keras_lstm(digits[:, 14:15, :], initial_state=[h_start, c_start]))
gap_step = max(np.max(np.abs(one_h - keras_one_h)), np.max(np.abs(one_c - keras_one_c)))
# the whole sequence: 28 steps from zero states
numpy_all_h, numpy_last_c, _ = lstm_sequence(digits.astype(np.float64), kernel, recurrent_kernel, bias)
gap_sequence = max(np.max(np.abs(numpy_all_h - keras_all_h)), np.max(np.abs(numpy_last_c - keras_last_c)))
checks.verify(gap_step < 1e-5, "one NumPy LSTM step (h and c, from a random state) matches Keras to 1e-5", f"max |diff| {gap_step:.1e}")
checks.verify(gap_sequence < 1e-5, "the whole NumPy sequence (all h_t and the last c_t) matches Keras to 1e-5",
              f"max |diff| {gap_sequence:.1e}")

# %% [markdown] slideshow={"slide_type": "fragment"}
# The gate order matters. Reading the blocks as $(i, f, o, g)$, say, with the candidate and output
# swapped, runs without any error but computes something else entirely:

# %%
def reorder_blocks(matrix, order):
    """Rearrange the four gate blocks along the last axis (``order`` lists old block indices)."""
    blocks = np.split(matrix, 4, axis=-1)
    return np.concatenate([blocks[index] for index in order], axis=-1)


wrong = [reorder_blocks(w, [0, 1, 3, 2]) for w in (kernel, recurrent_kernel, bias)]
wrong_all_h, _, _ = lstm_sequence(digits.astype(np.float64), *wrong)
gap_wrong = np.max(np.abs(wrong_all_h - keras_all_h))
checks.verify(gap_wrong > 1e-2, "the wrong gate order gives clearly different outputs", f"max |diff| {gap_wrong:.2f}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4. MNIST digits as sequences
#
# An LSTM needs inputs shaped (batch, time steps, features). A 28 × 28 digit already is one: 28
# time steps, one per row from top to bottom, each with 28 pixel values. The network sees the top
# row first and must keep in its state whatever it will need when the last row arrives.

# %% slideshow={"slide_type": "subslide"}
fig, axes = plt.subplots(1, 2, figsize=(9, 3.4), gridspec_kw={"width_ratios": [1, 2.2]})
example = mnist.x_train[0]
plotting.plot_image(example, ax=axes[0], title=f"label {mnist.y_train[0]}: 28 rows = 28 time steps")
for row in (6, 10, 14, 18, 22):
    axes[0].axhline(row, color="tab:red", lw=0.8, alpha=0.6)
    axes[1].plot(example[row], label=f"row {row}")
axes[1].set_xlabel("pixel column (feature)")
axes[1].set_ylabel("intensity")
axes[1].set_title("a few of the 28-feature input vectors $x_t$")
axes[1].legend(fontsize=8, ncol=5)
fig.tight_layout()

# %% [markdown] slideshow={"slide_type": "subslide"}
# The lecture's classifier is one `LSTM(128)` — only its last hidden state is passed on — and a
# `Dense(10, softmax)` layer. We leave the number of time steps open (`None`), so the same model can
# later read shorter sequences. Labels stay integers, hence the *sparse* categorical cross-entropy.

# %%
def build_lstm_classifier(units=128):
    """LSTM(units) -> Dense(10, softmax) on sequences of 28-pixel rows of any length."""
    return keras.Sequential([
        keras.Input(shape=(None, 28)),
        keras.layers.LSTM(units),
        keras.layers.Dense(10, activation="softmax"),
    ], name=f"lstm{units}")


lstm_model = build_lstm_classifier(128)
lstm_model.summary()
checks.verify(lstm_model.count_params() == 4 * (128 * (128 + 28) + 128) + (128 * 10 + 10),
              "parameters = 4·(128·156 + 128) for the LSTM + 1 290 for the dense layer",
              f"{lstm_model.count_params():,}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Training recipe.** The lecture trains 10 epochs with Adam at its default learning rate
# $10^{-3}$, batches of 64, and 20 % of the training set held out; it reports 97–98 % test accuracy.
# We keep Adam and the architecture and change three things, aiming higher:
# batches of 256 (four times fewer, larger steps per epoch), a higher starting learning rate
# $3\cdot10^{-3}$ that decays along a cosine to 1 % of it by the last step, and gradient clipping
# (`clipnorm=1.0`), meant as a cheap guard against the exploding gradients of section 1 (section 8
# trains a smaller LSTM with and without it, to see what it changes here). We validate on the
# 5 000 images that `data.load_mnist()` sets aside and train on the other 55 000.
# `benchmarks/results.md` compares these settings with the lecture's.

# %% tags=["parameters"]
# Adam from 3e-3, cosine decay to 1 % of it, gradient clipping; integer labels, hence the sparse loss
LSTM_SETTINGS = dict(optimizer="Adam", learning_rate=3e-3, schedule="cosine", final_fraction=0.01, clipnorm=1.0,
                     loss="sparse_categorical_crossentropy", batch_size=256, epochs=10)

# %%
lstm_run = training.compile_and_fit(lstm_model, mnist.x_train, mnist.y_train, settings=LSTM_SETTINGS,
                                    epochs=cfg.epochs(LSTM_SETTINGS["epochs"], fast=2),
                                    validation_data=(mnist.x_valid, mnist.y_valid), metrics=["accuracy"])
print(lstm_run)

# %%
def test_accuracy(model, images, labels):
    """Share of ``images`` whose most probable class is the label, and the predicted classes."""
    predicted = np.argmax(model.predict(images, batch_size=1000, verbose=0), axis=1)
    return float(np.mean(predicted == labels)), predicted


lstm_accuracy, lstm_predicted = test_accuracy(lstm_model, mnist.x_test, mnist.y_test)
print(f"test accuracy {lstm_accuracy:.2%}")
training.record_result(NOTEBOOK, "lstm128_mnist_rows", lstm_run, test_accuracy=lstm_accuracy)

# %%
fig = plotting.plot_history(lstm_run.history, metrics=["loss", "accuracy"], title="LSTM(128) on MNIST rows")

# %%
target = cfg.pick(full=0.985, fast=0.60)
checks.verify(lstm_accuracy >= target, f"LSTM(128) test accuracy ≥ {target:.1%}",
              f"{lstm_accuracy:.2%} on {len(mnist.y_test):,} test digits")
lstm_losses = lstm_run.history["loss"]
checks.verify(lstm_losses[-1] < lstm_losses[0], "the training loss went down",
              f"{lstm_losses[0]:.3f} → {lstm_losses[-1]:.3f}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5. What does it get wrong?
#
# The confusion matrix counts, for every true digit (row), how often each digit was predicted
# (column); a perfect classifier puts everything on the diagonal.

# %%
confusion = sk_metrics.confusion_matrix(mnist.y_test, lstm_predicted, labels=range(10))
fig, ax = plt.subplots(figsize=(6.2, 5.4))
sk_metrics.ConfusionMatrixDisplay(confusion, display_labels=mnist.class_names).plot(
    ax=ax, cmap="Blues", colorbar=False, values_format="d")
ax.set_title(f"LSTM(128): confusion matrix on the test set ({lstm_accuracy:.2%} correct)")
fig.tight_layout()

# %%
errors_only = confusion - np.diag(np.diag(confusion))
true_digit, predicted_digit = np.unravel_index(np.argmax(errors_only), errors_only.shape)
checks.verify(np.isclose(np.trace(confusion) / confusion.sum(), lstm_accuracy),
              "the diagonal of the confusion matrix holds exactly the correct predictions")
print(f"most frequent mistake: a true {true_digit} read as {predicted_digit} "
      f"({errors_only[true_digit, predicted_digit]} times); {errors_only.sum()} errors in all")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Some misclassified test digits, each titled *true → predicted*. Many are ones a person would
# hesitate over too.

# %%
wrong_indices = np.flatnonzero(lstm_predicted != mnist.y_test)
checks.verify(len(wrong_indices) == errors_only.sum(), "the grid draws from every off-diagonal count",
              f"{len(wrong_indices)} misclassified")
shown = wrong_indices[:24]
fig = plotting.plot_images(mnist.x_test[shown], n_cols=8, scale=1.3,
                           titles=[f"{mnist.y_test[i]} → {lstm_predicted[i]}" for i in shown])
fig.suptitle("Misclassified test digits (true → predicted)", y=1.02);

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 6. Inside the trained cell
#
# Our NumPy LSTM fed the trained weights must give the same predictions as Keras — and it also
# shows us the gates. We run it on 200 test digits.

# %%
trained_kernel, trained_recurrent, trained_bias = (w.astype(np.float64) for w in lstm_model.layers[0].get_weights())
dense_weights, dense_bias = lstm_model.layers[1].get_weights()
some_digits = mnist.x_test[:200].astype(np.float64)
hidden, _, gates = lstm_sequence(some_digits, trained_kernel, trained_recurrent, trained_bias)
logits = hidden[:, -1, :] @ dense_weights + dense_bias
numpy_probabilities = np.exp(logits - logits.max(axis=1, keepdims=True))
numpy_probabilities /= numpy_probabilities.sum(axis=1, keepdims=True)
keras_probabilities = lstm_model.predict(mnist.x_test[:200], verbose=0)
gap_trained = np.max(np.abs(numpy_probabilities - keras_probabilities))
checks.verify(gap_trained < 1e-5, "NumPy LSTM + softmax with the trained weights reproduces Keras's probabilities",
              f"max |diff| {gap_trained:.1e}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Along the cell-state path the gradient is multiplied by the forget gate at every step, so the
# product $\prod_t f_t$ over the last rows says how much of a unit's early memory still reaches the
# final state. Left: the forget gates of every unit for one digit. Right: for each unit, that
# product over the 14 rows of the lower half of the image, averaged over 200 digits.

# %%
forget = gates["f"]                                                  # (digits, steps, units)
memory_kept = np.exp(np.log(forget[:, 14:, :]).sum(axis=1)).mean(axis=0)  # product over rows 14..27
fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
image = axes[0].imshow(forget[0].T, aspect="auto", cmap="viridis", vmin=0, vmax=1)
axes[0].set_xlabel("time step (row)")
axes[0].set_ylabel("unit")
axes[0].set_title(f"forget gate $f_t$ while reading a {mnist.y_test[0]}")
fig.colorbar(image, ax=axes[0])
axes[1].hist(np.log10(memory_kept), bins=30, color="tab:blue")
axes[1].set_xlabel(r"$\log_{10}$ of the mean of $\prod_{t=14}^{27} f_t$")
axes[1].set_ylabel("number of units")
axes[1].set_title("how much memory each unit keeps over 14 rows")
fig.tight_layout()
print(f"units keeping more than 10 % of their memory over 14 rows: {np.sum(memory_kept > 0.1)} of {len(memory_kept)}; "
      f"median unit keeps {np.median(memory_kept):.1e}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 7. Order matters: reading fewer rows, or rows backwards
#
# The LSTM reads row by row, so it *can* produce an answer after any number of rows — something a
# network that needs the whole image at once cannot do. Because the model was built with an open
# number of time steps, we can feed it only the top $k$ rows. But it was only ever trained to answer
# after row 28: will its early answers be any good? And because it reads in order, showing it the
# rows bottom-up, a sequence it never saw in training, should confuse it.

# %%
rows_read = [7, 10, 14, 18, 21, 24, 28]
accuracy_by_rows = [test_accuracy(lstm_model, mnist.x_test[:, :k, :], mnist.y_test)[0] for k in rows_read]
reversed_accuracy, _ = test_accuracy(lstm_model, mnist.x_test[:, ::-1, :], mnist.y_test)

fig, ax = plt.subplots(figsize=(6.5, 3.6))
ax.plot(rows_read, accuracy_by_rows, "o-", label="top k rows, in order")
ax.axhline(reversed_accuracy, color="tab:red", linestyle="--", label="all 28 rows, bottom-up")
ax.axhline(0.1, color="grey", linestyle=":", label="chance")
ax.set_xlabel("rows read k")
ax.set_ylabel("test accuracy")
ax.set_title("Reading only the top k rows")
ax.legend()
fig.tight_layout()

# %%
checks.verify(np.isclose(accuracy_by_rows[-1], lstm_accuracy, atol=2e-4),
              "reading all 28 rows gives the test accuracy above")
half = rows_read.index(14)
checks.verify(accuracy_by_rows[half] < 0.5, "after the top half of the image its answers are still mostly wrong",
              f"{accuracy_by_rows[half]:.1%} after 14 rows vs {accuracy_by_rows[-1]:.1%} after 28")
checks.verify(reversed_accuracy < lstm_accuracy - 0.3, "rows fed bottom-up ruin the accuracy",
              f"{reversed_accuracy:.1%}")

# %% [markdown] slideshow={"slide_type": "fragment"}
# The network has learned to *wait*: nothing in training asked for an answer before the last row,
# so its state after half a digit is not yet a decision. A model meant to answer early (a streaming
# classifier) would use `return_sequences=True` and put a loss on every step. And the bottom-up
# digits show that the LSTM relies on the order it was trained with, unlike a dense network, which
# has no notion of order among its 784 inputs.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 8. GRU, stacked and bidirectional variants
#
# Keras offers several ways to make a recurrent layer bigger or cheaper:
#
# - **GRU**: the lighter gated cell of section 2;
# - **stacked**: a first LSTM returns its whole sequence of hidden states (`return_sequences=True`)
#   and a second LSTM reads it;
# - **bidirectional**: `keras.layers.Bidirectional` runs one LSTM top-down and a copy bottom-up and
#   concatenates their last states;
# - and, as baselines without recurrence, a dense network on the flattened 784 pixels and a small
#   convolutional network (two `Conv2D` layers of 16 and 32 filters on the 28 × 28 image);
# - last, the LSTM once more with `clipnorm` removed, to see what the clipping does.
#
# To keep the comparison affordable on a laptop CPU, every model here has 64 units per recurrent
# layer and the same recipe, trained for the same few epochs on the same subset of the training
# set, and each is trained from several seeds (a different initialisation and order of batches
# each time) so that we can see how much of a difference is chance. The numbers compare the
# variants with one another at this short budget, not with the fully trained LSTM(128) above.
#
# **cuDNN.** On an NVIDIA GPU with the TensorFlow backend, Keras runs LSTM and GRU layers with
# NVIDIA's fused cuDNN kernels instead of the generic step-by-step loop — but only with the
# default settings: `activation="tanh"`, `recurrent_activation="sigmoid"`, `recurrent_dropout=0`,
# `unroll=False`, `use_bias=True`, and for the GRU `reset_after=True` (and, with masking, only
# right-padded sequences). All our layers keep these defaults; the next cells check that they do.

# %%
VARIANT_UNITS = 64
n_variant_train = cfg.limit(20_000, fast=5_000)


def build_variant(kind, units=VARIANT_UNITS):
    """One of the compared classifiers on 28 × 28 digits (see ``bodies`` for the names)."""
    layers = keras.layers
    bodies = {
        "LSTM": [layers.LSTM(units)],
        "GRU": [layers.GRU(units)],
        "stacked LSTM": [layers.LSTM(units, return_sequences=True), layers.LSTM(units)],
        "bidirectional LSTM": [layers.Bidirectional(layers.LSTM(units))],
        "dense (no recurrence)": [layers.Flatten(), layers.Dense(128, activation="relu")],
        "small CNN": [layers.Reshape((28, 28, 1)), layers.Conv2D(16, 3, activation="relu"), layers.MaxPooling2D(),
                      layers.Conv2D(32, 3, activation="relu"), layers.MaxPooling2D(), layers.Flatten()],
    }
    if kind not in bodies:
        raise ValueError(f"unknown variant {kind!r}; choose one of {list(bodies)}.")
    return keras.Sequential([keras.Input(shape=(28, 28)), *bodies[kind], layers.Dense(10, activation="softmax")])


# %%
def uses_cudnn_settings(layer):
    """True when a recurrent layer keeps every setting Keras needs to pick the cuDNN kernel."""
    if isinstance(layer, keras.layers.Bidirectional):
        return uses_cudnn_settings(layer.forward_layer) and uses_cudnn_settings(layer.backward_layer)
    settings = layer.get_config()
    ok = (settings["activation"] == "tanh" and settings["recurrent_activation"] == "sigmoid"
          and settings["recurrent_dropout"] == 0 and not settings["unroll"] and settings["use_bias"])
    if isinstance(layer, keras.layers.GRU):
        ok = ok and settings["reset_after"]
    return ok


# %%
def train_variant(kind, settings, epochs, seed):
    """Build the ``kind`` classifier from ``seed``, check its cuDNN settings, train it on the subset and score it."""
    keras.utils.set_random_seed(seed)
    model = build_variant(kind)
    recurrent = [layer for layer in model.layers if isinstance(layer, (keras.layers.RNN, keras.layers.Bidirectional))]
    if recurrent:
        checks.verify(all(uses_cudnn_settings(layer) for layer in recurrent),
                      f"{kind}: every recurrent layer keeps the cuDNN-compatible settings", f"{len(recurrent)} recurrent layer(s)")
    run = training.compile_and_fit(model, mnist.x_train[:n_variant_train], mnist.y_train[:n_variant_train],
                                   settings=settings, epochs=epochs,
                                   validation_data=(mnist.x_valid, mnist.y_valid), metrics=["accuracy"])
    accuracy, _ = test_accuracy(model, mnist.x_test, mnist.y_test)
    return run, {"parameters": model.count_params(), "seconds per epoch": run.timer.seconds_per_epoch,
                 "test accuracy": accuracy}


# %% tags=["parameters"]
# the LSTM(128)'s recipe, for only 4 epochs
VARIANT_SETTINGS = dict(optimizer="Adam", learning_rate=3e-3, schedule="cosine", final_fraction=0.01, clipnorm=1.0,
                        loss="sparse_categorical_crossentropy", batch_size=256, epochs=4)

# %%
variant_epochs = cfg.epochs(VARIANT_SETTINGS["epochs"], fast=2)
variant_seeds = [cfg.seed + offset for offset in range(cfg.pick(full=3, fast=2))]
unclipped = {key: value for key, value in VARIANT_SETTINGS.items() if key != "clipnorm"}
plans = {kind: (kind, VARIANT_SETTINGS) for kind in
         ["LSTM", "GRU", "stacked LSTM", "bidirectional LSTM", "dense (no recurrence)", "small CNN"]}
plans["LSTM without clipnorm"] = ("LSTM", unclipped)
variant_rows = []
for name, (kind, settings) in plans.items():
    for seed in variant_seeds:
        run, row = train_variant(kind, settings, variant_epochs, seed)
        variant_rows.append({"model": name, "seed": seed, **row})
    training.record_result(NOTEBOOK, "variant_" + name.split(" (")[0].lower().replace(" ", "_"), run,
                           test_accuracy=float(np.mean([r["test accuracy"] for r in variant_rows[-len(variant_seeds):]])),
                           n_train=n_variant_train, n_seeds=len(variant_seeds), data="MNIST")
per_seed = pd.DataFrame(variant_rows)

# %%
def summarise_variants(per_seed):
    """One row per model: parameters, median seconds per epoch, and test accuracy as mean, min and max over seeds."""
    grouped = per_seed.groupby("model", sort=False)
    return pd.DataFrame({"parameters": grouped["parameters"].first(),
                         "seconds per epoch": grouped["seconds per epoch"].median().round(1),
                         "accuracy mean": grouped["test accuracy"].mean().round(4),
                         "min": grouped["test accuracy"].min().round(4),
                         "max": grouped["test accuracy"].max().round(4)})


variants = summarise_variants(per_seed)
print(f"{variant_epochs} epochs on {n_variant_train:,} training digits, batch {VARIANT_SETTINGS['batch_size']}, "
      f"{VARIANT_UNITS} units per recurrent layer, {len(variant_seeds)} seeds each")
variants

# %%
counts = variants["parameters"]
u, f = VARIANT_UNITS, 28
lstm_block, head = 4 * (u * (u + f) + u), u * 10 + 10
checks.verify(counts["LSTM"] == lstm_block + head, "LSTM(64): 4(u(u+f)+u) + head", f"{counts['LSTM']:,}")
checks.verify(counts["GRU"] == 3 * (u * (u + f) + 2 * u) + head, "GRU(64): 3(u(u+f)+2u) + head", f"{counts['GRU']:,}")
gru_saving = 1 - (counts["GRU"] - head) / (counts["LSTM"] - head)
checks.verify(0.2 < gru_saving < 0.3, "the GRU layer has about 25 % fewer parameters than the LSTM layer",
              f"{gru_saving:.1%} fewer")
checks.verify(counts["stacked LSTM"] == lstm_block + 4 * (u * (u + u) + u) + head,
              "stacked: the second LSTM reads 64 features instead of 28", f"{counts['stacked LSTM']:,}")
checks.verify(counts["bidirectional LSTM"] == 2 * lstm_block + (2 * u) * 10 + 10,
              "bidirectional: two LSTMs, and a head on 128 concatenated features", f"{counts['bidirectional LSTM']:,}")
checks.verify(counts["small CNN"] == (3 * 3 * 16 + 16) + (3 * 3 * 16 * 32 + 32) + (5 * 5 * 32) * 10 + 10,
              "small CNN: two 3 × 3 convolutions and a head on 5 × 5 × 32 pooled features", f"{counts['small CNN']:,}")

# %%
variant_floor = cfg.pick(full=0.85, fast=0.30)
accuracy = variants["accuracy mean"]
checks.verify(variants["min"].min() >= variant_floor,
              f"every variant reaches {variant_floor:.0%} test accuracy from every seed with this short budget",
              ", ".join(f"{name}: {value:.1%}" for name, value in variants["min"].items()))
gap = cfg.pick(full=0.03, fast=0.30)  # fast mode trains on a few hundred digits: only a coarse bound
checks.verify(abs(accuracy["GRU"] - accuracy["LSTM"]) < gap,
              f"GRU and LSTM mean accuracies lie within {gap:.0%} of each other",
              f"{accuracy['GRU']:.1%} vs {accuracy['LSTM']:.1%}")

# %%
# Timings depend on the machine and how busy it is, so they are shown here, not asserted.
seconds = variants["seconds per epoch"]
print("seconds per epoch: " + " | ".join(f"{name} {value}" for name, value in seconds.items()))
clip_effect = per_seed.pivot(index="seed", columns="model", values="test accuracy")
clip_effect = clip_effect["LSTM"] - clip_effect["LSTM without clipnorm"]
print("test accuracy with clipnorm minus without, per seed: " + ", ".join(f"{value:+.2%}" for value in clip_effect))

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Reading the table.** The GRU has a quarter fewer parameters than the LSTM and reaches a similar
# accuracy. The stacked and bidirectional models do two recurrent passes of 28 sequential steps
# each, twice the recurrent work per image; the dense and convolutional networks have no loop over
# time at all, since they look at all 784 pixels at once. How much of that shows in the seconds
# column depends on the machine and on what else it is doing at the time (on two busy cores the
# differences can shrink or even swap), so the timings are measured and shown but not checked.
#
# **What the table cannot show.** Every model gets the same four epochs on 20 000 digits, which is
# too short for any of them to converge (the LSTM(128) above needed ten epochs on 55 000 to pass
# 98.5 %), and the models differ in size: the dense net has four times the LSTM's parameters, the
# CNN half of them. So the table ranks the variants *at this small budget*: which learns fastest per
# epoch, not which is best once trained, nor which is best per parameter. The min–max columns show
# how far one seed can move a number; a difference smaller than that spread is not a finding.
# The only claims checked are those that held on every seed and every backend we tried: the
# parameter counts, a floor on accuracy, and GRU ≈ LSTM. Clipping is in the same position: the
# per-seed differences printed above, with and without `clipnorm`, are the whole evidence, and on
# this short, well-scaled task they are small and of either sign, so we cannot claim that
# clipping helps here; it is insurance against the exploding gradients of section 1, which these
# runs did not meet.
#
# ## Where LSTMs shine
#
# For images, that sequential loop is a handicap: all pixels are available at once, and
# convolutional networks, which exploit that neighbouring pixels belong together in both
# directions, are the usual tool (week 5 used them for autoencoders). Recurrent networks earn their keep
# where the data *is* a sequence: the length varies (sentences, speech, sensor logs), the order
# carries the meaning, or an answer is needed before the sequence ends (streaming, forecasting the
# next value of a time series; section 7 showed that this needs a loss at every step). Today, transformers have taken
# over much of language modelling, but LSTMs and GRUs remain strong, small and cheap for time series,
# on-device models and streaming problems. Section 10 puts one on a real recorded signal, against
# the baselines it must beat.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 9. A memory of 50 steps
#
# Do the gates really buy a longer memory? A synthetic task isolates the question. Each sequence
# has 50 steps; at each step $t$ the network sees a random value $v_t$ and a flag that is 1 at the
# first step and 0 after it. The target is the **first** value $v_1$, uniform in $[-1, 1]$: the
# network must store it and then ignore 49 values of noise, uniform in $[-2, 2]$, that arrive
# through the same input. Always answering 0 scores an MSE of $\operatorname{Var}(v_1) = 1/3$;
# remembering only the sign of $v_1$ scores $1/12$. A `SimpleRNN(16)` gets the same data and
# training budget as the exercises below.

# %%
MEMORY_STEPS = 50


def make_first_value_sequences(n_sequences, n_steps=MEMORY_STEPS, seed=0):
    """Inputs (n, steps, 2) holding [value, is-first flag] per step, and the targets: each first value."""
    rng = np.random.default_rng(seed)
    values = rng.uniform(-1.0, 1.0, size=(n_sequences, n_steps)).astype("float32")
    values[:, 1:] *= 2.0  # the noise after the first step is twice as loud
    is_first = np.zeros_like(values)
    is_first[:, 0] = 1.0
    return np.stack([values, is_first], axis=-1), values[:, 0].copy()


def first_value_mse(model, n_sequences=2_000, seed=1, n_steps=MEMORY_STEPS):
    """Test MSE of ``model`` recalling the first value of fresh sequences, and those values' variance."""
    x, first_values = make_first_value_sequences(n_sequences, n_steps=n_steps, seed=seed)
    predicted = np.asarray(model.predict(x, batch_size=1_000, verbose=0), dtype=float).reshape(n_sequences, -1)
    if predicted.shape[1] != 1:
        raise ValueError(f"expected one number per sequence, got {predicted.shape[1]}")
    return float(np.mean((predicted[:, 0] - first_values) ** 2)), float(np.var(first_values))


# %%
def memory_model_layers(model):
    """The layers of ``model``, those of nested models included, in order."""
    return [inner for layer in model.layers
            for inner in [layer, *(memory_model_layers(layer) if hasattr(layer, "layers") else [])]]


def reads_backwards(model):
    """True when a layer of ``model`` reads its sequence backwards (``go_backwards`` or ``Bidirectional``)."""
    return any(isinstance(layer, keras.layers.Bidirectional) or getattr(layer, "go_backwards", False)
               for layer in memory_model_layers(model))


# %% tags=["parameters"]
# Adam with a large step and clipping, a few epochs: a small budget on purpose
MEMORY_SETTINGS = dict(optimizer="Adam", learning_rate=1e-2, clipnorm=1.0, loss="mse", batch_size=64, epochs=5)

# %%
# the same size in fast mode: with half the steps, whether a gated net learns to remember is left to chance
n_memory_train = 6_000
memory_epochs = MEMORY_SETTINGS["epochs"]
memory_x, memory_y = make_first_value_sequences(n_memory_train, seed=cfg.seed)
keras.utils.set_random_seed(cfg.seed)
simple_rnn_memory = keras.Sequential([keras.Input(shape=(None, 2)), keras.layers.SimpleRNN(16), keras.layers.Dense(1)],
                                     name="simple_rnn_memory")
simple_rnn_run = training.compile_and_fit(simple_rnn_memory, memory_x, memory_y, settings=MEMORY_SETTINGS,
                                          epochs=memory_epochs)
simple_rnn_mse, memory_variance = first_value_mse(simple_rnn_memory)
print(simple_rnn_run)
print(f"SimpleRNN(16): test MSE {simple_rnn_mse:.4f}; always answering 0: {memory_variance:.4f}")

# %%
checks.verify(simple_rnn_mse > 0.5 * memory_variance,
              "after 49 steps the SimpleRNN's test MSE stays above half the first value's variance",
              f"test MSE {simple_rnn_mse:.3f}, variance {memory_variance:.3f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Is it the cell or the length of the memory? The same three cells — `SimpleRNN(16)`, `LSTM(16)` and
# `GRU(16)`, each as Keras initialises it — trained with the same budget on sequences of 10, 20 and
# 50 steps. The table gives each test MSE as a share of $\operatorname{Var}(v_1)$: near 0 is a
# working memory, near 1 is no better than answering 0.

# %%
def memory_share(recurrent_layer, n_steps, seed=cfg.seed):
    """Train recurrent_layer(16) -> Dense(1) on 6 000 sequences of n_steps; test MSE as a share of Var(v_1)."""
    x, y = make_first_value_sequences(n_memory_train, n_steps=n_steps, seed=seed)
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([keras.Input(shape=(None, 2)), recurrent_layer(16), keras.layers.Dense(1)])
    training.compile_and_fit(model, x, y, settings=MEMORY_SETTINGS, epochs=memory_epochs)
    mse, variance = first_value_mse(model, n_steps=n_steps)
    return mse / variance


# %%
memory_cells = {"SimpleRNN": keras.layers.SimpleRNN, "LSTM": keras.layers.LSTM, "GRU": keras.layers.GRU}
memory_lengths = [10, 20, 50]
memory_table = pd.DataFrame({name: [memory_share(layer, n) for n in memory_lengths] for name, layer in memory_cells.items()},
                            index=pd.Index(memory_lengths, name="steps"))
memory_table.round(3)

# %%
checks.verify(memory_table.loc[10].max() < 0.1, "over 10 steps all three cells keep v_1 (test MSE below 10 % of its variance)",
              ", ".join(f"{name} {value:.3f}" for name, value in memory_table.loc[10].items()))
checks.verify(memory_table.loc[50].min() > 0.5, "over 50 steps none of the three, as Keras initialises them, does",
              ", ".join(f"{name} {value:.3f}" for name, value in memory_table.loc[50].items()))

# %% [markdown] slideshow={"slide_type": "fragment"}
# With default initialisation the gates alone do not rescue the long memory. Why not? Training can
# only strengthen what the fresh network already passes on. Below, each fresh layer reads 500
# sequences twice, once with $v_1$ nudged by 0.01, and we measure how much its state $\mathbf h_t$
# moves at every later step: a finite-difference estimate of $\|\partial \mathbf h_t / \partial v_1\|$,
# the signal that the gradient must carry back from step $t$ to step 1.

# %%
def first_value_influence(layer, n_steps=MEMORY_STEPS, nudge=1e-2):
    """Mean norm of d h_t / d v_1 at every step t of ``layer`` (with return_sequences=True), by finite differences."""
    x, _ = make_first_value_sequences(500, n_steps=n_steps, seed=cfg.seed + 3)
    nudged = x.copy()
    nudged[:, 0, 0] += nudge
    change = np.asarray(layer(nudged)) - np.asarray(layer(x))
    return np.linalg.norm(change, axis=-1).mean(axis=0) / nudge


# %%
influence = {}
for name, layer in memory_cells.items():
    keras.utils.set_random_seed(cfg.seed)
    influence[name] = first_value_influence(layer(16, return_sequences=True))

# %%
# extra code – the figure
fig, ax = plt.subplots(figsize=(6.5, 3.6))
for name, values in influence.items():
    ax.semilogy(np.arange(1, MEMORY_STEPS + 1), values, label=name)
ax.set_xlabel("step t")
ax.set_ylabel(r"$\|\partial h_t / \partial v_1\|$ (mean of 500)")
ax.set_title("How much of $v_1$ reaches step t in a fresh layer")
ax.legend()
fig.tight_layout()

# %%
fading = {name: values[-1] / values[0] for name, values in influence.items()}
checks.verify(max(fading.values()) < 1e-3, "in all three fresh layers v_1's influence falls more than a thousand-fold over 49 steps",
              ", ".join(f"{name} {value:.1e}" for name, value in fading.items()))

# %% [markdown] slideshow={"slide_type": "fragment"}
# The simple RNN cannot keep $v_1$ apart from the 49 values that follow: the same weights write
# every step into its state, and the gradient that could teach it otherwise fades over the 49 steps
# (section 1). A fresh LSTM or GRU forgets just as fast, so with this budget it fails too; over 10
# steps all three learn the task. What the gates offer is a path along which the
# memory *can* be kept (for the LSTM, $\partial c_t / \partial c_{t-1} = \operatorname{diag}(f_t)$),
# not a guarantee that a fresh layer keeps it. Exercises 5 and 6 ask you to make that path usable,
# with the same budget.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 10. A real sequence: forecasting a membrane potential
#
# Now a recorded signal rather than a synthetic one. Matplotlib ships, as sample data for its
# examples, `membrane.dat`: 12 000 samples of a neuron's membrane potential, at rest for the first
# thousand, then firing a train of spikes, regular at first and in irregular bursts after about
# sample 7 200 (its README gives no source or sampling rate, so we count time in samples). The
# task: from the last 64 samples, forecast the value **10 samples ahead**. We train on samples
# 1 000–5 000, choose settings on 5 000–6 000 and test on the later period 6 000–7 200; the bursts
# after it are a second, harder test of a regime no model saw in training.

# %%
from matplotlib import cbook

membrane = np.fromfile(cbook.get_sample_data("membrane.dat", asfileobj=False), dtype=np.float32)

# %%
FORECAST_LAGS, FORECAST_HORIZON = 64, 10
PERIODS = {"train": (1_000, 5_000), "validation": (5_000, 6_000), "test": (6_000, 7_200), "bursts": (7_200, 10_900)}
train_part = membrane[slice(*PERIODS["train"])]
potential = (membrane - train_part.mean()) / train_part.std()  # scaled with the training period's statistics only


def forecast_windows(series, start, stop, lags=FORECAST_LAGS, horizon=FORECAST_HORIZON):
    """Inputs: the ``lags`` values before each time t; targets: the value ``horizon`` steps after the last input."""
    times = np.arange(start, stop - horizon + 1)
    inputs = np.stack([series[t - lags:t] for t in times])
    return inputs, series[times + horizon - 1]


windows = {name: forecast_windows(potential, *period) for name, period in PERIODS.items()}
print({name: len(y) for name, (x, y) in windows.items()}, "windows;", f"{len(membrane):,} samples in all")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Two baselines first. The **naive** forecast repeats the last value seen. The **linear
# autoregression** is a ridge regression on the last $p$ values; $p \in \{4, \dots, 64\}$ and the
# penalty are chosen on the validation period, and the winner is refitted on training and validation
# together — more data than the LSTM gets, so the comparison favours the baseline.

# %%
from sklearn.linear_model import Ridge


def mse(predicted, target):
    return float(np.mean((np.ravel(predicted) - target) ** 2))


# %%
(x_fit, y_fit), (x_check, y_check) = windows["train"], windows["validation"]
scores = {(p, alpha): mse(Ridge(alpha=alpha).fit(x_fit[:, -p:], y_fit).predict(x_check[:, -p:]), y_check)
          for p in (4, 8, 16, 32, 64) for alpha in (1e-3, 1e-1, 10.0)}
ar_lags, ar_alpha = min(scores, key=scores.get)
autoregression = Ridge(alpha=ar_alpha).fit(np.vstack([x_fit, x_check])[:, -ar_lags:], np.concatenate([y_fit, y_check]))
print(f"autoregression: {ar_lags} lags, alpha {ar_alpha:g} (validation MSE {scores[ar_lags, ar_alpha]:.3f})")

# %% tags=["parameters"]
# a small LSTM on windows of 64 values; Adam with cosine decay, MSE
FORECAST_SETTINGS = dict(optimizer="Adam", learning_rate=3e-3, schedule="cosine", final_fraction=0.01, loss="mse",
                         batch_size=64, epochs=15)

# %%
keras.utils.set_random_seed(cfg.seed)
forecaster = keras.Sequential([keras.Input(shape=(None, 1)), keras.layers.LSTM(32), keras.layers.Dense(1)],
                              name="lstm32_forecaster")
forecast_run = training.compile_and_fit(forecaster, x_fit[..., None], y_fit, settings=FORECAST_SETTINGS,
                                        epochs=cfg.epochs(FORECAST_SETTINGS["epochs"], fast=10),
                                        validation_data=(x_check[..., None], y_check))
print(forecast_run)

# %%
forecasts = {
    "naive (last value)": lambda x: x[:, -1],
    f"autoregression ({ar_lags} lags)": lambda x: autoregression.predict(x[:, -ar_lags:]),
    "LSTM(32)": lambda x: forecaster.predict(x[..., None], batch_size=1_000, verbose=0),
}
forecast_table = pd.DataFrame({period: {name: mse(predict(windows[period][0]), windows[period][1])
                                        for name, predict in forecasts.items()} for period in ("test", "bursts")})
forecast_table["test / variance"] = forecast_table["test"] / np.var(windows["test"][1])
training.record_result(NOTEBOOK, "lstm32_membrane_forecast", forecast_run, test_mse=forecast_table["test"].iloc[2],
                       naive_mse=forecast_table["test"].iloc[0], autoregression_mse=forecast_table["test"].iloc[1],
                       data="membrane potential (Matplotlib sample data)")
forecast_table.round(3)

# %%
# extra code – the test period: what happened, and two forecasts
x_test, y_test = windows["test"]
fig, ax = plt.subplots(figsize=(10, 3.4))
shown_times = np.arange(len(y_test))[:600]
ax.plot(shown_times, y_test[:600], color="black", lw=1.2, label="recorded")
ax.plot(shown_times, np.ravel(forecasts["LSTM(32)"](x_test[:600])), label="LSTM(32)")
ax.plot(shown_times, autoregression.predict(x_test[:600, -ar_lags:]), label="autoregression", alpha=0.8)
ax.set_xlabel(f"samples after {PERIODS['test'][0]:,}")
ax.set_ylabel("potential (standardised)")
ax.set_title(f"Forecasts {FORECAST_HORIZON} samples ahead on the test period")
ax.legend(fontsize=8)
fig.tight_layout()

# %%
naive_mse, ar_mse, lstm_forecast_mse = forecast_table["test"]
checks.verify(ar_mse < naive_mse, "on the test period the autoregression beats the naive forecast",
              f"MSE {ar_mse:.3f} vs {naive_mse:.3f}")
checks.verify(lstm_forecast_mse < ar_mse, "and the LSTM beats the autoregression",
              f"MSE {lstm_forecast_mse:.3f} vs {ar_mse:.3f} ({lstm_forecast_mse / ar_mse:.2f}×)")

# %% [markdown] slideshow={"slide_type": "fragment"}
# Ten samples ahead, the last value is a poor guess whenever a spike is rising or falling, and a
# linear autoregression can only extrapolate the recent slope. A spike's shape is non-linear but
# repeats, and the LSTM has learned it: it forecasts the upstroke from the slow rise before it.
# The "bursts" column is the honest caveat: on a regime that training never showed, the LSTM's
# advantage can vanish and even turn into a loss against the naive forecast (read it in the table):
# it learned the regular spikes, not spiking in general. This is where recurrent networks
# earn their keep — ordered data whose dynamics repeat — and even then a fairly tuned linear
# baseline is the first thing to beat, on a period later than anything the model was trained on.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# ### Exercise 1: count parameters by hand
#
# Write `lstm_parameters(units, features)` and `gru_parameters(units, features)` that return the
# number of parameters of a Keras `LSTM` and `GRU` layer (default settings) reading `features`
# values per step. No Keras inside — use the formulas of section 2. Then, still without Keras:
# how many parameters does `Bidirectional(LSTM(32))` followed by `Dense(10)` have on sequences of
# 28 features? Store the number in `bidirectional_count`.

# %% slideshow={"slide_type": "skip"} tags=["solution"]
def lstm_parameters(units, features):
    """Parameters of keras.layers.LSTM(units) on inputs with ``features`` values per step."""
    return 4 * (units * (units + features) + units)


def gru_parameters(units, features):
    """Parameters of keras.layers.GRU(units) (reset_after=True) on ``features`` values per step."""
    return 3 * (units * (units + features) + 2 * units)


bidirectional_count = 2 * lstm_parameters(32, 28) + (2 * 32) * 10 + 10


# %%
cases = [(128, 28), (64, 28), (32, 5), (7, 100)]
checks.check_function("LSTM parameter count", lstm_parameters,
                      lambda u, f: count_layer_parameters(keras.layers.LSTM(u), 28, f), cases,
                      hint="how many blocks does an LSTM layer have (its gates and the candidate), and what does each one see?")
checks.check_function("GRU parameter count", gru_parameters,
                      lambda u, f: count_layer_parameters(keras.layers.GRU(u), 28, f), cases,
                      hint="count a GRU's blocks; with Keras's default reset_after=True a block has more than one bias vector");

# %%
reference_bidirectional = keras.Sequential([keras.Input(shape=(28, 28)),
                                            keras.layers.Bidirectional(keras.layers.LSTM(32)),
                                            keras.layers.Dense(10)]).count_params()
checks.check_value("Bidirectional(LSTM(32)) + Dense(10)", bidirectional_count, reference_bidirectional,
                   hint="two independent LSTMs; the dense layer reads both final states side by side");

# %% [markdown] slideshow={"slide_type": "slide"}
# ### Exercise 2: a GRU step in NumPy
#
# Write `gru_step(x_t, h_prev, kernel, recurrent_kernel, bias)` that returns the new state of a
# Keras `GRU` (default settings) after one step, for a batch of inputs, following the GRU column of
# the table in section 2. Keras stores the weights in three arrays, `kernel` (features, 3·units),
# `recurrent_kernel` (units, 3·units) and `bias` (2, 3·units), but how the table's $W$, $U$,
# $\mathbf b$ and $\mathbf b'$ of the blocks $z$, $r$ and $\tilde h$ sit in them is for you to find
# out. The check cell defines `keras_gru_step`, which runs a Keras GRU for one step with the
# weights you give it: probe it with weights you choose (all zero but one block, a state $\mathbf
# h_{t-1} \neq 0$) to learn which block is which and where each bias row goes. The check compares
# your step with it on random weights.

# %% slideshow={"slide_type": "skip"} tags=["solution"]
def gru_step(x_t, h_prev, kernel, recurrent_kernel, bias):
    """One Keras-style GRU step (reset_after=True) for a batch of inputs ``x_t``."""
    from_input = x_t @ kernel + bias[0]
    from_state = h_prev @ recurrent_kernel + bias[1]
    x_z, x_r, x_h = np.split(from_input, 3, axis=-1)
    h_z, h_r, h_h = np.split(from_state, 3, axis=-1)
    update = sigmoid(x_z + h_z)
    reset = sigmoid(x_r + h_r)
    candidate = np.tanh(x_h + reset * h_h)
    return update * h_prev + (1.0 - update) * candidate


# %%
def keras_gru_step(x_t, h_prev, kernel, recurrent_kernel, bias):
    """Reference: a Keras GRU with the given weights, run for one step from ``h_prev``."""
    layer = keras.layers.GRU(recurrent_kernel.shape[0])
    layer.build((None, 1, x_t.shape[-1]))
    layer.set_weights([kernel, recurrent_kernel, bias])
    return np.asarray(layer(x_t[:, None, :].astype("float32"), initial_state=[h_prev.astype("float32")]))


gru_rng = np.random.default_rng(7)
gru_cases = []
for batch, features, units in [(4, 28, 16), (3, 5, 8)]:
    gru_cases.append((gru_rng.normal(size=(batch, features)).astype("float32"),
                      gru_rng.normal(scale=0.5, size=(batch, units)).astype("float32"),
                      gru_rng.normal(scale=0.3, size=(features, 3 * units)).astype("float32"),
                      gru_rng.normal(scale=0.3, size=(units, 3 * units)).astype("float32"),
                      gru_rng.normal(scale=0.3, size=(2, 3 * units)).astype("float32")))
checks.check_function("GRU step", gru_step, keras_gru_step, gru_cases, rtol=1e-4, atol=1e-5,
                      hint="probe keras_gru_step with all weights zero but one block of one bias row, from h_prev = 1: "
                           "see which block moves the output how, and whether that bias row sits inside the reset gate's product");

# %% [markdown] slideshow={"slide_type": "slide"}
# ### Exercise 3: which setting loses cuDNN?
#
# You want a regularised LSTM that still runs on the fast cuDNN kernel on a GPU. Which **one** of
# these changes would make Keras fall back to its slow generic loop? Set `cudnn_breaker` to the letter.
#
# - (a) `LSTM(256)` instead of `LSTM(128)`
# - (b) `LSTM(128, dropout=0.2)`
# - (c) `LSTM(128, recurrent_dropout=0.2)`
# - (d) `LSTM(128, return_sequences=True)` followed by a second LSTM

# %% slideshow={"slide_type": "skip"} tags=["solution"]
cudnn_breaker = "c"

# %%
checks.check_choice("setting that disables cuDNN", cudnn_breaker, digest="484c34cb1a372ed7dbe5",
                    hint="cuDNN can drop inputs before the fused loop, but not inside it");

# %% [markdown] slideshow={"slide_type": "slide"}
# ### Exercise 4: per-digit recall from the confusion matrix
#
# The *recall* of a digit is the share of its test images that the model labels correctly. Compute
# the recall of all ten digits from `confusion` (rows are true digits) as an array `recall` of
# length 10, and the digit with the lowest recall as `hardest_digit`.

# %% slideshow={"slide_type": "skip"} tags=["solution"]
recall = np.diag(confusion) / confusion.sum(axis=1)
hardest_digit = int(np.argmin(recall))

# %%
reference_recall = sk_metrics.recall_score(mnist.y_test, lstm_predicted, average=None, labels=range(10))
checks.check_value("recall per digit", recall, reference_recall, rtol=1e-9,
                   hint="divide the diagonal by the row sums")
checks.check_value("hardest digit", hardest_digit, int(np.argmin(reference_recall)),
                   hint="the digit whose recall is the lowest, not the one with the fewest test images");

# %% [markdown] slideshow={"slide_type": "slide"}
# ### Exercise 5 (experiment): remember the first value
#
# Build `long_memory_model`, a model with an `LSTM(16)` that reads the sequences of section 9
# forwards and outputs one number per sequence, and train it on `memory_x`, `memory_y` with the
# SimpleRNN's budget (`MEMORY_SETTINGS`, `memory_epochs`). The check draws 2 000 fresh sequences and
# wants a test MSE of at most a tenth of $\operatorname{Var}(v_1)$ (3 % of it in full mode, which
# trains longer). Be warned: an `LSTM(16)` with Keras's default initialisation does no better than
# the SimpleRNN here. Work out why (section 6's $\prod_t f_t$ is the clue: what is it for a fresh
# layer?) and change what the network starts from, not the budget.

# %% slideshow={"slide_type": "skip"} tags=["solution"]
keras.utils.set_random_seed(cfg.seed)
long_memory_model = keras.Sequential([keras.Input(shape=(None, 2)), keras.layers.LSTM(16), keras.layers.Dense(1)],
                                     name="lstm_memory")
memory_kernel, memory_recurrent, memory_bias = long_memory_model.layers[0].get_weights()
memory_bias[16:32] = 5.0  # the forget block, second in Keras's order i, f, g, o: f starts at σ(5) ≈ 0.993
long_memory_model.layers[0].set_weights([memory_kernel, memory_recurrent, memory_bias])
long_memory_run = training.compile_and_fit(long_memory_model, memory_x, memory_y, settings=MEMORY_SETTINGS,
                                           epochs=memory_epochs)
print(long_memory_run)

# %%
def judge_first_value_memory(model):
    """Test MSE recalling the first value of 2 000 fresh sequences; target: 10 % (full mode 3 %) of their variance."""
    if reads_backwards(model):
        return False, "it reads the sequences backwards (go_backwards or Bidirectional), so the first value comes last"
    mse, variance = first_value_mse(model, seed=cfg.seed + 5)
    share = cfg.pick(full=0.03, fast=0.1)
    return mse <= share * variance, (f"test MSE {mse:.4f} on 2 000 fresh sequences, target at most "
                                     f"{checks.times(share, 'their variance')} = {share * variance:.4f}")


checks.check_experiment("a memory of 50 steps", long_memory_model, judge_first_value_memory,
                        hint="how much of c_1 is left after 49 steps of f ≈ 0.73? Make the forget gate start close to 1; "
                             "section 3 says where its bias sits");

# %% [markdown] slideshow={"slide_type": "slide"}
# ### Exercise 6 (experiment): the same memory with a GRU
#
# A GRU has no cell state and no forget gate, and a quarter fewer parameters. Build and train
# `gru_memory_model`, with a `GRU(16)` reading forwards, on the same data and budget, to the same
# target as Exercise 5. A GRU with Keras's default initialisation fails too. Which of its gates
# decides what the state keeps, which value must it start near for a long memory (the last row of
# the table in section 2), and where does its bias sit (Exercise 2)?

# %% slideshow={"slide_type": "skip"} tags=["solution"]
keras.utils.set_random_seed(cfg.seed)
gru_memory_model = keras.Sequential([keras.Input(shape=(None, 2)), keras.layers.GRU(16), keras.layers.Dense(1)],
                                    name="gru_memory")
gru_kernel, gru_recurrent, gru_bias = gru_memory_model.layers[0].get_weights()
gru_bias[0, :16] = 4.0  # the update gate z comes first; z ≈ σ(4) ≈ 0.98 keeps the state, h_t ≈ h_{t-1}
gru_memory_model.layers[0].set_weights([gru_kernel, gru_recurrent, gru_bias])
gru_memory_run = training.compile_and_fit(gru_memory_model, memory_x, memory_y, settings=MEMORY_SETTINGS,
                                          epochs=memory_epochs)
print(gru_memory_run)

# %%
def judge_gru_memory(model):
    """Exercise 5's measure, for a model whose recurrent layer is a GRU; also compares its size with an LSTM's."""
    grus = [layer for layer in memory_model_layers(model) if isinstance(layer, keras.layers.GRU)]
    if not grus or reads_backwards(model):
        return False, "the model needs a keras.layers.GRU that reads the sequences forwards"
    lstm_size = count_layer_parameters(keras.layers.LSTM(grus[0].units), MEMORY_STEPS, 2)
    sizes = f"the GRU layer has {grus[0].count_params():,} parameters, an LSTM of as many units {lstm_size:,}"
    mse, variance = first_value_mse(model, seed=cfg.seed + 6)
    share = cfg.pick(full=0.03, fast=0.1)
    return mse <= share * variance, (f"test MSE {mse:.4f} on 2 000 fresh sequences, target at most "
                                     f"{checks.times(share, 'their variance')} = {share * variance:.4f}; {sizes}")


checks.check_experiment("a GRU's memory of 50 steps", gru_memory_model, judge_gru_memory,
                        hint="h_t = z h_{t-1} + (1 - z) h̃_t: which value of z keeps the state? Start z there, through the "
                             "bias of its block");

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# - A simple RNN multiplies one Jacobian per step, so its gradients vanish or explode over long
#   sequences; we measured a million-fold shrink over 28 steps.
# - The LSTM's cell state is updated additively, $c_t = f_t\odot c_{t-1} + i_t\odot g_t$, and its
#   gates decide what to forget, write and read; the GRU does the same job with two gates and
#   three weight blocks. An LSTM layer has $4(u(u+f)+u)$ parameters.
# - Keras stores the LSTM blocks in the order $i, f, g, o$; with that, twenty lines of NumPy
#   reproduce `keras.layers.LSTM` to $10^{-5}$, trained weights included.
# - Reading MNIST row by row, LSTM(128) → Dense(10) with Adam, a cosine learning-rate decay and
#   clipping passes 98.5 % test accuracy. Trained to answer at the end, it does not answer early,
#   and rows in the wrong order confuse it.
# - GRUs are smaller, stacked and bidirectional LSTMs slower; keep the default activations, no
#   recurrent dropout and no unrolling so a GPU can use cuDNN. For images a dense (or convolutional)
#   network is far cheaper; LSTMs are for genuine sequences.
# - Asked to recall the first of 50 noisy values, a trained SimpleRNN does little better than
#   guessing, and so do an LSTM and a GRU as Keras initialises them: in all three fresh layers the
#   first value's influence fades a thousand-fold over 49 steps. Over 10 steps all three succeed.
#   Gated cells *can* keep a value for 50 steps, if training can find the way (Exercises 5 and 6).
# - On a recorded membrane potential, 10 samples ahead, a small LSTM beats both the last-value
#   forecast and a tuned linear autoregression on a later test period; on a regime it was not
#   trained on (the bursts after it) it can do worse than the naive forecast.
# - Compared at one short budget over several seeds, the variants' accuracies are measured with
#   their spread; such a table ranks speed of learning, not the best model at convergence.
#
# Previous: [Week 6 — Denoising and regularised autoencoders](06_denoising_regularized_autoencoders.ipynb).
# Next: [Week 8 — What autoencoders are for: anomalies, pre-training and generation](08_anomalies_pretraining_vae.ipynb).
