"""Build the small real samples in data/samples/ from the official MNIST and Fashion-MNIST files.

Usage (from the repository root, with the full files in data/mnist/ and data/fashion-mnist/,
see data/README.md):

    python data/make_samples.py

For each data set it draws, with a fixed seed, 600 training images per class and 100 test images
per class (stratified), and writes data/samples/<name>-sample.npz holding the uint8 arrays
x_train, y_train, x_test, y_test and the indices they were taken from (train_indices,
test_indices), so anyone can check the sample against the originals. It then prints the SHA-256
of each file, which belongs in course_utils/data.py (SAMPLE_FILE_SHA256) and data/README.md.
"""

import hashlib
import sys
from pathlib import Path

import numpy as np

from course_utils import data

TRAIN_PER_CLASS = 600
TEST_PER_CLASS = 100
SEED = 2024


def stratified_indices(labels, per_class, rng):
    """Sorted indices of ``per_class`` random examples of every class."""
    chosen = [rng.choice(np.flatnonzero(labels == label), size=per_class, replace=False)
              for label in np.unique(labels)]
    return np.sort(np.concatenate(chosen))


def build_sample(name, data_dir):
    """Write data/samples/<name>-sample.npz from the full set found in ``data_dir``; return its path."""
    arrays = data._read_directory(data_dir / name, name)
    if arrays is None:
        sys.exit(f"No {name} files in {data_dir / name}: see data/README.md for where to get them.")
    data.verify_arrays(arrays, name, str(data_dir / name))
    rng = np.random.default_rng(SEED)
    train_indices = stratified_indices(arrays["y_train"], TRAIN_PER_CLASS, rng)
    test_indices = stratified_indices(arrays["y_test"], TEST_PER_CLASS, rng)
    target = data.sample_path(name)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial.npz")
    np.savez_compressed(
        partial,
        x_train=arrays["x_train"][train_indices], y_train=arrays["y_train"][train_indices],
        x_test=arrays["x_test"][test_indices], y_test=arrays["y_test"][test_indices],
        train_indices=train_indices.astype(np.int32), test_indices=test_indices.astype(np.int32),
    )
    partial.replace(target)
    return target


if __name__ == "__main__":
    for dataset_name in ("mnist", "fashion-mnist"):
        path = build_sample(dataset_name, Path(__file__).resolve().parent)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        print(f"{path.name}: {path.stat().st_size / 1e6:.2f} MB, sha256 {digest}")
