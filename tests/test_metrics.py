import numpy as np
import pytest

from course_utils import metrics


def test_reconstruction_mse_mixes_shapes():
    images = np.zeros((4, 28, 28))
    assert metrics.reconstruction_mse(images, np.full((4, 784), 0.5)) == pytest.approx(0.25)


@pytest.mark.parametrize("a, b, message", [
    (np.zeros((3, 4)), np.zeros((2, 4)), "same number"),
    (np.zeros((0, 4)), np.zeros((0, 4)), "non-empty"),
    (np.zeros(4), np.zeros(4), "non-empty batch"),
    (np.full((2, 2), np.nan), np.zeros((2, 2)), "NaN"),
])
def test_reconstruction_mse_bad_input(a, b, message):
    with pytest.raises(ValueError, match=message):
        metrics.reconstruction_mse(a, b)


def test_pca_mse_is_zero_on_exact_low_rank_data_and_falls_with_k():
    rng = np.random.default_rng(0)
    low_rank = rng.normal(size=(200, 2)) @ rng.normal(size=(2, 6))
    assert metrics.pca_reconstruction_mse(low_rank[:150], low_rank[150:], 2) < 1e-20
    noisy = rng.normal(size=(300, 6)) * np.arange(1, 7)
    errors = [metrics.pca_reconstruction_mse(noisy[:200], noisy[200:], k) for k in range(1, 7)]
    assert all(later < earlier for earlier, later in zip(errors, errors[1:])) and errors[-1] < 1e-20


@pytest.mark.parametrize("k", [0, 7, 2.0, True])
def test_pca_mse_bad_component_count(k):
    with pytest.raises(ValueError, match="n_components"):
        metrics.pca_reconstruction_mse(np.ones((10, 6)), np.ones((3, 6)), k)


def test_pca_mse_feature_mismatch():
    with pytest.raises(ValueError, match="features"):
        metrics.pca_reconstruction_mse(np.ones((10, 6)), np.ones((3, 5)), 2)
