"""Checks of week 08: they reject the usual wrong answers and accept right answers in other forms."""
import ast

import keras
import numpy as np
import pytest
from sklearn import metrics as sk_metrics
from sklearn.decomposition import PCA
from sklearn.neighbors import NearestNeighbors

from course_utils import checks, config, data, training
from test_exercises import lesson_cell, run_check, strict  # the notebook's own cells; checks raise

NOTEBOOK = "08_anomalies_pretraining_vae"


def _lesson_cell(defines: str) -> str:
    """The source of the one cell of the week's script that defines the function or class ``defines``."""
    kind = "class" if defines[0].isupper() else "def"
    return lesson_cell(NOTEBOOK, f"\n{kind} {defines}(")


def _lesson_names(*defines):
    """The functions and classes of the lesson cells that define ``defines`` (their other lines, which
    train or plot, are left out), executed in order in one namespace."""
    namespace = {"np": np, "keras": keras, "data": data}
    for name in defines:
        tree = ast.parse(_lesson_cell(name))
        tree.body = [node for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))]
        exec(compile(tree, f"{NOTEBOOK} lesson", "exec"), namespace)
    return namespace


def _cfg(fast=True):
    return config.CourseConfig(fast=fast, seed=42, backend=keras.backend.backend(), device="CPU", on_colab=False)


@pytest.fixture(scope="module")
def mnist():
    return data.load_mnist(sample=True)


# Exercise 1: how many alarms are real? ----------------------------------------------------------

def _bayes_precision(detection_rate, false_alarm_rate, contamination):
    """Right, in another form: Bayes' rule written as one over one plus the odds of a false alarm."""
    odds = (1 - contamination) * np.float64(false_alarm_rate) / (contamination * detection_rate)
    return 1.0 / (1.0 + odds)


def test_alarm_precision_accepts_bayes_rule_in_another_form():
    run_check(NOTEBOOK, "alarm precision", sk_metrics=sk_metrics, alarm_precision=_bayes_precision,
              rare_anomaly_precision=np.float32(_bayes_precision(0.5, 0.01, 0.001)))


@pytest.mark.parametrize("mistake", [
    lambda detection, false_alarms, contamination: detection / (detection + false_alarms),
    lambda detection, false_alarms, contamination: contamination * detection / (contamination * detection + false_alarms),
    lambda detection, false_alarms, contamination: 1 - false_alarms,
], ids=["contamination ignored", "normal share not weighted by 1 - c", "one minus the false-alarm rate"])
def test_alarm_precision_rejects_the_usual_mistakes(mistake):
    with pytest.raises(checks.CheckFailed, match="alarm precision"):
        run_check(NOTEBOOK, "alarm precision", sk_metrics=sk_metrics, alarm_precision=mistake,
                  rare_anomaly_precision=_bayes_precision(0.5, 0.01, 0.001))


def test_rare_anomaly_precision_rejects_the_detection_rate_and_the_unweighted_ratio():
    for wrong in (0.5, 0.5 / 0.51):
        with pytest.raises(checks.CheckFailed, match="one input in a thousand"):
            run_check(NOTEBOOK, "alarm precision", sk_metrics=sk_metrics, alarm_precision=_bayes_precision,
                      rare_anomaly_precision=wrong)


# Exercise 2: what beta does ---------------------------------------------------------------------

def test_beta_choice_accepts_a_list_in_any_case_and_order():
    run_check(NOTEBOOK, "effects of a larger beta", beta_effects=["C", " b"])


@pytest.mark.parametrize("wrong", [{"a", "c"}, {"b"}, {"b", "c", "d"}, {"a", "d"}])
def test_beta_choice_rejects_wrong_sets(wrong):
    with pytest.raises(checks.CheckFailed):
        run_check(NOTEBOOK, "effects of a larger beta", beta_effects=wrong)


# Exercise 3 (experiment): a distance in code space ----------------------------------------------

def _pca_encoder(normal_images, code_size=30):
    """A linear encoder whose codes are PCA-30's, as a Keras model (cheap stand-in for a trained AE's)."""
    pca = PCA(n_components=code_size, random_state=0).fit(data.flatten_images(normal_images))
    encoder = keras.Sequential([keras.Input(shape=(28, 28)), keras.layers.Flatten(), keras.layers.Dense(code_size)])
    encoder.layers[-1].set_weights([pca.components_.T, -pca.mean_ @ pca.components_.T])
    return encoder


