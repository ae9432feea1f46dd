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
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/ml-course-lab/autoencoders-pca-lstm-keras/blob/main/notebooks/02_pca_scikit_learn.ipynb)
#
# # Week 2 — PCA with scikit-learn, and beyond
#
# Last week we built PCA from a covariance matrix. This week we use the tool everyone uses,
# scikit-learn's `PCA`, and put it to work: choosing how many components to keep, using PCA before
# a classifier on the Wisconsin breast-cancer data (and seeing why the features must be scaled
# first), and compressing MNIST digits, where the explained-variance curve and the reconstructions
# show what a given code size buys. Then we meet the variants for large or curved data (incremental,
# randomized and kernel PCA) and four other ways to draw high-dimensional data in two dimensions:
# MDS, Isomap, t-SNE and LDA. PCA on MNIST is the baseline every autoencoder in the coming weeks
# has to beat.
#
# **You will learn to**
# - read `components_`, `explained_variance_`, `explained_variance_ratio_` and `singular_values_`
#   of a fitted `PCA`, and relate them to last week's eigenvalues;
# - choose the number of components for 95 % of the variance, with `np.cumsum` and with
#   `PCA(n_components=0.95)`;
# - explain, with numbers, why features on different scales must be standardised before PCA;
# - read an explained-variance curve and PCA reconstructions of images;
# - pick between full, randomized and incremental PCA, and know when kernel PCA helps;
# - compare PCA with MDS, Isomap, t-SNE and LDA on the same data.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## Setup
#
# The same set-up cell as in every notebook, then the libraries this week needs.

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
import warnings

import matplotlib.pyplot as plt
import pandas as pd

# %%
from sklearn.datasets import make_circles
from sklearn.decomposition import PCA, IncrementalPCA, KernelPCA
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.manifold import MDS, TSNE, Isomap
from sklearn.model_selection import cross_val_score, train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

# %%
from course_utils import metrics, training

NOTEBOOK = "02_pca_scikit_learn"

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. What a fitted `PCA` holds
#
# `PCA(n_components=k).fit(X)` centres the data itself and stores:
#
# | attribute | meaning | last week's name |
# |---|---|---|
# | `mean_` | the column means $\mu_n$ | $\mu_n$ |
# | `components_` | the principal directions, **one per row**, shape `(k, p)` | $V_k^\top$ |
# | `explained_variance_` | the variance along each direction, with $1/(n-1)$ | $\lambda_j$ |
# | `explained_variance_ratio_` | $\lambda_j / \sum_{\text{all } l}\lambda_l$ | share of variance |
# | `singular_values_` | singular values of the centred data | $\sigma_j$, with $\lambda_j = \sigma_j^2/(n-1)$ |
#
# `transform(X)` computes the scores $(X - \mu_n)V_k$ and `inverse_transform(Z)` maps scores back,
# $Z V_k^\top + \mu_n$. We check every line of the table on last week's 2-D Gaussian.

# %%
X_gauss = data.make_gaussian_2d(n=10_000, seed=cfg.seed)  # mean (-1, 2), covariance [[4, 2], [2, 2]]
pca_gauss = PCA(n_components=2).fit(X_gauss)
for name in ["mean_", "components_", "explained_variance_", "explained_variance_ratio_", "singular_values_"]:
    print(f"{name:>26}: {np.round(getattr(pca_gauss, name), 3).tolist()}")

# %%
n_gauss = len(X_gauss)
eigenvalues = np.sort(np.linalg.eigvalsh(np.cov(X_gauss, rowvar=False)))[::-1]
checks.verify(np.allclose(pca_gauss.explained_variance_, eigenvalues, rtol=1e-10),
              "explained_variance_ = eigenvalues of the 1/(n-1) covariance")
checks.verify(np.allclose(pca_gauss.singular_values_ ** 2 / (n_gauss - 1), eigenvalues, rtol=1e-10),
              "singular_values_² / (n-1) = eigenvalues")
scores = pca_gauss.transform(X_gauss)
checks.verify(np.allclose(scores, (X_gauss - pca_gauss.mean_) @ pca_gauss.components_.T, atol=1e-10),
              "transform(X) = (X - mean_) @ components_.T")
checks.verify(np.allclose(pca_gauss.inverse_transform(scores), X_gauss, atol=1e-10),
              "with all components, inverse_transform undoes transform exactly")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. The breast-cancer data: scaling, and how many components
#
# The Wisconsin breast-cancer data describe 569 tumours by 30 measurements of their cell nuclei
# (radius, texture, perimeter, area, smoothness, ... each as a mean, a standard error and a worst
# value), labelled malignant or benign. The features live on wildly different scales:

# %%
cancer = data.load_breast_cancer()
X_train, X_test, y_train, y_test = train_test_split(cancer.X, cancer.y, random_state=0)
spread = pd.Series(X_train.std(axis=0), index=cancer.feature_names).sort_values()
print(f"{len(X_train)} training and {len(X_test)} test tumours; classes: {', '.join(cancer.target_names)}")
print("smallest and largest standard deviations of the 30 features:")
print(pd.concat([spread.head(3), spread.tail(3)]).round(4).to_string())

# %% [markdown]
# PCA looks for the directions of largest variance, and variance carries the features' units. On
# the raw data, `worst area` (in square micrometres, spread in the hundreds) outweighs everything
# else, so PC1 is little more than that one feature. Standardising each feature to mean 0 and
# variance 1 (`StandardScaler`, fitted on the training set only) puts them on an equal footing; PCA
# of standardised data is PCA of the *correlation* matrix.
#
# **How many components for 95 % of the variance?** Sort the explained-variance ratios, accumulate
# them, and take the first $d$ where the running total reaches 0.95:
# $d = \min\{k : \sum_{j<k} r_j \ge 0.95\}$. scikit-learn does the same when `n_components` is a
# fraction between 0 and 1. We do both, on the raw and on the standardised training data.

# %%
scaler = StandardScaler().fit(X_train)
X_train_std, X_test_std = scaler.transform(X_train), scaler.transform(X_test)

counts = {}
cumulative = {}
for name, features in [("raw", X_train), ("standardised", X_train_std)]:
    cumulative[name] = np.cumsum(PCA().fit(features).explained_variance_ratio_)
    by_cumsum = int(np.argmax(cumulative[name] >= 0.95) + 1)
    by_sklearn = int(PCA(n_components=0.95).fit(features).n_components_)
    counts[name] = (by_cumsum, by_sklearn)
    checks.verify(by_cumsum == by_sklearn, f"{name}: np.cumsum and PCA(n_components=0.95) agree", f"d = {by_cumsum}")

# %% tags=["nbval-check-output"]
for name, (by_cumsum, by_sklearn) in counts.items():
    print(f"components for 95 % of the variance, {name} features: {by_cumsum} (cumsum) = {by_sklearn} (sklearn)")

# %%
fig, ax = plt.subplots(figsize=(7, 3.8))
for name, curve in cumulative.items():
    ax.plot(np.arange(1, 31), curve, "o-", markersize=3, label=f"{name}: d = {counts[name][0]}")
