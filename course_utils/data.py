"""Data sets used in the course: MNIST, Fashion-MNIST, and small lecture data sets.

MNIST and Fashion-MNIST are looked for in this order (the first that has them wins):

1. a data directory: ``data_dir``, else ``$COURSE_DATA_DIR``, else the repository's ``data/``;
   it may hold the four standard idx files (plain or ``.gz``) in ``<data_dir>/<name>/`` or
   directly in ``<data_dir>``, or Keras's ``<name>.npz``;
2. system copies (Debian's ``dataset-fashion-mnist`` in ``/usr/share/datasets/fashion-mnist``);
3. Keras's cache in ``$KERAS_HOME/datasets`` (default ``~/.keras/datasets``), downloading
   there when allowed (the normal path on Colab and laptops);
4. the small real samples committed in ``data/samples/``: always used in fast mode, and in full
   mode only with a warning.

Whatever is loaded is verified (shape, dtype, label range; SHA-256 of the full sets).

Used by: notebooks 00 and 02 to 07, ``data/make_samples.py``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import warnings
import zipfile
from pathlib import Path

import numpy as np

from course_utils import config
from course_utils.idx import read_idx

#: Environment variable naming the data directory.
DATA_DIR_ENV = "COURSE_DATA_DIR"
#: The repository's own data directory (exists in a clone; not in a wheel install).
REPOSITORY_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SAMPLES_DIR = REPOSITORY_DATA_DIR / "samples"

MNIST_CLASS_NAMES = tuple(str(digit) for digit in range(10))
FASHION_MNIST_CLASS_NAMES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)

# SHA-256 of the decoded uint8 arrays (header stripped) of the official files, so plain, .gz and
# .npz copies all verify the same way.
_FULL_SET_SHA256 = {
    "mnist": {
        "x_train": "741c988805d008ac6e4c904b69001ba184c24b2c540a4ef403f4c71b676cf757",
        "y_train": "1feba77c54802fa5339a11837ea4b2866434b83314ec45192930f1df69120c13",
        "x_test": "6d87418db22cc8025d05968bec9bd5c3932904b23485740db143a061a2c9d161",
        "y_test": "ddeff807876a9661a1110d45c266c86239a3a1b7d37da0c3716a7a683c852ff5",
    },
    "fashion-mnist": {
        "x_train": "2e487a6c89124f78f2d7521542223cafe96f7123c3ca13d447772ac6ecbb3012",
        "y_train": "657fbd221bfc9f4198cc14b5619cc33ec57c58dd0e47af4d99d6650759e869a7",
        "x_test": "c867c93ff95360594e8ec3287995350b824dd110b11595c0e13d5423f621867a",
        "y_test": "3d0e6c6ea990b53b6f8f500a41cac93881d981b315f84578b7d915342ade01e9",
    },
}
_FULL_SIZES = (60_000, 10_000)

# SHA-256 of the committed sample files (written by data/make_samples.py).
SAMPLE_FILE_SHA256 = {
    "mnist": "4b78a2913982379c1a35947752f79cfbea0dba9e5c140917f62cf67af7cbc44b",
    "fashion-mnist": "97176a0e15ec62f25e3b09ce1c0ec106b27bd799ad734752a02a7736c397c215",
}

_SYSTEM_DIRS = {
    "mnist": [Path("/usr/share/datasets/mnist")],
    "fashion-mnist": [Path("/usr/share/datasets/fashion-mnist")],
}
_SPLIT_STEMS = {
    "x_train": ("train-images-idx3-ubyte", "train-images.idx3-ubyte"),
    "y_train": ("train-labels-idx1-ubyte", "train-labels.idx1-ubyte"),
    "x_test": ("t10k-images-idx3-ubyte", "t10k-images.idx3-ubyte"),
    "y_test": ("t10k-labels-idx1-ubyte", "t10k-labels.idx1-ubyte"),
}
_ARRAY_KEYS = ("x_train", "y_train", "x_test", "y_test")


@dataclasses.dataclass(frozen=True)
class ImageDataset:
    """An image classification data set split into train, validation and test parts.

    Images are ``float32`` in ``[0, 1]`` with shape ``(n, 28, 28)``; labels are ``uint8``.
    ``source`` says where the arrays came from; ``is_sample`` is True for the small samples.
    """

    name: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_valid: np.ndarray
    y_valid: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    class_names: tuple
    source: str
    is_sample: bool

    def __repr__(self) -> str:
        sizes = f"train {len(self.x_train)}, valid {len(self.x_valid)}, test {len(self.x_test)}"
        return f"ImageDataset({self.name!r}: {sizes}; from {self.source})"


class DataNotFoundError(FileNotFoundError):
    """No source of a data set could be used; the message lists every place tried."""


def load_mnist(*, data_dir=None, sample=None, n_validation=None, allow_download=True) -> ImageDataset:
    """Load MNIST (handwritten digits) as float32 images in [0, 1] with a validation split.

    Parameters
    ----------
    data_dir : str or Path, optional
        Directory to look in first; default ``$COURSE_DATA_DIR`` or the repository's ``data/``.
    sample : bool, optional
        True: use the small committed sample. Default: the sample in fast mode, else the full set.
    n_validation : int, optional
        Size of the validation split taken from the end of the training set; default 1/12 of it
        (5 000 for the full set).
    allow_download : bool, default True
        Whether Keras may download the data when no local copy exists.

    Returns
    -------
    ImageDataset
    """
    return load_image_dataset("mnist", data_dir=data_dir, sample=sample,
                              n_validation=n_validation, allow_download=allow_download)


def load_fashion_mnist(*, data_dir=None, sample=None, n_validation=None, allow_download=True) -> ImageDataset:
    """Load Fashion-MNIST (clothing images); parameters as in :func:`load_mnist`."""
    return load_image_dataset("fashion-mnist", data_dir=data_dir, sample=sample,
                              n_validation=n_validation, allow_download=allow_download)


def load_image_dataset(name, *, data_dir=None, sample=None, n_validation=None, allow_download=True) -> ImageDataset:
    """Load ``"mnist"`` or ``"fashion-mnist"`` from the first source that has it (see module doc)."""
    if name not in _FULL_SET_SHA256:
        raise ValueError(f"Unknown data set {name!r}: expected 'mnist' or 'fashion-mnist'.")
    if sample is None:
        sample = config.is_fast_mode()
    if sample:
        arrays, source = load_sample_arrays(name), f"sample {sample_path(name).name} (small real subset)"
    else:
        arrays, source = _load_full_arrays(name, data_dir, allow_download)
    verify_arrays(arrays, name, source)
    is_sample = source.startswith("sample ")
    return _split_and_scale(name, arrays, source, is_sample, n_validation)


def _load_full_arrays(name, data_dir, allow_download):
    tried = []
    for directory in _candidate_directories(name, data_dir):
        arrays = _read_directory(directory, name)
        if arrays is not None:
            return arrays, _display_path(directory)
        tried.append(f"{directory} (no {name} files)")
    arrays, where = _read_keras_cache(name, allow_download, tried)
    if arrays is not None:
        return arrays, where
    if sample_path(name).exists():
        warnings.warn(
            f"The full {name} data set was not found, so this notebook uses the SMALL SAMPLE "
            f"{sample_path(name)} instead; results will be worse than in full mode. Places tried: "
            + "; ".join(tried) + ". See data/README.md to get the full set.",
            UserWarning, stacklevel=3,
        )
        return load_sample_arrays(name), f"sample {sample_path(name).name} (full set not found)"
    tried.append(f"{sample_path(name)} (missing)")
    raise DataNotFoundError(
        f"Could not load {name}. Tried, in order: " + "; ".join(tried) + ". To fix: put the four "
        f"idx files in <data dir>/{name}/ and set {DATA_DIR_ENV}, or allow Keras to download "
        "(it caches in ~/.keras/datasets); data/README.md lists offline sources."
    )


def _display_path(directory: Path) -> str:
    """``directory`` relative to the repository (``data/mnist``) when inside it, so outputs name no machine's paths."""
    try:
        return Path(directory).resolve().relative_to(REPOSITORY_DATA_DIR.parent).as_posix()
    except ValueError:
        return str(directory)


