"""Read and write the idx files MNIST and Fashion-MNIST are distributed in.

The format (big-endian): two zero bytes, a type byte (``0x08`` for unsigned bytes), the number
of dimensions, one 4-byte size per dimension, then the data. Files may be gzip-compressed; we
tell by the gzip magic bytes, not by the file name.

Used by: ``course_utils.data`` (every notebook that loads MNIST or Fashion-MNIST) and
``data/make_samples.py``.
"""

from __future__ import annotations

import gzip
import struct
from pathlib import Path

import numpy as np

_GZIP_MAGIC = b"\x1f\x8b"
_UBYTE = 0x08


def read_idx(path: str | Path) -> np.ndarray:
    """Read an idx file (plain or gzip-compressed) into a ``uint8`` array.

    Parameters
    ----------
    path : str or Path
        The file, e.g. ``train-images-idx3-ubyte.gz``.

    Returns
    -------
    numpy.ndarray
        Array of dtype ``uint8`` with the shape written in the header.

    Raises
    ------
    ValueError
        If the file is not a valid unsigned-byte idx file, or is truncated or too long.
    """
    path = Path(path)
    raw = path.read_bytes()
    if raw[:2] == _GZIP_MAGIC:
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as error:
            raise ValueError(
                f"{path} looks gzip-compressed but cannot be decompressed ({error}); "
                "the download is probably incomplete: delete the file and fetch it again."
            ) from error
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0:
        raise ValueError(f"{path} is not an idx file: it must start with two zero bytes.")
    if raw[2] != _UBYTE:
        raise ValueError(f"{path}: idx type byte is {raw[2]:#04x}; only unsigned bytes (0x08) are supported.")
    n_dims = raw[3]
    header_size = 4 + 4 * n_dims
    if n_dims == 0 or len(raw) < header_size:
        raise ValueError(f"{path}: idx header is truncated or declares no dimensions.")
    shape = struct.unpack(f">{n_dims}I", raw[4:header_size])
    expected = int(np.prod(shape))
    found = len(raw) - header_size
    if found != expected:
        raise ValueError(
            f"{path}: header declares shape {shape} ({expected} bytes of data) but the file holds "
            f"{found} bytes; it is truncated or corrupt: delete it and fetch it again."
        )
    return np.frombuffer(raw, dtype=np.uint8, offset=header_size).reshape(shape)


def write_idx(array: np.ndarray, path: str | Path, compress: bool | None = None) -> Path:
    """Write a ``uint8`` array as an idx file (gzip-compressed when the name ends in ``.gz``).

    The file is written to a temporary name first and renamed, so a failed write never leaves a
    half-written file behind.

    Parameters
    ----------
    array : numpy.ndarray
        Array of dtype ``uint8`` with at least one dimension.
    path : str or Path
        Destination file.
    compress : bool, optional
        Force or forbid gzip compression; by default compress when ``path`` ends in ``.gz``.

    Returns
    -------
    Path
        The written file.
    """
    array = np.asarray(array)
    if array.dtype != np.uint8 or array.ndim == 0:
        raise ValueError(f"write_idx expects a uint8 array with at least one dimension, got {array.dtype} {array.shape}.")
    path = Path(path)
    if compress is None:
        compress = path.suffix == ".gz"
    header = bytes([0, 0, _UBYTE, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    payload = header + np.ascontiguousarray(array).tobytes()
    if compress:
        payload = gzip.compress(payload, mtime=0)
    temporary = path.with_name(path.name + ".partial")
    temporary.write_bytes(payload)
    temporary.replace(path)
    return path