ax.axhline(0.95, color="grey", linestyle=":", label="95 %")
ax.set_xlabel("number of components $k$")
ax.set_ylabel("cumulative explained variance")
ax.set_title("Breast cancer: cumulative explained variance, raw vs standardised")
ax.legend()
fig.tight_layout()

# %%
checks.verify(counts["raw"][0] == 1 and counts["standardised"][0] > 5,
              "one raw component reaches 95 %, standardised data need many more (exercise 2 asks why)",
              f"{counts['raw'][0]} vs {counts['standardised'][0]}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. Logistic regression on raw, standardised and PCA features
#
# Now a classifier: logistic regression to tell malignant from benign, on (a) the raw features,
# (b) the standardised features and (c) only the first two principal components of the
# standardised features. Scaler and PCA are fitted on the training set and then applied to the
# test set, which a pipeline does for us. The solver (L-BFGS) stops after `max_iter` iterations,
# 100 by default; we fit the raw features once with the default and once with up to 10 000
# iterations, and count how many each model needs.

# %%
models = {
    "raw features, default max_iter=100": LogisticRegression(),
    "raw features": LogisticRegression(max_iter=10_000),
    "standardised": make_pipeline(StandardScaler(), LogisticRegression(max_iter=10_000)),
    "standardised + PCA (2 components)": make_pipeline(StandardScaler(), PCA(n_components=2),
                                                       LogisticRegression(max_iter=10_000)),
}

# %%
rows = []
for name, model in models.items():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        model.fit(X_train, y_train)
    classifier = model[-1] if hasattr(model, "steps") else model
    rows.append({"features": name, "inputs": classifier.n_features_in_,
                 "solver iterations": int(classifier.n_iter_[0]),
                 "converged": not any(issubclass(w.category, ConvergenceWarning) for w in caught),
                 "train accuracy": model.score(X_train, y_train), "test accuracy": model.score(X_test, y_test)})
accuracy_table = pd.DataFrame(rows).set_index("features")
accuracy_table.round(3)

# %% [markdown]
# Three lessons, each checked below:
# - **Scaling matters for the optimiser.** On raw features the loss surface is a long narrow
#   valley (one feature is in the thousands, others below 0.01), and L-BFGS needs over a hundred
#   times more steps; with the default `max_iter=100` it stops early with a `ConvergenceWarning`.
#   Standardised, it converges in under 50 steps.
# - **Scaling also changes the model, through the penalty.** Even converged, the raw model fits
#   the training set less well than the standardised one. That is not the optimiser's fault: the
#   next subsection shows that the default L2 penalty, which costs the same per unit of weight
#   whatever the units of the feature, picks a different model on raw features.
# - **Two components keep most of what matters.** The two-component model uses 15 times fewer
#   inputs and loses only a little accuracy: the top directions of variance also separate the
#   classes well here (see the scatter below). This is not guaranteed in general: PCA never
#   looks at the labels. Its training accuracy is about that of the raw model, as the lecture
#   notes observe.

# %%
acc = accuracy_table
checks.verify(acc.loc["raw features", "solver iterations"] > 100 * acc.loc["standardised", "solver iterations"]
              and acc.loc["standardised", "solver iterations"] < 50,
              "raw features need over a hundred times more solver iterations than standardised ones (under 50)",
              f"{acc.loc['raw features', 'solver iterations']} vs {acc.loc['standardised', 'solver iterations']}")
checks.verify(not acc.loc["raw features, default max_iter=100", "converged"],
              "with the default max_iter=100 the raw model does not converge")
checks.verify(acc.loc["standardised", "train accuracy"] > acc.loc["raw features", "train accuracy"] + 0.02,
              "the converged raw model still fits the training set over 2 points worse than the standardised one",
              f"{acc.loc['raw features', 'train accuracy']:.3f} vs {acc.loc['standardised', 'train accuracy']:.3f}")
pca2_test = acc.loc["standardised + PCA (2 components)", "test accuracy"]
checks.verify(pca2_test >= 0.90 and acc.loc["standardised", "test accuracy"] - pca2_test < 0.05,
              "2 principal components keep the test accuracy above 90 % and within 5 points of all 30 features",
              f"{pca2_test:.3f} vs {acc.loc['standardised', 'test accuracy']:.3f}")
pca2_train = acc.loc["standardised + PCA (2 components)", "train accuracy"]
checks.verify(abs(pca2_train - acc.loc["raw features", "train accuracy"]) < 0.02,
              "the 2-component model's training accuracy is within 2 points of the raw model's",
              f"{pca2_train:.3f} vs {acc.loc['raw features', 'train accuracy']:.3f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The optimiser or the penalty?
#
# `LogisticRegression` does not only fit the data: it minimises
# $C\sum_i \ell_i(w, b) + \tfrac12\|w\|^2$, the summed log-loss plus an L2 penalty on the weights
# (not the intercept), with $C = 1$ by default. The penalty charges every weight alike, whatever
# the units of its feature. A feature measured in thousandths needs a weight in the thousands to
# move a prediction, and pays for it; on standardised features every weight is charged per
# standard deviation. So the raw and the standardised fits solve *different problems*, and the
# accuracy gap can come from the optimiser (stopping short of the best raw model) or from the
# penalty (the best raw model is worse). Two measurements tell them apart:
#
# 1. Newton's method with a Cholesky solve (`solver="newton-cholesky"`) uses the curvature, so a
#    narrow valley does not slow it down. If it reaches the same penalised loss as L-BFGS, L-BFGS
#    had found the best raw model.
# 2. The standardised model can be rewritten for raw features, with weights $w_j/\sigma_j$ and
#    the intercept shifted by the means: the same predictions, so the same accuracy. We compute
#    its penalised loss on the raw problem.

# %%
def penalised_loss(weights, intercept, features, labels, C=1.0):
    """What LogisticRegression minimises: C × the summed log-loss + ½‖weights‖² (intercept not penalised)."""
    logits = features @ weights + intercept
    return C * np.sum(np.logaddexp(0, logits) - labels * logits) + 0.5 * weights @ weights


# %%
newton_raw = LogisticRegression(solver="newton-cholesky").fit(X_train, y_train)
scaler_step, standardised_step = models["standardised"][0], models["standardised"][-1]
rewritten_weights = standardised_step.coef_[0] / scaler_step.scale_   # per raw unit, not per standard deviation
rewritten_intercept = standardised_step.intercept_[0] - rewritten_weights @ scaler_step.mean_
candidates = {"raw, L-BFGS": (models["raw features"].coef_[0], models["raw features"].intercept_[0]),
              "raw, Newton-Cholesky": (newton_raw.coef_[0], newton_raw.intercept_[0]),
              "standardised, rewritten for raw features": (rewritten_weights, rewritten_intercept)}

# %%
penalty_table = pd.DataFrame({
    name: {"train accuracy": np.mean((X_train @ weights + intercept > 0) == y_train),
           "½‖w‖²": 0.5 * weights @ weights,
           "penalised loss (C = 1)": penalised_loss(weights, intercept, X_train, y_train)}
    for name, (weights, intercept) in candidates.items()}).T
print(f"Newton-Cholesky: {newton_raw.n_iter_[0]} iterations; L-BFGS: {acc.loc['raw features', 'solver iterations']}")
penalty_table.round(3)

# %%
lbfgs_loss, newton_loss, rewritten_loss = penalty_table["penalised loss (C = 1)"]
checks.verify(newton_raw.n_iter_[0] < 50 and abs(lbfgs_loss / newton_loss - 1) < 1e-3
              and penalty_table["train accuracy"].iloc[0] == penalty_table["train accuracy"].iloc[1],
              "on raw features Newton-Cholesky converges in under 50 steps to the L-BFGS model (same loss to 0.1 %, same accuracy)",
              f"{newton_raw.n_iter_[0]} steps; loss {newton_loss:.3f} vs {lbfgs_loss:.3f}")
checks.verify(penalty_table["train accuracy"].iloc[2] == acc.loc["standardised", "train accuracy"]
              and rewritten_loss > 1000 * newton_loss,
              "the standardised model, rewritten for raw features, keeps its accuracy but costs over 1000 × more on the raw problem",
              f"penalised loss {rewritten_loss:,.0f} vs {newton_loss:.1f}")

# %% [markdown]
# So the optimiser is not to blame: L-BFGS did find the best model the raw problem allows (it just
# took over a hundred times more steps than Newton-Cholesky). The penalty is. The standardised
# model classifies the raw features just as well, but in raw units its weights are so large that
# its penalised loss is over a thousand times the raw model's; at $C = 1$ the raw problem
# prefers small weights and a worse fit. Weaken the penalty and the gap narrows:

# %%
c_sweep = pd.DataFrame([
    {"C": C, "raw (Newton-Cholesky)": LogisticRegression(C=C, solver="newton-cholesky").fit(X_train, y_train).score(X_train, y_train),
     "standardised": make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=10_000)).fit(X_train, y_train).score(X_train, y_train)}
    for C in (1.0, 100.0, 10_000.0)]).set_index("C")
