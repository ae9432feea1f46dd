import hashlib

import numpy as np
import pytest

from course_utils import data
from course_utils.idx import write_idx


def _fake_arrays(n_train=24, n_test=10, seed=0):
    rng = np.random.default_rng(seed)
    return {
        "x_train": rng.integers(0, 256, size=(n_train, 28, 28), dtype=np.uint8),
        "y_train": (np.arange(n_train) % 10).astype(np.uint8),
        "x_test": rng.integers(0, 256, size=(n_test, 28, 28), dtype=np.uint8),
        "y_test": (np.arange(n_test) % 10).astype(np.uint8),
    }


def _write_idx_set(directory, arrays, style="dash", gz=True):
    directory.mkdir(parents=True, exist_ok=True)
    stems = {key: stems[0 if style == "dash" else 1] for key, stems in data._SPLIT_STEMS.items()}
    for key, stem in stems.items():
        write_idx(arrays[key], directory / (stem + (".gz" if gz else "")))


@pytest.fixture(autouse=True)
def empty_keras_home(tmp_path, monkeypatch):
    """No test may see a real Keras cache or the repository's full data."""
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras-home"))
    monkeypatch.delenv(data.DATA_DIR_ENV, raising=False)
    monkeypatch.setattr(data, "_SYSTEM_DIRS", {"mnist": [], "fashion-mnist": []})


@pytest.mark.parametrize("style, gz, subfolder", [("dash", True, True), ("dot", False, True), ("dash", False, False)])
def test_loads_idx_files_from_data_dir(tmp_path, style, gz, subfolder):
    arrays = _fake_arrays()
    _write_idx_set(tmp_path / "d" / "mnist" if subfolder else tmp_path / "d", arrays, style, gz)
    dataset = data.load_mnist(data_dir=tmp_path / "d", sample=False, allow_download=False)
    assert dataset.x_train.dtype == np.float32 and dataset.y_train.dtype == np.uint8
    assert dataset.x_train.shape == (22, 28, 28) and dataset.x_valid.shape == (2, 28, 28)
    assert dataset.x_test.shape == (10, 28, 28)
    np.testing.assert_allclose(dataset.x_train[0], arrays["x_train"][0] / 255.0, rtol=1e-6)
    np.testing.assert_array_equal(dataset.y_valid, arrays["y_train"][22:])
    assert 0.0 <= dataset.x_test.min() and dataset.x_test.max() <= 1.0
    assert str(tmp_path / "d") in dataset.source and not dataset.is_sample


def test_loads_keras_style_npz_and_env_dir(tmp_path, monkeypatch):
    arrays = _fake_arrays()
    (tmp_path / "d").mkdir()
    np.savez(tmp_path / "d" / "fashion-mnist.npz", **arrays)
    monkeypatch.setenv(data.DATA_DIR_ENV, str(tmp_path / "d"))
    dataset = data.load_fashion_mnist(sample=False, allow_download=False, n_validation=4)
    assert len(dataset.x_valid) == 4 and dataset.class_names[9] == "Ankle boot"


def test_the_repository_data_directory_is_named_relative_to_the_repository(tmp_path, monkeypatch):
    monkeypatch.delenv(data.DATA_DIR_ENV, raising=False)
    monkeypatch.setattr(data, "REPOSITORY_DATA_DIR", tmp_path / "data")
    _write_idx_set(tmp_path / "data" / "mnist", _fake_arrays())
    dataset = data.load_mnist(sample=False, allow_download=False, n_validation=2)
    assert dataset.source == "data/mnist" and "data/mnist" in repr(dataset)


def test_keras_cache_is_used(tmp_path):
    _write_idx_set(tmp_path / "keras-home" / "datasets" / "fashion-mnist", _fake_arrays())
    dataset = data.load_fashion_mnist(data_dir=tmp_path, sample=False, allow_download=False)
    assert "keras-home" in dataset.source


