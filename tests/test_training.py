import json

import keras
import numpy as np
import pytest

from course_utils import training


def test_epoch_timer_times_every_epoch():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(2)])
    model.compile(optimizer="sgd", loss="mse")
    timer = training.EpochTimer()
    assert np.isnan(timer.seconds_per_epoch)
    model.fit(np.ones((16, 4)), np.ones((16, 2)), epochs=3, verbose=0, callbacks=[timer])
    assert len(timer.epoch_seconds) == 3 and all(s > 0 for s in timer.epoch_seconds)
    assert timer.total_seconds == pytest.approx(sum(timer.epoch_seconds))
    assert min(timer.epoch_seconds) <= timer.seconds_per_epoch <= max(timer.epoch_seconds)


def test_record_result_memory_and_file(tmp_path, monkeypatch):
    target = tmp_path / "results.jsonl"
    monkeypatch.setenv(training.RESULTS_ENV, str(target))
    assert training.record_result("99_test", "tiny", params=np.int64(12), test_mse=np.float32(0.5)) is None
    record = {"notebook": "99_test", "model": "tiny", "settings": "course", "params": 12, "test_mse": 0.5}
    assert json.loads(target.read_text().strip()) == record
    assert record in training.recorded_results("99_test")
    assert training.recorded_results("no-such-notebook") == []


def test_record_result_rejects_bad_input(monkeypatch):
    monkeypatch.delenv(training.RESULTS_ENV, raising=False)
    with pytest.raises(ValueError, match="notebook name"):
        training.record_result("", "m")
    with pytest.raises(TypeError):
        training.record_result("99_test", "m", weights=np.zeros(3))


def test_cosine_decay_spans_every_step_of_the_run():
    schedule = training.cosine_decay(0.01, epochs=3, n_samples=1000, batch_size=128, final_fraction=0.1)
    steps = 3 * 8  # ceil(1000 / 128) = 8 steps per epoch
    assert schedule.decay_steps == steps
    assert float(schedule(0)) == pytest.approx(0.01)
    assert float(schedule(steps // 2)) == pytest.approx(0.01 * (0.1 + 0.9 * 0.5), rel=1e-5)
    assert float(schedule(steps)) == pytest.approx(0.001)
    rates = [float(schedule(step)) for step in range(steps + 1)]
    assert all(later <= earlier for earlier, later in zip(rates, rates[1:]))


@pytest.mark.parametrize("arguments, message", [
    (dict(epochs=0, n_samples=10, batch_size=2), "epochs as a positive integer"),
    (dict(epochs=2, n_samples=10.5, batch_size=2), "n_samples as a positive integer"),
    (dict(epochs=2, n_samples=10, batch_size=True), "batch_size as a positive integer"),
    (dict(epochs=2, n_samples=10, batch_size=2, final_fraction=1.0), "final_fraction"),
])
def test_cosine_decay_rejects_bad_input(arguments, message):
    with pytest.raises(ValueError, match=message):
        training.cosine_decay(0.01, **arguments)


def test_cosine_decay_rejects_a_learning_rate_that_is_not_positive():
    with pytest.raises(ValueError, match="positive learning_rate"):
        training.cosine_decay(0.0, epochs=1, n_samples=1, batch_size=1)


SETTINGS = dict(optimizer="Adam", learning_rate=3e-3, loss="mse", batch_size=8, epochs=3)


def tiny_model():
    keras.utils.set_random_seed(0)
    return keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(4)], name="tiny")


def test_compile_and_fit_trains_with_the_settings_and_records_the_run(monkeypatch):
    monkeypatch.delenv(training.RESULTS_ENV, raising=False)
    x = np.random.default_rng(0).normal(size=(32, 4)).astype("float32")
    settings = dict(SETTINGS, schedule="cosine", clipnorm=1.0, hidden_activation="relu")  # a model knob is passed over
    run = training.compile_and_fit(tiny_model(), x, x, settings=settings, epochs=2, validation_data=(x, x))
    assert run.epochs == 2 and run.batch_size == 8 and len(run.history["val_loss"]) == 2
    assert run.history["loss"][-1] < run.history["loss"][0]
    optimizer = run.model.optimizer
    assert isinstance(optimizer, keras.optimizers.Adam) and optimizer.clipnorm == 1.0
    assert str(run).startswith("tiny: 2 epochs in ") and "final validation loss" in str(run)
    training.record_result("99_run", "tiny", run, test_mse=0.1)
    (record,) = training.recorded_results("99_run")
    assert record["params"] == 20 and record["epochs"] == 2 and record["batch_size"] == 8 and record["test_mse"] == 0.1
    assert record["optimizer"] == "Adam 3e-3 cosine, clipnorm 1" and record["loss"] == "mse"
    smaller = training.compile_and_fit(tiny_model(), x, x, settings=SETTINGS, epochs=1, batch_size=4)
    assert smaller.batch_size == 4


def test_cosine_settings_decay_over_the_whole_run():
    optimizer = training.make_optimizer(dict(SETTINGS, schedule="cosine", final_fraction=0.01),
                                        epochs=3, n_samples=100, batch_size=10)
    schedule = optimizer.learning_rate if callable(optimizer.learning_rate) else optimizer._learning_rate
    assert schedule.decay_steps == 30 and schedule.alpha == pytest.approx(0.01)


@pytest.mark.parametrize("settings, expected", [
    (dict(SETTINGS), "Adam 3e-3"),
    (dict(SETTINGS, optimizer="SGD", learning_rate=1.5), "SGD 1.5"),
    (dict(SETTINGS, optimizer="SGD", learning_rate=0.3, momentum=0.9), "SGD 0.3, momentum 0.9"),
    (dict(SETTINGS, optimizer="RMSprop", learning_rate=1e-3), "RMSprop 1e-3"),
    (dict(SETTINGS, learning_rate=5e-3, schedule="cosine"), "Adam 5e-3 cosine"),
])
def test_describe_optimizer(settings, expected):
    assert training.describe_optimizer(settings) == expected


@pytest.mark.parametrize("settings, message", [
    ("adam", "must be a dict"),
    (dict(optimizer="Adam", learning_rate=1e-3), "lack loss, batch_size, epochs"),
    (dict(SETTINGS, optimizer="adam"), "not one of Adam, AdamW, SGD, RMSprop"),
    (dict(SETTINGS, momentum=0.9), "momentum does not apply to Adam"),
    (dict(SETTINGS, schedule="linear"), "schedule='linear' is not one of constant, cosine"),
    (dict(SETTINGS, learning_rate=0), "learning_rate must be positive"),
])
def test_bad_settings_get_a_clear_error(settings, message):
    with pytest.raises(ValueError, match=message):
        training.check_settings(settings)


def test_record_result_names_what_its_third_argument_must_be():
    with pytest.raises(ValueError, match="TrainingRun"):
        training.record_result("99_test", "m", 0.01)


def test_a_hand_made_run_describes_the_compiled_optimizer():
    model = tiny_model()
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.3, momentum=0.9), loss="mse")
    run = training.TrainingRun(model, {"loss": [1.0]}, training.EpochTimer(), settings=None, epochs=1, batch_size=32)
    assert run.numbers()["optimizer"] == "SGD 0.3, momentum 0.9" and run.numbers()["loss"] == "mse"
