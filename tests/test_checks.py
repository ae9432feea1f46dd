import numpy as np
import pytest

import course_utils
from course_utils import checks, config


@pytest.fixture(autouse=True)
def lenient(monkeypatch):
    monkeypatch.delenv(checks.STRICT_ENV, raising=False)


@pytest.mark.parametrize("placeholder", [None, ..., NotImplemented])
def test_placeholders_are_not_solved(placeholder, capsys):
    result = checks.check_value("x", placeholder, 1.0)
    assert result.status == checks.NOT_SOLVED and not result
    assert "not solved yet" in capsys.readouterr().out


@pytest.mark.parametrize("answer, expected, status", [
    (1.0, 1.0, checks.PASSED),
    (1.1, 1.0, checks.FAILED),
    ([1, 2, 3], np.array([1.0, 2.0, 3.0]), checks.PASSED),
    ([1, 2], [1, 2, 3], checks.FAILED),
    ([np.nan, 1], [1, 1], checks.FAILED),
    ("abc", 1.0, checks.FAILED),
])
def test_check_value(answer, expected, status):
    assert checks.check_value("x", answer, expected).status == status


def test_failure_message_has_hint_and_shape(capsys):
    checks.check_value("weights", np.zeros((2, 3)), np.zeros((3, 2)), hint="transpose?")
    out = capsys.readouterr().out
    assert "❌" in out and "expected shape (3, 2), got (2, 3)" in out and "Hint: transpose?" in out


def test_up_to_sign():
    expected = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    flipped = expected * np.array([-1.0, 1.0])
    assert not checks.check_value("v", flipped, expected)
    assert checks.check_value("v", flipped, expected, up_to_sign=True)
    assert checks.check_value("v", -np.array([0.6, 0.8]), np.array([0.6, 0.8]), up_to_sign=True)
    assert not checks.check_value("v", np.array([0.8, 0.6]), np.array([0.6, 0.8]), up_to_sign=True)


def test_strict_mode_raises(monkeypatch):
    monkeypatch.setenv(checks.STRICT_ENV, "1")
    assert checks.check_value("x", 2, 2)
    with pytest.raises(checks.CheckFailed, match="failed"):
        checks.check_value("x", 3, 2)
    with pytest.raises(checks.CheckFailed, match="not solved"):
        checks.check_value("x", None, 2)


@pytest.mark.parametrize("answer, expected, passed", [
    ("B", "b", True), ({"a", "C"}, ["c", "a"], True), ({"a"}, {"a", "c"}, False), ("a", "b", False)])
def test_check_choice(answer, expected, passed):
    assert bool(checks.check_choice("q", answer, expected)) is passed


@pytest.mark.parametrize("answer, passed", [
    ({0.04, 0.4, 40.0, 400.0}, True), ([400, 40, 0.4, 0.04], True), ({0.04, 0.4, 40.0}, False),
    ({"0.04", "0.4", "40", "400"}, False)])
def test_check_choice_compares_numbers_by_value(answer, passed):
    assert bool(checks.check_choice("widths", answer, {0.04, 0.4, 40, 400})) is passed


def test_check_choice_placeholder():
    assert checks.check_choice("q", None, "a").status == checks.NOT_SOLVED


def test_principal_angles():
    plane = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    rotated = plane @ np.array([[np.cos(0.3), -np.sin(0.3)], [np.sin(0.3), np.cos(0.3)]])
    np.testing.assert_allclose(checks.principal_angles_degrees(plane, rotated), [0, 0], atol=1e-6)
    tilted = np.array([[1.0, 0.0], [0.0, np.cos(0.1)], [0.0, np.sin(0.1)]])
    assert checks.principal_angles_degrees(plane, tilted).max() == pytest.approx(np.degrees(0.1))
    with pytest.raises(ValueError, match="same number of rows"):
        checks.principal_angles_degrees(plane, np.eye(2))
    with pytest.raises(ValueError, match="NaN"):
        checks.principal_angles_degrees(plane, plane * np.nan)


def test_check_subspace():
    plane = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    assert checks.check_subspace("s", plane @ np.array([[2.0, 1.0], [0.0, 1.0]]), plane)
    assert not checks.check_subspace("s", np.array([[1.0, 0.0], [0.0, 0.0], [0.0, 1.0]]), plane)
    assert not checks.check_subspace("s", plane[:, :1], plane)
    assert checks.check_subspace("s", None, plane).status == checks.NOT_SOLVED


@pytest.mark.parametrize("wrong", ["the first two columns", [[1.0, 0.0], [0.0]], {"a": 1}])
def test_check_subspace_answers_a_wrong_type_instead_of_raising(wrong, capsys):
    plane = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    result = checks.check_subspace("s", wrong, plane, hint="stack the directions as columns")
    assert result.status == checks.FAILED and "matrix of numbers of shape (3, 2)" in result.message
    assert "stack the directions as columns" in capsys.readouterr().out


def _reference(x):
    return x * 2, x.sum()


def test_check_function_outcomes():
    cases = [(np.arange(3.0),), (np.ones(2),)]
    assert checks.check_function("f", lambda x: (x * 2, x.sum()), _reference, cases)
    assert not checks.check_function("f", lambda x: (x * 3, x.sum()), _reference, cases)
    assert not checks.check_function("f", lambda x: x * 2, _reference, cases)
    assert checks.check_function("f", None, _reference, cases).status == checks.NOT_SOLVED
    assert checks.check_function("f", lambda x: None, _reference, cases).status == checks.NOT_SOLVED

    def unfinished(x):
        raise NotImplementedError

    assert checks.check_function("f", unfinished, _reference, cases).status == checks.NOT_SOLVED
    broken = checks.check_function("f", lambda x: 1 / 0, _reference, cases)
    assert broken.status == checks.FAILED and "ZeroDivisionError" in broken.message
    assert not checks.check_function("f", 42, _reference, cases)
    with pytest.raises(ValueError, match="at least one case"):
        checks.check_function("f", _reference, _reference, [])