def test_full_mode_falls_back_to_sample_with_warning(tmp_path):
    with pytest.warns(UserWarning, match="SMALL SAMPLE"):
        dataset = data.load_mnist(data_dir=tmp_path, sample=False, allow_download=False)
    assert dataset.is_sample and "sample" in dataset.source


def test_error_names_every_place_tried(tmp_path, monkeypatch):
    monkeypatch.setattr(data, "SAMPLES_DIR", tmp_path / "no-samples")
    with pytest.raises(data.DataNotFoundError) as error:
        data.load_mnist(data_dir=tmp_path, sample=False, allow_download=False)
    message = str(error.value)
    for place in (str(tmp_path / "mnist"), "keras-home", "allow_download=False", "no-samples"):
        assert place in message


def test_failed_download_is_reported_not_raised(tmp_path, monkeypatch):
    import keras

    def offline():
        raise OSError("no network here")

    monkeypatch.setattr(keras.datasets.mnist, "load_data", offline)
    monkeypatch.setattr(data, "SAMPLES_DIR", tmp_path / "no-samples")
    with pytest.raises(data.DataNotFoundError, match="no network here"):
        data.load_mnist(data_dir=tmp_path, sample=False)


@pytest.mark.parametrize("bad_dir", ["missing", "a-file"])
def test_unusable_data_dir(tmp_path, bad_dir):
    (tmp_path / "a-file").write_text("not a folder")
    with pytest.raises(data.DataNotFoundError, match="does not exist or is not a directory"):
        data.load_mnist(data_dir=tmp_path / bad_dir, sample=False, allow_download=False)


def test_unreadable_data_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(data.os, "access", lambda path, mode: False)
    with pytest.raises(PermissionError, match="cannot be read"):
        data.load_mnist(data_dir=tmp_path, sample=False, allow_download=False)


def test_corrupt_file_raises_instead_of_falling_back(tmp_path):
    _write_idx_set(tmp_path / "mnist", _fake_arrays(), gz=False)
    victim = tmp_path / "mnist" / "train-images-idx3-ubyte"
    victim.write_bytes(victim.read_bytes()[:-100])
    with pytest.raises(ValueError, match="truncated"):
        data.load_mnist(data_dir=tmp_path, sample=False, allow_download=False)


def test_partial_copy_is_reported(tmp_path):
    _write_idx_set(tmp_path / "mnist", _fake_arrays())
    next((tmp_path / "mnist").glob("t10k-labels*")).unlink()
    with pytest.raises(data.DataNotFoundError, match="missing: y_test"):
        data.load_mnist(data_dir=tmp_path, sample=False, allow_download=False)


def test_corrupt_npz_is_reported(tmp_path):
    (tmp_path / "mnist.npz").write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(ValueError, match="not a readable .npz"):
        data.load_mnist(data_dir=tmp_path, sample=False, allow_download=False)


@pytest.mark.parametrize("key, change, message", [
    ("y_train", lambda a: a + 20, "labels must be 0..9"),
    ("x_test", lambda a: a.astype(np.float32), "uint8 images"),
    ("x_train", lambda a: a[:, :27], "shape \\(n, 28, 28\\)"),
    ("y_test", lambda a: a[:-1], "expected 10 labels"),
])
def test_verify_rejects_wrong_arrays(key, change, message):
    arrays = _fake_arrays()
    arrays[key] = change(arrays[key])
    with pytest.raises(ValueError, match=message):
        data.verify_arrays(arrays, "mnist")


def test_verify_checks_checksums_of_full_size_sets():
    arrays = {"x_train": np.zeros((60_000, 28, 28), np.uint8), "y_train": np.zeros(60_000, np.uint8),
              "x_test": np.zeros((10_000, 28, 28), np.uint8), "y_test": np.zeros(10_000, np.uint8)}
    with pytest.raises(ValueError, match="does not match the official data"):
        data.verify_arrays(arrays, "fashion-mnist", "test arrays")