@pytest.fixture(scope="module")
def detectors(mnist):
    """Held-out detectors like the lesson's, for the digits the check reads, with PCA encoders."""
    x, y = mnist.x_train[:3_000], mnist.y_train[:3_000]
    result = {}
    for digit in (4, 7, 9):
        normal = x[y != digit]
        result[digit] = {"encoder": _pca_encoder(normal), "normal_train": normal}
    return result


def _codes(encoder, images):
    return np.asarray(encoder(images, training=False))


def _brute_force_nearest(encoder, normal_images, images):
    """Right: the distance to the single nearest normal code, by NumPy broadcasting."""
    normal, codes = _codes(encoder, normal_images), _codes(encoder, images)
    squared = (codes ** 2).sum(1)[:, None] - 2 * codes @ normal.T + (normal ** 2).sum(1)[None, :]
    return np.sqrt(np.maximum(squared.min(axis=1), 0.0)).tolist()       # a list is fine too


def _sklearn_five_nearest(encoder, normal_images, images):
    """Right: the mean distance to the five nearest normal codes."""
    neighbours = NearestNeighbors(n_neighbors=5).fit(_codes(encoder, normal_images))
    return neighbours.kneighbors(_codes(encoder, images))[0].mean(axis=1)


def _similarity(encoder, normal_images, images):
    """Mistake: a larger value for a *closer* code (the sign points the wrong way)."""
    return -_sklearn_five_nearest(encoder, normal_images, images)


def _fitted_on_the_scored_images(encoder, normal_images, images):
    """Mistake: neighbours among the images being scored, so every image finds itself (or its kin)."""
    codes = _codes(encoder, images)
    return NearestNeighbors(n_neighbors=5).fit(codes).kneighbors(codes)[0].mean(axis=1)


def _all_distances(encoder, normal_images, images):
    """Mistake: the (images, k) matrix of distances instead of one score per image."""
    neighbours = NearestNeighbors(n_neighbors=5).fit(_codes(encoder, normal_images))
    return neighbours.kneighbors(_codes(encoder, images))[0]


def _code_check(answer, mnist, detectors, fast=True):
    run_check(NOTEBOOK, "an anomaly score in code space", code_distance_scores=answer, heldout_detectors=detectors,
              mnist=mnist, sk_metrics=sk_metrics, cfg=_cfg(fast))


@pytest.mark.parametrize("answer", [_brute_force_nearest, _sklearn_five_nearest], ids=["numpy, k=1, list", "sklearn, k=5"])
def test_code_distance_accepts_nearest_neighbour_distances_in_other_forms(answer, mnist, detectors):
    _code_check(answer, mnist, detectors)


@pytest.mark.parametrize("mistake", [_similarity, _fitted_on_the_scored_images],
                         ids=["sign flipped", "neighbours among the scored images"])
def test_code_distance_rejects_the_usual_mistakes(mistake, mnist, detectors):
    with pytest.raises(checks.CheckFailed, match="mean"):
        _code_check(mistake, mnist, detectors)


def test_code_distance_answers_a_wrong_shape_and_a_stub_without_raising_anything_else(mnist, detectors):
    with pytest.raises(checks.CheckFailed, match="one score per test image"):
        _code_check(_all_distances, mnist, detectors)
    with pytest.raises(checks.CheckFailed, match="not solved yet"):
        _code_check(None, mnist, detectors)


def test_code_distance_full_mode_bound_rejects_the_flipped_sign(mnist, detectors):
    with pytest.raises(checks.CheckFailed):
        _code_check(_similarity, mnist, detectors, fast=False)


# Exercise 4 (experiment): a VAE with an 8-D code ------------------------------------------------

@pytest.fixture(scope="module")
def vae_names():
    return _lesson_names("build_dense_ae", "GaussianSample", "summed_binary_crossentropy", "build_vae", "elbo_terms")