def _candidate_directories(name, data_dir):
    explicit = data_dir if data_dir is not None else os.environ.get(DATA_DIR_ENV) or None
    if explicit is not None:
        root = Path(explicit).expanduser()
        if not root.is_dir():
            raise DataNotFoundError(
                f"The data directory {root} does not exist or is not a directory. Pass an existing "
                f"directory as data_dir, or unset {DATA_DIR_ENV} to use the default places."
            )
        if not os.access(root, os.R_OK | os.X_OK):
            raise PermissionError(f"The data directory {root} cannot be read: check its permissions.")
    else:
        root = REPOSITORY_DATA_DIR
    return [root / name, root, *_SYSTEM_DIRS[name]]


def _find_file(directory: Path, stems) -> Path | None:
    for stem in stems:
        for candidate in (directory / stem, directory / (stem + ".gz")):
            if candidate.is_file():
                return candidate
    return None


def _read_directory(directory: Path, name: str):
    """Arrays from idx files or ``<name>.npz`` in ``directory``; None if it has neither."""
    if not directory.is_dir():
        return None
    npz = directory / f"{name}.npz"
    if npz.is_file():
        return _read_npz(npz)
    files = {key: _find_file(directory, stems) for key, stems in _SPLIT_STEMS.items()}
    if not any(files.values()):
        return None
    missing = [key for key, path in files.items() if path is None]
    if missing:
        raise DataNotFoundError(
            f"{directory} holds only some of the {name} idx files (missing: {', '.join(missing)}). "
            "Copy all four files there, or remove the partial copy."
        )
    return {key: read_idx(path) for key, path in files.items()}


