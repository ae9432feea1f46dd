"""Experiment checks of week 01: they reject the usual wrong approach and accept right answers in other forms."""
import functools

import numpy as np
import keras
import pytest
from course_utils import checks, data
from test_exercises import lesson_cell, run_check, strict  # the notebook's own cells; checks raise

NOTEBOOK = "01_pca_by_hand"


# Exercise 5: PCA as a denoiser ------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _noisy_digits(n_train=2_000, n_valid=500, n_test=500, seed=42):
    """Noisy training, validation and test digits as the notebook makes them, and the clean validation digits."""
    mnist = data.load_mnist()
    rng = np.random.default_rng(seed)
    clean = [data.flatten_images(images[:n]) for images, n in
             ((mnist.x_train, n_train), (mnist.x_valid, n_valid), (mnist.x_test, n_test))]
    noisy = [images + 0.5 * rng.standard_normal(images.shape, dtype=np.float32) for images in clean]
    return noisy, clean[1]


@functools.lru_cache(maxsize=1)
def _denoiser():
    """The mean, all principal directions (columns, largest first) and the cumulative explained-variance
    ratios of the noisy training digits (through the Gram matrix, cheaper than an SVD here)."""
    noisy_train = _noisy_digits()[0][0]
    mean = noisy_train.mean(axis=0)
    values, vectors = np.linalg.eigh((noisy_train - mean).T @ (noisy_train - mean))
    return mean, vectors[:, ::-1], np.cumsum(values[::-1]) / values.sum()


def _run_denoiser_check(denoised, noisy_train, noisy_test):
    run_check(NOTEBOOK, "PCA denoiser of noisy digits", denoised_test=denoised,
              noisy_train=noisy_train, noisy_test=noisy_test)


def test_denoiser_accepts_the_gram_matrix_clipped_to_pixels_and_shaped_as_images():
    (noisy_train, noisy_valid, noisy_test), clean_valid = _noisy_digits()
    mean, directions, _ = _denoiser()

    def denoise(images, k):
        return np.clip(mean + (images - mean) @ directions[:, :k] @ directions[:, :k].T, 0, 1)

    k = min(range(10, 101, 10), key=lambda k: np.mean((denoise(noisy_valid, k) - clean_valid) ** 2))
    _run_denoiser_check(denoise(noisy_test, k).reshape(-1, 28, 28).astype(np.float32), noisy_train, noisy_test)


@pytest.mark.parametrize("mistake", ["the noisy digits themselves", "all 784 components", "k = 1",
                                     "the mean not added back", "k for 95 % of the variance"])
def test_denoiser_rejects_the_usual_mistakes(mistake):
    (noisy_train, _, noisy_test), _ = _noisy_digits()
    mean, directions, shares = _denoiser()
    k = {"all 784 components": 784, "k = 1": 1, "the mean not added back": 30,
         "k for 95 % of the variance": int(np.argmax(shares >= 0.95) + 1)}.get(mistake)
    if k is None:
        denoised = noisy_test
    else:
        denoised = (noisy_test - mean) @ directions[:, :k] @ directions[:, :k].T
        if mistake != "the mean not added back":
            denoised = denoised + mean
    with pytest.raises(checks.CheckFailed):
        _run_denoiser_check(denoised, noisy_train, noisy_test)


def test_denoiser_answers_a_wrong_type_with_a_cross_not_an_error():
    (noisy_train, _, noisy_test), _ = _noisy_digits()
    with pytest.raises(checks.CheckFailed, match="❌"):
        _run_denoiser_check("denoised digits", noisy_train, noisy_test)


# Exercise 6: how many samples does PC1 need? ------------------------------------------------------

SIGMA = np.array([[4.0, 2.0], [2.0, 2.0]])
TRUE_PC1 = np.linalg.eigh(SIGMA)[1][:, -1]
SIZES = (10, 100, 1_000, 10_000)


def _cosines(n, repeats=200, seed=0):
    """cos of the angle between the true PC1 and the PC1 (by the SVD, random sign) of `repeats` samples of n points."""
    rng = np.random.default_rng(seed)
    cosines = []
    for _ in range(repeats):
        points = rng.multivariate_normal((-1.0, 2.0), SIGMA, size=n)
        _, _, rows = np.linalg.svd(points - points.mean(axis=0), full_matrices=False)
        cosines.append(rows[0] @ TRUE_PC1 * rng.choice([-1, 1]))  # an SVD's sign is arbitrary: make it so
    return np.clip(cosines, -1, 1)


def _theory_medians():
    """Large-sample theory: the angle's standard error is sqrt(λ0 λ1 / n) / (λ0 - λ1) radians, and the median
    of |N(0, s²)| is 0.674 s."""
    large, small = 3 + np.sqrt(5), 3 - np.sqrt(5)
    return {n: 0.674 * np.degrees(np.sqrt(large * small / n) / (large - small)) for n in SIZES}


def _run_pc1_checks(medians, n):
    """The check cell holds both checks: each test gives one of them a right answer."""
    run_check(NOTEBOOK, "median angle error of PC1", median_angle_error=medians, n_for_twentieth_degree=n,
              pc1_sample_sizes=SIZES)


def _run_angle_check(medians):
    _run_pc1_checks(medians, 120_000)


