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
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/ml-course-lab/autoencoders-pca-lstm-keras/blob/main/notebooks/01_pca_by_hand.ipynb)
#
# # Week 1 — PCA by hand
#
# Principal component analysis (PCA) is the yardstick for everything else in this course: a linear
# autoencoder learns exactly what PCA computes, and every deep autoencoder is judged by how much it
# beats PCA at the same code size. This week we build PCA from nothing but means and covariances.
# We first make sure we know which normalisation each library uses for a covariance, then write
# the covariance of a whole data matrix, diagonalise it for a 2-D Gaussian cloud, see why the
# top eigenvector is the best one-dimensional summary (the PCA theorem), and finally reach the
# same answer through the singular value decomposition and through scikit-learn.
#
# **You will learn to**
# - compute variance, covariance and correlation by hand, with NumPy and with pandas, and say
#   which of them divide by $n$ and which by $n-1$;
# - write the covariance matrix of a data matrix as $\bar{X}^\top \bar{X}/(n-1)$;
# - carry out PCA step by step: centre, covariance, eigen-decomposition, share of variance,
#   projection and reconstruction;
# - derive the PCA theorem with a Lagrange multiplier, and check it numerically;
# - compute PCA through the SVD and match it with scikit-learn's `PCA`.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ## Setup
#
# The same set-up cell as in every notebook, then the few libraries this week needs.

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
from sklearn.decomposition import PCA

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. Two vectors: variance, covariance, correlation
#
# Take $n$ paired measurements $x_0, \dots, x_{n-1}$ and $y_0, \dots, y_{n-1}$ with means
# $\bar{x} = \frac{1}{n}\sum_i x_i$ and $\bar{y}$. How much they vary together is the covariance;
# the variance is the covariance of a vector with itself. There are two normalisations in use:
#
# $$
# \operatorname{cov}_n[x, y] = \frac{1}{n}\sum_{i=0}^{n-1}(x_i-\bar{x})(y_i-\bar{y}),
# \qquad
# \operatorname{cov}_{n-1}[x, y] = \frac{1}{n-1}\sum_{i=0}^{n-1}(x_i-\bar{x})(y_i-\bar{y}).
# $$
#
# The $1/n$ version is the average squared spread of *these* numbers. The $1/(n-1)$ version is the
# unbiased estimate of the covariance of the distribution they were drawn from: the deviations are
# measured from $\bar{x}$, which was fitted to the same data and therefore sits a little too close
# to them, and dividing by $n-1$ (Bessel's correction) makes up for it exactly on average. For
# large $n$ the two hardly differ (they differ by the factor $n/(n-1)$, 0.1 % at $n = 1000$), but
# code that mixes them fails any strict comparison.
#
# The covariance carries the units of $x$ times those of $y$, so its size says little on its own.
# The **correlation** divides them out:
#
# $$
# \operatorname{corr}[x, y] = \frac{\operatorname{cov}[x, y]}{\sqrt{\operatorname{var}[x]\,\operatorname{var}[y]}} \in [-1, 1].
# $$
#
# The same factor ($1/n$ or $1/(n-1)$) appears above and below the fraction bar, so **the
# correlation does not depend on the convention**. Let us check all of this on $n = 100$ points
# where $y = 4 + 3x + \text{noise}$.

# %%
rng = np.random.default_rng(cfg.seed)
n_points = 100
x = rng.normal(size=n_points)
y = 4 + 3 * x + rng.normal(size=n_points)  # y follows x, plus independent noise

# By hand: deviations from the mean, then the two normalisations.
dx, dy = x - x.mean(), y - y.mean()
sums = np.array([[dx @ dx, dx @ dy],
                 [dy @ dx, dy @ dy]])  # sums of products of deviations
cov_by_hand_n = sums / n_points
cov_by_hand_n1 = sums / (n_points - 1)
corr_by_hand = cov_by_hand_n / np.sqrt(np.outer(np.diag(cov_by_hand_n), np.diag(cov_by_hand_n)))
print("covariance, 1/n:\n", cov_by_hand_n.round(4))
print("covariance, 1/(n-1):\n", cov_by_hand_n1.round(4))
print("correlation:\n", corr_by_hand.round(4))

# %% [markdown] slideshow={"slide_type": "subslide"}
# Now the library versions. `np.cov(x, y)` treats each argument as one variable (one row) and
# divides by $n-1$ unless told `bias=True` (or `ddof=0`). pandas' `DataFrame.cov()` also divides
# by $n-1$ by default (`ddof=1`). `np.corrcoef` and `DataFrame.corr()` need no convention.

# %%
frame = pd.DataFrame({"x": x, "y": y})
candidates = [
    # (how it was computed, which normalisation, covariance or correlation matrix, the hand-made reference)
    ("np.cov(x, y)", "1/(n-1)  (default ddof=1)", np.cov(x, y), cov_by_hand_n1),
    ("np.cov(x, y, bias=True)", "1/n", np.cov(x, y, bias=True), cov_by_hand_n),
    ("DataFrame.cov()", "1/(n-1)  (default ddof=1)", frame.cov().to_numpy(), cov_by_hand_n1),
    ("DataFrame.cov(ddof=0)", "1/n", frame.cov(ddof=0).to_numpy(), cov_by_hand_n),
    ("corr from the 1/(n-1) covariance", "none (cancels)",
     cov_by_hand_n1 / np.sqrt(np.outer(np.diag(cov_by_hand_n1), np.diag(cov_by_hand_n1))), corr_by_hand),
    ("np.corrcoef(x, y)", "none (cancels)", np.corrcoef(x, y), corr_by_hand),
    ("DataFrame.corr()", "none (cancels)", frame.corr().to_numpy(), corr_by_hand),
]
comparison = pd.DataFrame(
    [(name, convention, matrix[0, 1], np.max(np.abs(matrix - reference)))
     for name, convention, matrix, reference in candidates],
    columns=["computed with", "normalisation", "entry [x, y]", "max |difference| from by hand"],
)
comparison