class _SplitSample(keras.layers.Layer):
    """The reparameterisation trick written differently: mean and log-variance as two inputs."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seeds = keras.random.SeedGenerator(3)

    def call(self, inputs):
        mean, log_var = inputs
        return mean + keras.ops.sqrt(keras.ops.exp(log_var)) * keras.random.normal(keras.ops.shape(mean), seed=self.seeds)


def _functional_vae(latent_size=8):
    """Right, in another form: two Dense heads, a Concatenate for the statistics, a Conv-free decoder."""
    images = keras.Input(shape=(28, 28))
    hidden = keras.layers.Dense(256, activation="relu")(keras.layers.Flatten()(images))
    mean, log_var = keras.layers.Dense(latent_size)(hidden), keras.layers.Dense(latent_size)(hidden)
    code = _SplitSample()([mean, log_var])
    decoded = keras.layers.Dense(256, activation="relu")(code)
    decoded = keras.layers.Reshape((28, 28))(keras.layers.Dense(784, activation="sigmoid")(decoded))
    return keras.Model(images, {"image": decoded, "code_stats": keras.layers.Concatenate()([mean, log_var])})


def _kl(_, code_stats):
    mean, log_var = keras.ops.split(code_stats, 2, axis=-1)
    return -0.5 * keras.ops.sum(1.0 + log_var - keras.ops.square(mean) - keras.ops.exp(log_var), axis=-1)


def _summed_bce(y_true, y_pred):
    return 784.0 * keras.ops.mean(keras.losses.binary_crossentropy(y_true, y_pred), axis=-1)


def _train(model, images, losses, latent_size=8, epochs=8):
    """Train like the lesson does in fast mode (batches of 32, 8 epochs on the sample)."""
    settings = dict(optimizer="Adam", learning_rate=1e-3, loss=losses, batch_size=32, epochs=epochs)
    targets = {"image": images, "code_stats": np.zeros((len(images), 2 * latent_size), "float32")}
    training.compile_and_fit(model, images, targets, settings=settings, epochs=epochs)
    return model


def _vae_check(model, mnist, vae_names, fast=True):
    run_check(NOTEBOOK, "an 8-D VAE", vae8=model, mnist=mnist, cfg=_cfg(fast), elbo_terms=vae_names["elbo_terms"])


def test_vae8_accepts_a_functional_vae_written_another_way(mnist, vae_names):
    keras.utils.set_random_seed(0)
    model = _train(_functional_vae(), mnist.x_train, {"image": _summed_bce, "code_stats": _kl})
    _vae_check(model, mnist, vae_names)


def test_vae8_rejects_the_mean_over_pixels_reconstruction(mnist, vae_names):
    """Keras's 'binary_crossentropy' averages the pixels: the KL term then weighs 784 times too much."""
    keras.utils.set_random_seed(0)
    model = _train(_functional_vae(), mnist.x_train, {"image": "binary_crossentropy", "code_stats": _kl})
    with pytest.raises(checks.CheckFailed, match="test -ELBO"):
        _vae_check(model, mnist, vae_names)


def test_vae8_rejects_a_vae_trained_without_its_kl_term(mnist, vae_names):
    keras.utils.set_random_seed(0)
    no_kl = {"image": _summed_bce, "code_stats": lambda y_true, code_stats: 0.0 * keras.ops.sum(code_stats, axis=-1)}
    model = _train(_functional_vae(), mnist.x_train, no_kl)
    with pytest.raises(checks.CheckFailed, match="test -ELBO"):
        _vae_check(model, mnist, vae_names)


def test_vae8_rejects_a_2d_code_and_a_plain_autoencoder_with_a_message(mnist, vae_names):
    model, _, _ = vae_names["build_vae"](2, "two_d")
    with pytest.raises(checks.CheckFailed, match="8 means and 8 log-variances"):
        _vae_check(model, mnist, vae_names)
    plain = keras.Sequential([keras.Input(shape=(28, 28)), keras.layers.Flatten(), keras.layers.Dense(8),
                              keras.layers.Dense(784, activation="sigmoid"), keras.layers.Reshape((28, 28))])
    with pytest.raises(checks.CheckFailed, match="dict with the outputs"):
        _vae_check(plain, mnist, vae_names)


def test_vae8_full_mode_bound_rejects_an_untrained_vae(mnist, vae_names):
    model, _, _ = vae_names["build_vae"](8, "untrained")
    with pytest.raises(checks.CheckFailed, match="test -ELBO"):
        _vae_check(model, mnist, vae_names, fast=False)


def test_gaussian_sample_draws_with_the_given_mean_and_variance():
    names = _lesson_names("GaussianSample")
    stats = np.tile(np.array([[1.0, -2.0, np.log(4.0), np.log(0.25)]], "float32"), (20_000, 1))
    draws = np.asarray(names["GaussianSample"](seed=0)(stats))
    assert np.allclose(draws.mean(axis=0), [1.0, -2.0], atol=0.05)
    assert np.allclose(draws.std(axis=0), [2.0, 0.5], rtol=0.03)