def test_unwritten_functions_are_recognised_without_calling():
    def stub(x, y, z):
        """Docstring only."""
        ...

    def passing(x):
        pass

    def written(x):
        return x

    assert checks.is_unwritten_function(stub) and checks.is_unwritten_function(passing)
    assert not checks.is_unwritten_function(written) and not checks.is_unwritten_function(len)
    result = checks.check_function("f", stub, _reference, [(1,)])  # wrong arity, never called
    assert result.status == checks.NOT_SOLVED


def test_verify(capsys):
    checks.verify(True, "two is even", "2 % 2 == 0")
    assert "✔ two is even (2 % 2 == 0)" in capsys.readouterr().out
    with pytest.raises(checks.CheckFailed, match="Claim does not hold: three is even"):
        checks.verify(3 % 2 == 0, "three is even")


def test_verify_prints_a_cross_instead_of_raising_under_the_lecture_settings(capsys, monkeypatch):
    monkeypatch.setenv(config.SETTINGS_ENV, "lecture")
    course_utils.setup(fast=True, quiet=True)
    checks.verify(False, "SGD at 1.5 beats Adam", "0.0142 vs 0.0113")
    assert "✘ SGD at 1.5 beats Adam (0.0142 vs 0.0113) — does not hold under the lecture's settings" in capsys.readouterr().out
    monkeypatch.setenv(config.SETTINGS_ENV, "course")
    course_utils.setup(fast=True, quiet=True)
    with pytest.raises(checks.CheckFailed):
        checks.verify(False, "SGD at 1.5 beats Adam")


def test_check_choice_by_digest_accepts_every_right_form_and_rejects_wrong_ones(monkeypatch):
    monkeypatch.delenv(checks.STRICT_ENV, raising=False)
    single = checks.answer_digest("pick one", "b")
    assert all(checks.check_choice("pick one", answer, digest=single) for answer in ("b", " B ", "B"))
    assert not checks.check_choice("pick one", "a", digest=single)
    several = checks.answer_digest("pick some", {"gaussian", "dropout"})
    for answer in (["dropout", "gaussian"], ("Gaussian", "Dropout"), {"dropout", " gaussian"}):
        assert checks.check_choice("pick some", answer, digest=several)
    for wrong in ({"gaussian"}, {"gaussian", "dropout", "masking"}, "gaussian"):
        assert not checks.check_choice("pick some", wrong, digest=several)
    numbers = checks.answer_digest("widths", {0.04, 40, 400})
    assert checks.check_choice("widths", [400.0, 40.0, 0.04], digest=numbers)
    assert checks.answer_digest("another question", "b") != single  # the name salts the digest
    assert checks.check_choice("pick one", None, digest=single).status == checks.NOT_SOLVED


def test_check_choice_needs_exactly_one_reference():
    with pytest.raises(ValueError, match="expected=... or as digest="):
        checks.check_choice("x", "a")
    with pytest.raises(ValueError, match="not both"):
        checks.check_choice("x", "a", "a", digest="0")


def test_times_names_the_bound_of_a_claim():
    assert checks.times(1.0, "PCA-30's") == "PCA-30's"
    assert checks.times(1.6, "PCA-30's") == "1.6 × PCA-30's"


def test_check_experiment_judges_the_outcome_and_never_raises_on_a_bad_answer(capsys):
    def judge(model_mse):
        return float(model_mse) < 0.01, f"MSE {float(model_mse):.4f}, target below 0.0100"

    assert checks.check_experiment("e", 0.005, judge)
    result = checks.check_experiment("e", 0.02, judge, hint="train longer")
    assert not result and "MSE 0.0200" in result.message and "train longer" in result.message
    assert checks.check_experiment("e", None, judge).status == checks.NOT_SOLVED

    def stub(seed):
        """Train and return the weights."""
        ...

    assert checks.check_experiment("e", stub, judge).status == checks.NOT_SOLVED
    wrong_type = checks.check_experiment("e", "a model", judge, hint="pass the array")
    assert wrong_type.status == checks.FAILED and "ValueError" in wrong_type.message
    assert "❌" in capsys.readouterr().out


WRONG_TYPES = ["a string", {"a": 1}, object(), np.zeros((3, 3)), lambda x: x, [1, "b"], float("nan"), 7]


@pytest.mark.parametrize("wrong", WRONG_TYPES, ids=lambda value: type(value).__name__)
def test_no_check_raises_on_an_answer_of_the_wrong_type_or_shape(wrong, monkeypatch):
    monkeypatch.delenv(checks.STRICT_ENV, raising=False)
    plane = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    results = [
        checks.check_value("v", wrong, np.array([0.6, 0.8])),
        checks.check_choice("c", wrong, "b"),
        checks.check_choice("c", wrong, digest=checks.answer_digest("c", "b")),
        checks.check_subspace("s", wrong, plane),
        checks.check_function("f", wrong, lambda x: x * 2, [(np.ones(2),)]),
        checks.check_function("f", lambda x: wrong, lambda x: x * 2, [(np.ones(2),)]),
        checks.check_experiment("e", wrong, lambda answer: (float(answer) < 1, f"measured {float(answer)}")),
    ]
    assert all(result.status in (checks.FAILED, checks.PASSED) for result in results)
    assert not results[0] and not results[3]
