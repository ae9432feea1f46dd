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
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/ml-course-lab/autoencoders-pca-lstm-keras/blob/main/notebooks/08_anomalies_pretraining_vae.ipynb)
#
# # Week 8 — What autoencoders are for: anomalies, pre-training and generation
#
# Seven weeks taught autoencoders to copy their input through a bottleneck. This week puts that skill
# to three uses. **Anomaly detection**: a network that has only seen normal data reconstructs it well
# and anything else badly, so the reconstruction error is an alarm; we score it with ROC curves, pick
# a threshold for 1 % false alarms, and find where it fails (a held-out digit "1" reconstructs
# *better* than the normal digits). **Pre-training**: the encoder, trained without labels, gives
# features on which a classifier learns from 100 labels. **Generation**: decoding points of a plain
# autoencoder's code space often gives no digit at all; the variational autoencoder (VAE) fixes that
# by training the codes to fill a known distribution, from which we then draw new digits.
#
# **You will learn to**
# - turn a reconstruction error into an anomaly score, and judge it by its ROC curve, AUC and the
#   false-alarm rate of a threshold chosen on validation data;
# - explain why reconstruction error misses simple anomalies, measure it, and build a better score;
# - use an encoder trained without labels as a feature extractor and as the start of a classifier,
#   and measure when that helps;
# - derive the evidence lower bound (ELBO) of a VAE, write its sampling step as a Keras layer that
#   runs on every backend, and read the trade that its $\beta$ weight makes.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## Setup
#
# The same set-up cell as in every notebook, then this week's tools: scikit-learn for ROC curves,
# PCA, logistic regression and nearest neighbours, and SciPy's normal quantiles for the VAE's map.

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
import time

import keras
import matplotlib.pyplot as plt
import pandas as pd
from scipy.stats import norm
from sklearn import metrics as sk_metrics
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.neighbors import NearestNeighbors
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from course_utils import training

NOTEBOOK = "08_anomalies_pretraining_vae"
mnist = data.load_mnist()
fashion = data.load_fashion_mnist()
print(mnist)
print(fashion)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. Anomaly detection by reconstruction error
#
# Suppose we only ever see *normal* examples — healthy machines, genuine transactions, handwritten
# digits — and want an alarm for anything else. Train an autoencoder on normal data only. It learns
# to reconstruct what it has seen; an input unlike the training data lands where the decoder has
# learned nothing useful, so its reconstruction is poor. The **anomaly score** of an image $x$ is its
# reconstruction error,
#
# $$s(x) = \frac{1}{784}\,\lVert x - g(f(x)) \rVert^2 ,$$
#
# and an alarm rings when $s(x) > t$ for a threshold $t$. PCA gives the same kind of score with its
# linear reconstruction; we compare the two at the same code size, 30.
#
# Our detector is a dense autoencoder 784-256-30-256-784 with a linear code layer, trained on all
# MNIST training digits. Its encoder serves again in section 2.

# %%
CODE_SIZE = 30


def build_dense_ae(code_size, name):
    """Dense AE 784-256-code-256-784 on 28 x 28 images; returns the AE, its encoder and its decoder."""
    encoder = keras.Sequential([keras.Input(shape=(28, 28)), keras.layers.Flatten(),
                                keras.layers.Dense(256, activation="relu"), keras.layers.Dense(code_size)],
                               name=f"{name}_encoder")
    decoder = keras.Sequential([keras.Input(shape=(code_size,)), keras.layers.Dense(256, activation="relu"),
                                keras.layers.Dense(784, activation="sigmoid"), keras.layers.Reshape((28, 28))],
                               name=f"{name}_decoder")
    autoencoder = keras.Sequential([keras.Input(shape=(28, 28)), encoder, decoder], name=name)
    return autoencoder, encoder, decoder


# %% tags=["parameters"]
# Adam with batches of 256 and binary cross-entropy, as in week 4
DETECTOR_SETTINGS = dict(optimizer="Adam", learning_rate=2e-3, loss="binary_crossentropy", batch_size=256, epochs=10)

# %%
ae30, encoder30, decoder30 = build_dense_ae(CODE_SIZE, "ae30")
ae30_run = training.compile_and_fit(ae30, mnist.x_train, mnist.x_train, settings=DETECTOR_SETTINGS,
                                    epochs=cfg.epochs(DETECTOR_SETTINGS["epochs"], fast=8),
                                    validation_data=(mnist.x_valid, mnist.x_valid))
print(ae30_run)

# %% [markdown] slideshow={"slide_type": "subslide"}
# Calling a model directly, `model(batch, training=False)`, on fixed-size batches is all we need to
# score images; unlike `model.predict` in a loop it does not re-trace the model for every call.

# %%
def call_in_batches(model, inputs, batch_size=2_000):
    """``model(inputs)`` computed batch by batch without training behaviour, as one NumPy array."""
    return np.concatenate([np.asarray(model(inputs[start:start + batch_size], training=False))
                           for start in range(0, len(inputs), batch_size)])


def ae_errors(autoencoder, images):
    """Per-image mean squared reconstruction error of a Keras autoencoder."""
    return np.mean((call_in_batches(autoencoder, images) - images) ** 2, axis=(1, 2))


def pca_errors(pca, images):
    """Per-image mean squared reconstruction error of a fitted scikit-learn PCA."""
    flat = data.flatten_images(images)
    return np.mean((pca.inverse_transform(pca.transform(flat)) - flat) ** 2, axis=1)


# %%
pca30 = PCA(n_components=CODE_SIZE, random_state=cfg.seed).fit(data.flatten_images(mnist.x_train))
ae_test_mse, pca_test_mse = ae_errors(ae30, mnist.x_test).mean(), pca_errors(pca30, mnist.x_test).mean()
print(f"test MSE on MNIST: AE-30 {ae_test_mse:.4f}, PCA-30 {pca_test_mse:.4f}")
training.record_result(NOTEBOOK, "ae30_mnist_detector", ae30_run, test_mse=ae_test_mse, pca_mse=pca_test_mse,
                       code_size=CODE_SIZE, data="MNIST")

# %% [markdown] slideshow={"slide_type": "slide"}
# ### Out of distribution: clothes among the digits
#
# The first test is easy to state: the detector has seen digits only; can it tell the 10 000 test
# digits (normal) from Fashion-MNIST's test images of clothes (anomalies)? We label anomalies 1 and
# normal images 0 and hand the labels and scores to scikit-learn.
#
# - The **ROC curve** draws, for every threshold $t$, the share of anomalies caught (true-positive
#   rate) against the share of normal images flagged (false-alarm rate).
# - The **AUC**, the area under it, is the probability that a random anomaly scores higher than a
#   random normal image: 1 is perfect, 0.5 is a coin toss, below 0.5 the score points the wrong way.

