"""Experiment checks of week 04: they reject the usual wrong approach and accept right answers in other forms."""

import numpy as np
import keras
import pytest
from sklearn.decomposition import PCA
from course_utils import checks, config, data, metrics
from test_exercises import lesson_cell, run_check, strict  # the notebook's own cells; checks raise

NOTEBOOK = "04_deep_autoencoders"
CFG = config.CourseConfig(fast=True, seed=42, backend=keras.backend.backend(), device="CPU", on_colab=False)


def _notebook_definitions(*names):
    """Run the notebook cells that define ``names`` (helpers the check cells call) and return them."""
    namespace = {"np": np, "keras": keras}
    for name in names:
        exec(compile(lesson_cell(NOTEBOOK, f"\ndef {name}("), f"{NOTEBOOK} {name}", "exec"), namespace)
    return {name: namespace[name] for name in names}


@pytest.fixture(scope="module")
def fashion():
    """The fast-mode Fashion-MNIST rows the notebook's checks use there."""
    images = data.load_fashion_mnist(sample=True)
    return data.flatten_images(images.x_train), data.flatten_images(images.x_test)


@pytest.fixture(scope="module")
def mnist_test():
    return data.flatten_images(data.load_mnist(sample=True).x_test[:500])


def _pca_model(train, k):
    """PCA-k fitted on ``train`` as a linear Keras autoencoder: the best any linear network can do."""
    pca = PCA(n_components=k).fit(train)
    inputs = keras.Input(shape=(784,))
    encoder, decoder = keras.layers.Dense(k), keras.layers.Dense(784)
    model = keras.Model(inputs, decoder(encoder(inputs)))
    encoder.set_weights([pca.components_.T, -pca.mean_ @ pca.components_.T])
    decoder.set_weights([pca.components_, pca.mean_])
    return model


# Exercise 2: the decoder as its own model ----------------------------------------------------

@pytest.fixture(scope="module")
def functional_parts(mnist_test):
    keras.utils.set_random_seed(0)
    images_in = keras.Input(shape=(784,))
    hidden = keras.layers.Dense(100, activation="relu")(images_in)
    code = keras.layers.Dense(20, activation="relu")(hidden)
    images_out = keras.layers.Dense(784, activation="sigmoid")(keras.layers.Dense(100, activation="relu")(code))
    autoencoder = keras.Model(images_in, images_out)
    codes = keras.Model(images_in, code).predict(mnist_test[:100], verbose=0)
    return autoencoder, codes


def _week4_exercise2(decoder, functional_parts, mnist_test):
    autoencoder, codes = functional_parts
    run_check(NOTEBOOK, "decoder(encoder(x)) equals the autoencoder's output", decoder_20=decoder,
              functional_ae=autoencoder, codes_20=codes, m_test=mnist_test)


def test_week4_decoder_accepts_a_sequential_model_of_the_shared_layers(functional_parts, mnist_test):
    autoencoder, _ = functional_parts
    decoder = keras.Sequential([keras.Input(shape=(20,)), autoencoder.layers[-2], autoencoder.layers[-1]])
    _week4_exercise2(decoder, functional_parts, mnist_test)


def test_week4_decoder_rejects_new_layers_of_the_same_shape(functional_parts, mnist_test):
    decoder = keras.Sequential([keras.Input(shape=(20,)), keras.layers.Dense(100, activation="relu"),
                                keras.layers.Dense(784, activation="sigmoid")])
    with pytest.raises(checks.CheckFailed, match="decoder"):
        _week4_exercise2(decoder, functional_parts, mnist_test)


# Exercise 3: rounded accuracy in NumPy -------------------------------------------------------

def _week4_exercise3(function, fashion, mnist_test):
    rng = np.random.default_rng(0)
    f_test, m_test = fashion[1][:500], mnist_test[:500]
    blurred = [np.clip(x + rng.normal(scale=0.3, size=x.shape), 0, 1).astype("float32") for x in (f_test, m_test)]
    blurred[0][:, :10] = 0.5  # exactly one half: both Keras and NumPy round it down
    run_check(NOTEBOOK, "rounded_accuracy_numpy", rounded_accuracy_numpy=function,
              rounded_accuracy=_notebook_definitions("rounded_accuracy")["rounded_accuracy"],
              f_test=f_test, f_test_rec=blurred[0], m_test=m_test, m_test_rec2=blurred[1])


def test_week4_rounded_accuracy_accepts_thresholds_at_one_half(fashion, mnist_test):
    _week4_exercise3(lambda x, y: np.mean((np.asarray(x) > 0.5) == (np.asarray(y) > 0.5)), fashion, mnist_test)


def test_week4_rounded_accuracy_rejects_one_accuracy_per_image(fashion, mnist_test):
    def per_image(originals, reconstructions):
        return np.mean(np.round(originals) == np.round(reconstructions), axis=1)

    with pytest.raises(checks.CheckFailed, match="rounded_accuracy_numpy"):
        _week4_exercise3(per_image, fashion, mnist_test)


