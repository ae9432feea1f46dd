"""Figures the notebooks share: images, image grids, reconstructions, learning curves, embeddings.

Every helper takes arrays, draws on a new figure (or the ``ax`` it is given) and returns the
figure; none calls ``plt.show()`` or changes global settings. :func:`apply_style` is called
once by :func:`course_utils.setup`.

Used by: every notebook.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib import offsetbox

#: Where :func:`save_fig` writes when no directory is given (relative to the working directory).
DEFAULT_FIGURE_DIR = Path("figures")

_STYLE = {
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "axes.grid": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "font.size": 11,
    "axes.titlesize": 11,
    "legend.frameon": False,
    "image.cmap": "binary",
}


def apply_style() -> None:
    """Set the course's Matplotlib defaults (called by ``setup()``, never on import)."""
    mpl.rcParams.update(_STYLE)


def _as_images(images, name="images") -> np.ndarray:
    """Check and reshape a batch of images to ``(n, height, width)`` (flat 784 rows become 28×28)."""
    images = np.asarray(images)
    if images.size == 0:
        raise ValueError(f"{name} is empty: pass at least one image.")
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    if images.ndim == 2:
        side = int(round(np.sqrt(images.shape[1])))
        if side * side != images.shape[1]:
            raise ValueError(f"{name}: rows of length {images.shape[1]} are not square images; "
                             "pass images of shape (n, height, width).")
        images = images.reshape(len(images), side, side)
    if images.ndim != 3:
        raise ValueError(f"{name} must have shape (n, height, width) or (n, pixels), got {images.shape}.")
    if not np.all(np.isfinite(images)):
        raise ValueError(f"{name} contains NaN or infinite values.")
    return images


def plot_image(image, ax=None, title=None, value_range=(0.0, 1.0)):
    """Draw one grey-scale image without axes; return the Axes.

    ``value_range`` is the pixel value drawn white and the one drawn black: ``(0, 1)`` by default,
    so that every image of the course's [0, 1] data sets is drawn on the same scale and a blurred
    reconstruction looks as grey as it is (values outside are drawn as the nearest end). Pass
    ``None`` to stretch each image to its own minimum and maximum (weights, feature maps).
    """
    image = _as_images(np.asarray(image)[None], "image")[0]
    if value_range is None:
        vmin = vmax = None
    else:
        vmin, vmax = value_range
        if not vmin < vmax:
            raise ValueError(f"value_range must be (low, high) with low < high, got {value_range!r}.")
    ax = ax or plt.gca()
    ax.imshow(image, cmap="binary", vmin=vmin, vmax=vmax)
    ax.set_axis_off()
    if title is not None:
        ax.set_title(str(title), fontsize=9)
    return ax


def plot_images(images, titles=None, n_cols=10, scale=1.2, value_range=(0.0, 1.0)):
    """A grid of images with optional titles; return the Figure.

    Parameters
    ----------
    images : array of shape (n, height, width) or (n, pixels)
    titles : sequence of str, optional
        One title per image (e.g. class names).
    n_cols : int, default 10
    scale : float, default 1.2
        Inches per image.
    value_range : (float, float) or None, default (0, 1)
        The values drawn white and black, the same for every image (see :func:`plot_image`).
    """
    images = _as_images(images)
    if titles is not None and len(titles) != len(images):
        raise ValueError(f"got {len(titles)} titles for {len(images)} images.")
    n_cols = min(n_cols, len(images))
    n_rows = int(np.ceil(len(images) / n_cols))
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(n_cols * scale, n_rows * scale * 1.1), squeeze=False)
    for index, ax in enumerate(axes.flat):
        if index < len(images):
            plot_image(images[index], ax=ax, title=None if titles is None else titles[index],
                       value_range=value_range)
        else:
            ax.set_axis_off()
    fig.tight_layout()
    return fig


