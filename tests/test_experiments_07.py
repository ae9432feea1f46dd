"""Experiment checks of week 07: they reject the usual wrong approach and accept right answers in other forms."""
import types

import numpy as np
import keras
import pytest
from sklearn import metrics as sk_metrics

from course_utils import checks, config, data, training
from test_exercises import lesson_cell, run_check, strict  # the notebook's own cells; checks raise

NOTEBOOK = "07_lstm_classifiers"


def _lesson_cell(defines: str) -> str:
    """The source of the one cell of the week's script that defines the function ``defines``."""
    return lesson_cell(NOTEBOOK, f"\ndef {defines}(")


def _count_layer_parameters(layer, n_steps, n_features):
    layer.build((None, n_steps, n_features))
    return layer.count_params()


def _memory_names(fast=True):
    """What the memory checks read from the lesson (section 9), taken from the script itself."""
    namespace = {"np": np, "keras": keras}
    for name in ("make_first_value_sequences", "reads_backwards"):
        exec(compile(_lesson_cell(name), f"{NOTEBOOK} lesson", "exec"), namespace)
    cfg = config.CourseConfig(fast=fast, seed=42, backend=keras.backend.backend(), device="CPU", on_colab=False)
    names = {name: namespace[name] for name in ("MEMORY_STEPS", "make_first_value_sequences", "first_value_mse",
                                                 "memory_model_layers", "reads_backwards")}
    return dict(names, cfg=cfg, count_layer_parameters=_count_layer_parameters)


MEMORY_SETTINGS = dict(optimizer="Adam", learning_rate=1e-2, clipnorm=1.0, loss="mse", batch_size=64, epochs=5)


def _train_on_memory_task(model, names):
    """Train like the lesson does (in both modes): 6 000 sequences, 5 epochs."""
    x, y = names["make_first_value_sequences"](6_000, seed=42)
    training.compile_and_fit(model, x, y, settings=MEMORY_SETTINGS, epochs=MEMORY_SETTINGS["epochs"])
    return model


def _sequential(recurrent_layer, head=None):
    return keras.Sequential([keras.Input(shape=(None, 2)), recurrent_layer, head or keras.layers.Dense(1)])


# Hand-wired models that remember the flagged first value exactly (no training needed) -----------

def _wired_gru():
    """GRU(1): the update gate is ~0 on the flagged step (take the candidate tanh(0.1 v)) and ~1 after (keep)."""
    model = _sequential(keras.layers.GRU(1))
    kernel, recurrent, bias = np.zeros((2, 3)), np.zeros((1, 3)), np.zeros((2, 3))
    kernel[1, 0], bias[0, 0] = -40.0, 20.0   # block order z, r, h̃
    kernel[0, 2] = 0.1
    model.layers[0].set_weights([kernel, recurrent, bias])
    model.layers[1].set_weights([np.array([[10.0]]), np.zeros(1)])
    return model


def _wired_lstm():
    """LSTM(1): the input gate opens on the flag only, the forget and output gates stay open."""
    model = _sequential(keras.layers.LSTM(1))
    kernel, recurrent, bias = np.zeros((2, 4)), np.zeros((1, 4)), np.zeros(4)
    kernel[1, 0], bias[0] = 40.0, -20.0      # block order i, f, g, o
    bias[1] = bias[3] = 20.0
    kernel[0, 2] = 0.1
    model.layers[0].set_weights([kernel, recurrent, bias])
    model.layers[1].set_weights([np.array([[10.0]]), np.zeros(1)])
    return model


def _backwards_reader():
    """A linear SimpleRNN(1) reading backwards ends on the first value: exact, but not a memory."""
    model = _sequential(keras.layers.SimpleRNN(1, activation="linear", go_backwards=True))
    model.layers[0].set_weights([np.array([[1.0], [0.0]]), np.zeros((1, 1)), np.zeros(1)])
    model.layers[1].set_weights([np.array([[1.0]]), np.zeros(1)])
    return model


def _last_step_model():
    """Predicts the last value: the mistake of reading the end of the sequence."""
    return _sequential(keras.layers.Lambda(lambda sequences: sequences[:, -1, :1]), head=keras.layers.Identity())


# Exercise 5: a memory of 50 steps ------------------------------------------------------------

def test_memory_accepts_a_hand_wired_gru_and_a_functional_lstm_started_by_an_initializer():
    names = _memory_names()
    run_check(NOTEBOOK, "a memory of 50 steps", long_memory_model=_wired_gru(), **names)
    run_check(NOTEBOOK, "a memory of 50 steps", long_memory_model=_wired_lstm(), **names)

    def forget_gate_open(shape, dtype=None):
        units = shape[0] // 4
        return keras.ops.concatenate([keras.ops.zeros(units), 5 * keras.ops.ones(units), keras.ops.zeros(2 * units)])

    keras.utils.set_random_seed(42)
    inputs = keras.Input(shape=(50, 2))
    state = keras.layers.LSTM(16, unit_forget_bias=False, bias_initializer=forget_gate_open)(inputs)
    model = _train_on_memory_task(keras.Model(inputs, keras.layers.Dense(1)(state)), names)
    run_check(NOTEBOOK, "a memory of 50 steps", long_memory_model=model, **names)


