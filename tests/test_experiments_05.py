"""Week 05: the experiment checks reject the usual wrong approach and accept right answers in other forms;
the lesson's size rule for transposed convolutions and its gradient-path measurement are right."""
import json
from pathlib import Path

import numpy as np
import keras
import pytest
from sklearn.decomposition import PCA

import course_utils
from course_utils import checks, config, data, metrics
from test_exercises import lesson_cell, run_check, strict  # the notebook's own cells; checks raise

NOTEBOOK = "05_conv_recurrent_autoencoders"
ROOT = Path(__file__).resolve().parent.parent
layers = keras.layers


def _cfg(fast=True):
    return config.CourseConfig(fast=fast, seed=42, backend=keras.backend.backend(), device="CPU", on_colab=False)


def _helpers():
    """The judges' helper cells of the notebook (they precede the check cells), run in one namespace."""
    namespace = {"np": np, "keras": keras, "layers": layers, "metrics": metrics, "json": json, "Path": Path,
                 "course_utils": course_utils}
    for definition in ("def benchmark_test_mse(", "def eager_outputs_in_batches(", "def measured_shift_mse("):
        exec(compile(lesson_cell(NOTEBOOK, definition), f"{NOTEBOOK} helpers", "exec"), namespace)
    return namespace


@pytest.fixture(scope="module")
def fashion():
    """The fast-mode images the notebook uses: 3 000 training images and the 1 000 sample test images."""
    sample = data.load_fashion_mnist(sample=True)
    return sample.x_train[:3_000], sample.x_test


def _pca(train, k):
    return PCA(n_components=k, random_state=0).fit(data.flatten_images(train))


def _pca_weights(pca):
    """Encoder and decoder weights that make Dense layers compute PCA's code and reconstruction."""
    components, mean = pca.components_.astype("float32"), pca.mean_.astype("float32")
    return components, mean, -mean @ components.T


def _dense_pca_ae(train, k):
    """A dense (no convolution) autoencoder whose weights are PCA-k's, wrapped as Sequential([encoder, decoder])."""
    components, mean, code_bias = _pca_weights(_pca(train, k))
    encoder = keras.Sequential([keras.Input(shape=(28, 28)), layers.Flatten(), layers.Dense(k)], name="pca_encoder")
    decoder = keras.Sequential([keras.Input(shape=(k,)), layers.Dense(784), layers.Reshape((28, 28))], name="pca_decoder")
    encoder.layers[-1].set_weights([components.T, code_bias])
    decoder.layers[0].set_weights([components, mean])
    return keras.Sequential([encoder, decoder])


def _conv_pca_ae(train, k):
    """PCA-k written as a 28×28 convolution (code 1×1×k): convolutional, and as good as PCA-k."""
    components, mean, code_bias = _pca_weights(_pca(train, k))
    encoder = keras.Sequential([keras.Input(shape=(28, 28)), layers.Reshape((28, 28, 1)), layers.Conv2D(k, 28)])
    decoder = keras.Sequential([keras.Input(shape=(1, 1, k)), layers.Flatten(), layers.Dense(784), layers.Reshape((28, 28))])
    encoder.layers[-1].set_weights([components.T.reshape(28, 28, 1, k), code_bias])
    decoder.layers[1].set_weights([components, mean])
    return keras.Sequential([encoder, decoder])


def _small_code(fashion, model):
    x_train, x_test = fashion
    run_check(NOTEBOOK, "a conv AE with a code of at most 32 numbers", small_code_conv_ae=model, cfg=_cfg(),
              x_fashion_train=x_train, x_fashion_test=x_test, **_helpers())


# Exercise 5: a conv AE with a code of at most 32 numbers ------------------------------------------