# %%
n_ood = cfg.limit(10_000, fast=1_000)
ood_images = np.concatenate([mnist.x_test[:n_ood], fashion.x_test[:n_ood]])
ood_labels = np.r_[np.zeros(n_ood), np.ones(n_ood)]             # 1 = anomaly (a piece of clothing)
ood_scores = {"AE-30": ae_errors(ae30, ood_images), "PCA-30": pca_errors(pca30, ood_images)}
ood_auc = {name: sk_metrics.roc_auc_score(ood_labels, score) for name, score in ood_scores.items()}
print(", ".join(f"{name}: AUC {auc:.3f}" for name, auc in ood_auc.items()))

# %%
# extra code – the two ROC curves
fig, ax = plt.subplots(figsize=(5.2, 4.4))
for name, score in ood_scores.items():
    false_alarms, detected, _ = sk_metrics.roc_curve(ood_labels, score)
    ax.plot(false_alarms, detected, label=f"{name} (AUC {ood_auc[name]:.3f})")
ax.plot([0, 1], [0, 1], ":", color="grey", label="chance")
ax.set_xscale("log")
ax.set_xlim(1e-3, 1)
ax.set(xlabel="false-alarm rate (digits flagged, log scale)", ylabel="detection rate (clothes flagged)",
       title="Digits vs clothes: ROC curves")
ax.legend(loc="lower right")
fig.tight_layout()

# %%
checks.verify(ood_auc["AE-30"] >= ood_auc["PCA-30"], "the AE-30 detector separates clothes from digits at least as well as PCA-30",
              f"AUC {ood_auc['AE-30']:.3f} vs {ood_auc['PCA-30']:.3f}")