def plot_reconstructions(originals, *rows, row_titles=None, n_images=8, scale=1.2):
    """Originals in the first row, then one row per reconstruction (or noisy/denoised version).

    Parameters
    ----------
    originals : array of images
    *rows : arrays of images, each with at least ``n_images`` images
    row_titles : sequence of str, optional
        One label per row, originals included (default "original", "row 1", ...).
    n_images : int, default 8
    """
    all_rows = [_as_images(originals, "originals")] + [_as_images(row, f"row {i + 1}") for i, row in enumerate(rows)]
    if not rows:
        raise ValueError("plot_reconstructions needs at least one row besides the originals.")
    n_images = min(n_images, *(len(row) for row in all_rows))
    if row_titles is None:
        row_titles = ["original"] + [f"row {i + 1}" for i in range(len(rows))]
    if len(row_titles) != len(all_rows):
        raise ValueError(f"got {len(row_titles)} row titles for {len(all_rows)} rows (originals included).")
    fig, axes = plt.subplots(len(all_rows), n_images, figsize=(n_images * scale, len(all_rows) * scale), squeeze=False)
    for row_index, (row, title) in enumerate(zip(all_rows, row_titles)):
        for column in range(n_images):
            plot_image(row[column], ax=axes[row_index, column])
        axes[row_index, 0].text(-0.1, 0.5, title, transform=axes[row_index, 0].transAxes,
                                ha="right", va="center", fontsize=10)
    fig.tight_layout()
    return fig


def plot_history(history, metrics=None, title=None, reference=None):
    """Learning curves: each metric with its ``val_`` twin, one panel per metric.

    Parameters
    ----------
    history : keras.callbacks.History or dict
        ``model.fit(...)``'s return value, or its ``.history`` dict.
    metrics : sequence of str, optional
        Which metrics to draw (default: every one without the ``val_`` prefix).
    title : str, optional
    reference : dict, optional
        Horizontal lines to draw, e.g. ``{"loss": (0.012, "PCA")}``.
    """
    curves = getattr(history, "history", history)
    if not isinstance(curves, dict) or not curves:
        raise ValueError("plot_history expects a Keras History or a non-empty dict of metric lists.")
    if metrics is None:
        metrics = [key for key in curves if not key.startswith("val_")]
    unknown = [metric for metric in metrics if metric not in curves]
    if unknown:
        raise ValueError(f"metrics {unknown} are not in the history; it has {sorted(curves)}.")
    fig, axes = plt.subplots(1, len(metrics), figsize=(4.5 * len(metrics), 3.2), squeeze=False)
    for ax, metric in zip(axes.flat, metrics):
        epochs = np.arange(1, len(curves[metric]) + 1)
        ax.plot(epochs, curves[metric], "o-", label="train", markersize=3)
        if f"val_{metric}" in curves:
            ax.plot(epochs, curves[f"val_{metric}"], "s--", label="validation", markersize=3)
        if reference and metric in reference:
            value, label = reference[metric]
            ax.axhline(value, color="grey", linestyle=":", label=label)
        ax.set_xlabel("epoch")
        ax.set_ylabel(metric)
        ax.legend()
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_embedding(codes_2d, labels, images=None, ax=None, class_names=None, n_thumbnails=150,
                   thumbnail_zoom=0.5, min_distance=0.04, title=None):
    """Scatter 2-D codes coloured by label, optionally with image thumbnails; return the Figure.

    Parameters
    ----------
    codes_2d : array of shape (n, 2)
    labels : array of shape (n,)
    images : array of images, optional
        If given, up to ``n_thumbnails`` thumbnails are placed on well-separated points.
    ax : matplotlib Axes, optional
    class_names : sequence of str, optional
        Names for the colour bar ticks.
    """
    codes_2d = np.asarray(codes_2d, dtype=float)
    labels = np.asarray(labels)
    if codes_2d.ndim != 2 or codes_2d.shape[1] != 2:
        raise ValueError(f"codes_2d must have shape (n, 2), got {codes_2d.shape}.")
    if len(labels) != len(codes_2d):
        raise ValueError(f"got {len(labels)} labels for {len(codes_2d)} points.")
    if not np.all(np.isfinite(codes_2d)):
        raise ValueError("codes_2d contains NaN or infinite values.")
    if ax is None:
        fig, ax = plt.subplots(figsize=(7, 6))
    else:
        fig = ax.figure
    scatter = ax.scatter(codes_2d[:, 0], codes_2d[:, 1], c=labels, s=4, cmap="tab10", alpha=0.7)
    colorbar = fig.colorbar(scatter, ax=ax, ticks=np.unique(labels))
    if class_names is not None:
        colorbar.ax.set_yticklabels([class_names[int(label)] for label in np.unique(labels)])
    if images is not None:
        _add_thumbnails(ax, codes_2d, _as_images(images), n_thumbnails, thumbnail_zoom, min_distance)
    ax.set_xlabel("code 1")
    ax.set_ylabel("code 2")
    if title:
        ax.set_title(title)
    return fig


