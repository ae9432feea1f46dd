"""Exercise checks meet the mistakes students really make, and accept right answers in other forms.

Each test runs a notebook's own check cell (found by the check's name) in a namespace that holds
an answer, in strict mode, where a check that does not pass raises :class:`checks.CheckFailed`.
So the checks tested are exactly the ones the notebooks and their student copies run.
"""

from pathlib import Path

import keras
import numpy as np
import pytest
from sklearn.decomposition import PCA, IncrementalPCA

from course_utils import checks, data

ROOT = Path(__file__).resolve().parent.parent


def check_cell(notebook: str, check_name: str) -> str:
    """The source of the code cell of ``notebook`` (a .py script) that runs the check ``check_name``."""
    script = (ROOT / "notebooks" / f"{notebook}.py").read_text()
    cells = [cell for cell in script.split("\n# %%") if f'"{check_name}"' in cell and "checks.check_" in cell]
    assert len(cells) == 1, f"expected one check cell for {check_name!r} in {notebook}, found {len(cells)}"
    return cells[0].split("\n", 1)[1]  # drop the rest of the cell marker line


def lesson_cell(notebook: str, definition: str) -> str:
    """The source of the one code cell of ``notebook`` (a .py script) holding ``definition``, such as
    ``"def encode("`` or ``"class Sampling("``: tests run the lesson's own code, not a copy of it."""
    script = (ROOT / "notebooks" / f"{notebook}.py").read_text()
    cells = [cell for cell in script.split("\n# %%") if definition in cell]
    assert len(cells) == 1, f"expected one cell holding {definition!r} in {notebook}, found {len(cells)}"
    return cells[0].split("\n", 1)[1]  # drop the rest of the cell marker line


def run_check(notebook: str, check_name: str, **answers) -> None:
    """Run the check cell with ``answers`` (and the usual imports) defined; raise if a check fails."""
    namespace = {"checks": checks, "np": np, "keras": keras, "layers": keras.layers, "data": data,
                 "PCA": PCA, "IncrementalPCA": IncrementalPCA, **answers}
    exec(compile(check_cell(notebook, check_name), f"{notebook} check", "exec"), namespace)


@pytest.fixture(autouse=True)
def strict(monkeypatch):
    """Checks raise instead of printing a cross (the experiment tests import this fixture too)."""
    monkeypatch.setenv(checks.STRICT_ENV, "1")


# Week 0: the first self-check, the least-ink class, a fitted line, repeatable runs ---------------

def _line_data(n=256, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, size=(n, 1)).astype("float32")
    return x, (3 * x + 2 + rng.normal(scale=0.1, size=x.shape)).astype("float32")


def test_week0_mean_pixel_accepts_a_python_float_and_rejects_the_test_images_mean():
    mnist = data.load_mnist()
    run_check("00_getting_started", "mean pixel of the training images", mnist=mnist, mean_pixel=float(mnist.x_train.mean()))
    with pytest.raises(checks.CheckFailed):
        run_check("00_getting_started", "mean pixel of the training images", mnist=mnist, mean_pixel=mnist.x_test.mean())
    with pytest.raises(checks.CheckFailed, match="❌"):  # one mean per image is not one number
        run_check("00_getting_started", "mean pixel of the training images", mnist=mnist,
                  mean_pixel=mnist.x_train.mean(axis=(1, 2)))


def test_week0_least_ink_class_accepts_another_spelling_and_rejects_the_most_ink():
    run_check("00_getting_started", "the class with the least ink", least_ink_class=" SANDAL")
    with pytest.raises(checks.CheckFailed):
        run_check("00_getting_started", "the class with the least ink", least_ink_class="Coat")


def _trained_line_model(use_bias=True, epochs=100):
    x, y = _line_data()
    keras.utils.set_random_seed(0)
    inputs = keras.Input(shape=(1,))
    model = keras.Model(inputs, keras.layers.Dense(1, use_bias=use_bias)(inputs))
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.2), loss="mean_absolute_error")
    model.fit(x, y, epochs=epochs, batch_size=16, verbose=0)
    return model