@pytest.mark.parametrize("loader, first_labels", [
    (data.load_mnist, None), (data.load_fashion_mnist, None)])
def test_committed_samples_are_real_and_stratified(loader, first_labels):
    dataset = loader(sample=True)
    assert dataset.is_sample
    assert len(dataset.x_train) + len(dataset.x_valid) == 6000 and len(dataset.x_test) == 1000
    np.testing.assert_array_equal(np.bincount(dataset.y_test, minlength=10), np.full(10, 100))
    assert 0.05 < dataset.x_train.mean() < 0.4  # real images: mostly dark background


def test_fast_mode_uses_sample(monkeypatch):
    monkeypatch.setattr("course_utils.config._active_fast_mode", True)
    assert data.load_mnist().is_sample


def test_damaged_sample_is_detected(tmp_path, monkeypatch):
    (tmp_path / "mnist-sample.npz").write_bytes(data.sample_path("mnist").read_bytes()[:-10])
    monkeypatch.setattr(data, "SAMPLES_DIR", tmp_path)
    with pytest.raises(ValueError, match="damaged"):
        data.load_mnist(sample=True)


def test_sample_checksums_match_committed_files():
    for name, expected in data.SAMPLE_FILE_SHA256.items():
        assert hashlib.sha256(data.sample_path(name).read_bytes()).hexdigest() == expected


@pytest.mark.parametrize("n_validation", [0, 24, -1, 2.5, True])
def test_bad_validation_size(tmp_path, n_validation):
    _write_idx_set(tmp_path / "mnist", _fake_arrays())
    with pytest.raises(ValueError, match="n_validation"):
        data.load_mnist(data_dir=tmp_path, sample=False, allow_download=False, n_validation=n_validation)


def test_unknown_dataset_name():
    with pytest.raises(ValueError, match="Unknown data set"):
        data.load_image_dataset("cifar10")


def test_gaussian_2d_statistics():
    points = data.make_gaussian_2d(n=20_000, seed=1)
    assert points.shape == (20_000, 2)
    np.testing.assert_allclose(points.mean(axis=0), [-1, 2], atol=0.05)
    np.testing.assert_allclose(np.cov(points.T), [[4, 2], [2, 2]], atol=0.15)


@pytest.mark.parametrize("kwargs, message", [
    ({"mean": (0, 0, 0)}, "shape"), ({"cov": [[1, 2], [0, 1]]}, "symmetric"),
    ({"cov": [[1, 2], [2, 1]]}, "positive"), ({"n": 0}, "positive whole number")])
def test_gaussian_2d_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        data.make_gaussian_2d(**kwargs)


def test_tilted_sheet_is_nearly_planar():
    sheet = data.make_tilted_sheet(m=500, seed=0)
    assert sheet.shape == (500, 3)
    singular_values = np.linalg.svd(sheet - sheet.mean(axis=0), compute_uv=False)
    assert singular_values[2] < 0.3 * singular_values[0]  # thin in the third direction
    np.testing.assert_array_equal(sheet, data.make_tilted_sheet(m=500, seed=0))
    with pytest.raises(ValueError):
        data.make_tilted_sheet(m=0)


@pytest.mark.parametrize("loader, shape, n_classes", [(data.load_iris, (150, 4), 3), (data.load_breast_cancer, (569, 30), 2)])
def test_tabular_loaders(loader, shape, n_classes):
    table = loader()
    assert table.X.shape == shape and len(table.y) == shape[0]
    assert len(table.feature_names) == shape[1] and len(table.target_names) == n_classes
    assert list(table.to_frame().columns)[-1] == "target"


def test_flatten_images():
    assert data.flatten_images(np.zeros((5, 28, 28))).shape == (5, 784)
    with pytest.raises(ValueError, match="array of images"):
        data.flatten_images(np.zeros(3))