# Exercise 5: the code-size sweep -------------------------------------------------------------

def _week4_check(check_name, fashion, **answer):
    helpers = _notebook_definitions("narrowest_dense_width", "pca_test_mse_by_size")
    run_check(NOTEBOOK, check_name, cfg=CFG, f_train=fashion[0], f_test=fashion[1], metrics=metrics, **helpers, **answer)


@pytest.fixture(scope="module")
def nested_sweep_models(fashion):
    """Another form of the sweep: encoder and decoder as separate models, SELU hidden layers, trained on cross-entropy."""
    train = fashion[0]
    models = {}
    for k in (2, 8, 16):
        keras.utils.set_random_seed(1)
        encoder = keras.Sequential([keras.Input(shape=(784,)), keras.layers.Dense(100, activation="selu"), keras.layers.Dense(k)])
        decoder = keras.Sequential([keras.Input(shape=(k,)), keras.layers.Dense(100, activation="selu"),
                                    keras.layers.Dense(784, activation="sigmoid")])
        models[k] = keras.Sequential([keras.Input(shape=(784,)), encoder, decoder])
        models[k].compile(optimizer=keras.optimizers.Adam(3e-3), loss="binary_crossentropy")
        models[k].fit(train, train, epochs=10, batch_size=128, verbose=0)
    return models


def test_week4_sweep_accepts_nested_encoders_and_decoders(fashion, nested_sweep_models):
    _week4_check("code-size sweep against PCA", fashion, sweep_models=nested_sweep_models)


def test_week4_sweep_rejects_linear_networks_even_at_pca_s_own_weights(fashion):
    linear = {k: _pca_model(fashion[0], k) for k in (2, 8, 16)}
    with pytest.raises(checks.CheckFailed, match=r"1\.00 × PCA-2's"):
        _week4_check("code-size sweep against PCA", fashion, sweep_models=linear)


def test_week4_sweep_rejects_one_model_under_every_key(fashion, nested_sweep_models):
    same = {k: nested_sweep_models[16] for k in (2, 8, 16)}
    with pytest.raises(checks.CheckFailed, match="k = 2: narrowest layer 16"):
        _week4_check("code-size sweep against PCA", fashion, sweep_models=same)


def test_week4_sweep_answers_a_wrong_type_with_a_cross(fashion):
    with pytest.raises(checks.CheckFailed, match="❌"):
        _week4_check("code-size sweep against PCA", fashion, sweep_models="2, 8, 16")


# Exercise 6: a small network that beats PCA-30 -----------------------------------------------

@pytest.fixture(scope="module")
def small_functional_ae(fashion):
    """Another form of a small winner: functional API, a 30-unit linear code, sigmoid output, trained on the squared error."""
    train = fashion[0]
    keras.utils.set_random_seed(3)
    images = keras.Input(shape=(784,))
    model = keras.Model(images, keras.layers.Dense(784, activation="sigmoid")(keras.layers.Dense(30)(images)))
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="mse")
    model.fit(train, train, epochs=10, batch_size=64, verbose=0)
    return model


def test_week4_small_ae_accepts_a_functional_model(fashion, small_functional_ae):
    _week4_check("a small network that beats PCA-30", fashion, small_ae=small_functional_ae)


def test_week4_small_ae_rejects_a_linear_network_even_at_pca_s_own_weights(fashion):
    with pytest.raises(checks.CheckFailed, match=r"1\.00 × PCA-30's"):
        _week4_check("a small network that beats PCA-30", fashion, small_ae=_pca_model(fashion[0], 30))


def test_week4_small_ae_rejects_a_wider_code(fashion):
    with pytest.raises(checks.CheckFailed, match="narrowest layer 36 units"):  # PCA-36 beats PCA-30 with 57 268 parameters
        _week4_check("a small network that beats PCA-30", fashion, small_ae=_pca_model(fashion[0], 36))


def test_week4_small_ae_rejects_too_many_parameters(fashion, small_functional_ae):
    identity = keras.layers.Dense(784)  # passes the good reconstructions on unchanged, with 615 440 parameters more
    padded = keras.Sequential([keras.Input(shape=(784,)), small_functional_ae, identity])
    identity.set_weights([np.eye(784, dtype="float32"), np.zeros(784, dtype="float32")])
    with pytest.raises(checks.CheckFailed, match="663294 parameters"):
        _week4_check("a small network that beats PCA-30", fashion, small_ae=padded)


def test_week4_small_ae_answers_a_wrong_type_with_a_cross(fashion):
    with pytest.raises(checks.CheckFailed, match="❌"):
        _week4_check("a small network that beats PCA-30", fashion, small_ae="784-30-784")