def test_small_code_accepts_a_functional_model_with_pooling_up_sampling_and_a_4d_input(fashion):
    x_train = fashion[0][..., None]
    keras.utils.set_random_seed(0)
    image = keras.Input(shape=(28, 28, 1))
    x = layers.MaxPooling2D(2)(layers.Conv2D(16, 3, padding="same", activation="elu")(image))
    x = layers.MaxPooling2D(2)(layers.Conv2D(32, 3, padding="same", activation="elu")(x))
    encoder = keras.Model(image, layers.Dense(24)(layers.Flatten()(x)), name="encoder")
    code = keras.Input(shape=(24,))
    y = layers.Reshape((7, 7, 16))(layers.Dense(7 * 7 * 16, activation="elu")(code))
    y = layers.Conv2D(16, 3, padding="same", activation="elu")(layers.UpSampling2D(2)(y))
    decoder = keras.Model(code, layers.Conv2D(1, 3, padding="same", activation="sigmoid")(layers.UpSampling2D(2)(y)))
    images = keras.Input(shape=(28, 28, 1))
    model = keras.Model(images, decoder(encoder(images)))  # functional: its layers are an InputLayer, encoder, decoder
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="binary_crossentropy")
    model.fit(x_train, x_train, epochs=3, batch_size=32, verbose=0)
    _small_code(fashion, model)


@pytest.mark.parametrize("mistake", ["a code of 40 numbers", "no convolution", "barely trained"])
def test_small_code_rejects_the_usual_mistakes(fashion, mistake):
    if mistake == "a code of 40 numbers":  # reconstructs better than PCA-32, but through 40 numbers
        model = _conv_pca_ae(fashion[0], 40)
    elif mistake == "no convolution":  # week 4's kind of model: as good as PCA-32, without a convolution
        model = _dense_pca_ae(fashion[0], 32)
    else:
        keras.utils.set_random_seed(0)
        encoder = keras.Sequential([keras.Input(shape=(28, 28)), layers.Reshape((28, 28, 1)),
                                    layers.Conv2D(16, 3, strides=2, padding="same", activation="elu"),
                                    layers.Flatten(), layers.Dense(32)])
        decoder = keras.Sequential([keras.Input(shape=(32,)), layers.Dense(14 * 14 * 16, activation="elu"),
                                    layers.Reshape((14, 14, 16)),
                                    layers.Conv2DTranspose(1, 3, strides=2, padding="same", activation="sigmoid"),
                                    layers.Reshape((28, 28))])
        model = keras.Sequential([encoder, decoder])
        model.compile(optimizer="adam", loss="binary_crossentropy")
        model.fit(fashion[0][:1000], fashion[0][:1000], epochs=1, batch_size=128, verbose=0)
    with pytest.raises(checks.CheckFailed):
        _small_code(fashion, model)


@pytest.mark.parametrize("answer", ["small_code_conv_ae", "one model"])
def test_small_code_answers_a_wrong_type_with_a_cross_not_an_error(fashion, answer):
    if answer == "one model":  # not built from an encoder and a decoder: the check cannot find the code
        answer = keras.Sequential([keras.Input(shape=(28, 28)), layers.Reshape((28, 28, 1)),
                                   layers.Conv2D(1, 3, padding="same"), layers.Reshape((28, 28))])
    with pytest.raises(checks.CheckFailed, match="❌"):
        _small_code(fashion, answer)


def test_small_code_reads_week4s_recorded_target():
    recorded = _helpers()["benchmark_test_mse"]("stacked_ae_fashion")
    results = json.loads((ROOT / "benchmarks" / "results.json").read_text())
    stacked = [model["course"]["test_mse"] for model in results["models"] if model["model"] == "stacked_ae_fashion"]
    assert recorded == stacked[0] and 0.005 < recorded < 0.0156


# Exercise 6: MSE on shifted test images --------------------------------------------------------

def _shift_models(x_train):
    """Stand-ins for the notebook's models: a 5×5 box blur (a convolution: a shift barely changes its error)
    and PCA-60 as a dense model (fixed images: its error doubles), whose error at s = 3 is the smaller one."""
    blur = keras.Sequential([keras.Input(shape=(28, 28)), layers.Reshape((28, 28, 1)),
                             layers.Conv2D(1, 5, padding="same", use_bias=False), layers.Reshape((28, 28))])
    blur.layers[1].set_weights([np.full((5, 5, 1, 1), 1 / 25, dtype="float32")])
    return {"conv_ae": blur, "recurrent_ae": _dense_pca_ae(x_train, 60)}


