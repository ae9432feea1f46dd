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
    record = {"notebook": "99_test", "model": "tiny", "params": 12, "test_mse": 0.5}
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