def test_week0_line_fit_accepts_another_model_and_rejects_a_unit_without_bias():
    run_check("00_getting_started", "a line fitted by Keras", line_model=_trained_line_model())
    with pytest.raises(checks.CheckFailed, match="MSE on new points"):
        run_check("00_getting_started", "a line fitted by Keras", line_model=_trained_line_model(use_bias=False))
    with pytest.raises(checks.CheckFailed, match="❌"):
        run_check("00_getting_started", "a line fitted by Keras", line_model="Dense(1)")


def _tiny_run(seed, seed_keras):
    x, y = _line_data(n=64)
    if seed_keras:
        keras.utils.set_random_seed(seed)
    else:
        np.random.seed(seed)  # the usual mistake: only NumPy's generator is seeded
    model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(4), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)
    return [float(value) for weights in model.get_weights() for value in weights.ravel()]


def test_week0_repeatable_runs_accepts_a_list_and_rejects_seeding_numpy_only():
    run_check("00_getting_started", "runs that repeat with the same seed",
              train_tiny_model=lambda seed: _tiny_run(seed, seed_keras=True))
    with pytest.raises(checks.CheckFailed, match="different weights"):
        run_check("00_getting_started", "runs that repeat with the same seed",
                  train_tiny_model=lambda seed: _tiny_run(seed, seed_keras=False))


# Week 1: the first principal direction -----------------------------------------------------------

def _direction_by_eigh(X):
    values, vectors = np.linalg.eigh(np.cov(X, rowvar=False))
    return values[-1] / values.sum(), vectors[:, -1]


def _angle(direction):
    return np.degrees(np.arctan2(direction[1], direction[0])) % 180


WIDE = data.make_gaussian_2d(n=10_000, cov=((16.0, 1.0), (1.0, 1.0)), seed=1)


def test_week1_first_direction_accepts_the_svd_the_other_sign_and_a_list():
    def by_svd(X):
        centred = X - X.mean(axis=0)
        _, singular_values, rows = np.linalg.svd(centred, full_matrices=False)
        return float(singular_values[0] ** 2 / np.sum(singular_values ** 2)), list(-rows[0])

    run_check("01_pca_by_hand", "first_principal_direction", first_principal_direction=by_svd,
              angle_pc1=_angle(-_direction_by_eigh(WIDE)[1]))


@pytest.mark.parametrize("mistake", ["a row of the eigenvector matrix", "the smallest eigenvalue's column",
                                     "the angle without % 180"])
def test_week1_first_direction_rejects_the_usual_mistakes(mistake):
    def row_not_column(X):
        values, vectors = np.linalg.eigh(np.cov(X, rowvar=False))
        return values[-1] / values.sum(), vectors[-1]

    def smallest(X):
        values, vectors = np.linalg.eigh(np.cov(X, rowvar=False))
        return values[0] / values.sum(), vectors[:, 0]

    function, angle = {"a row of the eigenvector matrix": (row_not_column, _angle(_direction_by_eigh(WIDE)[1])),
                       "the smallest eigenvalue's column": (smallest, _angle(_direction_by_eigh(WIDE)[1])),
                       "the angle without % 180": (_direction_by_eigh, _angle(_direction_by_eigh(WIDE)[1]) - 180)}[mistake]
    with pytest.raises(checks.CheckFailed):
        run_check("01_pca_by_hand", "first_principal_direction", first_principal_direction=function, angle_pc1=angle)


# Week 2: incremental PCA by hand ---------------------------------------------------------------

N_FASHION = 2_000


def _fashion_images():
    return data.flatten_images(data.load_fashion_mnist().x_train[:N_FASHION])


def test_week2_incremental_pca_accepts_fit_with_a_batch_size():
    model = IncrementalPCA(n_components=20, batch_size=1000).fit(_fashion_images())
    run_check("02_pca_scikit_learn", "incremental PCA's leading 10-D subspace", fashion_ipca=model, n_fashion=N_FASHION)


@pytest.mark.parametrize("mistake", ["plain PCA", "only the first batch"])
def test_week2_incremental_pca_rejects_the_usual_mistakes(mistake):
    images = _fashion_images()
    if mistake == "plain PCA":
        model = PCA(n_components=20).fit(images)
    else:
        model = IncrementalPCA(n_components=20).partial_fit(images[:1000])
    with pytest.raises(checks.CheckFailed):
        run_check("02_pca_scikit_learn", "incremental PCA's leading 10-D subspace", fashion_ipca=model, n_fashion=N_FASHION)