# %% [markdown]
# Every library result matches the hand computation with the same convention to within
# rounding error, and a covariance computed with the *other* convention does not:

# %%
largest_gap = comparison["max |difference| from by hand"].max()
checks.verify(largest_gap < 1e-12, "by hand, NumPy and pandas agree to 1e-12 once the convention matches",
              f"largest difference {largest_gap:.1e}")
convention_gap = np.abs(cov_by_hand_n1 - cov_by_hand_n).max()
checks.verify(convention_gap > 1e-3, "1/n and 1/(n-1) give visibly different covariances at n = 100",
              f"they differ by up to {convention_gap:.3f}, a factor n/(n-1) = {n_points / (n_points - 1):.4f}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. The design-matrix view: a $p \times p$ covariance in one product
#
# Put $n$ observations of $p$ features in the rows of a **design matrix** $X \in \mathbb{R}^{n\times p}$
# and subtract each column's mean to get the centred matrix $\bar{X} = X - \mathbf{1}\mu^\top$.
# Entry $(j, k)$ of $\bar{X}^\top\bar{X}$ is $\sum_i (x_{ij}-\mu_j)(x_{ik}-\mu_k)$, the sum that
# defines the covariance of features $j$ and $k$. So the whole covariance matrix is one product,
#
# $$
# C = \frac{1}{n-1}\,\bar{X}^\top \bar{X}
# \quad\Bigl(\text{or } \tfrac{1}{n}\,\bar{X}^\top \bar{X} \text{ with the other convention}\Bigr),
# \qquad
# C = \begin{bmatrix}
# \operatorname{var}[x_0] & \operatorname{cov}[x_0, x_1] & \cdots & \operatorname{cov}[x_0, x_{p-1}]\\
# \operatorname{cov}[x_1, x_0] & \operatorname{var}[x_1] & \cdots & \operatorname{cov}[x_1, x_{p-1}]\\
# \vdots & & \ddots & \vdots\\
# \operatorname{cov}[x_{p-1}, x_0] & \cdots & & \operatorname{var}[x_{p-1}]
# \end{bmatrix},
# $$
#
# symmetric, with the variances on its diagonal. The correlation matrix rescales it by the standard
# deviations, $K = D^{-1/2}\,C\,D^{-1/2}$ with $D = \operatorname{diag}(C)$. With $p = 2$ this is the
# $2\times 2$ matrix of section 1. Here it is for the four measurements of the iris flowers
# (150 flowers, sepal and petal lengths and widths in cm):

# %%
iris = data.load_iris()
X_iris = iris.X
X_iris_centred = X_iris - X_iris.mean(axis=0)
C_iris = X_iris_centred.T @ X_iris_centred / (len(X_iris) - 1)
scale = 1 / np.sqrt(np.diag(C_iris))
K_iris = C_iris * np.outer(scale, scale)

iris_frame = iris.to_frame().drop(columns="target")
differences = {
    "covariance vs np.cov(rowvar=False)": np.abs(C_iris - np.cov(X_iris, rowvar=False)).max(),
    "covariance vs DataFrame.cov()": np.abs(C_iris - iris_frame.cov().to_numpy()).max(),
    "correlation vs np.corrcoef(rowvar=False)": np.abs(K_iris - np.corrcoef(X_iris, rowvar=False)).max(),
    "correlation vs DataFrame.corr()": np.abs(K_iris - iris_frame.corr().to_numpy()).max(),
}
for what, gap in differences.items():
    print(f"{what:>42}: {gap:.1e}")
checks.verify(max(differences.values()) < 1e-12, "the one-product covariance and correlation of iris match NumPy and pandas")

# %% [markdown]
# Note `rowvar=False`: NumPy's default is one variable per *row*, the transpose of a design matrix.
# A picture of $K$ shows what the numbers hide: petal length and width move almost in lock step
# with each other and with sepal length, while sepal width goes its own way.

# %%
short_names = [name.replace(" (cm)", "") for name in iris.feature_names]
fig, ax = plt.subplots(figsize=(5.2, 4.2))
image = ax.imshow(K_iris, cmap="RdBu_r", vmin=-1, vmax=1)
ax.set_xticks(range(4), short_names, rotation=30, ha="right")
ax.set_yticks(range(4), short_names)
for (row, column), value in np.ndenumerate(K_iris):
    ax.text(column, row, f"{value:.2f}", ha="center", va="center", fontsize=9,
            color="white" if abs(value) > 0.6 else "black")
fig.colorbar(image, ax=ax, label="correlation")
ax.set_title("Iris: correlation matrix")
fig.tight_layout()

# %%
checks.verify(K_iris[2, 3] > 0.95 and min(K_iris[0, 2], K_iris[0, 3]) > 0.8,
              "petal length and width correlate almost perfectly, and both strongly with sepal length",
              f"{K_iris[2, 3]:.2f}, {K_iris[0, 2]:.2f}, {K_iris[0, 3]:.2f}")
checks.verify(np.abs(K_iris[1, [0, 2, 3]]).max() < 0.5, "sepal width correlates only weakly with the others",
              f"{K_iris[1, [0, 2, 3]].round(2)}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. PCA step by step on a 2-D Gaussian cloud
#
# We draw $n = 10\,000$ points from a Gaussian with mean $\mu = (-1, 2)$ and covariance
# $\Sigma = \begin{bmatrix}4 & 2\\ 2 & 2\end{bmatrix}$. Its exact eigenvalues are
# $3 \pm \sqrt{5} \approx 5.236$ and $0.764$, so one direction carries most of the spread. PCA
# should find that direction from the sample alone, in five steps:
#
# 1. centre: $\mu_n = \frac{1}{n}\sum_i x_i$, $\;\bar{x}_i = x_i - \mu_n$;
# 2. sample covariance: $C = \bar{X}^\top\bar{X}/(n-1)$;
# 3. eigen-decomposition $C v_j = \lambda_j v_j$, sorted so that $\lambda_0 \ge \lambda_1$;
# 4. share of the variance of each component: $\lambda_j / \sum_k \lambda_k$;
# 5. projection onto $v_0$ and the rank-1 reconstruction $\tilde{x}_i = \mu_n + \langle x_i - \mu_n, v_0\rangle\, v_0$.
#
# (The size is fixed rather than taken from `cfg`: the whole section runs in a fraction of a second,
# and the eigenvalues it prints are compared between runs.)

# %%
n_gauss = 10_000
X = data.make_gaussian_2d(n=n_gauss, mean=(-1.0, 2.0), cov=((4.0, 2.0), (2.0, 2.0)), seed=cfg.seed)

mu = X.mean(axis=0)                    # step 1: centre
X_centred = X - mu
C = X_centred.T @ X_centred / (n_gauss - 1)   # step 2: sample covariance
print("sample mean:", mu.round(3), "  (true mean: [-1, 2])")
print("sample covariance:\n", C.round(3))

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Step 3.** A covariance matrix is symmetric, so we use the symmetric eigen-solver
# `np.linalg.eigh`: it guarantees real eigenvalues and orthonormal eigenvectors (the general
# `np.linalg.eig` promises neither, and may return complex numbers from rounding noise). `eigh`
# returns the eigenvalues in *ascending* order, so we reverse them. The eigenvectors are the
# *columns* of the returned matrix.

# %%
eigenvalues, eigenvectors = np.linalg.eigh(C)
order = np.argsort(eigenvalues)[::-1]          # largest first
eigenvalues, eigenvectors = eigenvalues[order], eigenvectors[:, order]
v0, v1 = eigenvectors[:, 0], eigenvectors[:, 1]
share = eigenvalues / eigenvalues.sum()        # step 4

# %% tags=["nbval-check-output"]
print("eigenvalues of the sample covariance:", eigenvalues.round(2))
print("eigenvalues of the true covariance:  ", np.array([3 + np.sqrt(5), 3 - np.sqrt(5)]).round(2))
print("share of the variance:", share.round(3))

# %% [markdown]
# With 10 000 points the sample eigenvalues should land within a few per cent of the true ones
# (their relative standard error is about $\sqrt{2/n} \approx 1.4\,\%$), and the eigenvectors must
# be orthonormal:

# %%
true_eigenvalues = np.array([3 + np.sqrt(5), 3 - np.sqrt(5)])
relative_error = np.abs(eigenvalues / true_eigenvalues - 1)
checks.verify(relative_error.max() < 0.05, "sample eigenvalues within 5 % of 3 ± √5",
              f"relative errors {relative_error.round(4)}")
checks.verify(abs(share[0] - true_eigenvalues[0] / 6) < 0.02, "PC1 carries about 87 % of the variance",
              f"sample {share[0]:.3f}, exact (3 + √5)/6 = {true_eigenvalues[0] / 6:.3f}")
checks.verify(np.allclose(eigenvectors.T @ eigenvectors, np.eye(2), atol=1e-12), "the eigenvectors are orthonormal")
checks.verify(np.allclose(C @ v0, eigenvalues[0] * v0, atol=1e-12), "C v0 = λ0 v0")

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Step 5.** The score of a point on the first component is $z_i = \langle x_i - \mu_n, v_0\rangle$;
# putting the point back at $\mu_n + z_i v_0$ keeps only its position along $v_0$. The figure shows
# the cloud with both principal directions (arrows two standard deviations $2\sqrt{\lambda_j}$
# long), the histogram of the scores $z_i$, and the rank-1 reconstruction with the error of a few
# points drawn as segments: each segment is perpendicular to $v_0$.

# %%
scores = X_centred @ v0                         # projection onto PC1: one number per point
X_rank1 = mu + np.outer(scores, v0)             # rank-1 reconstruction

fig, axes = plt.subplots(1, 3, figsize=(15, 4.6))
ax = axes[0]
ax.scatter(X[:, 0], X[:, 1], s=2, alpha=0.15, color="tab:gray")
for vector, value, colour, name in [(v0, eigenvalues[0], "tab:red", "PC1"), (v1, eigenvalues[1], "tab:blue", "PC2")]:
    vector = vector * np.sign(vector[0] + 1e-12 * vector[1])  # draw every arrow pointing to the right
    tip = mu + 2 * np.sqrt(value) * vector
    ax.annotate("", xy=tip, xytext=mu, arrowprops=dict(arrowstyle="-|>", color=colour, lw=2.5))
    ax.text(*(tip + 0.3 * vector), f"{name} (λ = {value:.2f})", color=colour, fontsize=10,
            bbox=dict(facecolor="white", edgecolor="none", alpha=0.8))
ax.set_aspect("equal")
ax.set_title("The data and both principal directions")
ax.set_xlabel("$x_0$")
ax.set_ylabel("$x_1$")

ax = axes[1]
ax.hist(scores, bins=60, color="tab:red", alpha=0.7)
ax.set_title(f"Scores on PC1: variance {scores.var(ddof=1):.2f}")
ax.set_xlabel(r"$z_i = \langle x_i - \mu_n, v_0 \rangle$")
ax.set_ylabel("count")

ax = axes[2]
ax.scatter(X[:, 0], X[:, 1], s=2, alpha=0.15, color="tab:gray", label="data")
ax.scatter(X_rank1[:, 0], X_rank1[:, 1], s=2, color="tab:red", label="rank-1 reconstruction")
for i in range(0, 300, 10):  # the error of every 10th of the first 300 points
    ax.plot([X[i, 0], X_rank1[i, 0]], [X[i, 1], X_rank1[i, 1]], color="black", lw=0.7)
ax.set_aspect("equal")
ax.set_title("Keeping only PC1")
ax.set_xlabel("$x_0$")
ax.legend(loc="upper left", markerscale=5)
fig.tight_layout()

# %% [markdown]
# What is lost is exactly the spread along $v_1$: the residual of each point is
# $\langle x_i - \mu_n, v_1\rangle v_1$, so the mean squared reconstruction error is
# $\frac{1}{n}\sum_i \langle \bar{x}_i, v_1\rangle^2 = \frac{n-1}{n}\lambda_1$, and the variance
# of the scores is $\lambda_0$:

# %%
mean_squared_error = np.mean(np.sum((X - X_rank1) ** 2, axis=1))
checks.verify(np.isclose(mean_squared_error, eigenvalues[1] * (n_gauss - 1) / n_gauss, rtol=1e-10),
              "rank-1 reconstruction error = (n-1)/n · λ1", f"error {mean_squared_error:.4f}, λ1 {eigenvalues[1]:.4f}")
checks.verify(np.isclose(scores.var(ddof=1), eigenvalues[0], rtol=1e-10), "variance of the PC1 scores = λ0",
              f"{scores.var(ddof=1):.4f}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4. The PCA theorem
#
# Why the top eigenvector? Take any unit vector $w$ ($\|w\|_2 = 1$) and project the centred points
# on it: $z_i = w^\top \bar{x}_i$. The variance of these scores is
#
# $$
# \frac{1}{n-1}\sum_i (w^\top \bar{x}_i)^2 = w^\top \Bigl(\frac{1}{n-1}\sum_i \bar{x}_i \bar{x}_i^\top\Bigr) w = w^\top C\, w .
# $$
#
# We want the $w$ that makes this largest. Without the constraint we could just make $w$ longer,
# so we keep $\|w\|^2 = 1$ with a Lagrange multiplier $\lambda$:
#
# $$
# \mathcal{L}(w, \lambda) = w^\top C w - \lambda\,(w^\top w - 1),
# \qquad
# \nabla_w \mathcal{L} = 2 C w - 2 \lambda w = 0
# \;\Longrightarrow\; C w = \lambda w .
# $$
#
# Every stationary point is an eigenvector, and there the projected variance is
# $w^\top C w = \lambda\, w^\top w = \lambda$: the best direction is the eigenvector with the
# **largest** eigenvalue. The next direction, maximised under the extra constraint $w \perp v_0$,
# is the eigenvector with the second largest eigenvalue, and so on.
#
# **Minimising the reconstruction error is the same problem.** Rebuild each point from its score,
# $\tilde{x}_i = \mu_n + z_i w$. Because $w$ is a unit vector, the residual $\bar{x}_i - z_i w$ is
# perpendicular to $w$, and Pythagoras gives
#
# $$
# \|x_i - \tilde{x}_i\|^2 = \|\bar{x}_i\|^2 - z_i^2
# \quad\Longrightarrow\quad
# \frac{1}{n-1}\sum_i \|x_i - \tilde{x}_i\|^2 = \operatorname{tr}(C) - w^\top C w .
# $$
#
# The total variance $\operatorname{tr}(C)$ does not depend on $w$, so the direction with the most
# projected variance is also the one with the least reconstruction error. (With $k$ directions,
# the columns of $W \in \mathbb{R}^{p\times k}$ orthonormal, the same argument gives
# $\operatorname{tr}(C) - \operatorname{tr}(W^\top C W)$, minimised by the top $k$ eigenvectors.)
#
# Let us check it by brute force: try every direction $w(\theta) = (\cos\theta, \sin\theta)$ in
# steps of a quarter degree, and measure both quantities directly from the points.

# %%
angles = np.arange(0, 180, 0.25)
projected_variance, reconstruction_error = [], []
for angle in np.radians(angles):
    w = np.array([np.cos(angle), np.sin(angle)])
    z = X_centred @ w
    residual = X_centred - np.outer(z, w)
    projected_variance.append(np.sum(z ** 2) / (n_gauss - 1))
    reconstruction_error.append(np.sum(residual ** 2) / (n_gauss - 1))
projected_variance, reconstruction_error = np.array(projected_variance), np.array(reconstruction_error)

pc1_angle = np.degrees(np.arctan2(v0[1], v0[0])) % 180
fig, ax = plt.subplots(figsize=(8, 3.8))
ax.plot(angles, projected_variance, label=r"projected variance $w^\top C w$")
ax.plot(angles, reconstruction_error, label="mean squared reconstruction error")
ax.axvline(pc1_angle, color="tab:red", linestyle=":", label=f"PC1 at {pc1_angle:.1f}°")
ax.set_xlabel(r"direction $\theta$ of $w$ (degrees)")
ax.legend()
fig.tight_layout()

# %%
best_variance_angle = angles[np.argmax(projected_variance)]
best_error_angle = angles[np.argmin(reconstruction_error)]
checks.verify(best_variance_angle == best_error_angle, "the most-variance direction is the least-error direction",
              f"{best_variance_angle}° and {best_error_angle}°")
checks.verify(abs(best_variance_angle - pc1_angle) <= 0.125, "it is PC1, to the grid's resolution",
              f"grid {best_variance_angle}°, PC1 {pc1_angle:.2f}°")
checks.verify(np.allclose(projected_variance + reconstruction_error, np.trace(C), rtol=1e-10),
              "projected variance + reconstruction error = tr(C) for every direction")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5. The SVD route, and scikit-learn
#
# The singular value decomposition writes any matrix as $\bar{X} = U \Sigma V^\top$, with
# orthonormal columns in $U \in \mathbb{R}^{n\times r}$ and $V \in \mathbb{R}^{p\times r}$ and
# singular values $\sigma_0 \ge \sigma_1 \ge \dots \ge 0$ on the diagonal of $\Sigma$. Then
#
# $$
# C = \frac{\bar{X}^\top\bar{X}}{n-1} = V\,\frac{\Sigma^2}{n-1}\,V^\top ,
# $$
#
# which *is* an eigen-decomposition of $C$: the columns of $V$ are the principal directions and
# $\lambda_j = \sigma_j^2/(n-1)$. The scores on the first $d$ components are
# $\bar{X} V_d = U_d \Sigma_d$. The SVD never forms $\bar{X}^\top\bar{X}$, whose condition
# number is the square of $\bar{X}$'s, so it keeps more precision in the small eigenvalues and is
# the numerically safer route. scikit-learn's `PCA` computes an SVD too, except that with
# `svd_solver="auto"` and a tall matrix (under 1000 features and over ten times as many rows) it
# takes the faster covariance eigen-solver, exactly what we do by hand. Eigenvectors are only
# defined up to sign, so before comparing we flip each direction to agree with a reference.
#
# We compare the three routes on the Gaussian cloud and on the 4-D iris data.

# %%
def match_signs(directions, reference):
    """Flip each column of `directions` that points against the same column of `reference`."""
    signs = np.sign(np.sum(directions * reference, axis=0))
    return directions * np.where(signs == 0, 1.0, signs)


rows = []
for name, features in [("2-D Gaussian", X), ("iris (4-D)", X_iris)]:
    centred = features - features.mean(axis=0)
    n = len(features)
    # route 1: eigen-decomposition of the covariance
    values, vectors = np.linalg.eigh(centred.T @ centred / (n - 1))
    order = np.argsort(values)[::-1]
    values, vectors = values[order], vectors[:, order]
    # route 2: SVD of the centred data (rows of Vt are the directions)
    _, singular_values, Vt = np.linalg.svd(centred, full_matrices=False)
    svd_values, svd_vectors = singular_values ** 2 / (n - 1), Vt.T
    # route 3: scikit-learn (components_ holds the directions as rows)
    model = PCA().fit(features)
    reference = model.components_.T
    rows.append({
        "data": name,
        "directions: eigh vs sklearn": np.abs(match_signs(vectors, reference) - reference).max(),
        "directions: SVD vs sklearn": np.abs(match_signs(svd_vectors, reference) - reference).max(),
        "variance ratio: eigh vs sklearn": np.abs(values / values.sum() - model.explained_variance_ratio_).max(),
        "variance ratio: SVD vs sklearn": np.abs(svd_values / svd_values.sum() - model.explained_variance_ratio_).max(),
        "λ: eigh vs σ²/(n-1)": np.abs(values - svd_values).max(),
    })
agreement = pd.DataFrame(rows).set_index("data")
agreement.T

# %%
worst = agreement.to_numpy().max()
checks.verify(worst < 1e-10, "eigen-decomposition, SVD and scikit-learn give the same directions (up to sign) "
              "and explained-variance ratios", f"largest difference {worst:.1e}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Projecting iris onto its first $d = 2$ principal directions, $\bar{X}V_2 = U_2\Sigma_2$, gives a
# flat picture of the four measurements. PCA never saw the species, yet setosa stands apart on PC1
# and the other two overlap only a little. The projection agrees with
# `PCA(n_components=2).fit_transform`:

# %%
U, singular_values, Vt = np.linalg.svd(X_iris_centred, full_matrices=False)
iris_2d = X_iris_centred @ Vt[:2].T
checks.verify(np.allclose(iris_2d, U[:, :2] * singular_values[:2], atol=1e-10), "X̄ V₂ = U₂ Σ₂")
iris_2d_sklearn = PCA(n_components=2).fit_transform(X_iris)
checks.verify(np.allclose(match_signs(iris_2d, iris_2d_sklearn), iris_2d_sklearn, atol=1e-10),
              "the 2-D projection matches scikit-learn's (up to the sign of each axis)")
setosa_pc1, others_pc1 = iris_2d[iris.y == 0, 0], iris_2d[iris.y != 0, 0]
checks.verify(setosa_pc1.max() < others_pc1.min() or setosa_pc1.min() > others_pc1.max(),
              "on PC1 alone, setosa does not overlap the other two species")
fig, ax = plt.subplots(figsize=(6.5, 4.8))
for label, species in enumerate(iris.target_names):
    ax.scatter(iris_2d[iris.y == label, 0], iris_2d[iris.y == label, 1], s=14, label=species)
ax.set_xlabel("PC1 score")
ax.set_ylabel("PC2 score")
ax.set_title("Iris on its first two principal components")
ax.legend(title="species")
fig.tight_layout()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# Each exercise has a cell for your answer (in your copy it holds placeholders) and a check cell
# below it. Run the check after you have written your answer. Exercises marked *experiment* ask
# you to build or measure something; their check judges how well it works, on data it chooses.
#
# ### Exercise 1: a covariance with either convention
#
# Write `covariance(x, y, ddof)` that returns the covariance of two equal-length 1-D arrays,
# dividing the sum of products of deviations by $n - \text{ddof}$ (so `ddof=0` is the $1/n$
# convention and `ddof=1` the $1/(n-1)$ one). Use only sums and means, not `np.cov`.

# %% slideshow={"slide_type": "skip"} tags=["solution"]
def covariance(x, y, ddof):
    """Covariance of two 1-D arrays, dividing by n - ddof."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return np.sum((x - x.mean()) * (y - y.mean())) / (len(x) - ddof)


# %%
checks.check_function(
    "covariance(x, y, ddof)", covariance, lambda a, b, ddof: np.cov(a, b, ddof=ddof)[0, 1],
    cases=[(x, y, 0), (x, y, 1), (X[:, 0], X[:, 1], 1), (X_iris[:, 2], X_iris[:, 3], 0)],
    rtol=1e-12, atol=1e-12, hint="subtract each mean, multiply, sum, divide by len(x) - ddof",
);

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 2: your own `pca(X, k)`
#
# Write `pca(X, k)` for a design matrix `X` of shape `(n, p)`. Return three things:
# 1. `components`, shape `(p, k)`: the top `k` principal directions **as columns**;
# 2. `ratio`, shape `(k,)`: the share of the total variance each of them explains;
# 3. `projection`, shape `(n, k)`: the scores of every row on those directions.
#
# Centre the data yourself; use the covariance and `np.linalg.eigh` (or the SVD). The check compares
# you with scikit-learn on three data sets, allowing each direction to have either sign.

# %% slideshow={"slide_type": "skip"} tags=["solution"]
def pca(X, k):
    """Top-k principal directions (as columns), their explained-variance ratios, and the scores."""
    X = np.asarray(X, dtype=float)
    centred = X - X.mean(axis=0)
    values, vectors = np.linalg.eigh(centred.T @ centred / (len(X) - 1))
    order = np.argsort(values)[::-1]
    values, vectors = values[order], vectors[:, order]
    components = vectors[:, :k]
    ratio = values[:k] / values.sum()
    return components, ratio, centred @ components


# %%
def pca_with_sklearn(X, k):
    model = PCA(n_components=k).fit(X)
    return model.components_.T, model.explained_variance_ratio_, model.transform(X)


checks.check_function(
    "pca(X, k)", pca, pca_with_sklearn,
    cases=[(X, 1), (X_iris, 2), (X_iris, 4), (np.random.default_rng(1).normal(size=(300, 6)) * [5, 4, 3, 2, 1, 0.5], 3)],
    rtol=1e-6, atol=1e-8, up_to_sign=True,
    hint="centre first; sort the eigenvalues from largest to smallest and reorder the eigenvector columns with them",
);

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 3: change the covariance
#
# Write `first_principal_direction(X)` that returns two things for a data matrix `X` of any number
# of features (one row per sample): the share of the total variance explained by the first
# principal component, and the first principal direction as a unit vector. Then use it on a new
# cloud, `X_wide = data.make_gaussian_2d(n=10_000, cov=((16.0, 1.0), (1.0, 1.0)), seed=1)`, where
# the first variance is now much larger than the second and the covariance has shrunk: store the
# share in `share_pc1`, and in `angle_pc1` the angle of the direction with the $x_0$ axis, in
# degrees, in $[0, 180)$ (a direction and its negative are the same direction: use `% 180`).
#
# The check tries your function on clouds of 2 and 4 features. Then plot the cloud if you like,
# and in the markdown cell below explain what the scatter and the eigenvalues do when one
# variance grows and when the covariance goes to zero.

# %% slideshow={"slide_type": "skip"} tags=["solution"]
def first_principal_direction(X):
    """Share of the total variance along the first principal direction of ``X``, and that unit direction."""
    values, vectors = np.linalg.eigh(np.cov(X, rowvar=False))
    return values[-1] / values.sum(), vectors[:, -1]  # eigh sorts ascending: the last column is the largest


X_wide = data.make_gaussian_2d(n=10_000, cov=((16.0, 1.0), (1.0, 1.0)), seed=1)
share_pc1, direction_pc1 = first_principal_direction(X_wide)
angle_pc1 = np.degrees(np.arctan2(direction_pc1[1], direction_pc1[0])) % 180

# %%
def reference_first_direction(X):
    """scikit-learn's answer: the first component's share of the variance and its direction."""
    fitted = PCA(n_components=1).fit(X)
    return fitted.explained_variance_ratio_[0], fitted.components_[0]


check_clouds = [data.make_gaussian_2d(n=10_000, cov=((16.0, 1.0), (1.0, 1.0)), seed=1),
                data.make_gaussian_2d(n=2_000, cov=((1.0, 0.8), (0.8, 4.0)), seed=2), data.load_iris().X]
checks.check_function("first_principal_direction", first_principal_direction, reference_first_direction,
                      [(X,) for X in check_clouds], rtol=1e-6, atol=1e-8, up_to_sign=True,
                      hint="the eigenvectors of the covariance matrix are the columns of what np.linalg.eigh returns")
_wide_direction = reference_first_direction(check_clouds[0])[1]
checks.check_value("angle of PC1 (degrees)", angle_pc1, np.degrees(np.arctan2(_wide_direction[1], _wide_direction[0])) % 180,
                   rtol=1e-6, atol=1e-6, hint="the angle of a direction (a, b) with the x0 axis is arctan2(b, a), in radians")

# %% [markdown] slideshow={"slide_type": "skip"} tags=["solution"]
# The cloud becomes a long thin cigar lying almost along the $x_0$ axis. The exact eigenvalues
# of this covariance are $8.5 \pm \sqrt{57.25} \approx 16.07$ and $0.93$: the first is a little
# above the larger variance, the second a little below the smaller one, PC1 carries about 94 % of
# the variance and leans only about 4° away from the $x_0$ axis; the sample of 10 000 points comes
# close to these exact values. With the covariance set to zero the
# ellipse's axes line up with the coordinate axes, the principal directions *are* the axes
# (PC1 along the feature with the larger variance) and the eigenvalues are simply the two
# variances. When the two variances are equal and uncorrelated the cloud is round, both
# eigenvalues are equal and any direction is a principal direction: PCA has nothing to pick.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 4: reconstruction error is the variance you drop
#
# Write `reconstruct(X, k)` that returns the rank-$k$ PCA reconstruction
# $\tilde{X} = \mu_n + \bar{X} V_k V_k^\top$ of every row of `X` (same shape as `X`). Then compute
# `iris_error_k2`, the mean over the 150 flowers of the squared distance $\|x_i - \tilde{x}_i\|^2$
# for $k = 2$. Section 3 suggests what it should equal in terms of the eigenvalues you dropped.

# %% slideshow={"slide_type": "skip"} tags=["solution"]
def reconstruct(X, k):
    """Rank-k PCA reconstruction of the rows of X."""
    X = np.asarray(X, dtype=float)
    mean = X.mean(axis=0)
    _, _, Vt = np.linalg.svd(X - mean, full_matrices=False)
    V_k = Vt[:k].T
    return mean + (X - mean) @ V_k @ V_k.T


iris_error_k2 = np.mean(np.sum((X_iris - reconstruct(X_iris, 2)) ** 2, axis=1))


# %%
def reconstruct_with_sklearn(X, k):
    model = PCA(n_components=k).fit(X)
    return model.inverse_transform(model.transform(X))


checks.check_function("reconstruct(X, k)", reconstruct, reconstruct_with_sklearn,
                      cases=[(X, 1), (X_iris, 1), (X_iris, 3)], rtol=1e-6, atol=1e-8,
                      hint="PCA reconstructs centred data: what has to happen before the projection, and after it?")
_dropped = np.sort(np.linalg.eigvalsh(np.cov(X_iris, rowvar=False)))[:2].sum()
checks.check_value("mean squared error of the rank-2 iris reconstruction", iris_error_k2,
                   _dropped * (len(X_iris) - 1) / len(X_iris), rtol=1e-8,
                   hint="the error of one sample is the squared length of what its reconstruction misses; average it over the samples");

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 5 (experiment): PCA as a denoiser
#
# The cell below adds Gaussian noise of standard deviation $\sigma = 0.5$ to every pixel of MNIST
# digits and flattens them into rows of 784 pixels: `noisy_train`, `noisy_valid` and `noisy_test`.
# `clean_valid` holds the validation digits without the noise. The noise spreads its variance
# evenly over all 784 directions, while the digits concentrate theirs in a few; so keeping only the
# top $k$ principal directions of the noisy training digits,
# $\tilde{x} = \mu_n + V_k V_k^\top (x - \mu_n)$, should remove much of the noise and little of
# the digit. Too small a $k$ blurs the digits, too large a $k$ keeps the noise.
#
# Fit PCA on `noisy_train` (your `pca(X, k)` from exercise 2 will do), choose $k$ by the mean
# squared error between the denoised `noisy_valid` and `clean_valid`, and store your denoised
# `noisy_test` in `denoised_test` (same shape). Would the $k$ that keeps 95 % of the variance do?
# The check compares `denoised_test` with the clean test digits: its mean squared error must be
# within 5 % of that of the best rank-$k$ PCA denoiser fitted on `noisy_train`, with $k$ chosen in
# hindsight on the test digits themselves.

# %%
mnist = data.load_mnist()
noise_rng = np.random.default_rng(cfg.seed)
clean_valid = data.flatten_images(mnist.x_valid[:cfg.limit(2_000, fast=500)])
noisy_train, noisy_valid, noisy_test = (
    images + 0.5 * noise_rng.standard_normal(images.shape, dtype=np.float32)
    for images in (data.flatten_images(mnist.x_train[:cfg.limit(10_000, fast=2_000)]), clean_valid,
                   data.flatten_images(mnist.x_test[:cfg.limit(2_000, fast=500)])))
print(f"{len(noisy_train)} training, {len(noisy_valid)} validation and {len(noisy_test)} test digits")

# %%
fig = plotting.plot_reconstructions(clean_valid, noisy_valid, row_titles=["clean", "noisy, σ = 0.5\n(shown clipped\nto [0, 1])"])

# %% slideshow={"slide_type": "skip"} tags=["solution"]
directions, _, _ = pca(noisy_train, 150)  # nested directions: one fit serves every k up to 150
train_mean = noisy_train.mean(axis=0)


def denoise_by_projection(images, k):
    """Keep the parts of `images` along the top-k principal directions of the noisy training digits."""
    return train_mean + (images - train_mean) @ directions[:, :k] @ directions[:, :k].T


validation_mse = {k: np.mean((denoise_by_projection(noisy_valid, k) - clean_valid) ** 2) for k in range(5, 151, 5)}
best_k = min(validation_mse, key=validation_mse.get)
denoised_test = denoise_by_projection(noisy_test, best_k)
print(f"k = {best_k}: validation MSE {validation_mse[best_k]:.4f}, "
      f"against {np.mean((noisy_valid - clean_valid) ** 2):.4f} for the noisy digits")


# %%
def judge_pca_denoiser(denoised):
    """Test MSE against the clean digits, within 5 % of the best rank-k PCA denoiser fitted on noisy_train."""
    clean = data.flatten_images(data.load_mnist().x_test[:len(noisy_test)]).astype(float)
    denoised = np.asarray(denoised, dtype=float)
    if len(denoised) != len(clean) or denoised.size != clean.size:  # rows of 784 pixels, or 28 × 28 images
        raise ValueError(f"expected an array of shape {clean.shape}, got {denoised.shape}")
    denoised = denoised.reshape(clean.shape)
    mse = np.mean((denoised - clean) ** 2)
    mean = noisy_train.mean(axis=0)
    basis = np.linalg.eigh(np.cov(noisy_train, rowvar=False))[1][:, ::-1]  # all 784 directions, largest first
    noisy_scores, clean_scores = (noisy_test - mean) @ basis, (clean - mean) @ basis
    # rank k keeps the first k noisy scores and sets the others to 0: the error of every k at once
    errors = (np.cumsum(np.sum((noisy_scores - clean_scores) ** 2, axis=0))
              + np.sum(clean_scores ** 2) - np.cumsum(np.sum(clean_scores ** 2, axis=0))) / clean.size
    return mse <= 1.05 * errors.min(), (f"test MSE {mse:.4f}; the best PCA denoiser's {errors.min():.4f}, "
                                        f"the noisy digits' {np.mean((noisy_test - clean) ** 2):.4f}")


checks.check_experiment("PCA denoiser of noisy digits", denoised_test, judge_pca_denoiser,
                        hint="compare k in small steps (5 or so) on the validation digits; reconstruct around the training mean")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercise 6 (experiment): how many samples does PC1 need?
#
# Section 3 estimated PC1 from 10 000 points. How far off is an estimate from fewer? For each $n$
# in `pc1_sample_sizes`, draw `n_repeats` independent samples of $n$ points from section 3's
# Gaussian (`data.make_gaussian_2d(n=n, seed=...)`, a different seed for each sample), estimate PC1
# from each (your `first_principal_direction` from exercise 3 will do), and measure the angle in
# **degrees** between it and the true PC1, the top eigenvector of
# $\Sigma = \begin{bmatrix}4 & 2\\ 2 & 2\end{bmatrix}$. A direction and its negative are the same
# axis, so the angle between two axes lies in $[0°, 90°]$. Store the median angle for each $n$ in
# the dict `median_angle_error` ($n \mapsto$ degrees); the check runs its own simulation and expects
# each of your medians within a third of its own.
#
# Then look at how the median error falls as $n$ grows, predict from it how many points make the
# median error 0.05°, and store that $n$ in `n_for_twentieth_degree`. The check simulates samples of
# your size: their median error must lie between 0.04° and 0.0625°.

# %%
pc1_sample_sizes = (10, 100, 1_000, 10_000)
n_repeats = cfg.limit(500, fast=200)

# %% slideshow={"slide_type": "skip"} tags=["solution"]
true_pc1 = np.linalg.eigh(np.array([[4.0, 2.0], [2.0, 2.0]]))[1][:, -1]


def pc1_angle_error(n, seed):
    """Angle in degrees, in [0, 90], between the PC1 of n fresh points and the true PC1."""
    direction = first_principal_direction(data.make_gaussian_2d(n=n, seed=seed))[1]
    return np.degrees(np.arccos(min(1.0, abs(direction @ true_pc1))))


median_angle_error = {n: float(np.median([pc1_angle_error(n, seed) for seed in range(n_repeats)]))
                      for n in pc1_sample_sizes}
print({n: round(error, 3) for n, error in median_angle_error.items()})
# The error falls by about √10 per tenfold n, as 1/√n: scale the largest n by the squared ratio.
n_for_twentieth_degree = round(10_000 * (median_angle_error[10_000] / 0.05) ** 2)


# %%
def median_pc1_error_by_wishart(n, repeats=5_000):
    """Median angle (degrees) between the true PC1 and the PC1 of n Gaussian points, over `repeats` samples.

    The scatter matrix of n points about their own mean follows a Wishart distribution with n - 1
    degrees of freedom, so the check draws it directly instead of drawing the points."""
    from scipy import stats

    sigma = np.array([[4.0, 2.0], [2.0, 2.0]])
    scatter = stats.wishart(df=n - 1, scale=sigma).rvs(size=repeats, random_state=np.random.default_rng(n))
    axis_angle = lambda c: 0.5 * np.arctan2(2 * c[..., 0, 1], c[..., 0, 0] - c[..., 1, 1])  # PC1 of a 2 × 2 matrix
    gap = np.degrees(axis_angle(scatter) - axis_angle(sigma)) % 180
    return float(np.median(np.minimum(gap, 180 - gap)))


def judge_pc1_angle_medians(medians):
    """Each median within a third of the check's own simulation."""
    mine = [float(medians[n]) for n in pc1_sample_sizes]
    off = [n for n, error in zip(pc1_sample_sizes, mine) if not 0.75 < error / median_pc1_error_by_wishart(n) < 4 / 3]
    return not off, (", ".join(f"n = {n}: {error:.3g}°" for n, error in zip(pc1_sample_sizes, mine))
                     + (f"; off by more than a third at n = {off}" if off else "; all close to the check's simulation"))


def judge_twentieth_degree_sample_size(n):
    """The check's median error at your n must lie between 0.04° and 0.0625°."""
    if not isinstance(n, (int, float, np.integer, np.floating)) or not 3 <= n < 1e12:
        raise ValueError(f"expected a number of points (3 or more), got {n!r}")
    error = median_pc1_error_by_wishart(int(round(n)))
    return 0.04 <= error <= 0.0625, f"at n = {int(round(n))} the median error is {error:.4f}°, target 0.04°–0.0625°"


checks.check_experiment("median angle error of PC1", median_angle_error, judge_pc1_angle_medians,
                        hint="fold the sign: use |cos| of the angle; and report degrees, not radians")
checks.check_experiment("points for a 0.05° median error", n_for_twentieth_degree, judge_twentieth_degree_sample_size,
                        hint="how much does the error shrink each time n grows tenfold? It is not in proportion to n")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# - Covariances come in two conventions: $1/n$ (`np.cov(..., bias=True)`, `DataFrame.cov(ddof=0)`)
#   and $1/(n-1)$ (the default of `np.cov` and `DataFrame.cov`). Correlations do not depend on it.
#   Computed the same way, by hand, NumPy and pandas agree to rounding error.
# - For a centred design matrix the covariance matrix is $\bar{X}^\top\bar{X}/(n-1)$.
# - PCA = centre, covariance, symmetric eigen-decomposition sorted by decreasing eigenvalue. The
#   eigenvalues are the variances along the principal directions; their shares tell how much each
#   direction explains (for our Gaussian about 87 % for PC1).
# - The PCA theorem: the top-$k$ eigenvectors maximise the projected variance and, equivalently,
#   minimise the squared reconstruction error, which equals the dropped eigenvalues.
# - The SVD $\bar{X} = U\Sigma V^\top$ gives the same directions (columns of $V$) with
#   $\lambda = \sigma^2/(n-1)$, without forming $\bar{X}^\top\bar{X}$; scikit-learn's `PCA`
#   agrees with both, up to the sign of each direction.
# - PCA denoises: noise spreads over all directions and the digits over a few, so keeping the top
#   $k$ directions, with $k$ chosen on validation data, removes most of the noise.
#
# Previous: [Week 0 — Getting started](00_getting_started.ipynb).
# Next: [Week 2 — PCA with scikit-learn and beyond](02_pca_scikit_learn.ipynb).