def _read_npz(path: Path):
    try:
        archive = np.load(path, allow_pickle=False)
    except (OSError, EOFError, ValueError, zipfile.BadZipFile) as error:
        raise ValueError(f"{path} is not a readable .npz archive ({error}); delete it and fetch it again.") from error
    with archive:
        missing = [key for key in _ARRAY_KEYS if key not in archive.files]
        if missing:
            raise ValueError(f"{path} lacks the arrays {missing}; expected {list(_ARRAY_KEYS)}.")
        return {key: archive[key] for key in _ARRAY_KEYS}


def _keras_cache_dir() -> Path:
    return Path(os.environ.get("KERAS_HOME", Path.home() / ".keras")).expanduser() / "datasets"


def _read_keras_cache(name, allow_download, tried):
    cache = _keras_cache_dir()
    for directory in (cache / name, cache):
        arrays = _read_directory(directory, name)
        if arrays is not None:
            return arrays, str(directory)
    tried.append(f"{cache} (Keras cache: no {name} files)")
    if not allow_download:
        tried.append("Keras download (not allowed: allow_download=False)")
        return None, None
    try:
        import keras

        module = keras.datasets.mnist if name == "mnist" else keras.datasets.fashion_mnist
        (x_train, y_train), (x_test, y_test) = module.load_data()
    except Exception as error:  # any failure here (no network, no Keras) means: try the next source
        tried.append(f"Keras download ({type(error).__name__}: {error})")
        return None, None
    arrays = {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}
    return arrays, f"Keras ({cache})"


def sample_path(name: str) -> Path:
    """Path of the committed sample file of data set ``name``."""
    return SAMPLES_DIR / f"{name}-sample.npz"


def load_sample_arrays(name: str):
    """The committed sample's raw uint8 arrays, after checking the file's SHA-256."""
    path = sample_path(name)
    if not path.is_file():
        raise DataNotFoundError(
            f"The sample file {path} is missing. It ships with the repository: use a clone of it "
            "(pip install -e .), or rebuild it with data/make_samples.py."
        )
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != SAMPLE_FILE_SHA256[name]:
        raise ValueError(
            f"{path} has SHA-256 {digest}, expected {SAMPLE_FILE_SHA256[name]}: the file is damaged "
            "or was changed. Restore it with `git checkout -- data/samples`."
        )
    return _read_npz(path)


def verify_arrays(arrays, name: str, source: str = "the arrays") -> None:
    """Check shapes, dtypes and labels; for full-size sets also the SHA-256 of every array.

    Raises
    ------
    ValueError
        With what was expected and where the arrays came from.
    """
    for part in ("train", "test"):
        images, labels = arrays[f"x_{part}"], arrays[f"y_{part}"]
        if images.dtype != np.uint8 or images.ndim != 3 or images.shape[1:] != (28, 28):
            raise ValueError(f"{name} x_{part} from {source}: expected uint8 images of shape (n, 28, 28), "
                             f"got {images.dtype} {images.shape}.")
        if labels.ndim != 1 or len(labels) != len(images):
            raise ValueError(f"{name} y_{part} from {source}: expected {len(images)} labels, got shape {labels.shape}.")
        if len(images) == 0:
            raise ValueError(f"{name} {part} split from {source} is empty.")
        if labels.min() < 0 or labels.max() > 9:
            raise ValueError(f"{name} y_{part} from {source}: labels must be 0..9, found {labels.min()}..{labels.max()}.")
    if (len(arrays["x_train"]), len(arrays["x_test"])) == _FULL_SIZES:
        for key, expected in _FULL_SET_SHA256[name].items():
            digest = hashlib.sha256(np.ascontiguousarray(arrays[key], dtype=np.uint8).tobytes()).hexdigest()
            if digest != expected:
                raise ValueError(f"{name} {key} from {source} does not match the official data "
                                 f"(SHA-256 {digest[:12]}…, expected {expected[:12]}…): the copy is corrupt or not {name}.")