def test_week2_incremental_pca_answers_a_wrong_type_with_a_cross_not_an_error():
    with pytest.raises(checks.CheckFailed, match="❌"):
        run_check("02_pca_scikit_learn", "incremental PCA's leading 10-D subspace", fashion_ipca="IncrementalPCA",
                  n_fashion=N_FASHION)


# Week 3: counting parameters -------------------------------------------------------------------

def _count(layer_sizes, use_bias):
    return sum(a * b + (b if use_bias else 0) for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))


def test_week3_parameter_count_accepts_floats_and_numpy():
    def with_numpy(layer_sizes, use_bias):
        sizes = np.asarray(layer_sizes, dtype=float)
        return float(np.sum(sizes[:-1] * sizes[1:]) + (np.sum(sizes[1:]) if use_bias else 0))

    run_check("03_linear_autoencoder", "count_parameters", count_parameters=with_numpy,
              params_without_bias=2040.0, params_with_bias=np.int64(2162))


def test_week3_parameter_count_rejects_one_bias_per_input_unit():
    def bias_per_input(layer_sizes, use_bias):
        return sum(a * b + (a if use_bias else 0) for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))

    with pytest.raises(checks.CheckFailed, match="count_parameters"):
        run_check("03_linear_autoencoder", "count_parameters", count_parameters=bias_per_input,
                  params_without_bias=2040, params_with_bias=2162)


# Week 5: the size after a transposed convolution ----------------------------------------------

def test_week5_transposed_size_rejects_the_formula_that_forgets_kernels_narrower_than_the_stride():
    def naive(side, kernel_size, stride, padding):
        return side * stride if padding == "same" else (side - 1) * stride + kernel_size

    with pytest.raises(checks.CheckFailed, match="transposed_side"):
        run_check("05_conv_recurrent_autoencoders", "transposed_side", transposed_side=naive)


def test_week5_transposed_size_accepts_another_right_form():
    def by_stamps(side, kernel_size, stride, padding):
        if padding == "same":
            return float(side * stride)
        last_stamp_end = (side - 1) * stride + kernel_size
        return max(last_stamp_end, side * stride)

    run_check("05_conv_recurrent_autoencoders", "transposed_side", transposed_side=by_stamps)


# Choices: a wrong option fails, the right one in another form passes ------------------------------

CHOICES = [  # notebook, check name, answer variable, a right answer in another form, a plausible wrong answer
    ("03_linear_autoencoder", "choices that make the autoencoder PCA", "needed_choices", ["D", "c", "B", "a"], {"a", "b", "d"}),
    ("04_deep_autoencoders", "why the 2-number AE beats PCA-2", "why_ae2_wins", " B", "d"),
    ("06_denoising_regularized_autoencoders", "corruptions with E[x̃ | x] = x", "unbiased_corruptions",
     ("Dropout", "Gaussian"), {"gaussian", "dropout", "masking"}),
    ("07_lstm_classifiers", "setting that disables cuDNN", "cudnn_breaker", "C", "a"),
]


@pytest.mark.parametrize("notebook, name, variable, right, wrong", CHOICES, ids=[row[2] for row in CHOICES])
def test_choice_checks(notebook, name, variable, right, wrong):
    run_check(notebook, name, **{variable: right})
    with pytest.raises(checks.CheckFailed):
        run_check(notebook, name, **{variable: wrong})


def test_week3_activation_choices():
    floors = {"sigmoid": 0.3, "tanh": 0.01, "ReLU": 0.2, "linear": 0.0}
    answers = dict(choice_pixels="B", choice_sheet="a", cannot_fit_sheet=["ReLU", "Tanh", "sigmoid"], output_floors=floors)
    run_check("03_linear_autoencoder", "output for pixels in [0, 1]", **answers)
    with pytest.raises(checks.CheckFailed):
        run_check("03_linear_autoencoder", "output for pixels in [0, 1]", **dict(answers, choice_sheet="b"))


# Pure-function exercises: one usual mistake each, and a right answer in another form -----------

def _kl(rho, rho_hat):
    return rho * np.log(rho / rho_hat) + (1 - rho) * np.log((1 - rho) / (1 - rho_hat))


def _count_layer_parameters(layer, n_steps, n_features):
    layer.build((None, n_steps, n_features))
    return layer.count_params()