c_sweep["gap"] = c_sweep["standardised"] - c_sweep["raw (Newton-Cholesky)"]
print("training accuracy of converged models")
c_sweep.round(3)

# %%
checks.verify(c_sweep["gap"].is_monotonic_decreasing and c_sweep["gap"].iloc[-1] < c_sweep["gap"].iloc[0] / 2,
              "weakening the penalty (larger C) at least halves the training-accuracy gap between raw and standardised",
              ", ".join(f"C = {C:g}: {gap:.3f}" for C, gap in c_sweep["gap"].items()))

# %%
cancer_2d = make_pipeline(StandardScaler(), PCA(n_components=2)).fit(X_train).transform(X_train)
fig, ax = plt.subplots(figsize=(6.5, 4.8))
for label, diagnosis in enumerate(cancer.target_names):
    ax.scatter(cancer_2d[y_train == label, 0], cancer_2d[y_train == label, 1], s=12, alpha=0.7, label=diagnosis)
ax.set_xlabel("PC1 score (standardised features)")
ax.set_ylabel("PC2 score")
ax.set_title("Breast cancer, training set, on its first two principal components")
ax.legend()
fig.tight_layout()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4. PCA of images: MNIST
#
# A 28×28 digit is a point in $\mathbb{R}^{784}$. How many directions do the digits really use?
# We fit PCA with all components on the training images (55 000 in full mode, a 5 500-image sample
# in fast mode) and look at the cumulative explained variance.

# %%
mnist = data.load_mnist()
X_mnist = data.flatten_images(mnist.x_train)
X_mnist_test = data.flatten_images(mnist.x_test)
started = time.perf_counter()
pca_mnist = PCA().fit(X_mnist)
fit_seconds = time.perf_counter() - started
mnist_cumulative = np.cumsum(pca_mnist.explained_variance_ratio_)
k_for = {share: int(np.argmax(mnist_cumulative >= share) + 1) for share in (0.5, 0.8, 0.9, 0.95, 0.99)}
print(f"PCA of {X_mnist.shape[0]} × {X_mnist.shape[1]} images in {fit_seconds:.1f} s")
for share, k in k_for.items():
    print(f"{share:.0%} of the variance: {k:>3} components")

# %%
fig, axes = plt.subplots(1, 2, figsize=(12, 3.8))
axes[0].plot(np.arange(1, 785), np.maximum(pca_mnist.explained_variance_ratio_, 1e-12))  # zeros drawn at 1e-12
axes[0].set_yscale("log")
axes[0].set_ylim(1e-12, 1)
axes[0].set_xlabel("component")
axes[0].set_ylabel("explained variance ratio")
axes[0].set_title("Each component's share (log scale)")
axes[1].plot(np.arange(1, 785), mnist_cumulative)
for share, k in k_for.items():
    axes[1].plot([k, k], [0, share], ":", color="grey")
    axes[1].annotate(f"{share:.0%}: k = {k}", (k, share), xytext=(8, -12), textcoords="offset points", fontsize=9)
axes[1].set_xlabel("number of components $k$")
axes[1].set_ylabel("cumulative explained variance")
axes[1].set_ylim(0, 1.02)
axes[1].set_title("Cumulative share")
fig.tight_layout()

# %% [markdown]
# Half the variance sits in about a dozen directions, and 95 % needs roughly a fifth of the 784
# pixels; the last few hundred components add only fine detail and noise. At the far right the
# curve falls off a cliff: some border pixels are white in every training image, so the centred
# data have rank at most 784 minus their number, and that many components have zero variance (up
# to rounding). The principal directions are themselves images, often called *eigendigits*:
# positive weights in one colour, negative in the other.

# %%
k95 = k_for[0.95]
k95_range = cfg.pick(full=(140, 170), fast=(100, 200))
checks.verify(k95_range[0] <= k95 <= k95_range[1], "95 % of MNIST's pixel variance needs about 150 of 784 components",
              f"k = {k95}, expected {k95_range[0]}–{k95_range[1]}")
checks.verify(k_for[0.5] <= 15, "half the variance lies in at most 15 directions", f"k = {k_for[0.5]}")
constant_pixels = int(np.sum(X_mnist.var(axis=0) == 0))
empty_components = int(np.sum(pca_mnist.explained_variance_ratio_ < 1e-12))
checks.verify(constant_pixels > 0 and empty_components >= constant_pixels,
              "some border pixels never change, and at least as many components have zero variance",
              f"{constant_pixels} constant pixels, {empty_components} components below 1e-12 of the variance")

# %%
fig, axes = plt.subplots(1, 10, figsize=(13, 1.7))
for index, ax in enumerate(axes):
    component = pca_mnist.components_[index].reshape(28, 28)
    limit = np.abs(component).max()
    ax.imshow(component, cmap="RdBu_r", vmin=-limit, vmax=limit)
    ax.set_axis_off()
    ax.set_title(f"PC{index + 1}", fontsize=9)
fig.suptitle("The first ten principal directions of MNIST")
fig.tight_layout()

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Reconstructions at several $k$
#
# Keeping $k$ components means encoding each image as $k$ numbers and decoding it as
# $\mu + \sum_{j<k} z_j v_j$. Because the components are nested, one fit with all of them serves
# every $k$: we just truncate. The test images below are rebuilt from 5, 20, 50, $k_{95}$ and 300
# numbers, with the mean squared error per pixel on the whole test set:

