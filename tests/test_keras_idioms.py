"""No notebook or module may use Keras idioms that break or warn on Keras 3.

Only code is scanned (notebook code cells, Python files); prose may name an old idiom to warn
students about it.
"""

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
DEPRECATED = {
    "input_shape= in a layer (use keras.Input(shape=...))": re.compile(r"\binput_shape\s*="),
    "tf.keras / tensorflow.keras (use `import keras`)": re.compile(r"\btf\.keras\b|\btensorflow\.keras\b|from\s+tensorflow\s+import\s+keras"),
    "lr= (use learning_rate=)": re.compile(r"[(,]\s*lr\s*="),
    "full-model save to .h5 (save to .keras)": re.compile(r"\.save\([^)]*\.h5"),
    "fit_generator / predict_classes (removed)": re.compile(r"\.(fit_generator|predict_classes)\("),
    "keras.optimizers.legacy (removed)": re.compile(r"optimizers\.legacy"),
    "keras.backend maths (use keras.ops)": re.compile(r"keras\.backend\.(round|mean|set_value|sum|square)\b"),
}


def deprecated_uses(code: str) -> list[str]:
    """Descriptions of every deprecated idiom found in ``code``, with its line number."""
    found = []
    for number, line in enumerate(code.splitlines(), start=1):
        for description, pattern in DEPRECATED.items():
            if pattern.search(line):
                found.append(f"line {number}: {description}: {line.strip()}")
    return found


def _code_sources():
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type == "code":
                yield f"{path.name} cell {index}", cell.source
    for folder in ("course_utils", "notebooks", "benchmarks", "data"):
        for path in sorted((ROOT / folder).glob("**/*.py")):
            text = path.read_text()
            if folder == "notebooks":  # paired scripts: markdown lines are comments, skip them
                text = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
            yield str(path.relative_to(ROOT)), text


@pytest.mark.parametrize("code", [
    "keras.layers.Dense(3, input_shape=[2])", "from tensorflow import keras", "x = tf.keras.layers",
    "keras.optimizers.SGD(lr=0.1)", "model.save('ae.h5')", "model.fit_generator(gen)",
    "keras.backend.round(x)"])
def test_scanner_catches_old_idioms(code):
    assert deprecated_uses(code)


@pytest.mark.parametrize("code", [
    "keras.Input(shape=(3,))", "keras.optimizers.SGD(learning_rate=0.1)", "model.save('ae.keras')",
    "clr = 3", "keras.ops.round(x)"])
def test_scanner_accepts_modern_code(code):
    assert not deprecated_uses(code)


def test_project_code_uses_modern_keras():
    problems = [f"{where}: {issue}" for where, code in _code_sources() for issue in deprecated_uses(code)]
    assert not problems, "Old Keras idioms found:\n" + "\n".join(problems)