def _add_thumbnails(ax, codes_2d, images, n_thumbnails, zoom, min_distance):
    """Place thumbnails on points at least ``min_distance`` apart (in axis-normalised units)."""
    if len(images) != len(codes_2d):
        raise ValueError(f"got {len(images)} images for {len(codes_2d)} points.")
    span = np.ptp(codes_2d, axis=0)
    normalised = (codes_2d - codes_2d.min(axis=0)) / np.where(span > 0, span, 1)
    placed = []
    for index, point in enumerate(normalised):
        if len(placed) >= n_thumbnails:
            break
        if placed and np.min(np.sum((np.array(placed) - point) ** 2, axis=1)) < min_distance ** 2:
            continue
        placed.append(point)
        box = offsetbox.AnnotationBbox(offsetbox.OffsetImage(images[index], cmap="binary", zoom=zoom),
                                       codes_2d[index], frameon=False)
        ax.add_artist(box)


def save_fig(fig, name, directory=None, extension="png"):
    """Save ``fig`` as ``<directory>/<name>.<extension>`` (default directory ``figures/``); return the path.

    The file is written under a temporary name and renamed, so no half-written file is left.
    """
    if not name or any(char in str(name) for char in "/\\"):
        raise ValueError(f"name must be a plain file name without folders, got {name!r}.")
    directory = Path(directory) if directory is not None else DEFAULT_FIGURE_DIR
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.{extension}"
    partial = directory / f".{name}.partial.{extension}"
    fig.savefig(partial, format=extension, bbox_inches="tight")
    partial.replace(path)
    return path


