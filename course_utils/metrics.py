"""Numbers the notebooks compare models with: reconstruction error, and PCA's at the same code size.

Used by: notebooks 03 to 06 (autoencoders vs PCA) and the benchmark.
"""

from __future__ import annotations

import numpy as np


def _as_rows(array, name):
    array = np.asarray(array, dtype=np.float64)
    if array.ndim < 2 or len(array) == 0:
        raise ValueError(f"{name} must be a non-empty batch of shape (n, ...), got shape {array.shape}.")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values.")
    return array.reshape(len(array), -1)


def reconstruction_mse(originals, reconstructions) -> float:
    """Mean squared error over all pixels (or features) of all examples.

    Both arrays must hold the same number of examples with the same number of values each
    (``(n, 28, 28)`` and ``(n, 784)`` may be mixed).
    """
    originals = _as_rows(originals, "originals")
    reconstructions = _as_rows(reconstructions, "reconstructions")
    if originals.shape != reconstructions.shape:
        raise ValueError(f"originals {originals.shape} and reconstructions {reconstructions.shape} "
                         "must hold the same number of examples and values (after flattening).")
    return float(np.mean((originals - reconstructions) ** 2))


def pca_reconstruction_mse(train, test, n_components, seed=0) -> float:
    """Test-set MSE of PCA with ``n_components``, fitted on ``train`` (the linear baseline).

    Parameters
    ----------
    train, test : arrays of shape (n, ...)
        Flattened internally.
    n_components : int
        Code size; must be at most the number of features and training examples.
    """
    from sklearn.decomposition import PCA

    train, test = _as_rows(train, "train"), _as_rows(test, "test")
    if train.shape[1] != test.shape[1]:
        raise ValueError(f"train has {train.shape[1]} features per example but test has {test.shape[1]}.")
    limit = min(train.shape)
    if isinstance(n_components, bool) or not isinstance(n_components, (int, np.integer)) or not 1 <= n_components <= limit:
        raise ValueError(f"n_components must be a whole number from 1 to {limit}, got {n_components!r}.")
    pca = PCA(n_components=n_components, random_state=seed).fit(train)
    return reconstruction_mse(test, pca.inverse_transform(pca.transform(test)))
