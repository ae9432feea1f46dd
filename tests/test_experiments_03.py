"""Experiment checks of week 03: they reject the usual wrong approach and accept right answers in other forms."""
import numpy as np
import keras
import pytest
from course_utils import checks, data, metrics
from test_exercises import lesson_cell, run_check, strict  # the notebook's own cells; checks raise

NOTEBOOK = "03_linear_autoencoder"
IRIS = data.load_iris()
IRIS_COLUMNS = [IRIS.feature_names.index("sepal width (cm)"), IRIS.feature_names.index("petal length (cm)")]
IRIS_RAW = IRIS.X[:, IRIS_COLUMNS]
IRIS4 = (IRIS.X - IRIS.X.mean(axis=0)) / IRIS.X.std(axis=0)


def _linear_model(encoder_kernel, decoder_kernel, encoder_bias=None, decoder_bias=None):
    """A functional (n, k, n) linear autoencoder with the given weights (biases only where given)."""
    n_inputs, code_size = encoder_kernel.shape
    inputs = keras.Input(shape=(n_inputs,))
    encoder = keras.layers.Dense(code_size, use_bias=encoder_bias is not None)
    decoder = keras.layers.Dense(n_inputs, use_bias=decoder_bias is not None)
    model = keras.Model(inputs, decoder(encoder(inputs)))
    encoder.set_weights([encoder_kernel] + ([] if encoder_bias is None else [encoder_bias]))
    decoder.set_weights([decoder_kernel] + ([] if decoder_bias is None else [decoder_bias]))
    return model


def _top_directions(X, k):
    """The top-k eigenvectors of X's covariance (columns), from eigh rather than the SVD."""
    values, vectors = np.linalg.eigh(np.cov(X, rowvar=False))
    return vectors[:, np.argsort(values)[::-1][:k]]


# Exercise 3: the optimal linear autoencoder without training -------------------------------

def _week3_exercise3(function):
    run_check(NOTEBOOK, "svd_autoencoder_reconstruction", svd_autoencoder_reconstruction=function,
              sheet_raw=data.make_tilted_sheet(m=60, w1=0.1, w2=0.3, noise=0.1), iris=IRIS)


def test_week3_svd_reconstruction_accepts_the_covariance_eigenvectors():
    def by_eigh(X, k):
        mean = X.mean(axis=0)
        directions = _top_directions(X, k)
        return (X - mean) @ directions @ directions.T + mean

    _week3_exercise3(by_eigh)


def test_week3_svd_reconstruction_rejects_forgetting_to_add_the_mean_back():
    def without_mean(X, k):
        centred = X - X.mean(axis=0)
        vt = np.linalg.svd(centred, full_matrices=False)[2]
        return centred @ vt[:k].T @ vt[:k]

    with pytest.raises(checks.CheckFailed, match="svd_autoencoder_reconstruction"):
        _week3_exercise3(without_mean)


# Exercise 5: a linear autoencoder on standardised iris ---------------------------------------

def _week3_exercise5(model):
    run_check(NOTEBOOK, "linear autoencoder on standardised iris", iris4_autoencoder=model, iris=IRIS, metrics=metrics)


def test_week3_iris4_accepts_pca_weights_behind_an_invertible_mixing():
    directions = _top_directions(IRIS4, 2)
    mixing = np.array([[2.0, 1.0], [-0.5, 3.0]])
    _week3_exercise5(_linear_model(directions @ mixing, np.linalg.inv(mixing) @ directions.T,
                                   encoder_bias=np.zeros(2), decoder_bias=np.zeros(4)))


def test_week3_iris4_rejects_adam_at_its_default_rate_for_a_hundred_steps():
    keras.utils.set_random_seed(42)
    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(2), keras.layers.Dense(4)])
    model.compile(optimizer="adam", loss="mse")
    for _ in range(100):
        model.train_on_batch(IRIS4, IRIS4)
    with pytest.raises(checks.CheckFailed, match="PCA-2"):
        _week3_exercise5(model)