def draw_lstm_cell(ax=None):
    """Draw a labelled diagram of one LSTM cell: its four gates, the cell state and the output.

    The inputs :math:`h_{t-1}` and :math:`x_t` feed the forget (f), input (i), candidate (g) and
    output (o) blocks; the cell state runs along the top, multiplied by f and added to i·g, and
    :math:`h_t = o \\cdot \\tanh(c_t)` leaves on the right.

    Parameters
    ----------
    ax : matplotlib Axes, optional
        Where to draw; by default a new 8.5 × 4.6 inch figure.

    Returns
    -------
    matplotlib.figure.Figure
        The figure holding the diagram.
    """
    from matplotlib import patches

    if ax is None:
        _, ax = plt.subplots(figsize=(8.5, 4.6))
    arrow = dict(arrowstyle="-|>", color="0.25", lw=1.4, shrinkA=0, shrinkB=0)
    line = dict(color="0.25", lw=1.4)

    def connect(points, head=True):
        """A polyline through ``points``; with ``head`` its last segment ends in an arrow."""
        xs, ys = zip(*points)
        if not head:
            ax.plot(xs, ys, **line)
            return
        if len(points) > 2:
            ax.plot(xs[:-1], ys[:-1], **line)
        ax.annotate("", xy=points[-1], xytext=points[-2], arrowprops=arrow)

    def node(x, y, text, color="white", radius=0.32):
        ax.add_patch(patches.Circle((x, y), radius, facecolor=color, edgecolor="0.25", lw=1.4, zorder=3))
        ax.text(x, y, text, ha="center", va="center", fontsize=12, zorder=4)

    def gate(x, y, activation, name, color):
        ax.add_patch(patches.FancyBboxPatch((x - 0.5, y - 0.4), 1.0, 0.8, boxstyle="round,pad=0.05",
                                            facecolor=color, edgecolor="0.25", lw=1.4, zorder=3))
        ax.text(x, y + 0.12, activation, ha="center", va="center", fontsize=10, zorder=4)
        ax.text(x, y - 0.2, name, ha="center", va="center", fontsize=11, fontweight="bold", zorder=4)

    ax.add_patch(patches.FancyBboxPatch((1.2, 0.4), 9.2, 4.9, boxstyle="round,pad=0.1",
                                        facecolor="#f4f4f4", edgecolor="0.6", lw=1.0))
    colors = {"f": "#f8c4c4", "i": "#c4daf8", "g": "#d8f0c8", "o": "#f8e4b8"}
    bus_y, gate_y, mid_y, cell_y = 1.0, 2.3, 3.4, 4.6
    # inputs: h_{t-1} from the left, x_t from below, joined into one bus feeding all four gates
    connect([(0.0, bus_y), (1.8, bus_y)], head=False)
    ax.text(0.0, bus_y + 0.2, r"$h_{t-1}$", fontsize=13)
    connect([(1.8, -0.4), (1.8, bus_y)], head=False)
    ax.text(1.95, -0.35, r"$x_t$", fontsize=13)
    connect([(1.8, bus_y), (7.5, bus_y)], head=False)
    for x, (activation, name) in zip((3.0, 4.5, 6.0, 7.5), [("σ", "f"), ("σ", "i"), ("tanh", "g"), ("σ", "o")]):
        connect([(x, bus_y), (x, gate_y - 0.45)])
        gate(x, gate_y, activation, name, colors[name])
    # cell state: c_{t-1} -> (x f) -> (+ i*g) -> c_t
    connect([(0.0, cell_y), (2.68, cell_y)])
    ax.text(0.0, cell_y + 0.2, r"$c_{t-1}$", fontsize=13)
    node(3.0, cell_y, "×")
    connect([(3.0, gate_y + 0.45), (3.0, cell_y - 0.32)])
    connect([(3.32, cell_y), (5.0, cell_y)])
    node(5.32, cell_y, "+")
    node(5.32, mid_y, "×")
    connect([(4.5, gate_y + 0.45), (4.5, mid_y), (5.0, mid_y)])
    connect([(6.0, gate_y + 0.45), (6.0, mid_y), (5.64, mid_y)])
    connect([(5.32, mid_y + 0.32), (5.32, cell_y - 0.32)])
    connect([(5.64, cell_y), (11.4, cell_y)])
    ax.text(10.9, cell_y + 0.2, r"$c_t$", fontsize=13)
    # output: h_t = o * tanh(c_t)
    node(9.0, mid_y, "tanh", color="#eeeeee", radius=0.4)
    connect([(9.0, cell_y), (9.0, mid_y + 0.4)])
    node(9.0, gate_y, "×")
    connect([(9.0, mid_y - 0.4), (9.0, gate_y + 0.32)])
    connect([(8.0, gate_y), (8.68, gate_y)])
    connect([(9.32, gate_y), (9.9, gate_y), (9.9, 5.9)])
    ax.text(10.05, 5.7, r"$h_t$ (output)", fontsize=12)
    connect([(9.9, gate_y), (9.9, bus_y), (11.4, bus_y)])
    ax.text(10.9, bus_y + 0.2, r"$h_t$", fontsize=13)
    ax.set_xlim(-0.2, 12.2)
    ax.set_ylim(-0.6, 6.2)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return ax.figure