FUNCTION_EXERCISES = [
    # notebook, check name, the answer's names, a right answer in another form, the usual mistake
    ("04_deep_autoencoders", "dense_ae_params", {},
     {"dense_ae_params": lambda sizes, bias=True: float(sum(a * b for a, b in zip(sizes, sizes[1:])) + (sum(sizes[1:]) if bias else 0))},
     {"dense_ae_params": lambda sizes, bias=True: sum(a * b + (a if bias else 0) for a, b in zip(sizes, sizes[1:]))}),
    ("05_conv_recurrent_autoencoders", "conv2d_param_count", {},
     {"conv2d_param_count": lambda c, f, k: np.int64(f * k * k * c + f)},
     {"conv2d_param_count": lambda c, f, k: f * (k * k + 1)}),
    ("05_conv_recurrent_autoencoders", "pooled_side", {},
     {"pooled_side": lambda side, n: side if n == 0 else -(-side // 2 ** n)},
     {"pooled_side": lambda side, n: side // 2 ** n}),
    ("07_lstm_classifiers", "LSTM parameter count", {"count_layer_parameters": _count_layer_parameters},
     {"lstm_parameters": lambda u, f: 4 * u * (u + f + 1), "gru_parameters": lambda u, f: 3 * u * (u + f + 2)},
     {"lstm_parameters": lambda u, f: 4 * u * (u + f), "gru_parameters": lambda u, f: 3 * u * (u + f + 2)}),
    ("07_lstm_classifiers", "LSTM parameter count", {"count_layer_parameters": _count_layer_parameters},
     {"lstm_parameters": lambda u, f: 4 * (u * (u + f) + u), "gru_parameters": lambda u, f: 3 * (u * (u + f) + 2 * u)},
     {"lstm_parameters": lambda u, f: 4 * (u * (u + f) + u), "gru_parameters": lambda u, f: 3 * u * (u + f + 1)}),
    ("06_denoising_regularized_autoencoders", "sparsity_penalty", {"kl_to_target": _kl},
     {"sparsity_penalty": lambda codes, rho: np.sum(_kl(rho, np.mean(codes, axis=0)))},
     {"sparsity_penalty": lambda codes, rho: float(_kl(rho, codes).mean(axis=0).sum())}),
    ("06_denoising_regularized_autoencoders", "sigmoid_jacobian", {},
     {"sigmoid_jacobian": lambda x, W, b: (lambda h: (h * (1 - h))[:, None] * W.T)(1 / (1 + np.exp(-(x @ W + b))))},
     {"sigmoid_jacobian": lambda x, W, b: (lambda h: W * (h * (1 - h))[None, :])(1 / (1 + np.exp(-(x @ W + b))))}),
]


@pytest.mark.parametrize("notebook, name, context, right, wrong", FUNCTION_EXERCISES,
                         ids=[f"{row[1]}-{index}" for index, row in enumerate(FUNCTION_EXERCISES)])
def test_function_exercises(notebook, name, context, right, wrong):
    run_check(notebook, name, **context, **right)
    with pytest.raises(checks.CheckFailed):
        run_check(notebook, name, **context, **wrong)


def test_week1_reconstruction_rejects_forgetting_the_mean():
    iris = data.load_iris().X
    gauss = data.make_gaussian_2d(n=500, mean=(-1.0, 2.0), cov=((4.0, 2.0), (2.0, 2.0)), seed=0)

    def right(X, k):
        centre = X.mean(axis=0)
        _, _, rows = np.linalg.svd(X - centre, full_matrices=False)
        return (X - centre) @ rows[:k].T @ rows[:k] + centre

    def no_mean(X, k):
        _, _, rows = np.linalg.svd(X - X.mean(axis=0), full_matrices=False)
        return (X - X.mean(axis=0)) @ rows[:k].T @ rows[:k]

    error = float(np.mean(np.sum((iris - right(iris, 2)) ** 2, axis=1)))
    run_check("01_pca_by_hand", "reconstruct(X, k)", reconstruct=right, X=gauss, X_iris=iris, iris_error_k2=error)
    with pytest.raises(checks.CheckFailed):
        run_check("01_pca_by_hand", "reconstruct(X, k)", reconstruct=no_mean, X=gauss, X_iris=iris, iris_error_k2=error)
