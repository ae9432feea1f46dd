import gzip

import numpy as np
import pytest

from course_utils.idx import read_idx, write_idx


@pytest.mark.parametrize("name", ["images-idx3-ubyte", "images-idx3-ubyte.gz"])
def test_round_trip_plain_and_gzip(tmp_path, name):
    array = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    path = write_idx(array, tmp_path / name)
    assert (path.read_bytes()[:2] == b"\x1f\x8b") == name.endswith(".gz")
    loaded = read_idx(path)
    assert loaded.dtype == np.uint8 and loaded.shape == (2, 3, 4)
    np.testing.assert_array_equal(loaded, array)
    assert not list(tmp_path.glob("*.partial"))


def test_gzip_detected_by_content_not_name(tmp_path):
    path = write_idx(np.ones(5, dtype=np.uint8), tmp_path / "labels", compress=True)
    np.testing.assert_array_equal(read_idx(path), np.ones(5))


def test_truncated_file_is_reported(tmp_path):
    path = write_idx(np.zeros((3, 2, 2), dtype=np.uint8), tmp_path / "x")
    path.write_bytes(path.read_bytes()[:-3])
    with pytest.raises(ValueError, match="truncated or corrupt"):
        read_idx(path)


def test_truncated_gzip_is_reported(tmp_path):
    path = tmp_path / "x.gz"
    path.write_bytes(gzip.compress(b"\x00\x00\x08\x01\x00\x00\x00\x05" + bytes(5))[:-6])
    with pytest.raises(ValueError, match="cannot be decompressed"):
        read_idx(path)


@pytest.mark.parametrize("payload, message", [
    (b"\x01\x00\x08\x01\x00\x00\x00\x01\x00", "two zero bytes"),
    (b"\x00\x00\x0d\x01\x00\x00\x00\x01\x00", "type byte"),
    (b"\x00\x00\x08\x02\x00\x00", "header is truncated"),
    (b"", "two zero bytes"),
])
def test_bad_headers(tmp_path, payload, message):
    path = tmp_path / "bad"
    path.write_bytes(payload)
    with pytest.raises(ValueError, match=message):
        read_idx(path)


def test_write_rejects_non_uint8(tmp_path):
    with pytest.raises(ValueError, match="uint8"):
        write_idx(np.zeros(3, dtype=np.float32), tmp_path / "x")
