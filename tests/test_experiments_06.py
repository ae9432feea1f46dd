"""Experiment checks of week 06: they reject the usual wrong approach and accept right answers in other forms."""
import numpy as np
import keras
import pytest
from course_utils import checks, data
from test_exercises import lesson_cell, run_check, strict  # the notebook's own cells; checks raise

from test_exercises import ROOT
from course_utils import config, metrics, training

NOTEBOOK = "06_denoising_regularized_autoencoders"
CFG = config.CourseConfig(fast=True, seed=42, backend=keras.backend.backend(), device="CPU", on_colab=False)
N_CODE = 1024  # the notebook's code size
N_TUNE = 2_000  # training images for each fine-tuning, as the exercises' fast mode


def _notebook_helpers():
    """The notebook's own helpers that its check cells call, defined by running the cells that define them."""
    wanted = ("def predict_images(", "def denoise_and_score(", "def reconstruct_images(", "def variant_autoencoder(",
              "class ContractiveDense(", "def encode(", "def jacobian_norms(", "def encoder_kernel(")
    namespace = {"np": np, "keras": keras, "ops": keras.ops, "metrics": metrics, "N_PIXELS": 784, "cfg": CFG}
    script = (ROOT / "notebooks" / f"{NOTEBOOK}.py").read_text()
    for cell in script.split("\n# %%"):
        marker, source = cell.split("\n", 1)
        if any(word in source for word in wanted) and "solution" not in marker:
            exec(compile(source, f"{NOTEBOOK} helpers", "exec"), namespace)
    return namespace


def _fit(model, x, y, learning_rate, epochs=1, loss="mse", schedule=None):
    settings = dict(optimizer="Adam", learning_rate=learning_rate, loss=loss, batch_size=32, epochs=epochs,
                    **({"schedule": schedule} if schedule else {}))
    training.compile_and_fit(model, x, y, settings=settings, epochs=epochs)
    return model


@pytest.fixture(scope="module")
def week():
    """The notebook's helpers, MNIST sample digits (flat) and a briefly trained vanilla AE, as the check cells see them."""
    helpers = _notebook_helpers()
    mnist = data.load_mnist(sample=True)
    x_train, x_test = (images.reshape(len(images), -1) for images in (mnist.x_train[:N_TUNE], mnist.x_test))
    keras.utils.set_random_seed(0)
    vanilla = _fit(helpers["variant_autoencoder"]("vanilla"), x_train, x_train, 5e-3, epochs=4,  # the notebook's budget
                   loss="binary_crossentropy", schedule="cosine")
    return dict(helpers, x_train=x_train, x_test=x_test, models={"vanilla": vanilla}, cfg=CFG)


def _from_vanilla(week, model):
    """`model` with the vanilla AE's weights (a model with the same layers, flat or on 28 × 28 images)."""
    model.set_weights(week["models"]["vanilla"].get_weights())
    return model


def _on_grids(encoder):
    """A 784 → 1024 → 784 AE that reads and returns 28 × 28 images, built as a Sequential model."""
    return keras.Sequential([keras.Input(shape=(28, 28)), keras.layers.Flatten(), encoder,
                             keras.layers.Dense(784, activation="sigmoid", name="decoder"), keras.layers.Reshape((28, 28))])


def _run(week, check_name, **answer):
    names = {key: week[key] for key in ("x_test", "models", "cfg", "metrics", "N_PIXELS", "encode", "jacobian_norms",
                                        "reconstruct_images", "denoise_and_score")}
    run_check(NOTEBOOK, check_name, **names, **answer)


# Exercise 1: salt-and-pepper noise -----------------------------------------------------------------

def test_salt_and_pepper_accepts_masks_on_a_float64_copy():
    def with_masks(images, q, seed):
        u = np.random.default_rng(seed).random(images.shape)
        corrupted = np.array(images, dtype=np.float64)
        corrupted[u < q / 2] = 0
        corrupted[(u >= q / 2) & (u < q)] = 1
        return corrupted

    run_check(NOTEBOOK, "salt_and_pepper", salt_and_pepper=with_masks, x_test=data.load_mnist(sample=True).x_test[:8])