@pytest.mark.parametrize("mistake", ["SimpleRNN(16)", "LSTM(16) as Keras initialises it"])
def test_memory_rejects_a_trained_simple_rnn_and_a_default_lstm(mistake):
    names = _memory_names()
    keras.utils.set_random_seed(42)
    layer = keras.layers.SimpleRNN(16) if mistake.startswith("SimpleRNN") else keras.layers.LSTM(16)
    model = _train_on_memory_task(_sequential(layer), names)
    with pytest.raises(checks.CheckFailed, match="test MSE"):
        run_check(NOTEBOOK, "a memory of 50 steps", long_memory_model=model, **names)


def test_memory_rejects_reading_backwards_and_predicting_from_the_last_step():
    names = _memory_names()
    with pytest.raises(checks.CheckFailed, match="backwards"):
        run_check(NOTEBOOK, "a memory of 50 steps", long_memory_model=_backwards_reader(), **names)
    with pytest.raises(checks.CheckFailed, match="test MSE"):
        run_check(NOTEBOOK, "a memory of 50 steps", long_memory_model=_last_step_model(), **names)


def test_memory_answers_a_wrong_type_or_shape_with_a_cross_not_an_error():
    names = _memory_names()
    with pytest.raises(checks.CheckFailed, match="❌"):
        run_check(NOTEBOOK, "a memory of 50 steps", long_memory_model="LSTM(16)", **names)
    two_outputs = _sequential(keras.layers.GRU(4), head=keras.layers.Dense(2))
    with pytest.raises(checks.CheckFailed, match="❌.*one number per sequence"):
        run_check(NOTEBOOK, "a memory of 50 steps", long_memory_model=two_outputs, **names)


def test_memory_full_mode_bound_still_takes_the_hand_wired_gru_and_rejects_the_last_step():
    names = _memory_names(fast=False)
    run_check(NOTEBOOK, "a memory of 50 steps", long_memory_model=_wired_gru(), **names)
    with pytest.raises(checks.CheckFailed):
        run_check(NOTEBOOK, "a memory of 50 steps", long_memory_model=_last_step_model(), **names)


# Exercise 6: the same memory with a GRU ------------------------------------------------------

def test_gru_memory_accepts_a_hand_wired_gru_and_a_trained_one_with_the_bias_split_over_both_rows():
    names = _memory_names()
    run_check(NOTEBOOK, "a GRU's memory of 50 steps", gru_memory_model=_wired_gru(), **names)
    keras.utils.set_random_seed(42)
    model = _sequential(keras.layers.GRU(12))
    kernel, recurrent, bias = model.layers[0].get_weights()
    bias[:, :12] = 2.0                       # input and recurrent bias of z: 4 in all
    model.layers[0].set_weights([kernel, recurrent, bias])
    run_check(NOTEBOOK, "a GRU's memory of 50 steps", gru_memory_model=_train_on_memory_task(model, names), **names)


def test_gru_memory_rejects_a_default_gru():
    names = _memory_names()
    keras.utils.set_random_seed(42)
    model = _train_on_memory_task(_sequential(keras.layers.GRU(16)), names)
    with pytest.raises(checks.CheckFailed, match="test MSE"):
        run_check(NOTEBOOK, "a GRU's memory of 50 steps", gru_memory_model=model, **names)


def test_gru_memory_rejects_an_lstm_that_remembers_a_backwards_gru_and_a_wrong_type():
    names = _memory_names()
    with pytest.raises(checks.CheckFailed, match="needs a keras.layers.GRU"):
        run_check(NOTEBOOK, "a GRU's memory of 50 steps", gru_memory_model=_wired_lstm(), **names)
    with pytest.raises(checks.CheckFailed, match="needs a keras.layers.GRU"):
        run_check(NOTEBOOK, "a GRU's memory of 50 steps",
                  gru_memory_model=_sequential(keras.layers.GRU(4, go_backwards=True)), **names)
    with pytest.raises(checks.CheckFailed, match="❌"):
        run_check(NOTEBOOK, "a GRU's memory of 50 steps", gru_memory_model="GRU(16)", **names)


# Exercise 1, second part: the bidirectional count ---------------------------------------------

def test_bidirectional_count_accepts_a_float_and_rejects_a_head_on_one_direction():
    run_check(NOTEBOOK, "Bidirectional(LSTM(32)) + Dense(10)", bidirectional_count=np.float64(2 * 4 * 32 * 61 + 650))
    with pytest.raises(checks.CheckFailed):
        run_check(NOTEBOOK, "Bidirectional(LSTM(32)) + Dense(10)", bidirectional_count=2 * 4 * 32 * 61 + 330)


