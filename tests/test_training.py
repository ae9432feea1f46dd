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
    record = training.record_result("99_test", "tiny", params=np.int64(12), test_mse=np.float32(0.5))
    assert record == {"notebook": "99_test", "model": "tiny", "params": 12, "test_mse": 0.5}
    assert json.loads(target.read_text().strip()) == record
    assert record in training.recorded_results("99_test")
    assert training.recorded_results("no-such-notebook") == []


def test_record_result_rejects_bad_input(monkeypatch):
    monkeypatch.delenv(training.RESULTS_ENV, raising=False)
    with pytest.raises(ValueError, match="notebook name"):
        training.record_result("", "m")
    with pytest.raises(TypeError):
        training.record_result("99_test", "m", weights=np.zeros(3))