@pytest.mark.parametrize("mistake", ["a second draw for the colour", "white below q/2, black above"])
def test_salt_and_pepper_rejects_the_usual_mistakes(mistake):
    def two_draws(images, q, seed):
        rng = np.random.default_rng(seed)
        hit, white = rng.random(images.shape) < q, rng.random(images.shape) < 0.5
        return np.where(hit, white.astype("float32"), images).astype("float32")

    def swapped(images, q, seed):
        u = np.random.default_rng(seed).random(images.shape)
        return np.where(u < q / 2, 1.0, np.where(u < q, 0.0, images)).astype("float32")

    function = {"a second draw for the colour": two_draws, "white below q/2, black above": swapped}[mistake]
    with pytest.raises(checks.CheckFailed):
        run_check(NOTEBOOK, "salt_and_pepper", salt_and_pepper=function, x_test=data.load_mnist(sample=True).x_test[:8])


# Exercise 5: the contractive penalty sweep ---------------------------------------------------------

CONTRACTIVE = "contractive penalty sweep"


def _fine_tuned_contractive(week, weight, on_grids=False):
    keras.utils.set_random_seed(1)
    encoder = week["ContractiveDense"](N_CODE, weight, name="encoder")
    model = _on_grids(encoder) if on_grids else week["variant_autoencoder"](f"contractive_{weight:g}", encoder=encoder)
    x = week["x_train"].reshape(-1, 28, 28) if on_grids else week["x_train"]
    return _fit(_from_vanilla(week, model), x, x, 1e-3, loss="binary_crossentropy")


def test_contraction_accepts_a_sequential_model_on_28_by_28_images(week):
    _run(week, CONTRACTIVE, contracted_ae=_fine_tuned_contractive(week, 1e-3, on_grids=True))


@pytest.mark.parametrize("mistake", ["no penalty", "a huge penalty"])
def test_contraction_rejects_the_usual_mistakes(week, mistake):
    model = _fine_tuned_contractive(week, {"no penalty": 0.0, "a huge penalty": 1e-2}[mistake])
    with pytest.raises(checks.CheckFailed):
        _run(week, CONTRACTIVE, contracted_ae=model)


def test_contraction_rejects_an_encoder_the_closed_form_does_not_describe(week):
    keras.utils.set_random_seed(2)
    relu = week["variant_autoencoder"]("relu_code", encoder=keras.layers.Dense(N_CODE, activation="relu", name="encoder"))
    with pytest.raises(checks.CheckFailed, match="❌.*finite differences"):
        _run(week, CONTRACTIVE, contracted_ae=relu)


def test_contraction_answers_a_wrong_type_with_a_cross_not_an_error(week):
    with pytest.raises(checks.CheckFailed, match="❌"):
        _run(week, CONTRACTIVE, contracted_ae="contractive AE")


# Exercise 6: a salt-and-pepper denoiser ------------------------------------------------------------

SALT_PEPPER = "salt-and-pepper denoiser"


def _two_draw_salt_and_pepper(images, seed):
    """Salt-and-pepper noise with q = 0.5 drawn differently from the exercise: which pixels, then which colour."""
    rng = np.random.default_rng(seed)
    hit, white = rng.random(images.shape) < 0.5, rng.random(images.shape) < 0.5
    return np.where(hit, white, images).astype("float32")


def test_salt_pepper_accepts_a_sequential_model_on_28_by_28_images(week):
    keras.utils.set_random_seed(3)
    clean = week["x_train"].reshape(-1, 28, 28)
    model = _from_vanilla(week, _on_grids(keras.layers.Dense(N_CODE, activation="sigmoid", name="encoder")))
    _run(week, SALT_PEPPER, salt_pepper_denoiser=_fit(model, _two_draw_salt_and_pepper(clean, 5), clean, 3e-3))


@pytest.mark.parametrize("mistake", ["the vanilla AE", "noisy targets", "trained on Gaussian noise"])
def test_salt_pepper_rejects_the_usual_mistakes(week, mistake):
    clean = week["x_train"]
    if mistake == "the vanilla AE":
        model = week["models"]["vanilla"]
    else:
        keras.utils.set_random_seed(4)
        noisy = (_two_draw_salt_and_pepper(clean, 6) if mistake == "noisy targets"
                 else clean + 0.2 * np.random.default_rng(6).standard_normal(clean.shape, dtype=np.float32))
        target = noisy if mistake == "noisy targets" else clean
        model = _fit(_from_vanilla(week, week["variant_autoencoder"]("mistake")), noisy, target, 3e-3)
    with pytest.raises(checks.CheckFailed):
        _run(week, SALT_PEPPER, salt_pepper_denoiser=model)


def test_salt_pepper_answers_a_wrong_type_with_a_cross_not_an_error(week):
    with pytest.raises(checks.CheckFailed, match="❌"):
        _run(week, SALT_PEPPER, salt_pepper_denoiser=np.zeros((10, 784)))