def _mse_table(models, images, shift, against_shifted=True):
    return {name: [metrics.reconstruction_mse(shift(images, s) if against_shifted else images,
                                              keras.ops.convert_to_numpy(model(shift(images, s)))) for s in range(4)]
            for name, model in models.items()}


def _shift_check(fashion, **answers):
    """Run the cell with both checks: the right table and conclusion unless ``answers`` replaces one."""
    x_train, x_test = fashion
    models = _shift_models(x_train)
    answers = {"mse_by_shift": _mse_table(models, x_test[:1000], _by_concatenation), "shift_robust_model": "conv_ae", **answers}
    run_check(NOTEBOOK, "MSE of both models on shifted test images", x_fashion_test=x_test, **models, **_helpers(), **answers)


def _by_concatenation(images, s):
    return np.concatenate([np.zeros_like(images[:, :, :s]), images[:, :, :28 - s]], axis=2)


def test_shift_table_accepts_another_shift_and_arrays_in_reversed_order(fashion):
    table = _mse_table(_shift_models(fashion[0]), fashion[1][:1000], _by_concatenation)
    answer = {"recurrent_ae": np.float32(table["recurrent_ae"]), "conv_ae": tuple(table["conv_ae"])}
    _shift_check(fashion, mse_by_shift=answer)


@pytest.mark.parametrize("mistake", ["against the unshifted images", "shifted down", "np.roll"])
def test_shift_table_rejects_the_usual_mistakes(fashion, mistake):
    models, images = _shift_models(fashion[0]), fashion[1][:1000]
    if mistake == "against the unshifted images":
        table = _mse_table(models, images, _by_concatenation, against_shifted=False)
    elif mistake == "shifted down":
        table = _mse_table(models, images, lambda x, s: np.transpose(_by_concatenation(np.transpose(x, (0, 2, 1)), s), (0, 2, 1)))
    else:
        table = _mse_table(models, images, lambda x, s: np.roll(x, s, axis=2))
    with pytest.raises(checks.CheckFailed):
        _shift_check(fashion, mse_by_shift=table)


def test_shift_table_answers_a_wrong_type_with_a_cross_not_an_error(fashion):
    with pytest.raises(checks.CheckFailed, match="❌"):
        _shift_check(fashion, mse_by_shift={"conv_ae": "small", "recurrent_ae": 1})


def test_shift_conclusion_follows_the_growth_not_the_error(fashion):
    # the blur's error is the larger one at s = 3, but it grows by the smaller factor
    _shift_check(fashion, shift_robust_model="conv_ae")
    with pytest.raises(checks.CheckFailed):
        _shift_check(fashion, shift_robust_model="recurrent_ae")


def test_shift_conclusion_answers_a_wrong_type_with_a_cross_not_an_error(fashion):
    with pytest.raises(checks.CheckFailed, match="❌"):
        _shift_check(fashion, shift_robust_model=["conv_ae"])


# Exercise 4 (existing): LSTM parameters and their share of the recurrent AE -------------------

def _recurrent_ae():
    encoder = keras.Sequential([keras.Input(shape=(28, 28)), layers.LSTM(100, return_sequences=True), layers.LSTM(30)])
    decoder = keras.Sequential([keras.Input(shape=(30,)), layers.RepeatVector(28), layers.LSTM(100, return_sequences=True),
                                layers.Dense(28, activation="sigmoid")])
    return keras.Sequential([encoder, decoder])


def _lstm_check(**answers):
    run_check(NOTEBOOK, "lstm_param_count", recurrent_ae=_recurrent_ae(), **answers)


def test_lstm_count_and_share_accept_other_forms():
    _lstm_check(lstm_param_count=lambda n, u: np.int64(4 * (u * n + u * u + u)), lstm_share=np.float32(1 - 28 * 101 / 122_548))


@pytest.mark.parametrize("mistake", ["no biases", "a percentage"])
def test_lstm_count_and_share_reject_the_usual_mistakes(mistake):
    right = lambda n, u: 4 * u * (n + u + 1)  # noqa: E731
    share = 1 - 28 * 101 / 122_548
    answers = {"no biases": dict(lstm_param_count=lambda n, u: 4 * u * (n + u), lstm_share=share),
               "a percentage": dict(lstm_param_count=right, lstm_share=100 * share)}[mistake]
    with pytest.raises(checks.CheckFailed):
        _lstm_check(**answers)