# %%
code_sizes = [5, 20, 50, k95, 300]
test_scores = pca_mnist.transform(X_mnist_test)
reconstructions, test_mse = {}, {}
for k in code_sizes:
    reconstructions[k] = test_scores[:, :k] @ pca_mnist.components_[:k] + pca_mnist.mean_
    test_mse[k] = metrics.reconstruction_mse(X_mnist_test, reconstructions[k])
    training.record_result(NOTEBOOK, f"pca_mnist_{k}", code_size=k, test_mse=test_mse[k],
                           train_seconds=fit_seconds)
fig = plotting.plot_reconstructions(
    mnist.x_test, *(reconstructions[k] for k in code_sizes), n_images=10,
    row_titles=["original"] + [f"k = {k}\nMSE {test_mse[k]:.4f}" for k in code_sizes],
)

# %% [markdown]
# Every row is drawn on the same scale, 0 white and 1 black (a value outside is drawn as the
# nearest end), so a reconstruction looks as faint as it is. At $k = 5$ the digits are grey
# smudges: where the original is inked, the reconstruction holds only about 60 % of the ink. At 20
# and 50 components they are readable but carry ghost strokes of other digits; from $k_{95}$ on
# they are hard to tell from the originals. We measure the ink on the inked pixels, and check
# that the error falls steadily with $k$:

# %%
inked = X_mnist_test > 0.5  # pixels inked in the original test images
ink_kept = {k: reconstructions[k][inked].mean() / X_mnist_test[inked].mean() for k in code_sizes}
print("share of the original ink kept on inked pixels:", ", ".join(f"k={k}: {share:.0%}" for k, share in ink_kept.items()))
checks.verify(ink_kept[5] < 2 / 3 and ink_kept[300] > 0.85 and list(ink_kept.values()) == sorted(ink_kept.values()),
              "at k = 5 the inked pixels keep under two thirds of their ink; it grows with k, to over 85 % at k = 300",
              f"{ink_kept[5]:.0%} … {ink_kept[300]:.0%}")

# %%
mse_values = [test_mse[k] for k in code_sizes]
checks.verify(all(a > b for a, b in zip(mse_values, mse_values[1:])), "the test error falls as k grows",
              ", ".join(f"k={k}: {test_mse[k]:.4f}" for k in code_sizes))