def test_week3_iris4_rejects_a_code_three_units_wide():
    directions = _top_directions(IRIS4, 3)
    with pytest.raises(checks.CheckFailed, match="2 units wide"):
        _week3_exercise5(_linear_model(directions, directions.T))


def test_week3_iris4_answers_a_wrong_type_with_a_cross():
    with pytest.raises(checks.CheckFailed, match="❌"):
        _week3_exercise5("Sequential")


# Exercise 6: biases on raw data --------------------------------------------------------------

def _week3_exercise6(models):
    run_check(NOTEBOOK, "biases on raw iris", raw_iris_models=models, iris=IRIS, iris_columns=IRIS_COLUMNS, metrics=metrics)


def _pca_model_for_raw_data():
    """PCA-1 of the raw measurements as a linear AE with biases: the encoder subtracts the mean, the decoder adds it."""
    mean, direction = IRIS_RAW.mean(axis=0), _top_directions(IRIS_RAW, 1)
    return _linear_model(direction, direction.T, encoder_bias=-mean @ direction, decoder_bias=mean)


def _best_bias_free_model(X):
    first_row = np.linalg.svd(X, full_matrices=False)[2][:1]
    return _linear_model(3.0 * first_row.T, first_row / 3.0)


def test_week3_raw_iris_accepts_weights_from_pca_and_from_the_raw_svd():
    _week3_exercise6({"with_bias": _pca_model_for_raw_data(), "without_bias": _best_bias_free_model(IRIS_RAW)})


def test_week3_raw_iris_accepts_centring_inside_the_model():
    mean = IRIS_RAW.mean(axis=0)
    keras.utils.set_random_seed(0)
    inputs = keras.Input(shape=(2,))
    centred = keras.layers.Normalization(mean=mean, variance=np.ones(2))(inputs)
    model = keras.Model(inputs, keras.layers.Dense(2)(keras.layers.Dense(1)(centred)))
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1, momentum=0.9), loss="mse")
    for _ in range(150):
        model.train_on_batch(IRIS_RAW, IRIS_RAW)
    _week3_exercise6({"with_bias": model, "without_bias": _best_bias_free_model(IRIS_RAW)})


@pytest.mark.parametrize("mistake", ["with biases, trained on centred data", "biases in both models",
                                     "bias-free, fitted to centred data"])
def test_week3_raw_iris_rejects_the_usual_mistakes(mistake):
    centred = IRIS_RAW - IRIS_RAW.mean(axis=0)
    direction = _top_directions(IRIS_RAW, 1)
    centred_pca = _linear_model(direction, direction.T, encoder_bias=np.zeros(1), decoder_bias=np.zeros(2))
    models = {"with biases, trained on centred data": {"with_bias": centred_pca, "without_bias": _best_bias_free_model(IRIS_RAW)},
              "biases in both models": {"with_bias": _pca_model_for_raw_data(), "without_bias": _pca_model_for_raw_data()},
              "bias-free, fitted to centred data": {"with_bias": _pca_model_for_raw_data(),
                                                    "without_bias": _best_bias_free_model(centred)}}[mistake]
    with pytest.raises(checks.CheckFailed, match="PCA-1"):
        _week3_exercise6(models)


def test_week3_raw_iris_rejects_a_diverged_training_run():
    keras.utils.set_random_seed(42)
    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1), keras.layers.Dense(2)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1, momentum=0.9), loss="mse")  # section 5's recipe
    for _ in range(100):
        model.train_on_batch(IRIS_RAW, IRIS_RAW)
    with pytest.raises(checks.CheckFailed, match="❌"):
        _week3_exercise6({"with_bias": model, "without_bias": _best_bias_free_model(IRIS_RAW)})


def test_week3_raw_iris_answers_a_wrong_type_with_a_cross():
    with pytest.raises(checks.CheckFailed, match="❌"):
        _week3_exercise6(["with_bias", "without_bias"])
