import random

import numpy as np
import pytest

import course_utils
from course_utils import config


@pytest.fixture(autouse=True)
def reset_mode(monkeypatch):
    monkeypatch.setattr(config, "_active_fast_mode", None)


@pytest.mark.parametrize("value, expected", [("1", True), ("yes", True), ("0", False), ("", False), ("off", False)])
def test_fast_mode_from_environment(monkeypatch, value, expected):
    monkeypatch.setenv(config.FAST_ENV, value)
    assert config.fast_mode_from_environment() is expected
    assert config.is_fast_mode() is expected


def test_unknown_fast_value_is_an_error(monkeypatch):
    monkeypatch.setenv(config.FAST_ENV, "maybe")
    with pytest.raises(ValueError, match="COURSE_FAST='maybe'"):
        config.fast_mode_from_environment()


@pytest.mark.parametrize("fast, epochs, limit, picked", [(True, 2, 1000, "f"), (False, 20, 60_000, "F")])
def test_config_sizes(fast, epochs, limit, picked):
    cfg = config.CourseConfig(fast=fast, seed=0, backend="tensorflow", device="CPU", on_colab=False)
    assert cfg.epochs(20) == epochs and cfg.limit(60_000) == limit
    assert cfg.epochs(1) == 1 and cfg.limit(10) == 10
    assert cfg.pick(full="F", fast="f") == picked
    assert cfg.mode == ("fast" if fast else "full")


@pytest.mark.parametrize("bad", [0, -3, 2.5, True, "10"])
def test_config_rejects_bad_sizes(bad):
    cfg = config.CourseConfig(fast=True, seed=0, backend="x", device="CPU", on_colab=False)
    with pytest.raises(ValueError, match="positive whole number"):
        cfg.epochs(bad)
    with pytest.raises(ValueError, match="positive whole number"):
        cfg.limit(bad)


def test_setup_seeds_and_reports(capsys, monkeypatch):
    monkeypatch.setenv(config.FAST_ENV, "1")
    cfg = course_utils.setup(seed=7)
    line = capsys.readouterr().out.strip()
    import keras

    backend = keras.config.backend()  # each test profile has its own (scripts/profiles.sh)
    assert cfg.fast and cfg.seed == 7 and cfg.backend == backend and cfg.device == "CPU"
    for part in ("course_utils", "Keras 3", f"({backend})", "CPU", "fast mode", "seed 7"):
        assert part in line
    first = (random.random(), np.random.rand())
    course_utils.setup(seed=7, quiet=True)
    assert (random.random(), np.random.rand()) == first
    assert capsys.readouterr().out == ""


def test_setup_explicit_mode_wins(monkeypatch):
    monkeypatch.setenv(config.FAST_ENV, "1")
    assert not course_utils.setup(fast=False, quiet=True).fast
    assert not config.is_fast_mode()
    with pytest.raises(ValueError, match="fast must be"):
        course_utils.setup(fast="yes")


def test_setup_on_colab_installs_the_package(monkeypatch):
    calls = []
    monkeypatch.setattr(config, "on_colab", lambda: True)
    monkeypatch.setattr("course_utils.colab.ensure_course_package", lambda: calls.append("installed"))
    assert course_utils.setup(quiet=True).on_colab and calls == ["installed"]


def test_seed_everything_rejects_bad_seed():
    with pytest.raises(ValueError, match="seed"):
        config.seed_everything(-1)


def test_not_on_colab_here():
    assert config.on_colab() is False


@pytest.mark.parametrize("value, expected", [("", "course"), ("course", "course"), (" Lecture ", "lecture")])
def test_settings_from_environment(monkeypatch, value, expected):
    monkeypatch.setenv(config.SETTINGS_ENV, value)
    assert config.settings_from_environment() == expected


def test_unknown_settings_value_is_an_error_that_lists_the_choices(monkeypatch):
    monkeypatch.setenv(config.SETTINGS_ENV, "paper")
    with pytest.raises(ValueError, match="use 'course'.*or 'lecture'"):
        config.settings_from_environment()


def test_setup_reports_lecture_settings(capsys, monkeypatch):
    monkeypatch.setenv(config.SETTINGS_ENV, "lecture")
    cfg = course_utils.setup(fast=True)
    assert "lecture settings (COURSE_SETTINGS=lecture)" in capsys.readouterr().out
    assert cfg.lecture_settings and config.active_settings() == "lecture"
    monkeypatch.setenv(config.SETTINGS_ENV, "course")
    cfg = course_utils.setup(fast=True, quiet=True)
    assert not cfg.lecture_settings and config.active_settings() == "course"


def test_native_startup_noise_is_dropped_and_real_errors_kept():
    import subprocess
    import sys

    program = (
        "import os, sys\n"
        "from course_utils import config\n"
        "with config.drop_native_startup_noise():\n"
        "    os.write(2, b'WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\\n')\n"
        "    os.write(2, b'I0000 00:00:1 123 port.cc:153] oneDNN custom operations are on. You may see ...\\n')\n"
        "    os.write(2, b'E0000 real problem: libcudart not loadable\\n')\n"
        "os.write(2, b'after the block\\n')\n"
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert result.stderr == "E0000 real problem: libcudart not loadable\nafter the block\n"


def test_a_check_result_shows_nothing_more_in_a_notebook():
    from course_utils import checks

    result = checks.CheckResult(name="x", status="passed")
    assert result._ipython_display_() is None and str(result) == "✅ x: passed"