def _run_sample_size_check(n):
    _run_pc1_checks(_theory_medians(), n)


def test_angle_medians_accept_the_svd_with_numpy_keys_and_float32_values():
    medians = {np.int64(n): np.float32(np.median(np.degrees(np.arccos(np.abs(_cosines(n)))))) for n in SIZES}
    _run_angle_check(medians)


def test_angle_medians_accept_the_large_sample_theory():
    _run_angle_check(_theory_medians())


@pytest.mark.parametrize("mistake", ["the sign not folded", "radians", "the smallest eigenvector"])
def test_angle_medians_reject_the_usual_mistakes(mistake):
    if mistake == "the sign not folded":
        medians = {n: np.median(np.degrees(np.arccos(_cosines(n, repeats=100)))) for n in SIZES}
    elif mistake == "radians":
        medians = {n: np.median(np.arccos(np.abs(_cosines(n, repeats=100)))) for n in SIZES}
    else:  # the other eigenvector is perpendicular to PC1: its angle to the true PC1 is near 90°
        medians = {n: 90 - np.median(np.degrees(np.arccos(np.abs(_cosines(n, repeats=100))))) for n in SIZES}
    with pytest.raises(checks.CheckFailed, match="median angle error of PC1"):
        _run_angle_check(medians)


def test_sample_size_accepts_a_float_and_a_numpy_integer():
    _run_sample_size_check(1.2e5)
    _run_sample_size_check(np.int64(125_000))


@pytest.mark.parametrize("n", [34_800, 1_000_000], ids=["error in proportion to 1/n", "two more decades"])
def test_sample_size_rejects_the_wrong_scaling(n):
    with pytest.raises(checks.CheckFailed, match="points for a 0.05° median error"):
        _run_sample_size_check(n)


@pytest.mark.parametrize("answer", ["about 120 000", [120_000]])
def test_pc1_sample_checks_answer_a_wrong_type_with_a_cross_not_an_error(answer):
    with pytest.raises(checks.CheckFailed, match="❌ points for a 0.05° median error"):
        _run_sample_size_check(answer)
    with pytest.raises(checks.CheckFailed, match="❌ median angle error of PC1"):
        _run_angle_check(answer)


# Exercises 1, 2 and 4, which tests/test_exercises.py does not cover yet -----------------------------

IRIS = data.load_iris().X
GAUSS = data.make_gaussian_2d(n=2_000, seed=42)
_rng = np.random.default_rng(42)
PAIR_X = _rng.normal(size=100)
PAIR_Y = 4 + 3 * PAIR_X + _rng.normal(size=100)


def _run_covariance_check(function):
    run_check(NOTEBOOK, "covariance(x, y, ddof)", covariance=function, x=PAIR_X, y=PAIR_Y, X=GAUSS, X_iris=IRIS)


def test_covariance_accepts_a_dot_product_of_lists():
    _run_covariance_check(lambda x, y, ddof: float(np.dot(list(x - np.mean(x)), list(y - np.mean(y)))) / (len(x) - ddof))


def test_covariance_rejects_ignoring_ddof():
    with pytest.raises(checks.CheckFailed, match="covariance"):
        _run_covariance_check(lambda x, y, ddof: np.mean((x - x.mean()) * (y - y.mean())))


def test_pca_accepts_the_svd_with_flipped_signs():
    def by_svd(X, k):
        centred = np.asarray(X, dtype=float) - np.mean(X, axis=0)
        _, singular_values, rows = np.linalg.svd(centred, full_matrices=False)
        components = -rows[:k].T
        return components, singular_values[:k] ** 2 / np.sum(singular_values ** 2), centred @ components

    run_check(NOTEBOOK, "pca(X, k)", pca=by_svd, X=GAUSS, X_iris=IRIS)


def test_pca_rejects_eigh_columns_in_ascending_order():
    def unsorted(X, k):
        centred = X - X.mean(axis=0)
        values, vectors = np.linalg.eigh(centred.T @ centred / (len(X) - 1))
        return vectors[:, :k], values[:k] / values.sum(), centred @ vectors[:, :k]

    with pytest.raises(checks.CheckFailed, match="pca"):
        run_check(NOTEBOOK, "pca(X, k)", pca=unsorted, X=GAUSS, X_iris=IRIS)


def _reconstruct(X, k):
    centre = X.mean(axis=0)
    _, _, rows = np.linalg.svd(X - centre, full_matrices=False)
    return (X - centre) @ rows[:k].T @ rows[:k] + centre


def test_iris_error_accepts_the_dropped_eigenvalues():
    singular_values = np.linalg.svd(IRIS - IRIS.mean(axis=0), compute_uv=False)
    run_check(NOTEBOOK, "reconstruct(X, k)", reconstruct=_reconstruct, X=GAUSS, X_iris=IRIS,
              iris_error_k2=np.sum(singular_values[2:] ** 2) / len(IRIS))


def test_iris_error_rejects_the_mean_over_every_entry():
    error = np.mean((IRIS - _reconstruct(IRIS, 2)) ** 2)  # averages over 4 features too
    with pytest.raises(checks.CheckFailed, match="rank-2 iris"):
        run_check(NOTEBOOK, "reconstruct(X, k)", reconstruct=_reconstruct, X=GAUSS, X_iris=IRIS, iris_error_k2=error)