ood_floor = cfg.pick(full=0.99, fast=0.95)
checks.verify(ood_auc["AE-30"] > ood_floor, f"the AE-30 detector's AUC exceeds {ood_floor}", f"{ood_auc['AE-30']:.4f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### A threshold for 1 % false alarms
#
# An AUC does not ring any bell: a deployed detector needs one threshold. The usual rule fixes the
# false-alarm rate we can afford, here 1 %, and sets $t$ at the 99th percentile of the scores of
# **normal validation** images — data the detector was not trained on, and not the test set, which
# must stay untouched to tell us honestly how the rule does on new data.

# %%
TARGET_FALSE_ALARMS = 0.01
threshold = np.quantile(ae_errors(ae30, mnist.x_valid), 1 - TARGET_FALSE_ALARMS)
test_alarms = ood_scores["AE-30"] > threshold
false_alarm_rate = test_alarms[ood_labels == 0].mean()
detection_rate = test_alarms[ood_labels == 1].mean()
print(f"threshold {threshold:.4f}: test false alarms {false_alarm_rate:.2%}, clothes detected {detection_rate:.2%}")

# %%
alarm_ceiling = cfg.pick(full=0.02, fast=0.04)  # 500 validation images in fast mode: a rougher percentile
checks.verify(false_alarm_rate <= alarm_ceiling, f"on the test digits the validation threshold raises at most "
              f"{alarm_ceiling:.0%} false alarms", f"{false_alarm_rate:.2%} for a target of {TARGET_FALSE_ALARMS:.0%}")

# %% [markdown] slideshow={"slide_type": "fragment"}
# The rule meets its target on new digits because validation and test digits come from the same
# distribution; it says nothing about how many alarms are *real*. That depends on how rare anomalies
# are, which Exercise 1 works out.

# %% [markdown] slideshow={"slide_type": "slide"}
# ### A held-out digit: ten detectors
#
# Clothes are very different from digits. A harder and more telling test: train a detector on nine
# digits and treat the tenth as the anomaly, once for every digit — ten detectors, each an AE-30 and
# a PCA-30 fitted on the same images. To fit the budget each AE trains on a subset for few epochs.

# %% tags=["parameters"]
# the detector's recipe, on a subset of the training digits and for only a few epochs
HELDOUT_SETTINGS = dict(optimizer="Adam", learning_rate=2e-3, loss="binary_crossentropy", batch_size=256, epochs=5)

# %%
n_heldout_train = cfg.limit(20_000, fast=3_000)
heldout_epochs = cfg.epochs(HELDOUT_SETTINGS["epochs"], fast=5)


def train_heldout_detector(digit):
    """AE-30 and PCA-30 fitted on the subset's images of every digit except ``digit``."""
    normal = mnist.x_train[:n_heldout_train][mnist.y_train[:n_heldout_train] != digit]
    keras.utils.set_random_seed(cfg.seed + digit)
    autoencoder, encoder, _ = build_dense_ae(CODE_SIZE, f"without_{digit}")
    run = training.compile_and_fit(autoencoder, normal, normal, settings=HELDOUT_SETTINGS, epochs=heldout_epochs)
    pca = PCA(n_components=CODE_SIZE, random_state=cfg.seed).fit(data.flatten_images(normal))
    return dict(autoencoder=autoencoder, encoder=encoder, pca=pca, normal_train=normal, run=run)


# %%
started = time.perf_counter()
heldout_detectors = {digit: train_heldout_detector(digit) for digit in range(10)}
heldout_seconds = time.perf_counter() - started
print(f"ten detectors trained in {heldout_seconds:.0f} s ({heldout_epochs} epochs on about "
      f"{0.9 * n_heldout_train:,.0f} images each)")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Every detector scores the whole test set; its held-out digit is the anomaly. Alongside the
# reconstruction errors we keep each test image's **ink**, its mean pixel value.

# %%
ink = mnist.x_test.mean(axis=(1, 2))
heldout_rows, heldout_errors = [], {}
for digit, detector in heldout_detectors.items():
    is_anomaly = mnist.y_test == digit
    errors = ae_errors(detector["autoencoder"], mnist.x_test)
    heldout_errors[digit] = errors
    heldout_rows.append({"held-out digit": digit,
                         "AE-30": sk_metrics.roc_auc_score(is_anomaly, errors),
                         "PCA-30": sk_metrics.roc_auc_score(is_anomaly, pca_errors(detector["pca"], mnist.x_test)),
                         "AE-30 error / ink": sk_metrics.roc_auc_score(is_anomaly, errors / ink)})
heldout_auc = pd.DataFrame(heldout_rows).set_index("held-out digit")
heldout_auc.loc["mean"] = heldout_auc.mean()
heldout_auc.round(3)

# %%
mean_auc = heldout_auc.loc["mean"]
checks.verify(mean_auc["AE-30"] >= mean_auc["PCA-30"], "averaged over the ten held-out digits, AE-30 detects at least as well as PCA-30",
              f"mean AUC {mean_auc['AE-30']:.3f} vs {mean_auc['PCA-30']:.3f}")
checks.verify(heldout_auc.loc[1, "AE-30"] < 0.5, "a held-out 1 gets a *lower* reconstruction error than the normal digits",
              f"AUC {heldout_auc.loc[1, 'AE-30']:.3f}")
training.record_result(NOTEBOOK, "ae30_without_0", heldout_detectors[0]["run"], code_size=CODE_SIZE, data="MNIST",
                       heldout_mean_auc=mean_auc["AE-30"], pca_heldout_mean_auc=mean_auc["PCA-30"])

# %% [markdown] slideshow={"slide_type": "slide"}
# ### Why reconstruction error misses the 1s
#
# The detectors work well for some digits and point the wrong way for others. The 1 is the extreme:
# a thin stroke, little ink, and its reconstruction error is *below* that of the normal digits.
# The squared error adds up over the pixels where something is drawn: an image with little ink has
# few pixels to get wrong, however unfamiliar its shape. The error measures the amount of ink at least
# as much as how unusual the image is. If so, the digits with the least ink should be the hardest to
# catch. We correlate, over the ten detectors, each held-out digit's mean ink with its AUC:

# %%
mean_ink = pd.Series(ink).groupby(mnist.y_test).mean()
ink_auc_correlation = np.corrcoef(mean_ink, heldout_auc.drop(index="mean")["AE-30"])[0, 1]
print("mean ink per digit:", " ".join(f"{digit}: {value:.3f}" for digit, value in mean_ink.items()))
checks.verify(mean_ink.idxmin() == 1, "1s carry the least ink of all digits", f"{mean_ink[1]:.3f} vs mean {mean_ink.mean():.3f}")
checks.verify(ink_auc_correlation > 0.6, "the less ink a held-out digit has, the worse its detector does",
              f"correlation of mean ink with AUC over the ten digits r = {ink_auc_correlation:.2f}")

# %% [markdown] slideshow={"slide_type": "fragment"}
# Image by image, the detector that never saw a 1 shows the same: the held-out 1s sit at the
# bottom left, little ink and small errors, below most normal digits.

# %%
normal_of_1 = mnist.y_test != 1
image_correlation = np.corrcoef(ink, heldout_errors[1])[0, 1]
print(f"detector without 1s: correlation of error with ink over all test images r = {image_correlation:.2f}")

# %%
# extra code – error against ink for the detector that never saw a 1
fig, ax = plt.subplots(figsize=(6, 4))
ax.scatter(ink[normal_of_1], heldout_errors[1][normal_of_1], s=3, alpha=0.3, label="normal digits (0, 2–9)")
ax.scatter(ink[~normal_of_1], heldout_errors[1][~normal_of_1], s=3, alpha=0.5, color="tab:red", label="held-out 1s")
ax.set(xlabel="ink (mean pixel value)", ylabel="reconstruction error (MSE)",
       title=f"Detector without 1s: error against ink (r = {image_correlation:.2f})")
ax.legend(markerscale=4)
fig.tight_layout()

# %% [markdown] slideshow={"slide_type": "subslide"}
# A first fix divides the error by the ink, $s(x)/\bar{x}$: the error *per unit of ink*. It no
# longer rewards an image for being faint.

# %%
ratio_gain = mean_auc["AE-30 error / ink"] - mean_auc["AE-30"]
checks.verify(ratio_gain > 0, "error / ink has a higher mean AUC than the plain error",
              f"{mean_auc['AE-30 error / ink']:.3f} vs {mean_auc['AE-30']:.3f}")
checks.verify(heldout_auc.loc[1, "AE-30 error / ink"] > heldout_auc.loc[1, "AE-30"] + 0.2,
              "for the held-out 1 the ratio turns the score the right way round",
              f"AUC {heldout_auc.loc[1, 'AE-30']:.3f} → {heldout_auc.loc[1, 'AE-30 error / ink']:.3f}")

# %%
# extra code – per-digit AUC of the three scores
fig, ax = plt.subplots(figsize=(8, 3.6))
heldout_auc.drop(index="mean").plot.bar(ax=ax, width=0.8, rot=0)
ax.axhline(0.5, color="grey", linestyle=":")
ax.set(ylim=(0, 1), ylabel="AUC", title="Held-out digit detection, one detector per digit")
ax.legend(loc="lower right", fontsize=8)
fig.tight_layout()

# %% [markdown] slideshow={"slide_type": "fragment"}
# The ratio is a patch: it helps the faint digits and can hurt others. A score that asks directly
# "is this image far from everything I was trained on?" works in the encoder's code space, where
# distances follow the shape of a digit more than its ink — Exercise 3 builds it.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. Pre-training: features learnt without labels
#
# Labels are expensive; unlabelled images are cheap. The encoder of section 1 was trained on 55 000
# digits without ever reading a label. Does it help a classifier that has only 100 or 1 000 labels?
# We compare, with the labelled digits drawn evenly from the ten classes and three draws (seeds):
#
# - **logistic regression** on three kinds of features: raw pixels, PCA-30 codes (PCA fitted on all
#   unlabelled training images, like the AE), and the AE-30 encoder's codes. Its regularisation
#   strength $C$ is chosen by 3-fold cross-validation on the labelled digits only;
# - **the same network trained from scratch**: the encoder's architecture with a softmax layer on top,
#   random weights, trained on the labelled digits;
# - **fine-tuning**: the same network started from the pre-trained encoder's weights, trained with
#   the same settings for the same number of steps.

# %%
def labelled_subset(labels, n_labels, seed):
    """Indices of ``n_labels`` training digits, the same number of each class, drawn with ``seed``."""
    rng = np.random.default_rng(seed)
    return np.concatenate([rng.choice(np.flatnonzero(labels == digit), n_labels // 10, replace=False)
                           for digit in range(10)])


def logistic_accuracy(train_features, train_labels, test_features):
    """Test accuracy of a standardised logistic regression whose C is picked by 3-fold CV."""
    search = GridSearchCV(make_pipeline(StandardScaler(), LogisticRegression(max_iter=1_000)),
                          {"logisticregression__C": [0.01, 0.1, 1.0, 10.0]}, cv=3)
    with threadpool_limits(1):  # scikit-learn's BLAS threads would compete with the backend's
        search.fit(train_features, train_labels)
        return float(np.mean(search.predict(test_features) == mnist.y_test))


# %%
def build_digit_classifier(pretrained_encoder=None):
    """Encoder architecture + Dense(10, softmax); random weights, or a copy of ``pretrained_encoder``'s."""
    body = keras.models.clone_model(encoder30)  # same layers, freshly initialised
    if pretrained_encoder is not None:
        body.set_weights(pretrained_encoder.get_weights())
    return keras.Sequential([keras.Input(shape=(28, 28)), body, keras.layers.Dense(10, activation="softmax")])


def classifier_accuracy(model, images, labels):
    """Share of ``images`` whose most probable class is the label."""
    return float(np.mean(np.argmax(call_in_batches(model, images), axis=1) == labels))


# %% tags=["parameters"]
# the same settings, and so the same number of steps, from scratch and for fine-tuning
FEW_LABELS_SETTINGS = dict(optimizer="Adam", learning_rate=1e-3, loss="sparse_categorical_crossentropy",
                           batch_size=32, epochs=50)

# %%
few_label_epochs = cfg.epochs(FEW_LABELS_SETTINGS["epochs"], fast=20)
feature_sets = {"raw pixels": lambda x: data.flatten_images(x), "PCA-30": lambda x: pca30.transform(data.flatten_images(x)),
                "AE-30 codes": lambda x: call_in_batches(encoder30, x)}
test_features = {name: features(mnist.x_test) for name, features in feature_sets.items()}


def few_label_accuracies(n_labels, seed):
    """Test accuracy of the five approaches trained on one draw of ``n_labels`` labelled digits."""
    chosen = labelled_subset(mnist.y_train, n_labels, seed)
    images, labels = mnist.x_train[chosen], mnist.y_train[chosen]
    row = {name: logistic_accuracy(features(images), labels, test_features[name]) for name, features in feature_sets.items()}
    for name, start in [("scratch network", None), ("fine-tuned encoder", encoder30)]:
        keras.utils.set_random_seed(cfg.seed + seed)
        model = build_digit_classifier(start)
        training.compile_and_fit(model, images, labels, settings=FEW_LABELS_SETTINGS, epochs=few_label_epochs)
        row[name] = classifier_accuracy(model, mnist.x_test, mnist.y_test)
    return {"labels": n_labels, "seed": seed, **row}


# %%
started = time.perf_counter()
few_label_runs = pd.DataFrame([few_label_accuracies(n_labels, seed) for n_labels in (100, 1_000) for seed in range(3)])
print(f"30 classifiers in {time.perf_counter() - started:.0f} s")
few_label_table = few_label_runs.drop(columns="seed").groupby("labels").agg(["mean", "std"])
few_label_table.round(3)

# %% [markdown] slideshow={"slide_type": "subslide"}
# Each entry is the mean test accuracy over the three draws and its standard deviation. In a
# shorter form, mean ± spread:

# %%
approaches = [column for column in few_label_runs.columns if column not in ("labels", "seed")]
mean_accuracy = few_label_runs.groupby("labels")[approaches].mean()
spread = few_label_runs.groupby("labels")[approaches].std()
print(mean_accuracy.round(3).astype(str) + " ± " + spread.round(3).astype(str))

# %%
at_100, at_1000 = mean_accuracy.loc[100], mean_accuracy.loc[1_000]
codes_factor = cfg.pick(full=1.0, fast=0.97)  # fast mode's encoder saw 5 500 digits for a few epochs
best_linear = max(at_100["raw pixels"], at_100["PCA-30"])
checks.verify(at_100["AE-30 codes"] > codes_factor * best_linear, "with 100 labels, logistic regression on the AE's "
              f"codes beats {checks.times(codes_factor, 'its best on pixels or PCA codes')}",
              f"{at_100['AE-30 codes']:.3f} vs {at_100['raw pixels']:.3f} (pixels) and {at_100['PCA-30']:.3f} (PCA-30)")
gain_1000 = at_1000["fine-tuned encoder"] - at_1000["scratch network"]
checks.verify(gain_1000 < 0.02, "with 1 000 labels, fine-tuning gains less than 2 points over the network trained from scratch",
              f"{at_1000['fine-tuned encoder']:.3f} vs {at_1000['scratch network']:.3f}")

# %% [markdown] slideshow={"slide_type": "fragment"}
# Read the table with its spreads: a difference smaller than them is not a finding. The pre-trained
# codes help most where labels are fewest, because the encoder already groups similar digits and a
# linear boundary on 30 numbers needs few examples. Fine-tuning is less clear-cut: it starts from
# features made for reconstruction, not for telling digits apart, and with the same steps and
# learning rate as from scratch it can lose that head start or even trail: compare its column with
# the scratch network's. With 1 000 labels the network trained from scratch learns features for the
# task itself and pre-training buys little.
# Pre-training pays where labels are scarce and unlabelled data plentiful; whether to fine-tune or
# to keep the encoder fixed is a question to measure, as here, not to assume.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. Generation: the holes in a plain autoencoder's code space
#
# A decoder turns any code into an image, so why not decode new codes to make new digits? Take an
# autoencoder with a 2-D code, so that we can walk its whole code space on a grid.

# %% tags=["parameters"]
# the detector's recipe for the 2-D autoencoder
AE2_SETTINGS = dict(optimizer="Adam", learning_rate=2e-3, loss="binary_crossentropy", batch_size=256, epochs=10)

# %%
keras.utils.set_random_seed(cfg.seed)
ae2, encoder2, decoder2 = build_dense_ae(2, "ae2")
ae2_run = training.compile_and_fit(ae2, mnist.x_train, mnist.x_train, settings=AE2_SETTINGS,
                                   epochs=cfg.epochs(AE2_SETTINGS["epochs"], fast=8),
                                   batch_size=cfg.pick(full=AE2_SETTINGS["batch_size"], fast=64))
print(ae2_run)
training.record_result(NOTEBOOK, "ae2_mnist", ae2_run, test_mse=ae_errors(ae2, mnist.x_test).mean(), code_size=2, data="MNIST")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **The hole share.** To generate, we would draw codes from a simple distribution that matches the
# training codes: the Gaussian with their mean $m$ and covariance $C = LL^\top$. We decode a 20 × 20
# grid at equal *probability* steps of it, $z = m + L\,u$ with each coordinate of $u$ on the 5 %, 10 %,
# …, 95 % quantiles of $\mathcal N(0, 1)$ (`norm.ppf`; for codes that follow $\mathcal N(0, I)$ this is
# Kingma and Welling's grid). A grid point is a **hole** when it lies farther from every training code
# than 99 % of the test digits' codes lie from their nearest training code: a place where the decoder
# never saw a code during training, so that what it draws there is a guess. Distances are measured in
# each model's own code space, so the rule suits codes of any scale.

# %%
QUANTILE_STEPS = norm.ppf(np.linspace(0.05, 0.95, 20))


def gaussian_quantile_grid(codes):
    """A 20 x 20 grid of 2-D codes at equal-probability steps of the Gaussian fitted to ``codes``."""
    first, second = np.meshgrid(QUANTILE_STEPS, QUANTILE_STEPS[::-1])
    steps = np.column_stack([first.ravel(), second.ravel()])
    return (codes.mean(axis=0) + steps @ np.linalg.cholesky(np.cov(codes.T)).T).astype("float32")


def hole_share(train_codes, test_codes, grid):
    """Share of ``grid`` farther from every training code than 99 % of test codes are from theirs."""
    nearest = NearestNeighbors(n_neighbors=1).fit(train_codes)
    hole_distance = np.quantile(nearest.kneighbors(test_codes)[0][:, 0], 0.99)
    return float(np.mean(nearest.kneighbors(grid)[0][:, 0] > hole_distance))


# %%
ae2_train_codes, ae2_test_codes = call_in_batches(encoder2, mnist.x_train), call_in_batches(encoder2, mnist.x_test)
ae2_grid = gaussian_quantile_grid(ae2_train_codes)
ae2_holes = hole_share(ae2_train_codes, ae2_test_codes, ae2_grid)
ae2_grid_images = call_in_batches(decoder2, ae2_grid)
print(f"plain AE-2: {ae2_holes:.0%} of the grid are holes")

# %%
# extra code – the codes of the test digits, and the decoded grid
fig, axes = plt.subplots(1, 2, figsize=(11, 5))
plotting.plot_embedding(ae2_test_codes, mnist.y_test, ax=axes[0])
axes[0].plot(ae2_grid[:, 0], ae2_grid[:, 1], "k.", markersize=2)
axes[0].set_title("plain AE-2: test codes and the grid (black dots)")
axes[1].imshow(ae2_grid_images.reshape(20, 20, 28, 28).transpose(0, 2, 1, 3).reshape(560, 560), cmap="binary")
axes[1].set_title(f"the decoded grid ({ae2_holes:.0%} holes)")
axes[1].axis("off")
fig.tight_layout()

# %% [markdown] slideshow={"slide_type": "fragment"}
# The plain autoencoder was only asked to reconstruct its training images. Nothing made it use its
# code space evenly, let alone like a Gaussian: the classes spread out in arms and clusters with
# empty gaps between them. There the decoder was never trained, and what it draws is a smear, a blend, or the
# same stroke stretched on and on.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4. The variational autoencoder
#
# Kingma and Welling's VAE (2013) makes the code space usable by design. The encoder no longer
# outputs one code but a Gaussian distribution over codes, $q(z\mid x) = \mathcal N\!\left(\mu(x),
# \operatorname{diag}\sigma^2(x)\right)$; the decoder gives the probability $p(x \mid z)$ of each pixel
# (a Bernoulli with mean $g(z)$), and codes are supposed to come from a prior $p(z) = \mathcal N(0, I)$.
# Training maximises the **evidence lower bound** on $\log p(x)$:
#
# $$\log p(x) \;\ge\; \underbrace{\mathbb E_{z \sim q(z\mid x)}\big[\log p(x \mid z)\big]}_{-\text{reconstruction}}
#   \;-\; \underbrace{D_{\mathrm{KL}}\big(q(z \mid x)\,\Vert\,p(z)\big)}_{\text{KL term}} = \mathrm{ELBO}(x).$$
#
# We minimise $-\mathrm{ELBO}$, in **nats per image** (natural logarithms, summed over all 784 pixels):
#
# - the reconstruction term is the binary cross-entropy **summed** over the pixels (Keras's
#   `"binary_crossentropy"` *averages* them, which would shrink it 784-fold against the KL term);
# - for Gaussians the KL term is exact:
#   $D_{\mathrm{KL}} = \tfrac12 \sum_j \left(\sigma_j^2 + \mu_j^2 - 1 - \log \sigma_j^2\right)$. It pulls
#   every image's codes towards the prior, so the codes of all images together fill $\mathcal N(0, I)$
#   without holes, and decoding a draw from the prior gives a digit.
#
# With inputs in $[0, 1]$ rather than 0/1, the cross-entropy cannot reach zero: the numbers are
# comparable between our models, not with papers that binarise MNIST.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The reparameterisation trick as a Keras layer
#
# The expectation needs a sample $z \sim q(z \mid x)$, and a gradient cannot flow through "draw a
# random number". Write the draw as a deterministic function of the encoder's outputs and outside
# noise: $z = \mu + \sigma \odot \varepsilon$ with $\varepsilon \sim \mathcal N(0, I)$. The gradient
# now reaches $\mu$ and $\sigma$. The layer below does that with `keras.ops` and `keras.random`, so
# it runs on TensorFlow, JAX and PyTorch alike; its `SeedGenerator` makes its noise repeatable. The
# encoder outputs the **code statistics** $(\mu, \log\sigma^2)$ side by side; working with
# $\log\sigma^2$ keeps $\sigma$ positive without any constraint.

# %%
class GaussianSample(keras.layers.Layer):
    """Draw z = mean + exp(log_var / 2) * noise from code statistics [mean, log_var] (last axis)."""

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, code_stats):
        mean, log_var = keras.ops.split(code_stats, 2, axis=-1)
        noise = keras.random.normal(keras.ops.shape(mean), seed=self.seed_generator)
        return mean + keras.ops.exp(0.5 * log_var) * noise


# %% [markdown] slideshow={"slide_type": "subslide"}
# The model has two outputs in a dict: the decoded `"image"` and the `"code_stats"`. Keras gives each
# output its own loss: the summed cross-entropy on the image, and on the code statistics the KL term
# times $\beta$ (1 for the ELBO itself; section 5 varies it). The KL loss ignores its target, so we
# feed zeros. No `add_loss`, no custom training step: the model trains with `fit` on every backend.

# %%
def summed_binary_crossentropy(y_true, y_pred):
    """Binary cross-entropy of every pixel, summed per image (nats)."""
    y_pred = keras.ops.clip(y_pred, 1e-7, 1 - 1e-7)
    per_pixel = -(y_true * keras.ops.log(y_pred) + (1 - y_true) * keras.ops.log(1 - y_pred))
    return keras.ops.sum(keras.ops.reshape(per_pixel, (keras.ops.shape(per_pixel)[0], -1)), axis=1)


def kl_to_standard_normal(code_stats):
    """KL divergence of N(mean, exp(log_var)) from N(0, I), per image (nats)."""
    mean, log_var = keras.ops.split(code_stats, 2, axis=-1)
    return 0.5 * keras.ops.sum(keras.ops.exp(log_var) + keras.ops.square(mean) - 1.0 - log_var, axis=-1)


def vae_losses(beta):
    """The VAE's two losses by output name: reconstruction, and beta times the KL term."""
    return {"image": summed_binary_crossentropy,
            "code_stats": lambda y_true, code_stats: beta * kl_to_standard_normal(code_stats)}


# %%
def build_vae(latent_size, name, seed=0):
    """Dense VAE 784-256-(mean, log_var)-256-784; returns the model, its statistics encoder and its decoder."""
    stats_encoder = keras.Sequential([keras.Input(shape=(28, 28)), keras.layers.Flatten(),
                                      keras.layers.Dense(256, activation="relu"), keras.layers.Dense(2 * latent_size)],
                                     name=f"{name}_encoder")
    _, _, decoder = build_dense_ae(latent_size, name)  # the plain AE's decoder architecture
    images = keras.Input(shape=(28, 28))
    code_stats = stats_encoder(images)
    decoded = decoder(GaussianSample(seed=seed)(code_stats))
    return keras.Model(images, {"image": decoded, "code_stats": code_stats}, name=name), stats_encoder, decoder


def vae_targets(images, latent_size):
    """What ``fit`` compares the two outputs with: the images, and zeros that the KL loss ignores."""
    return {"image": images, "code_stats": np.zeros((len(images), 2 * latent_size), dtype="float32")}


# %% tags=["parameters"]
# Adam at Keras's default rate; loss "elbo" stands for the two losses of vae_losses (beta = 1)
VAE_SETTINGS = dict(optimizer="Adam", learning_rate=1e-3, loss="elbo", batch_size=128, epochs=10)

# %%
def train_vae(latent_size, beta, name):
    """Build a VAE and train it on the training digits with VAE_SETTINGS and the given beta."""
    keras.utils.set_random_seed(cfg.seed)
    model, stats_encoder, decoder = build_vae(latent_size, name, seed=cfg.seed)
    run = training.compile_and_fit(model, mnist.x_train, vae_targets(mnist.x_train, latent_size),
                                   settings=dict(VAE_SETTINGS, loss=vae_losses(beta)),
                                   epochs=cfg.epochs(VAE_SETTINGS["epochs"], fast=8),
                                   batch_size=cfg.pick(full=VAE_SETTINGS["batch_size"], fast=32))
    return model, stats_encoder, decoder, run


vae2, vae2_encoder, vae2_decoder, vae2_run = train_vae(2, 1.0, "vae2")
print(vae2_run)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **The ELBO on test digits.** One draw of $z$ per image gives an unbiased estimate of the
# reconstruction term; the KL term is exact. Both are in nats per image.

# %%
def elbo_terms(model, images, batch_size=2_000):
    """Mean reconstruction term and KL term (nats per image) of a VAE on ``images``, one draw each."""
    reconstruction, kl = [], []
    for start in range(0, len(images), batch_size):
        batch = images[start:start + batch_size]
        outputs = model(batch, training=False)
        reconstruction.append(np.asarray(summed_binary_crossentropy(batch, outputs["image"])))
        kl.append(np.asarray(kl_to_standard_normal(outputs["code_stats"])))
    return float(np.mean(np.concatenate(reconstruction))), float(np.mean(np.concatenate(kl)))


vae2_reconstruction, vae2_kl = elbo_terms(vae2, mnist.x_test)
vae2_neg_elbo = vae2_reconstruction + vae2_kl
print(f"VAE-2 on the test digits: reconstruction {vae2_reconstruction:.1f} + KL {vae2_kl:.2f} = "
      f"-ELBO {vae2_neg_elbo:.1f} nats per image")
training.record_result(NOTEBOOK, "vae2_mnist", vae2_run, code_size=2, data="MNIST", loss="ELBO (beta 1)",
                       test_neg_elbo=vae2_neg_elbo, test_kl=vae2_kl)

# %%
elbo_ceiling = cfg.pick(full=165, fast=200)
checks.verify(vae2_neg_elbo < elbo_ceiling, f"VAE-2's test -ELBO is below {elbo_ceiling} nats per image",
              f"{vae2_neg_elbo:.1f}")
checks.verify(vae2_kl > 1.0, "the KL term is not collapsed to zero: the 2-D codes carry information",
              f"{vae2_kl:.2f} nats, about {vae2_kl / np.log(2):.1f} bits per image")

# %% [markdown] slideshow={"slide_type": "slide"}
# ### The VAE's code space has no holes
#
# The same hole share, on the same kind of grid, built from the training digits' code means $\mu(x)$.

# %%
vae2_train_means = call_in_batches(vae2_encoder, mnist.x_train)[:, :2]
vae2_test_means = call_in_batches(vae2_encoder, mnist.x_test)[:, :2]
vae2_holes = hole_share(vae2_train_means, vae2_test_means, gaussian_quantile_grid(vae2_train_means))
print(f"holes: plain AE-2 {ae2_holes:.0%}, VAE-2 {vae2_holes:.0%}")
hole_factor = cfg.pick(full=0.5, fast=1.0)  # fast mode's short runs leave either code space less settled
checks.verify(vae2_holes <= hole_factor * ae2_holes,
              f"the VAE's grid has at most {checks.times(hole_factor, 'the plain AE')}'s share of holes",
              f"{vae2_holes:.0%} vs {ae2_holes:.0%}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **The learnt manifold**, as in Kingma and Welling's figure: since the codes follow $\mathcal N(0,
# I)$, a grid of equal *probability* steps, $z_j = \Phi^{-1}(p)$ for $p$ from 0.05 to 0.95 (`norm.ppf`),
# covers where the codes are. Every image on it is digit-like, and the digits morph smoothly into one
# another.

# %%
first, second = np.meshgrid(QUANTILE_STEPS, QUANTILE_STEPS[::-1])
manifold_grid = np.column_stack([first.ravel(), second.ravel()]).astype("float32")
manifold_holes = hole_share(vae2_train_means, vae2_test_means, manifold_grid)
manifold_images = call_in_batches(vae2_decoder, manifold_grid)
fig, ax = plt.subplots(figsize=(6.5, 6.5))
ax.imshow(manifold_images.reshape(20, 20, 28, 28).transpose(0, 2, 1, 3).reshape(560, 560), cmap="binary")
ax.set_title(f"VAE-2: decoded grid of normal quantiles ({manifold_holes:.0%} holes)")
ax.axis("off");

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Samples from the prior** and an **interpolation**: draw $z \sim \mathcal N(0, I)$ and decode; and
# walk in a straight line between the code means of two test digits.

# %%
prior_draws = np.random.default_rng(cfg.seed).normal(size=(20, 2)).astype("float32")
fig = plotting.plot_images(call_in_batches(vae2_decoder, prior_draws), n_cols=10, scale=1.0)
fig.suptitle("VAE-2: decoded draws from the prior N(0, I)", y=1.02);

# %%
start_digit, end_digit = (int(np.flatnonzero(mnist.y_test == digit)[0]) for digit in (3, 7))
steps = np.linspace(0, 1, 10)[:, None]
path = ((1 - steps) * vae2_test_means[start_digit] + steps * vae2_test_means[end_digit]).astype("float32")
fig = plotting.plot_images(call_in_batches(vae2_decoder, path), n_cols=10, scale=1.0,
                           titles=[f"{step:.2f}" for step in steps[:, 0]])
fig.suptitle("VAE-2: from a 3 to a 7 in code space", y=1.05);

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5. The β knob: reconstruction against KL
#
# Weighting the KL term by $\beta$ (Higgins et al.'s $\beta$-VAE) moves the balance. A small $\beta$
# lets each image keep a precise, narrow code: better reconstructions, a code distribution that
# strays from the prior. A large $\beta$ presses every $q(z \mid x)$ towards $\mathcal N(0, I)$:
# codes carry fewer nats, reconstructions blur. We train $\beta = 0.25$ and $4$ next to the $\beta = 1$
# model and score all three with the same measure (the $\beta = 1$ ELBO).

# %%
beta_rows = [{"beta": 1.0, "reconstruction": vae2_reconstruction, "KL": vae2_kl}]
for beta in (0.25, 4.0):
    model, _, _, run = train_vae(2, beta, f"vae2_beta_{beta:g}".replace(".", "_"))
    reconstruction, kl = elbo_terms(model, mnist.x_test)
    beta_rows.append({"beta": beta, "reconstruction": reconstruction, "KL": kl})
beta_table = pd.DataFrame(beta_rows).set_index("beta").sort_index()
beta_table["-ELBO (beta = 1)"] = beta_table["reconstruction"] + beta_table["KL"]
beta_table.round(2)

# %%
reconstruction_by_beta = beta_table["reconstruction"]
checks.verify(reconstruction_by_beta[4.0] > reconstruction_by_beta[0.25], "β = 4 reconstructs worse than β = 0.25",
              ", ".join(f"β={beta:g}: {value:.1f}" for beta, value in reconstruction_by_beta.items()))
checks.verify(beta_table["KL"].is_monotonic_decreasing, "a larger beta gives a smaller KL term",
              ", ".join(f"β={beta:g}: {value:.2f}" for beta, value in beta_table["KL"].items()))

# %% [markdown] slideshow={"slide_type": "fragment"}
# The KL term is what a code tells the decoder about its image, in nats. $\beta = 4$ buys codes close
# to the prior with less of it; $\beta = 0.25$ keeps more detail and lets the codes drift. The plain
# ELBO ($\beta = 1$) is the trade that bounds the likelihood; other values serve other goals (a
# smoother code space, sharper images).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# ### Exercise 1: how many alarms are real?
#
# A detector catches a share `detection_rate` of the anomalies and flags a share `false_alarm_rate`
# of the normal inputs. Anomalies make up a share `contamination` of everything it sees. Write
# `alarm_precision(detection_rate, false_alarm_rate, contamination)`: the share of alarms that are
# anomalies. Then use it: with section 1's 1 % false alarms and the held-out detector's detection rate
# of 50 %, what share of alarms is real when one input in a thousand is an anomaly? Store it in
# `rare_anomaly_precision`.

# %% slideshow={"slide_type": "skip"} tags=["solution"]
def alarm_precision(detection_rate, false_alarm_rate, contamination):
    """Share of alarms that are true anomalies."""
    true_alarms = contamination * detection_rate
    false_alarms = (1 - contamination) * false_alarm_rate
    return true_alarms / (true_alarms + false_alarms)


rare_anomaly_precision = alarm_precision(0.5, 0.01, 0.001)


# %%
def counted_precision(detection_rate, false_alarm_rate, contamination, n_inputs=10_000_000):
    """Reference: alarm precision counted on a population of labelled inputs with exactly these rates."""
    n_anomalies = int(round(contamination * n_inputs))
    caught, flagged = int(round(detection_rate * n_anomalies)), int(round(false_alarm_rate * (n_inputs - n_anomalies)))
    truth = np.r_[np.ones(n_anomalies, bool), np.zeros(n_inputs - n_anomalies, bool)]
    alarms = np.r_[np.arange(n_anomalies) < caught, np.arange(n_inputs - n_anomalies) < flagged]
    return sk_metrics.precision_score(truth, alarms)


precision_rng = np.random.default_rng(8)
precision_cases = [tuple(precision_rng.uniform([0.3, 0.002, 0.001], [1.0, 0.1, 0.3])) for _ in range(4)]
checks.check_function("alarm precision", alarm_precision, counted_precision, precision_cases, rtol=1e-4,
                      hint="count the alarms among anomalies and among normal inputs, each weighted by how common they are")
checks.check_value("precision when one input in a thousand is an anomaly", rare_anomaly_precision,
                   counted_precision(0.5, 0.01, 0.001), rtol=1e-4, hint="use your function with the numbers given");

# %% [markdown] slideshow={"slide_type": "slide"}
# ### Exercise 2: what β does
#
# You train the VAE of section 4 again with $\beta = 10$. Which **two** of these happen? Set
# `beta_effects` to the set of letters, e.g. `{"a", "b"}`.
#
# - (a) the KL term on the test digits grows
# - (b) the reconstruction term on the test digits grows
# - (c) the codes of the training digits fill $\mathcal N(0, I)$ more closely, and carry fewer nats each
# - (d) the test $-\mathrm{ELBO}$ (with $\beta = 1$) is sure to fall

# %% slideshow={"slide_type": "skip"} tags=["solution"]
beta_effects = {"b", "c"}

# %%
checks.check_choice("effects of a larger beta", beta_effects, digest="941732897156f7228708",
                    hint="section 5's table: which column rises with β, which falls, and what does the KL term measure?");

# %% [markdown] slideshow={"slide_type": "slide"}
# ### Exercise 3 (experiment): a distance in code space
#
# Write `code_distance_scores(encoder, normal_images, images)`: an anomaly score for each of `images`
# that is large when the image's **code** lies far from the codes of the normal training images,
# measured by the distance to the $k$ nearest of them (pick $k$; `sklearn.neighbors.NearestNeighbors`
# helps). The check takes the held-out detectors of section 1 for the digits 4, 7 and 9, three that
# the reconstruction error finds hard, calls your function with each detector's encoder and training
# images, and wants a mean AUC on the test digits of at least 0.75 (0.55 in fast mode, whose detectors
# trained on far fewer digits).

# %% slideshow={"slide_type": "skip"} tags=["solution"]
def code_distance_scores(encoder, normal_images, images, n_neighbours=1):
    """Mean distance from each image's code to its nearest codes among the normal images."""
    neighbours = NearestNeighbors(n_neighbors=n_neighbours).fit(call_in_batches(encoder, normal_images))
    distances, _ = neighbours.kneighbors(call_in_batches(encoder, images))
    return distances.mean(axis=1)


# %%
def judge_code_distance_scores(score_function):
    """Mean AUC of the scores for three held-out digits, each with its own detector's encoder."""
    aucs = {}
    for digit in (4, 7, 9):
        detector = heldout_detectors[digit]
        scores = np.asarray(score_function(detector["encoder"], detector["normal_train"], mnist.x_test), dtype=float)
        if scores.shape != (len(mnist.x_test),):
            return False, f"expected one score per test image, shape ({len(mnist.x_test)},), got {scores.shape}"
        aucs[digit] = sk_metrics.roc_auc_score(mnist.y_test == digit, scores)
    target = cfg.pick(full=0.75, fast=0.55)
    mean = float(np.mean(list(aucs.values())))
    return mean >= target, (f"AUC {', '.join(f'{digit}: {auc:.3f}' for digit, auc in aucs.items())}; mean {mean:.3f}, "
                            f"target at least {target}")


checks.check_experiment("an anomaly score in code space", code_distance_scores, judge_code_distance_scores,
                        hint="fit the neighbours on the codes of normal_images, then score each image by its distances; "
                             "a larger distance must mean more anomalous");

# %% [markdown] slideshow={"slide_type": "slide"}
# ### Exercise 4 (experiment): a VAE with an 8-D code
#
# Two numbers per digit are few. Build and train `vae8`, a VAE with an 8-dimensional code (a model
# that returns `{"image": ..., "code_stats": ...}` like section 4's, `code_stats` holding the 8 means
# and then the 8 log-variances), on the training digits. The check computes the test $-\mathrm{ELBO}$
# itself (one draw per image) and wants it below 140 nats per image (190 in fast mode). Section 4's
# functions do most of the work; mind how the reconstruction term is summed.

# %% slideshow={"slide_type": "skip"} tags=["solution"]
vae8, _, _, vae8_run = train_vae(8, 1.0, "vae8")
print(vae8_run)


# %%
def judge_vae8(model):
    """Test -ELBO (nats per image) computed by the check, for a VAE with an 8-D code."""
    outputs = model(mnist.x_test[:10], training=False)
    if not isinstance(outputs, dict) or {"image", "code_stats"} - set(outputs):
        return False, "the model must return a dict with the outputs 'image' and 'code_stats'"
    if tuple(outputs["code_stats"].shape) != (10, 16):
        return False, f"code_stats must hold 8 means and 8 log-variances per image, got shape {tuple(outputs['code_stats'].shape)}"
    reconstruction, kl = elbo_terms(model, mnist.x_test)
    target = cfg.pick(full=140, fast=190)
    return reconstruction + kl < target, (f"test -ELBO {reconstruction + kl:.1f} nats per image (reconstruction "
                                          f"{reconstruction:.1f} + KL {kl:.1f}), target below {target}")


checks.check_experiment("an 8-D VAE", vae8, judge_vae8,
                        hint="8 means and 8 log-variances from the encoder; the reconstruction term is summed over the "
                             "784 pixels, not averaged, or the KL term swamps it");

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# - Trained on normal data only, an autoencoder's reconstruction error is an anomaly score. On
#   digits vs clothes the AE-30 detector beat PCA-30; a threshold at the 99th percentile of normal
#   *validation* scores held the false alarms near 1 % on new data. How many alarms are real depends
#   on how rare anomalies are (Exercise 1).
# - With one digit held out the task is harder, and the squared error follows the ink: a held-out 1,
#   faint by nature, scored as *more* normal than the normal digits. Error per unit of ink and,
#   better, distances in code space give scores that ask what we meant to ask.
# - An encoder trained without labels gives features on which a linear classifier learns from 100
#   labels better than on pixels or PCA codes. Fine-tuning that encoder with a scratch network's
#   settings is not sure to beat the scratch network (section 2's table), and with 1 000 labels it
#   gains less than 2 points at most: pre-training is worth measuring, not assuming.
# - A plain AE's code space has holes; the VAE's KL term fills $\mathcal N(0, I)$, so decoded grids,
#   draws from the prior and interpolations are digit-like. Its loss is the negative ELBO in nats per
#   image: summed cross-entropy plus KL, the sampling step a `GaussianSample` layer written with
#   `keras.ops` and `keras.random`, so the same model trains with `fit` on TensorFlow and JAX.
# - $\beta$ trades reconstruction for KL: larger $\beta$, codes closer to the prior carrying fewer nats,
#   and blurrier images.
#
# Previous: [Week 7 — Recurrent networks and LSTM classifiers](07_lstm_classifiers.ipynb).
# This is the last week; back to the start: [Week 0 — Getting started](00_getting_started.ipynb).
