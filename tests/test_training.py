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


def _numbered_images(m, side):
    """m flattened side x side images, each 0 except one pixel holding its index + 1, away from the border."""
    images = np.zeros((m, side, side), dtype="float32")
    images[:, side // 2, side // 2] = np.arange(1, m + 1)
    return images.reshape(m, side * side)


def test_random_shifts_moves_each_image_once_per_epoch_and_targets_the_moved_image():
    images = _numbered_images(10, side=6)
    shifts = training.RandomShifts(images, batch_size=4, side=6, max_shift=1, seed=0)
    assert len(shifts) == 3
    batches = [shifts[i] for i in range(len(shifts))]
    assert [len(x) for x, _ in batches] == [4, 4, 2]
    assert all(x is y for x, y in batches)  # the target is the input
    seen = np.concatenate([x for x, _ in batches]).reshape(-1, 6, 6)
    assert sorted(seen.max(axis=(1, 2))) == list(range(1, 11))  # every image once, its one pixel kept
    moves = [np.argwhere(image)[0] - 3 for image in seen]
    assert all(np.abs(move).max() <= 1 for move in moves) and any(np.abs(move).max() == 1 for move in moves)
    first = seen.copy()
    shifts.on_epoch_end()
    again = np.concatenate([shifts[i][0] for i in range(len(shifts))]).reshape(-1, 6, 6)
    assert not np.array_equal(first, again)  # a fresh order and fresh moves
    with pytest.raises(IndexError):
        shifts[3]


def test_random_shifts_fills_the_border_with_zeros():
    images = np.ones((5, 4 * 4), dtype="float32")
    x, _ = training.RandomShifts(images, batch_size=5, side=4, max_shift=1, seed=1)[0]
    moved = [row for row in x.reshape(-1, 4, 4) if row.sum() < 16]
    assert moved and all(set(np.unique(row)) <= {0.0, 1.0} for row in moved)  # no wrapped-around values


@pytest.mark.parametrize("shape, kwargs, message", [((5, 10), {}, "shape \\(m, 784\\)"),
                                                    ((5, 16), dict(side=4, max_shift=4), "max_shift < side")])
def test_random_shifts_rejects_the_wrong_shape_or_shift(shape, kwargs, message):
    with pytest.raises(ValueError, match=message):
        training.RandomShifts(np.zeros(shape), batch_size=2, **kwargs)


def test_compile_and_fit_takes_a_random_shifts_dataset(monkeypatch):
    monkeypatch.delenv(training.RESULTS_ENV, raising=False)
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input(shape=(16,)), keras.layers.Dense(16)])
    shifts = training.RandomShifts(_numbered_images(12, side=4) / 12, batch_size=5, side=4, seed=0)
    run = training.compile_and_fit(model, shifts, None, settings=dict(SETTINGS, schedule="cosine"), epochs=2)
    assert run.epochs == 2 and run.batch_size == 5
    schedule = run.model.optimizer._learning_rate
    assert schedule.decay_steps == 2 * 3  # 3 batches an epoch
    with pytest.raises(ValueError, match="yields its own targets"):
        training.compile_and_fit(model, shifts, shifts, settings=SETTINGS, epochs=1)
