"""The oldest tested versions: one list, matching pyproject.toml and the Colab profile, and the warning."""

import re
import tomllib
import warnings
from pathlib import Path

import pytest

import course_utils
from course_utils import versions

ROOT = Path(__file__).resolve().parent.parent


def _pins(path):
    """``name -> version`` for every ``name==version`` line of a requirements or constraints file."""
    pins = {}
    for line in path.read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9._-]+)==([^\s;#]+)", line.strip())
        if match:
            pins[match.group(1).lower().replace("_", "-")] = match.group(2)
    return pins


def test_pyproject_minimums_are_the_oldest_tested_versions():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = project["dependencies"] + project["optional-dependencies"]["keras"]
    minimums = dict(re.match(r"^([A-Za-z0-9._-]+)>=(\S+)$", spec).groups() for spec in declared if ">=" in spec)
    assert minimums, "pyproject.toml declares no minimum versions"
    for package, minimum in minimums.items():
        assert versions.OLDEST_TESTED.get(package) == minimum, f"{package}: pyproject says >={minimum}"
    assert project["requires-python"] == ">=" + ".".join(map(str, versions.OLDEST_PYTHON))


def test_oldest_tested_versions_are_the_colab_profiles():
    colab = _pins(ROOT / "constraints" / "colab.txt")
    for package, oldest in versions.OLDEST_TESTED.items():
        assert colab.get(package) == oldest, f"{package}: Colab's constraints pin {colab.get(package)}, versions.py says {oldest}"


def test_the_pinned_profile_is_not_older():
    from packaging.version import Version

    for package, pinned in _pins(ROOT / "requirements.txt").items():
        package = "tensorflow" if package == "tensorflow-cpu" else package
        if package in versions.OLDEST_TESTED:
            assert Version(pinned) >= Version(versions.OLDEST_TESTED[package]), package


def test_an_old_library_gets_a_message_with_the_fix():
    installed = {package: version for package, version in versions.OLDEST_TESTED.items()}
    assert versions.older_than_tested(installed) == []
    installed.update({"scikit-learn": "1.5.2", "jax": None, "numpy": "2.10.0"})
    messages = versions.older_than_tested(installed)
    assert len(messages) == 1
    assert "scikit-learn 1.5.2" in messages[0] and "1.6.1" in messages[0]
    assert "pip install -U scikit-learn" in messages[0]


def test_an_old_python_is_warned_about():
    with pytest.warns(UserWarning, match=r"Python 3\.10 is older than 3\.11"):
        versions.warn_if_older_than_tested(python=(3, 10))


def test_setup_is_silent_with_the_tested_versions(capsys):
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        course_utils.setup(quiet=True)
    assert versions.older_than_tested() == []


@pytest.fixture
def jax_backend(monkeypatch):
    monkeypatch.setenv("KERAS_BACKEND", "jax")
    monkeypatch.delitem(__import__("sys").modules, "jax", raising=False)


def test_an_affected_jaxlib_gets_avx2_only_code(jax_backend):
    environ = {"XLA_FLAGS": "--xla_force_host_platform_device_count=2"}
    assert versions.avoid_jaxlib_avx512_bug(environ, jaxlib_version="0.7.2")
    assert environ["XLA_FLAGS"] == "--xla_force_host_platform_device_count=2 --xla_cpu_max_isa=AVX2"
    assert not versions.avoid_jaxlib_avx512_bug(environ, jaxlib_version="0.7.2"), "the flag is added once"


@pytest.mark.parametrize("jaxlib_version", ["0.8.3", "0.10.2"])
def test_a_fixed_jaxlib_is_left_alone(jax_backend, jaxlib_version):
    environ = {}
    assert not versions.avoid_jaxlib_avx512_bug(environ, jaxlib_version=jaxlib_version)
    assert environ == {}


def test_no_jaxlib_is_left_alone(jax_backend, monkeypatch):
    monkeypatch.setattr(versions, "installed_version", lambda package: None)
    environ = {}
    assert not versions.avoid_jaxlib_avx512_bug(environ) and environ == {}


def test_other_backends_are_left_alone(monkeypatch):
    monkeypatch.setenv("KERAS_BACKEND", "tensorflow")
    environ = {}
    assert not versions.avoid_jaxlib_avx512_bug(environ, jaxlib_version="0.7.2") and environ == {}


def test_the_backend_is_read_from_keras_json_without_importing_keras(monkeypatch, tmp_path):
    monkeypatch.delenv("KERAS_BACKEND", raising=False)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    assert versions.requested_keras_backend() == "tensorflow"
    (tmp_path / "keras.json").write_text('{"backend": "jax", "floatx": "float32"}')
    assert versions.requested_keras_backend() == "jax"


def test_too_late_to_help_says_how_to_fix_it(monkeypatch):
    monkeypatch.setenv("KERAS_BACKEND", "jax")
    monkeypatch.setitem(__import__("sys").modules, "jax", object())
    with pytest.warns(UserWarning, match="Restart the kernel.*pip install -U jax jaxlib"):
        assert not versions.avoid_jaxlib_avx512_bug({}, jaxlib_version="0.7.2")
