import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_utils import plotting  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_import_does_not_change_style():
    assert matplotlib.rcParams["image.cmap"] != "binary" or plotting._STYLE["image.cmap"] == "binary"
    before = dict(matplotlib.rcParams)
    import importlib

    importlib.reload(plotting)
    assert dict(matplotlib.rcParams) == before
    plotting.apply_style()
    assert matplotlib.rcParams["image.cmap"] == "binary"


def test_plot_image_accepts_flat_rows():
    fig, ax = plt.subplots()
    assert plotting.plot_image(np.zeros(784), ax=ax, title="x") is ax
    assert ax.get_title() == "x" and ax.images[0].get_array().shape == (28, 28)


def test_plot_images_grid_and_titles():
    fig = plotting.plot_images(np.random.rand(12, 28, 28), titles=[str(i) for i in range(12)], n_cols=5)
    assert len(fig.axes) == 15
    assert [ax.get_title() for ax in fig.axes[:3]] == ["0", "1", "2"]
    assert sum(bool(ax.images) for ax in fig.axes) == 12


@pytest.mark.parametrize("images, message", [
    (np.zeros((0, 28, 28)), "empty"), (np.zeros((3, 10)), "not square"),
    (np.zeros((2, 2, 2, 2, 2)), "shape"), (np.full((2, 4, 4), np.nan), "NaN")])
def test_plot_images_bad_input(images, message):
    with pytest.raises(ValueError, match=message):
        plotting.plot_images(images)


def test_plot_images_title_count():
    with pytest.raises(ValueError, match="titles"):
        plotting.plot_images(np.zeros((3, 4, 4)), titles=["a"])


def test_plot_reconstructions_rows():
    originals, recon = np.random.rand(10, 28, 28), np.random.rand(10, 784)
    fig = plotting.plot_reconstructions(originals, recon, recon, row_titles=["in", "a", "b"], n_images=4)
    assert len(fig.axes) == 12
    with pytest.raises(ValueError, match="at least one row"):
        plotting.plot_reconstructions(originals)
    with pytest.raises(ValueError, match="row titles"):
        plotting.plot_reconstructions(originals, recon, row_titles=["x"])


def test_plot_history_from_dict_and_object():
    history = {"loss": [3, 2, 1], "val_loss": [3.5, 2.5, 2], "mae": [1, 0.5, 0.2]}
    fig = plotting.plot_history(history, reference={"loss": (0.5, "PCA")})
    assert len(fig.axes) == 2 and len(fig.axes[0].lines) == 3

    class FakeHistory:
        pass

    wrapped = FakeHistory()
    wrapped.history = history
    assert len(plotting.plot_history(wrapped, metrics=["loss"]).axes) == 1
    with pytest.raises(ValueError, match="not in the history"):
        plotting.plot_history(history, metrics=["accuracy"])
    with pytest.raises(ValueError, match="non-empty"):
        plotting.plot_history({})


def test_plot_embedding_with_thumbnails():
    codes = np.random.default_rng(0).normal(size=(60, 2))
    labels = np.arange(60) % 10
    fig = plotting.plot_embedding(codes, labels, images=np.random.rand(60, 28, 28), n_thumbnails=7,
                                  class_names=[f"c{i}" for i in range(10)])
    ax = fig.axes[0]
    assert len(ax.collections[0].get_offsets()) == 60
    assert 1 <= len(ax.artists) <= 7


@pytest.mark.parametrize("codes, labels, message", [
    (np.zeros((5, 3)), np.zeros(5), "shape \\(n, 2\\)"), (np.zeros((5, 2)), np.zeros(4), "labels"),
    (np.full((5, 2), np.inf), np.zeros(5), "NaN")])
def test_plot_embedding_bad_input(codes, labels, message):
    with pytest.raises(ValueError, match=message):
        plotting.plot_embedding(codes, labels)


def test_save_fig_writes_atomically(tmp_path):
    fig, _ = plt.subplots()
    path = plotting.save_fig(fig, "curve", directory=tmp_path)
    assert path == tmp_path / "curve.png" and path.read_bytes()[:4] == b"\x89PNG"
    assert [p.name for p in tmp_path.iterdir()] == ["curve.png"]
    with pytest.raises(ValueError, match="plain file name"):
        plotting.save_fig(fig, "../escape", directory=tmp_path)


def test_draw_lstm_cell_draws_on_given_or_new_axes():
    fig = plotting.draw_lstm_cell()
    ax = fig.axes[0]
    assert len(ax.patches) >= 10 and len(ax.texts) >= 15 and ax.lines
    given_fig, given_ax = plt.subplots()
    assert plotting.draw_lstm_cell(given_ax) is given_fig and given_ax.patches


def test_images_share_one_fixed_scale_unless_asked():
    """A faint image must look faint: [0, 1] is drawn on [0, 1], not stretched to its own range."""
    fig, ax = plt.subplots()
    faint = np.full((4, 4), 0.2)
    faint[0, 0] = 0.3
    plotting.plot_image(faint, ax=ax)
    assert ax.images[0].get_clim() == (0.0, 1.0)
    fig = plotting.plot_reconstructions(np.random.rand(2, 4, 4), faint[None].repeat(2, 0), n_images=2)
    assert {image.get_clim() for axes in fig.axes for image in axes.images} == {(0.0, 1.0)}
    fig, ax = plt.subplots()
    plotting.plot_image(faint, ax=ax, value_range=None)
    assert ax.images[0].get_clim() == pytest.approx((0.2, 0.3))
    with pytest.raises(ValueError, match="low < high"):
        plotting.plot_image(faint, value_range=(1, 0))