# Exercise 2: a GRU step in NumPy --------------------------------------------------------------

def _expit(values):
    return 0.5 * (1.0 + np.tanh(0.5 * values))


def _gru_step_by_slices(x_t, h_prev, kernel, recurrent_kernel, bias):
    units = h_prev.shape[-1]
    gates = [slice(0, units), slice(units, 2 * units), slice(2 * units, 3 * units)]
    x_part = [x_t.astype(np.float64) @ kernel[:, block] + bias[0, block] for block in gates]
    h_part = [h_prev.astype(np.float64) @ recurrent_kernel[:, block] + bias[1, block] for block in gates]
    keep = _expit(x_part[0] + h_part[0])
    candidate = np.tanh(x_part[2] + _expit(x_part[1] + h_part[1]) * h_part[2])
    return h_prev + (1.0 - keep) * (candidate - h_prev)


def _gru_step_reset_before(x_t, h_prev, kernel, recurrent_kernel, bias):
    """The textbook (reset_after=False) candidate: the reset gate scales h_prev before U_h."""
    units = h_prev.shape[-1]
    x_z, x_r, x_h = np.split(x_t @ kernel + bias[0], 3, axis=-1)
    h_z, h_r, _ = np.split(h_prev @ recurrent_kernel + bias[1], 3, axis=-1)
    update, reset = _expit(x_z + h_z), _expit(x_r + h_r)
    candidate = np.tanh(x_h + (reset * h_prev) @ recurrent_kernel[:, 2 * units:] + bias[1, 2 * units:])
    return update * h_prev + (1.0 - update) * candidate


def _swapped(x_t, h_prev, kernel, recurrent_kernel, bias):
    """z read as 'how much new': h = (1 - z) h_prev + z h̃."""
    x_z, x_r, x_h = np.split(x_t @ kernel + bias[0], 3, axis=-1)
    h_z, h_r, h_h = np.split(h_prev @ recurrent_kernel + bias[1], 3, axis=-1)
    update = _expit(x_z + h_z)
    candidate = np.tanh(x_h + _expit(x_r + h_r) * h_h)
    return (1.0 - update) * h_prev + update * candidate


def test_gru_step_accepts_slices_and_another_form_of_the_update():
    run_check(NOTEBOOK, "GRU step", gru_step=_gru_step_by_slices)


@pytest.mark.parametrize("mistake", [_gru_step_reset_before, _swapped], ids=["reset before U_h", "z roles swapped"])
def test_gru_step_rejects_the_usual_mistakes(mistake):
    with pytest.raises(checks.CheckFailed, match="GRU step"):
        run_check(NOTEBOOK, "GRU step", gru_step=mistake)


# Exercise 4: per-digit recall -----------------------------------------------------------------

def _labels_and_predictions():
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 10, size=2_000)
    error_rate = np.where(labels == 8, 0.3, 0.05)       # eights are the hardest
    wrong = rng.random(2_000) < error_rate
    predicted = np.where(wrong, (labels + rng.integers(1, 10, size=2_000)) % 10, labels)
    predicted[labels == 3] = np.where(rng.random(np.sum(labels == 3)) < 0.1, 5, 3)  # precision and recall differ
    return types.SimpleNamespace(y_test=labels), predicted


def test_recall_accepts_a_list_and_a_numpy_integer():
    mnist, predicted = _labels_and_predictions()
    confusion = sk_metrics.confusion_matrix(mnist.y_test, predicted, labels=range(10))
    recall = [confusion[digit, digit] / sum(confusion[digit]) for digit in range(10)]
    run_check(NOTEBOOK, "recall per digit", mnist=mnist, lstm_predicted=predicted, sk_metrics=sk_metrics,
              recall=recall, hardest_digit=np.int64(np.argmin(recall)))


@pytest.mark.parametrize("mistake", ["precision: columns, not rows", "the easiest digit"])
def test_recall_rejects_the_usual_mistakes(mistake):
    mnist, predicted = _labels_and_predictions()
    confusion = sk_metrics.confusion_matrix(mnist.y_test, predicted, labels=range(10))
    recall = np.diag(confusion) / confusion.sum(axis=1)
    if mistake.startswith("precision"):
        answers = dict(recall=np.diag(confusion) / confusion.sum(axis=0), hardest_digit=int(np.argmin(recall)))
    else:
        answers = dict(recall=recall, hardest_digit=int(np.argmax(recall)))
    with pytest.raises(checks.CheckFailed):
        run_check(NOTEBOOK, "recall per digit", mnist=mnist, lstm_predicted=predicted, sk_metrics=sk_metrics, **answers)