def _split_and_scale(name, arrays, source, is_sample, n_validation) -> ImageDataset:
    n_train = len(arrays["x_train"])
    if n_validation is None:
        n_validation = round(n_train / 12)
    if isinstance(n_validation, bool) or not isinstance(n_validation, (int, np.integer)) or not 0 < n_validation < n_train:
        raise ValueError(f"n_validation must be a whole number between 1 and {n_train - 1}, got {n_validation!r}.")
    images = {key: arrays[key].astype(np.float32) / 255.0 for key in ("x_train", "x_test")}
    labels = {key: arrays[key].astype(np.uint8) for key in ("y_train", "y_test")}
    cut = n_train - n_validation
    class_names = MNIST_CLASS_NAMES if name == "mnist" else FASHION_MNIST_CLASS_NAMES
    return ImageDataset(
        name=name,
        x_train=images["x_train"][:cut], y_train=labels["y_train"][:cut],
        x_valid=images["x_train"][cut:], y_valid=labels["y_train"][cut:],
        x_test=images["x_test"], y_test=labels["y_test"],
        class_names=class_names, source=source, is_sample=is_sample,
    )


# --- Small data sets from the lectures -------------------------------------------------------


def make_gaussian_2d(n=10_000, mean=(-1.0, 2.0), cov=((4.0, 2.0), (2.0, 2.0)), seed=0) -> np.ndarray:
    """Draw ``n`` points from a 2-D Gaussian (week 1's example: mean (-1, 2), cov [[4, 2], [2, 2]]).

    Returns
    -------
    numpy.ndarray of shape (n, 2)
    """
    mean = np.asarray(mean, dtype=float)
    cov = np.asarray(cov, dtype=float)
    if mean.shape != (2,) or cov.shape != (2, 2):
        raise ValueError(f"mean must have shape (2,) and cov (2, 2); got {mean.shape} and {cov.shape}.")
    if not np.allclose(cov, cov.T) or np.linalg.eigvalsh(cov).min() < 0:
        raise ValueError("cov must be symmetric positive semi-definite.")
    _require_count("n", n)
    return np.random.default_rng(seed).multivariate_normal(mean, cov, size=n)


def make_tilted_sheet(m=200, w1=0.1, w2=0.3, noise=0.1, seed=4) -> np.ndarray:
    """3-D points near a curved sheet tilted by ``w1``, ``w2`` (week 3's linear-AE example).

    The first two coordinates follow an arc of angles in [-0.5, 3π/2 - 0.5); the third is
    ``w1·x + w2·y`` plus noise, so the cloud is nearly flat and PCA's top-2 plane fits it well.

    Returns
    -------
    numpy.ndarray of shape (m, 3)
    """
    _require_count("m", m)
    rng = np.random.default_rng(seed)
    angles = rng.random(m) * 3 * np.pi / 2 - 0.5
    data = np.empty((m, 3))
    data[:, 0] = np.cos(angles) + np.sin(angles) / 2 + noise * rng.standard_normal(m) / 2
    data[:, 1] = np.sin(angles) * 0.7 + noise * rng.standard_normal(m) / 2
    data[:, 2] = data[:, 0] * w1 + data[:, 1] * w2 + noise * rng.standard_normal(m)
    return data


def _require_count(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive whole number, got {value!r}.")


@dataclasses.dataclass(frozen=True)
class TabularDataset:
    """A small table: features ``X`` (float64), labels ``y``, and their names."""

    X: np.ndarray
    y: np.ndarray
    feature_names: tuple
    target_names: tuple

    def to_frame(self):
        """The features and the label as a pandas DataFrame."""
        import pandas as pd

        frame = pd.DataFrame(self.X, columns=list(self.feature_names))
        frame["target"] = self.y
        return frame


def load_iris() -> TabularDataset:
    """Fisher's iris data (150 × 4) from scikit-learn."""
    from sklearn import datasets

    bunch = datasets.load_iris()
    return TabularDataset(bunch.data, bunch.target, tuple(bunch.feature_names), tuple(bunch.target_names))


def load_breast_cancer() -> TabularDataset:
    """The Wisconsin breast-cancer data (569 × 30) from scikit-learn."""
    from sklearn import datasets

    bunch = datasets.load_breast_cancer()
    return TabularDataset(bunch.data, bunch.target, tuple(bunch.feature_names), tuple(bunch.target_names))


def flatten_images(images: np.ndarray) -> np.ndarray:
    """Turn ``(n, 28, 28)`` images into ``(n, 784)`` rows (what dense models and PCA take)."""
    images = np.asarray(images)
    if images.ndim < 2:
        raise ValueError(f"flatten_images expects an array of images (n, height, width), got shape {images.shape}.")
    return images.reshape(len(images), -1)