separate_fit = metrics.pca_reconstruction_mse(X_mnist, X_mnist_test, 50)
checks.verify(np.isclose(separate_fit, test_mse[50], rtol=1e-3),
              "truncating the full fit matches a separate PCA(n_components=50) fit (the course's baseline helper)",
              f"{test_mse[50]:.5f} vs {separate_fit:.5f}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5. Incremental PCA: the same answer, one mini-batch at a time
#
# `PCA` needs the whole data matrix in memory. `IncrementalPCA` reads it in mini-batches with
# `partial_fit`: it keeps a running mean and the components found so far, and for each new batch
# takes the SVD of those components (scaled by their singular values) stacked on the centred batch.
# So it also works on data that arrive as a stream or live on disk (e.g. a `numpy.memmap`).
#
# The catch: between batches it keeps **only** `n_components` directions, so whatever a batch adds
# in the directions just below the cut is thrown away again and again. The leading components
# come out right; the last few kept ones are rough. The remedy is to keep a margin: ask for more
# components than you need and use the leading ones. We fit two models on mini-batches of the MNIST
# training images, one keeping exactly 20 components and one keeping 40, and compare the leading
# 5, 10 and 20 with ordinary PCA through the **principal angles** between the subspaces (0° means
# the same subspace), and through the test reconstruction error with 20 components.

# %%
batches = np.array_split(X_mnist, cfg.pick(full=55, fast=11))  # about 1 000 images each
k_needed = 20
incremental_rows, incremental_models = [], {}
for keep in (k_needed, 2 * k_needed):
    model = IncrementalPCA(n_components=keep)
    started = time.perf_counter()
    for batch in batches:
        model.partial_fit(batch)
    row = {"kept components": keep, "seconds": time.perf_counter() - started}
    for k in (5, 10, 20):
        row[f"largest angle, top {k} (°)"] = checks.principal_angles_degrees(
            model.components_[:k].T, pca_mnist.components_[:k].T).max()
    leading = model.components_[:k_needed]  # orthonormal rows, like PCA's
    rebuilt = (X_mnist_test - model.mean_) @ leading.T @ leading + model.mean_
    row["test MSE (k = 20) / PCA's"] = metrics.reconstruction_mse(X_mnist_test, rebuilt) / test_mse[20]
    incremental_rows.append(row)
    incremental_models[keep] = model

# %%
incremental_table = pd.DataFrame(incremental_rows).set_index("kept components")
print(f"{len(batches)} mini-batches of about {len(batches[0])} images")
incremental_table.round(3)

# %% [markdown]
# Both models reconstruct the test digits as well as PCA does (the error ratio is 1 to within a
# fraction of a per cent), because the directions they get wrong explain almost the same variance
# as the ones they should have found. Both also find the top 10 directions to within a couple of
# degrees. But only the model with a margin finds the 20-dimensional subspace we asked for:
# without it, the last of the 20 are more than 10° off.

# %%
margin = incremental_table.loc[2 * k_needed]
angle_limit = cfg.pick(full=1.0, fast=2.0)
checks.verify(margin["largest angle, top 10 (°)"] < angle_limit,
              f"incremental PCA with a margin matches PCA's top-10 subspace to within {angle_limit}°",
              f"largest principal angle {margin['largest angle, top 10 (°)']:.2f}°")
checks.verify((incremental_table["test MSE (k = 20) / PCA's"] < 1.01).all(),
              "both incremental fits reconstruct the test set within 1 % of PCA's error",
              ", ".join(f"{ratio:.4f}" for ratio in incremental_table["test MSE (k = 20) / PCA's"]))
checks.verify((incremental_table["largest angle, top 10 (°)"] < 2.0).all(),
              "both incremental fits find PCA's top-10 subspace to within 2°",
              ", ".join(f"{angle:.2f}°" for angle in incremental_table["largest angle, top 10 (°)"]))
checks.verify(incremental_table.loc[k_needed, "largest angle, top 20 (°)"] > max(10.0, margin["largest angle, top 20 (°)"]),
              "keeping only the components you need puts the last of them more than 10° off, unlike the margin",
              f"{incremental_table.loc[k_needed, 'largest angle, top 20 (°)']:.1f}° vs {margin['largest angle, top 20 (°)']:.1f}°")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 6. Randomized PCA against the full SVD
#
# The full SVD of an $n \times p$ matrix costs $O(np^2)$ whatever $k$ we want. Randomized PCA
# multiplies the data by a random $p \times (k+10)$ matrix, sharpens the result with a few power
# iterations, and takes the SVD of that small sketch: roughly $O(npk)$, an approximation that is
# excellent for the leading components. scikit-learn also has a third route for tall data: form
# the $p\times p$ covariance and diagonalise it (`"covariance_eigh"`, last week's method), which
# costs $O(np^2)$ too but with a much smaller constant. We time all three on the MNIST training
# images for $k = 50$ (the best of three runs each, as timings on a shared machine are noisy) and
# compare their subspaces with the full SVD's.

# %%
def best_of_three(solver, features, k, seed):
    """Fit PCA(k) with `svd_solver=solver` three times; return the fitted model and the shortest time in seconds."""
    runs = []
    for repeat in range(3):
        started = time.perf_counter()
        model = PCA(n_components=k, svd_solver=solver, random_state=seed).fit(features)
        runs.append(time.perf_counter() - started)
    return model, min(runs)


# %%
k_timed = 50
solvers, solver_seconds = {}, {}
for solver in ["full", "covariance_eigh", "randomized"]:
    solvers[solver], solver_seconds[solver] = best_of_three(solver, X_mnist, k_timed, cfg.seed)

# %%
reference = solvers["full"]
timing_table = pd.DataFrame({
    solver: {
        "seconds": solver_seconds[solver],
        "largest angle, top 10 (°)": checks.principal_angles_degrees(model.components_[:10].T, reference.components_[:10].T).max(),
        "largest angle, all 50 (°)": checks.principal_angles_degrees(model.components_.T, reference.components_.T).max(),
        "max |Δ variance ratio|": np.abs(model.explained_variance_ratio_ - reference.explained_variance_ratio_).max(),
    }
    for solver, model in solvers.items()
}).T
print(f"PCA with k = {k_timed} of {X_mnist.shape[0]} × {X_mnist.shape[1]} images")
shown = timing_table.round({"seconds": 2, "largest angle, top 10 (°)": 4, "largest angle, all 50 (°)": 2})
shown["max |Δ variance ratio|"] = timing_table["max |Δ variance ratio|"].map("{:.1e}".format)
shown

# %% [markdown]
# The leading components of the randomized fit agree with the exact ones to well under a degree,
# and its explained-variance ratios to four decimals or better. Its largest angle over all 50 components can
# be much bigger: components 49, 50, 51, ... explain almost the same variance, so any small error
# rotates them into each other. Only the *span* of well-separated components is well defined.
#
# On this tall, fairly narrow matrix ($p = 784$) the covariance route is the fastest by far: one
# pass over the data builds the $784\times 784$ covariance, and diagonalising it is cheap.
# Randomized PCA gains little here, even against the full SVD: $k = 50$ is not small next to
# $p = 784$, and its sketch of 60 columns is multiplied through the whole data matrix about 15
# times (the power iterations). Which of the two is faster on MNIST changes from run to run, so
# the notebook claims nothing about it.

# %%
checks.verify(timing_table["largest angle, top 10 (°)"].max() < 1.0
              and timing_table["max |Δ variance ratio|"].max() < 1e-4,
              "all three solvers agree on the top-10 subspace (< 1°) and on the variance ratios (< 1e-4)")
fastest_other = min(solver_seconds["full"], solver_seconds["randomized"])
slack = cfg.pick(full=1.0, fast=10.0)  # fast mode: only "not wildly slower"
checks.verify(solver_seconds["covariance_eigh"] < slack * fastest_other,
              "on this tall, narrow matrix the covariance eigen-solver takes less than " + checks.times(slack, "the faster other solver's") + " time",
              ", ".join(f"{solver} {seconds:.2f} s" for solver, seconds in solver_seconds.items()))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Where randomized PCA wins: many rows, many columns, few components
#
# The exact routes pay for all $p$ directions, $O(np\min(n, p))$ for the SVD and $O(np^2 + p^3)$
# for the covariance, whatever $k$; the sketch pays $O(npk)$. So randomized PCA should win when
# $p$ is large too and $k$ is small, as for megapixel images or word counts. A scaled-down case
# that runs in seconds: a matrix of 2 000 rows × 2 500 columns (1 500 × 2 000 in fast mode) made of
# ten strong directions plus unit noise in every direction, from which we want $k = 10$
# components. Again the best of three runs per solver.

# %%
n_large, p_large = cfg.pick(full=(2000, 2500), fast=(1500, 2000))
large_rng = np.random.default_rng(cfg.seed)
signal = (large_rng.standard_normal((n_large, 10)) * np.arange(10, 0, -1)) @ large_rng.standard_normal((10, p_large))
X_large = signal + large_rng.standard_normal((n_large, p_large))  # ten strong directions, plus noise everywhere
large_fits, large_seconds = {}, {}
for solver in ["full", "covariance_eigh", "randomized"]:
    large_fits[solver], large_seconds[solver] = best_of_three(solver, X_large, 10, cfg.seed)
print(f"PCA with k = 10 of a {n_large} × {p_large} matrix:",
      ", ".join(f"{solver} {seconds:.2f} s" for solver, seconds in large_seconds.items()))

# %% [markdown]
# Read the timings above: here the order flips, and on an idle machine randomized PCA comes out
# several times faster than either exact solver. Timings depend on the machine, on the library
# versions and on what else is running (beside another training job the sketch can even lose), so
# the cell below prints the speed-up and checks only what does not depend on the clock: the ten
# randomized components span the same subspace as the exact ones.

# %%
fastest_exact = min(large_seconds["full"], large_seconds["covariance_eigh"])
large_angle = checks.principal_angles_degrees(large_fits["randomized"].components_.T,
                                              large_fits["full"].components_.T).max()
print(f"randomized {large_seconds['randomized']:.2f} s against the faster exact solver's {fastest_exact:.2f} s: "
      f"{fastest_exact / large_seconds['randomized']:.1f}× as fast")
checks.verify(large_angle < 1.0, "on a wide matrix randomized PCA finds the same 10-D subspace as the exact solvers (< 1°)",
              f"largest angle {large_angle:.4f}°")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 7. Kernel PCA: when no straight line will do
#
# Two concentric rings cannot be separated by any projection onto a line: linear PCA only rotates
# the plane. Kernel PCA first maps the points implicitly into a very high-dimensional feature
# space through a kernel, here the Gaussian (RBF) kernel
# $k(x, x') = \exp(-\gamma\,\|x - x'\|^2)$, and does PCA there. It never builds the feature
# vectors: it diagonalises the centred $n\times n$ matrix of kernel values instead.
#
# The width matters: $\gamma$ sets the distance $1/\sqrt{\gamma}$ over which points still "see"
# each other. The lecture's $\gamma = 0.04$ suits a Swiss roll whose coordinates span about
# $\pm 10$; our rings have radius 1 and 0.3, so we use $\gamma = 4$ (exercise 3 tries others). We
# measure separation by how well a *linear* classifier does on the first two components of each
# embedding, on held-out points.

# %%
X_rings, y_rings = make_circles(n_samples=cfg.pick(full=1000, fast=400), factor=0.3, noise=0.05, random_state=cfg.seed)
rings_train, rings_test, y_rings_train, y_rings_test = train_test_split(
    X_rings, y_rings, test_size=0.3, random_state=cfg.seed, stratify=y_rings)


def linear_separability(reducer):
    """Fit `reducer` on the training rings, then test a logistic regression on its 2-D output."""
    reducer.fit(rings_train)
    classifier = LogisticRegression().fit(reducer.transform(rings_train), y_rings_train)
    return classifier.score(reducer.transform(rings_test), y_rings_test)


gamma = 4.0
separability = {
    "linear PCA": linear_separability(PCA(n_components=2)),
    f"kernel PCA (RBF, γ = {gamma:g})": linear_separability(KernelPCA(n_components=2, kernel="rbf", gamma=gamma)),
}
for name, accuracy in separability.items():
    print(f"{name:>26}: test accuracy of a linear classifier {accuracy:.3f}")

# %%
embeddings = {
    "original rings": X_rings,
    "linear PCA": PCA(n_components=2).fit_transform(X_rings),
    f"kernel PCA, γ = {gamma:g}": KernelPCA(n_components=2, kernel="rbf", gamma=gamma).fit_transform(X_rings),
}
fig, axes = plt.subplots(1, 3, figsize=(13, 4))
for ax, (title, points) in zip(axes, embeddings.items()):
    ax.scatter(points[:, 0], points[:, 1], c=y_rings, cmap="coolwarm", s=8)
    ax.set_title(title)
    ax.set_xlabel("component 1" if title != "original rings" else "$x_0$")
    ax.set_ylabel("component 2" if title != "original rings" else "$x_1$")
fig.tight_layout()

# %%
linear, kernel = separability.values()
checks.verify(linear < 0.75, "linear PCA leaves the rings inseparable by a line", f"accuracy {linear:.3f}")
checks.verify(kernel >= cfg.pick(full=0.98, fast=0.95), "RBF kernel PCA makes them linearly separable",
              f"accuracy {kernel:.3f}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 8. Other ways to flatten data: MDS, Isomap, t-SNE and LDA
#
# - **MDS** (multidimensional scaling) places points in 2-D so that their pairwise distances match
#   the original ones as well as possible.
# - **Isomap** links each point to its nearest neighbours and preserves distances measured *along*
#   that graph (geodesic distances), so it can unroll curved sheets.
# - **t-SNE** keeps neighbours together and pushes non-neighbours apart; it makes clusters stand
#   out but distances between clusters and cluster sizes mean little.
# - **LDA** (linear discriminant analysis) is a classifier: it uses the labels to find the (at
#   most $C - 1$) linear directions that best separate the $C$ classes, and can project onto them.
#
# All four, and PCA for reference, on the same MNIST digits. As is customary, the pixels are first
# reduced to 50 principal components (the cell prints how much of the variance they keep), which
# removes pixel noise and speeds up the neighbour searches. We time each method and score each 2-D picture by how
# often a point's 5 nearest neighbours in it share its label (5-NN accuracy, 5-fold
# cross-validated). LDA has seen the labels, so its score flatters it.

# %%
n_embed = cfg.limit(2000, fast=400)
digits, digit_labels = X_mnist[:n_embed], mnist.y_train[:n_embed]
digits_50 = PCA(n_components=50, random_state=cfg.seed).fit(digits)
print(f"{n_embed} digits; 50 components keep {digits_50.explained_variance_ratio_.sum():.0%} of their variance")
digits_50 = digits_50.transform(digits)


# %%
def metric_mds(points, seed):
    """Metric MDS in 2-D, started from classical MDS (for Euclidean distances: the PCA scores)."""
    # scikit-learn 1.8 added MDS(init="classical_mds") and warns without an init; older versions
    # (Colab has 1.6) take the same starting point as an array in fit_transform.
    if "init" in MDS().get_params():
        return MDS(n_components=2, init="classical_mds", random_state=seed).fit_transform(points)
    start = PCA(n_components=2).fit_transform(points)
    return MDS(n_components=2, n_init=1, random_state=seed).fit_transform(points, init=start)


# %%
methods = {
    "PCA": lambda: PCA(n_components=2).fit_transform(digits_50),
    "MDS": lambda: metric_mds(digits_50, cfg.seed),
    "Isomap": lambda: Isomap(n_neighbors=10, n_components=2).fit_transform(digits_50),
    "t-SNE": lambda: TSNE(n_components=2, init="pca", random_state=cfg.seed).fit_transform(digits_50),
    "LDA (uses labels)": lambda: LinearDiscriminantAnalysis(n_components=2).fit_transform(digits_50, digit_labels),
}
flat, method_rows = {}, []
for name, run in methods.items():
    started = time.perf_counter()
    flat[name] = run()
    seconds = time.perf_counter() - started
    knn = cross_val_score(KNeighborsClassifier(n_neighbors=5), flat[name], digit_labels, cv=5).mean()
    method_rows.append({"method": name, "seconds": seconds, "5-NN accuracy in 2-D": knn})
method_table = pd.DataFrame(method_rows).set_index("method")
method_table.round(3)

# %%
fig, axes = plt.subplots(2, 3, figsize=(16, 9.5))
for ax, (name, points) in zip(axes.flat, flat.items()):
    plotting.plot_embedding(points, digit_labels, ax=ax, class_names=mnist.class_names,
                            title=f"{name}: 5-NN accuracy {method_table.loc[name, '5-NN accuracy in 2-D']:.2f}")
ax = axes.flat[-1]
ax.barh(method_table.index, method_table["seconds"], color="tab:gray")
ax.set_xlabel("seconds")
ax.set_title(f"Time for {n_embed} digits")
ax.invert_yaxis()
fig.tight_layout()

# %%
knn_scores = method_table["5-NN accuracy in 2-D"]
checks.verify(knn_scores["t-SNE"] > knn_scores["PCA"] + 0.2, "t-SNE separates the digits far better than PCA in 2-D",
              f"{knn_scores['t-SNE']:.2f} vs {knn_scores['PCA']:.2f}")
checks.verify(knn_scores["LDA (uses labels)"] > knn_scores["PCA"], "LDA, which sees the labels, beats PCA",
              f"{knn_scores['LDA (uses labels)']:.2f} vs {knn_scores['PCA']:.2f}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# Each exercise has a cell for your answer and a check cell below it. Exercises marked *experiment*
# ask you to build or tune something; their check judges how well it works, on data it chooses.
#
# ### Exercise 1: 90 % of MNIST's variance
#
# Using `pca_mnist` (fitted above with all components), find `k90`, the smallest number of
# components whose explained-variance ratios add up to at least 0.90. Use `np.cumsum`.

# %% slideshow={"slide_type": "skip"} tags=["solution"]
k90 = int(np.argmax(np.cumsum(pca_mnist.explained_variance_ratio_) >= 0.90) + 1)

# %%
checks.check_value("components for 90 %", k90, PCA(n_components=0.90).fit(X_mnist).n_components_,
                   hint="a count of components, not the position of the first one past 90 % (positions start at 0)");

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 2: what does raw PC1 measure?
#
# Fit `PCA(n_components=1)` on the **raw** breast-cancer training features `X_train` and find the
# feature with the largest absolute weight in its only component. Store its name (a string from
# `cancer.feature_names`) in `dominant_feature`, and the share of that feature's own variance in
# the total variance of the 30 raw features in `dominant_share`.

# %% slideshow={"slide_type": "skip"} tags=["solution"]
raw_direction = PCA(n_components=1).fit(X_train).components_[0]
dominant_feature = cancer.feature_names[np.argmax(np.abs(raw_direction))]
raw_variances = X_train.var(axis=0, ddof=1)
dominant_share = raw_variances[list(cancer.feature_names).index(dominant_feature)] / raw_variances.sum()

# %%
_variances = np.var(X_train, axis=0, ddof=1)
checks.check_choice("feature dominating raw PC1", dominant_feature, cancer.feature_names[np.argmax(_variances)],
                    hint="look for the largest |weight| in components_[0]")
checks.check_value("its share of the total variance", dominant_share, _variances.max() / _variances.sum(), rtol=1e-6,
                   hint="its variance (ddof=1) divided by the sum of all 30 variances");

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 3: the kernel width
#
# Use `linear_separability` from section 7 to measure the test accuracy of RBF kernel PCA on the
# rings for each $\gamma$ in `(0.04, 0.4, 4, 40, 400)`. Store the results in a dict `gamma_accuracy`
# (γ → accuracy), and in `failing_gammas` the set of the γ values whose accuracy is below 0.9.
# Why does the lecture's γ = 0.04 fail here, and what goes wrong when γ is huge?

# %% slideshow={"slide_type": "skip"} tags=["solution"]
gamma_accuracy = {g: linear_separability(KernelPCA(n_components=2, kernel="rbf", gamma=g))
                  for g in (0.04, 0.4, 4, 40, 400)}
failing_gammas = {g for g, accuracy in gamma_accuracy.items() if accuracy < 0.9}
print({g: round(accuracy, 3) for g, accuracy in gamma_accuracy.items()})


from sklearn.metrics.pairwise import rbf_kernel


def kernel_row_mass(points, on_inner_ring, gamma):
    """Mean over rows of the off-diagonal RBF kernel mass, sum over j ≠ i of exp(-γ‖x_i - x_j‖²): in all, and on the other ring."""
    kernel = rbf_kernel(points, gamma=gamma)  # the kernel KernelPCA(kernel="rbf") builds
    other_ring = on_inner_ring[:, None] != on_inner_ring[None]
    return kernel.sum(axis=1).mean() - 1, (kernel * other_ring).sum(axis=1).mean()


inner_ring = y_rings_train == 1  # make_circles labels the inner ring 1
kernel_mass = pd.DataFrame({g: kernel_row_mass(rings_train, inner_ring, g) for g in gamma_accuracy},
                           index=["off-diagonal mass per row", "of it on the other ring"]).T
print(kernel_mass.round(3))
row_mass, across_40 = kernel_mass["off-diagonal mass per row"], kernel_mass.loc[40, "of it on the other ring"]
checks.verify(row_mass[0.04] > 0.9 * (len(rings_train) - 1) and row_mass[0.4] > 0.5 * (len(rings_train) - 1)
              and row_mass[40] > 5 and across_40 < 1e-2 and row_mass[400] < 10,
              "mass per row: nearly all other points at γ = 0.04, most at 0.4; at 40 still many, none across the rings; a few at 400",
              ", ".join(f"γ = {g:g}: {value:.1f}" for g, value in row_mass.items()) + f"; across the rings at 40: {across_40:.1e}")
codes_40 = KernelPCA(n_components=2, kernel="rbf", gamma=40).fit(rings_train).transform(rings_train)
radius_40 = np.linalg.norm(codes_40, axis=1)
fig, ax = plt.subplots(figsize=(4.5, 4))
ax.scatter(codes_40[:, 0], codes_40[:, 1], c=y_rings_train, cmap="coolwarm", s=8)
ax.set_title("kernel PCA, γ = 40: inner ring red, outer blue")
checks.verify(radius_40[~inner_ring].mean() < 0.1 * radius_40[inner_ring].mean(),
              "its two components draw the inner ring as a loop and put the outer ring at the centre",
              f"mean radius {radius_40[inner_ring].mean():.3f} (inner) vs {radius_40[~inner_ring].mean():.3f} (outer)")

# %%
_expected = {g for g in (0.04, 0.4, 4, 40, 400)
             if linear_separability(KernelPCA(n_components=2, kernel="rbf", gamma=g)) < 0.9}
checks.check_choice("γ values that fail", failing_gammas, _expected,
                    hint="compute the accuracy for each γ and keep those below 0.9");

# %% [markdown] slideshow={"slide_type": "skip"} tags=["solution"]
# With γ = 0.04 the kernel is almost flat over rings of radius 1 ($\gamma\|x-x'\|^2 \le 0.16$):
# every point gives nearly all the others a weight close to 1 (the mass per row in the table is
# almost the number of other points), $\exp(-\gamma d^2) \approx 1 - \gamma d^2$, and kernel PCA
# behaves like linear PCA: no separation. At γ = 0.4 the kernel is still wide next to the rings
# (most of the other points still count) and the result is the same.
#
# At γ = 40 the kernel matrix is *not* nearly the identity: the mean off-diagonal mass of a row
# is above ten (an identity has 0), as much as ten or more neighbours at full weight, all of them
# points of its own ring within a few times $1/\sqrt{\gamma} \approx 0.16$. What fails is that the
# rings, 0.7 apart (radii 1 and 0.3), no longer see each other at all: the kernel matrix splits
# into one block per ring, and kernel PCA describes each ring on its own. Both leading components
# go to the inner ring, to where a point sits *around* it: the inner ring is drawn as a loop and
# every outer-ring point lands near the centre, as the scatter shows. Rings again, one inside the
# other, which no straight line separates. Only at γ = 400 does the mass per row fall to a few,
# and the matrix approach the identity. Useful values make $1/\sqrt{\gamma}$ comparable to the
# gap between the rings (γ = 4: 0.5), so that the kernel links each ring into one piece while
# still telling the rings apart.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 4: incremental PCA by hand, on Fashion-MNIST
#
# Fit an `IncrementalPCA` on the first `n_fashion` Fashion-MNIST training images
# (`data.load_fashion_mnist()`, flattened) by calling `partial_fit` yourself on mini-batches of
# 1 000 images. You need the leading 10 components: remember section 5 and keep a margin. Store the
# fitted model in `fashion_ipca`. The check asks for an `IncrementalPCA` that has seen every image,
# and compares the span of its leading 10 components with that of ordinary PCA on the same images.

# %%
n_fashion = cfg.limit(20_000, fast=5_000)

# %% slideshow={"slide_type": "skip"} tags=["solution"]
fashion = data.load_fashion_mnist()
fashion_images = data.flatten_images(fashion.x_train[:n_fashion])
fashion_ipca = IncrementalPCA(n_components=20)  # twice what we need
for start in range(0, len(fashion_images), 1000):
    fashion_ipca.partial_fit(fashion_images[start:start + 1000])

# %%
_fashion_pca = PCA(n_components=10).fit(data.flatten_images(data.load_fashion_mnist().x_train[:n_fashion]))
_saw_every_image = isinstance(fashion_ipca, IncrementalPCA) and getattr(fashion_ipca, "n_samples_seen_", 0) == n_fashion
checks.check_choice("an IncrementalPCA that has seen all the images", None if fashion_ipca is None else _saw_every_image,
                    expected=True, hint="build an IncrementalPCA and call its partial_fit once for every batch of 1 000 images")
checks.check_subspace("incremental PCA's leading 10-D subspace", None if fashion_ipca is None else
                      np.asarray(getattr(fashion_ipca, "components_", np.zeros((0, 784))))[:10].T,
                      _fashion_pca.components_.T, max_angle_degrees=2.0,
                      hint="with only 10 components the last ones are poorly estimated: keep a margin, as in section 5");

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 5 (experiment): let cross-validation choose the components
#
# Section 3 kept two components because we said so. Let the data decide: build a pipeline
# `StandardScaler` → `PCA` → `LogisticRegression`, and tune its number of components (at most 10),
# and `C` if you like, with `GridSearchCV` on the training split `X_train`, `y_train` alone (the
# test split stays untouched). In a pipeline made by `make_pipeline` a step's parameters are named
# after the step, e.g. `pca__n_components`. Store the fitted search, or its best pipeline, in
# `tuned_cancer_model`. The check re-trains copies of that pipeline, with your settings, on 20
# splits of all 569 tumours (5-fold cross-validation repeated 4 times): their mean held-out
# accuracy must be at least 0.96, with the classifier seeing at most 10 numbers per tumour.

# %% slideshow={"slide_type": "skip"} tags=["solution"]
from sklearn.model_selection import GridSearchCV

cancer_search = GridSearchCV(make_pipeline(StandardScaler(), PCA(), LogisticRegression(max_iter=10_000)),
                             {"pca__n_components": list(range(1, 11))}, cv=5)
tuned_cancer_model = cancer_search.fit(X_train, y_train)
print(f"chosen {cancer_search.best_params_}: cross-validated accuracy {cancer_search.best_score_:.3f}")

# %%
from sklearn.base import clone
from sklearn.model_selection import RepeatedStratifiedKFold


def judge_tuned_cancer_pipeline(model):
    """Mean held-out accuracy of copies of the pipeline over 20 splits of all tumours, and the classifier's inputs."""
    pipeline = getattr(model, "best_estimator_", model)
    n_inputs = (pipeline[-1] if hasattr(pipeline, "steps") else pipeline).n_features_in_  # what the classifier sees
    tumours = data.load_breast_cancer()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        accuracy = cross_val_score(clone(pipeline), tumours.X, tumours.y,
                                   cv=RepeatedStratifiedKFold(n_splits=5, n_repeats=4, random_state=0)).mean()
    return accuracy >= 0.96 and n_inputs <= 10, (f"mean held-out accuracy {accuracy:.3f} (target at least 0.96) "
                                                 f"with {n_inputs} inputs to the classifier (at most 10)")


checks.check_experiment("tuned scaler, PCA and logistic regression", tuned_cancer_model, judge_tuned_cancer_pipeline,
                        hint="PCA ranks directions by variance: are the features on one scale inside your pipeline? "
                             "Does your grid try every number of components up to 10?")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 6 (experiment): PCA before a nearest-neighbour classifier
#
# A nearest-neighbour classifier labels an image like the training images closest to it, and
# measuring those distances over 784 pixels is slow. Measure them over a few principal components
# instead: build a pipeline `PCA` → `KNeighborsClassifier` on the training digits `knn_train`,
# `knn_train_labels` below, choose its number of components on `knn_valid`, `knn_valid_labels`,
# and store the fitted pipeline in `pca_knn_model`. The check measures its accuracy on test digits
# and that of the same classifier (same number of neighbours) on the raw pixels of the same
# training digits: yours must be at least as accurate, comparing at most 50 numbers per image.
# Can fewer numbers than pixels really do as well?

# %%
knn_train = data.flatten_images(mnist.x_train[:cfg.limit(10_000, fast=2_000)])
knn_train_labels = mnist.y_train[:len(knn_train)]
knn_valid = data.flatten_images(mnist.x_valid[:cfg.limit(2_000, fast=500)])
knn_valid_labels = mnist.y_valid[:len(knn_valid)]

# %% slideshow={"slide_type": "skip"} tags=["solution"]
knn_candidates = {d: make_pipeline(PCA(n_components=d, random_state=cfg.seed), KNeighborsClassifier(n_neighbors=1))
                  .fit(knn_train, knn_train_labels) for d in (10, 20, 30, 40, 50)}
knn_valid_accuracy = {d: model.score(knn_valid, knn_valid_labels) for d, model in knn_candidates.items()}
pca_knn_model = knn_candidates[max(knn_valid_accuracy, key=knn_valid_accuracy.get)]
print("validation accuracy by number of components:", {d: round(a, 3) for d, a in knn_valid_accuracy.items()})


# %%
def judge_pca_knn_pipeline(model):
    """Test accuracy against the same nearest-neighbour classifier on raw pixels, and the numbers compared per image."""
    model = getattr(model, "best_estimator_", model)
    classifier = model[-1] if hasattr(model, "steps") else model
    test_digits = data.load_mnist()
    n_test = cfg.limit(2_000, fast=1_000)
    images, labels = data.flatten_images(test_digits.x_test[:n_test]), test_digits.y_test[:n_test]
    accuracy = np.mean(model.predict(images) == labels)
    raw = KNeighborsClassifier(n_neighbors=getattr(classifier, "n_neighbors", 1)).fit(knn_train, knn_train_labels)
    raw_accuracy = np.mean(raw.predict(images) == labels)
    return accuracy >= raw_accuracy and classifier.n_features_in_ <= 50, (
        f"test accuracy {accuracy:.3f} comparing {classifier.n_features_in_} numbers per image "
        f"(at most 50); on the raw pixels {raw_accuracy:.3f}")


checks.check_experiment("PCA before nearest neighbours", pca_knn_model, judge_pca_knn_pipeline,
                        hint="try several numbers of components, from a handful to 50, and keep the best on the validation digits")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# - A fitted `PCA` holds the directions as rows of `components_`; `explained_variance_` are last
#   week's eigenvalues ($1/(n-1)$) and equal `singular_values_**2 / (n - 1)`.
# - Choose $k$ from the cumulative explained variance; `PCA(n_components=0.95)` does it for you.
# - Standardise features measured in different units before PCA: on raw breast-cancer data one
#   feature is "95 % of the variance", on standardised data it takes 10 components. Scaling also
#   lets the logistic-regression solver converge in under 50 steps instead of thousands, and
#   makes its default L2 penalty charge every feature alike: on raw features that penalty, not
#   the solver, costs 3 points of training accuracy.
# - On MNIST about 150 of 784 components keep 95 % of the variance; reconstructions sharpen as
#   $k$ grows. These PCA errors are the baseline for the autoencoders to come.
# - Incremental PCA matches PCA from mini-batches; randomized PCA approximates the leading
#   components, and on an idle machine beats the exact solvers when both $n$ and $p$ are large and $k$ is small
#   (on MNIST's 784 pixels the covariance route is faster); kernel PCA handles structure no
#   linear projection can, with a kernel width matched to the data; t-SNE and Isomap preserve
#   neighbourhoods, MDS distances, LDA class separation.
#
# Previous: [Week 1 — PCA by hand](01_pca_by_hand.ipynb).
# Next: [Week 3 — The linear autoencoder is PCA](03_linear_autoencoder.ipynb).