# The lesson: out = (n - 1)s + max(k, s) for a "valid" transposed convolution ----------------------

def _cell_namespace(definition, **namespace):
    """Run the one cell of the notebook that holds ``definition`` and return its namespace."""
    namespace = {"np": np, "keras": keras, "layers": layers, "plt": None, **namespace}
    exec(compile(lesson_cell(NOTEBOOK, definition), f"{NOTEBOOK} cell", "exec"), namespace)
    return namespace


@pytest.mark.parametrize("side, kernel_size, stride", [(3, 3, 2), (3, 1, 2), (4, 2, 3), (5, 1, 3), (2, 3, 1), (1, 1, 4), (6, 4, 4)])
def test_transposed_size_rule_is_what_keras_computes(side, kernel_size, stride):
    layer = layers.Conv2DTranspose(1, kernel_size, strides=stride, padding="valid")
    keras_side = layer(np.ones((1, side, side, 1), dtype="float32")).shape[1]
    assert keras_side == layer.compute_output_shape((None, side, side, 1))[1]
    assert keras_side == (side - 1) * stride + max(kernel_size, stride)
    solution = _cell_namespace("def transposed_side(")["transposed_side"]
    assert solution(side, kernel_size, stride, "valid") == keras_side
    assert solution(side, kernel_size, stride, "same") == side * stride
    if kernel_size < stride:  # the formula without max() is one block short
        assert (side - 1) * stride + kernel_size < keras_side


def test_the_lesson_states_the_rule_with_max():
    script = (ROOT / "notebooks" / f"{NOTEBOOK}.py").read_text()
    assert "(n-1)\\cdot s + \\max(k, s)" in script and "(side - 1) * stride + max(kernel_size, stride)" in script


# The lesson: gradient paths of the recurrent AE, measured by central differences ----------------

def test_finite_difference_jacobian_recovers_a_linear_layers_weights():
    jacobian_of = _cell_namespace("def finite_difference_jacobian(")["finite_difference_jacobian"]
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input(shape=(2, 3)), layers.Flatten(), layers.Dense(4)])
    inputs = np.random.default_rng(0).normal(size=(5, 2, 3)).astype("float32")
    jacobian = jacobian_of(model, inputs)
    assert jacobian.shape == (5, 6, 4)
    np.testing.assert_allclose(jacobian, np.broadcast_to(model.layers[-1].get_weights()[0], (5, 6, 4)), atol=1e-3)


def test_row_gradient_norms_find_the_rows_each_part_depends_on():
    """An encoder that reads only the last row and a decoder that writes only the first row."""
    norms_of = _cell_namespace("def finite_difference_jacobian(")["row_gradient_norms"]
    encoder = keras.Sequential([keras.Input(shape=(4, 4)), layers.Flatten(), layers.Dense(2, use_bias=False)])
    decoder = keras.Sequential([keras.Input(shape=(2,)), layers.Dense(16, use_bias=False), layers.Reshape((4, 4))])
    encoder_kernel = np.zeros((16, 2), dtype="float32")
    encoder_kernel[12:] = 1.0                          # pixels 12..15: the last row; each code value sees 4 of them
    decoder_kernel = np.zeros((2, 16), dtype="float32")
    decoder_kernel[:, :4] = 2.0                        # writes the first output row only
    encoder.layers[-1].set_weights([encoder_kernel])
    decoder.layers[0].set_weights([decoder_kernel])
    images = np.random.default_rng(1).uniform(size=(3, 4, 4)).astype("float32")
    encoder_rows, decoder_rows = norms_of(keras.Sequential([encoder, decoder]), images)
    np.testing.assert_allclose(encoder_rows, [0, 0, 0, np.sqrt(8)], atol=1e-3)   # 8 entries of 1
    np.testing.assert_allclose(decoder_rows, [np.sqrt(8 * 4), 0, 0, 0], atol=1e-3)  # 8 entries of 2
