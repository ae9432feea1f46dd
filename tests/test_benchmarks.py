"""The benchmark: pairing records, ratios, targets, the Markdown table, and real (tiny) runs."""

import json
import math

import nbformat
import pytest

import benchmarks.__main__ as bench
from benchmarks import compare, load_records, parameters, render_markdown, report, summarise
from benchmarks.recipes import LECTURE_SETTINGS
from course_utils import training


def record(model, settings="course", **numbers):
    optimizer = {"course": "Adam 3e-3", "lecture": "SGD 1.5"}[settings]
    return {"notebook": "04_deep_autoencoders", "model": model, "settings": settings, "optimizer": optimizer,
            **numbers}


COURSE = [record("stacked", test_mse=0.0113, pca_mse=0.0156, train_seconds=80.0, code_size=30, params=100),
          record("lstm", test_accuracy=0.989, train_seconds=100.0),
          record("ae2", test_mse=0.040, pca_mse=0.0557, train_seconds=150.0)]
LECTURE = [record("stacked", "lecture", test_mse=0.0142, train_seconds=320.0),
           record("lstm", "lecture", test_accuracy=0.991, train_seconds=150.0)]


def test_load_records_reads_json_lines_and_tolerates_a_missing_file(tmp_path):
    path = tmp_path / "results.jsonl"
    assert load_records(path) == []
    path.write_text("\n".join(json.dumps(r) for r in COURSE) + "\n\n")
    assert load_records(path) == COURSE


@pytest.mark.parametrize("line, message", [("{not json", "line 2: not JSON"),
                                           ('{"model": "x"}', "line 2: expected an object")])
def test_load_records_names_the_bad_line(tmp_path, line, message):
    path = tmp_path / "results.jsonl"
    path.write_text(json.dumps(COURSE[0]) + "\n" + line + "\n")
    with pytest.raises(ValueError, match=message):
        load_records(path)


def test_compare_pairs_by_notebook_and_model_in_course_order():
    comparisons = compare(COURSE, LECTURE + [record("lecture_only", "lecture", test_mse=0.05)])
    assert [c.model for c in comparisons] == ["stacked", "lstm", "ae2", "lecture_only"]
    stacked, lstm, ae2, lecture_only = comparisons
    assert stacked.time_ratio == pytest.approx(0.25)
    assert stacked.quality_ratio == pytest.approx(0.0113 / 0.0142)
    assert stacked.pca_ratio == pytest.approx(0.0113 / 0.0156)
    assert stacked.at_least_as_good_as_lecture() is True and stacked.beats_pca() is True
    assert lstm.higher_is_better and lstm.at_least_as_good_as_lecture() is False
    assert math.isnan(lstm.pca_ratio) and lstm.beats_pca() is None
    assert ae2.lecture is None and ae2.at_least_as_good_as_lecture() is None and math.isnan(ae2.time_ratio)
    assert lecture_only.course is None and lecture_only.quality_key == "test_mse"


def test_a_model_recorded_twice_keeps_its_last_record():
    (only,) = compare([record("m", test_mse=0.5), record("m", test_mse=0.1)], [])
    assert only.quality("course") == 0.1


def test_a_model_trained_the_same_way_in_both_runs_is_shown_but_not_compared():
    same = {"optimizer": "Adam", "batch_size": 128, "epochs": 10}
    course = [{"notebook": "07", "model": "variant_gru", "test_accuracy": 0.97, "train_seconds": 20.0, **same}]
    lecture = [{"notebook": "07", "model": "variant_gru", "test_accuracy": 0.98, "train_seconds": 21.0, **same}]
    comparisons = compare(course, lecture)
    (variant,) = comparisons
    assert not variant.has_lecture_version and variant.at_least_as_good_as_lecture() is None
    summary = summarise(comparisons)
    assert summary["paired_models"] == 0 and summary["worse_than_lecture"] == []
    assert "| same as course | 20 | — | — |" in render_markdown(comparisons, summary, {"mode": "full"})


def test_a_different_architecture_alone_makes_a_lecture_version():
    training = {"optimizer": "Adam", "batch_size": 128, "epochs": 2}
    (model,) = compare([{"notebook": "05", "model": "up", "activations": "elu", "test_mse": 0.03, **training}],
                       [{"notebook": "05", "model": "up", "activations": "relu", "test_mse": 0.02, **training}])
    assert model.has_lecture_version and model.at_least_as_good_as_lecture() is False


def test_summary_counts_time_only_for_paired_models_and_lists_misses():
    summary = summarise(compare(COURSE, LECTURE))
    assert summary["course_training_seconds_paired"] == 180.0
    assert summary["lecture_training_seconds_paired"] == 470.0
    assert summary["course_training_seconds_all"] == 330.0
    assert summary["time_ratio"] == pytest.approx(180 / 470) and summary["time_target_met"] is True
    assert summary["worse_than_lecture"] == ["lstm"]
    assert summary["not_beating_pca"] == []


def test_summary_reports_a_missed_pca_target():
    summary = summarise(compare([record("weak", test_mse=0.06, pca_mse=0.05, train_seconds=1.0)], []))
    assert summary["not_beating_pca"] == ["weak"] and summary["time_target_met"] is None


def test_markdown_has_a_row_per_model_and_states_the_misses():
    comparisons = compare(COURSE, LECTURE)
    text = render_markdown(comparisons, summarise(comparisons),
                           {"mode": "full", "date": "2026-11-25", "notebook_seconds": {"04": {"course": 10}},
                            "failures": ["05 (lecture settings): boom"], "notes": ["03: course only"]})
    assert all(f"\n| 04 | {model} | " in text for model in ("stacked", "lstm", "ae2"))
    assert "\n| 04 | 2026-11-25 | 10 | — |" in text  # the whole-notebook times, with the date each ran
    assert "98.90%" in text and "**missed** by lstm" in text and "ratio 0.38" in text
    assert "boom" in text and "03: course only" in text and "Fast mode" not in text and "Partial" not in text
    partial = render_markdown(comparisons, summarise(comparisons), {"planned_runs": 4, "finished_runs": 1})
    assert "**Partial run**: 1 of 4 notebook runs" in partial


def test_auc_and_elbo_are_qualities_and_other_recorded_numbers_are_listed():
    detector = record("ae30_without_0", heldout_mean_auc=0.75, pca_heldout_mean_auc=0.68, train_seconds=3.0)
    vae = record("vae2", test_neg_elbo=158.5, test_kl=5.56, train_seconds=15.0)
    deep = record("deep_ae", test_mse=0.0035, pca_mse=0.0177, test_error_per_image=2.76, train_seconds=270.0)
    comparisons = compare([detector, vae, deep], [])
    assert [c.quality_key for c in comparisons] == ["heldout_mean_auc", "test_neg_elbo", "test_mse"]
    assert comparisons[0].higher_is_better and not comparisons[1].higher_is_better
    text = render_markdown(comparisons, summarise(comparisons), {"mode": "full"})
    assert "| mean AUC 0.7500 |" in text and "| −ELBO 158.5000 |" in text
    assert "- 04 ae30_without_0: pca_heldout_mean_auc 0.68" in text and "test_kl 5.56" in text
    assert "- 04 deep_ae: test_error_per_image 2.76" in text and "pca_mse 0.0177" not in text.split("## More")[1]


def test_markdown_explains_each_missed_target_or_says_it_is_unexplained(monkeypatch):
    for model in ("weak", "weaker"):
        monkeypatch.setitem(report.MISS_EXPLANATIONS, (model, "pca"), "it has too small a code")
    comparisons = compare([record("weak", test_mse=0.06, pca_mse=0.05), record("lstm", test_accuracy=0.9),
                           record("weaker", test_mse=0.07, pca_mse=0.05)],
                          [record("lstm", "lecture", test_accuracy=0.95)])
    text = render_markdown(comparisons, summarise(comparisons), {"mode": "full"})
    assert "## Why targets were missed" in text
    assert "- weak, weaker, not better than PCA: it has too small a code" in text
    assert "- lstm, worse than with the lecture's settings: no reason recorded yet" in text
    met = compare(COURSE[:1], LECTURE[:1])
    assert "Why targets were missed" not in render_markdown(met, summarise(met), {"mode": "full"})


def test_markdown_shows_seconds_per_epoch_and_the_backend_version():
    comparisons = compare([record("stacked", test_mse=0.01, train_seconds=50.0, seconds_per_epoch=2.5)],
                          [record("stacked", "lecture", test_mse=0.02, train_seconds=90.0, seconds_per_epoch=4.5)])
    text = render_markdown(comparisons, summarise(comparisons),
                           {"mode": "full", "backend": "jax", "backend_version": "0.10.2"})
    assert "| 50 | 90 | 2.5, 4.5 | 0.56 |" in text and "(jax 0.10.2)" in text
    assert comparisons[0].as_dict()["lecture_seconds_per_epoch"] == 4.5


def test_backend_version_names_the_installed_library_or_none():
    assert bench.backend_version("tensorflow")  # the course installs TensorFlow (the CPU wheel on Linux)
    assert bench.backend_version("no-such-backend") is None and bench.backend_version(None) is None


def test_rerender_rewrites_the_table_from_results_json_without_training(tmp_path, capsys):
    comparisons = compare(COURSE, LECTURE)
    payload = {"run": {"mode": "full", "date": "2026-11-30"}, "summary": summarise(comparisons),
               "models": [comparison.as_dict() for comparison in comparisons]}
    (tmp_path / "results.json").write_text(json.dumps(payload))
    assert bench.main(["--rerender", "--output-dir", str(tmp_path)]) == 0
    text = (tmp_path / "results.md").read_text()
    assert all(f"\n| 04 | {model} | " in text for model in ("stacked", "lstm", "ae2")) and "ratio 0.38" in text
    assert json.loads((tmp_path / "results.json").read_text())["models"] == json.loads(json.dumps(payload["models"]))
    assert bench.main(["--rerender", "--output-dir", str(tmp_path / "empty")]) == 2
    assert "run the benchmark first" in capsys.readouterr().err


@pytest.mark.parametrize("request_, expected", [(["05"], ["05_conv_recurrent_autoencoders"]),
                                                (["07_lstm_classifiers.ipynb", "03"],
                                                 ["07_lstm_classifiers", "03_linear_autoencoder"]),
                                                (None, list(bench.MODEL_NOTEBOOKS))])
def test_select_notebooks_accepts_names_and_prefixes_in_the_order_given(request_, expected):
    assert bench.select_notebooks(request_) == expected


def test_select_notebooks_rejects_unknown_and_ambiguous_names():
    with pytest.raises(ValueError, match="matches 0 notebooks"):
        bench.select_notebooks(["09"])
    with pytest.raises(ValueError, match="matches 6 notebooks"):
        bench.select_notebooks(["0"])


def test_every_model_notebook_exists_and_the_trained_ones_have_lecture_recipes():
    for name in bench.MODEL_NOTEBOOKS:
        assert (bench.NOTEBOOK_DIR / f"{name}.ipynb").is_file()
    without_recipes = {"08_anomalies_pretraining_vae"}  # the notes train no anomaly detector, classifier on codes or VAE
    assert all(bench.has_lecture_recipes(name) for name in bench.MODEL_NOTEBOOKS if name not in without_recipes)
    assert not any(bench.has_lecture_recipes(name) for name in without_recipes)


@pytest.mark.parametrize("notebook", sorted(LECTURE_SETTINGS))
def test_every_lecture_setting_replaces_a_parameter_of_the_same_kind(notebook):
    """Each injected dict names a parameter the notebook has, with the same keys (no typo trains silently)."""
    lesson = nbformat.read(bench.NOTEBOOK_DIR / f"{notebook}.ipynb", as_version=4)
    course = parameters.parameter_values(lesson)
    for name, value in LECTURE_SETTINGS[notebook].items():
        assert name in course, f"{notebook} has no parameter {name}"
        training.check_settings(value)
        knobs, lecture_knobs = set(course[name]) - training.TRAINING_KEYS, set(value) - training.TRAINING_KEYS
        assert knobs == lecture_knobs, f"{name}: the lecture's model knobs {sorted(lecture_knobs)} differ from the course's {sorted(knobs)}"
    parameters.inject_parameters(lesson, LECTURE_SETTINGS[notebook])  # raises on an unknown name


def test_inject_parameters_puts_each_value_after_the_cell_that_defines_it():
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("A = dict(x=1)", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("print(A)"),
        nbformat.v4.new_code_cell("B = 2\nC = 'c'", metadata={"tags": ["parameters"]}),
    ])
    parameters.inject_parameters(notebook, {"A": {"x": 5}, "C": "new"})
    sources = [cell.source for cell in notebook.cells]
    assert sources[1].endswith('A = {"x": 5}') and sources[2] == "print(A)" and sources[4].endswith('C = "new"')
    assert [cell.metadata.get("tags") for cell in notebook.cells][1::3] == [["injected-parameters"], ["injected-parameters"]]
    parameters.inject_parameters(notebook, {"B": 3})  # a second injection replaces the first
    assert len(notebook.cells) == 4 and notebook.cells[3].source.endswith("B = 3")
    with pytest.raises(ValueError, match="no cell tagged 'parameters' assigns D; the notebook's parameters are A, B, C"):
        parameters.inject_parameters(notebook, {"D": 1})


def test_parameter_values_accept_only_literals():
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("A = dict(x=1, y=[2])\nB = 0.5",
                                                                          metadata={"tags": ["parameters"]})])
    assert parameters.parameter_values(notebook) == {"A": {"x": 1, "y": [2]}, "B": 0.5}
    notebook.cells[0].source = "A = make_settings()"
    with pytest.raises(ValueError, match="only literals"):
        parameters.parameter_values(notebook)


TINY_SETTINGS = '''TINY_SETTINGS = dict(optimizer="Adam", learning_rate=3e-3, loss="mse", batch_size=8, epochs=3)'''
TINY_NOTEBOOK = '''
import course_utils
from course_utils import checks, training
cfg = course_utils.setup()
test_mse = {"Adam": 0.01, "SGD": 0.02}[TINY_SETTINGS["optimizer"]]  # stands in for a trained model's error
checks.verify(test_mse < 0.015, "the course's settings are better")
training.record_result("03_linear_autoencoder", "tiny", test_mse=test_mse, pca_mse=0.015,
                       train_seconds=float(TINY_SETTINGS["epochs"]), epochs=cfg.epochs(TINY_SETTINGS["epochs"]),
                       optimizer=training.describe_optimizer(TINY_SETTINGS))
'''
TINY_LECTURE = {"03_linear_autoencoder": {"TINY_SETTINGS": dict(optimizer="SGD", learning_rate=1.5, loss="mse",
                                                                batch_size=8, epochs=9)}}


def tiny_notebook():
    return nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell(TINY_SETTINGS, metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(TINY_NOTEBOOK)])


def test_a_real_run_executes_both_settings_and_writes_the_table(tmp_path, monkeypatch, capsys):
    notebook_dir = tmp_path / "notebooks"
    notebook_dir.mkdir()
    nbformat.write(tiny_notebook(), notebook_dir / "03_linear_autoencoder.ipynb")
    monkeypatch.setattr(bench, "NOTEBOOK_DIR", notebook_dir)
    monkeypatch.setattr(bench, "MODEL_NOTEBOOKS", ("03_linear_autoencoder",))
    monkeypatch.setattr(bench, "LECTURE_SETTINGS", TINY_LECTURE)
    output = tmp_path / "out"
    assert bench.main(["--fast", "--output-dir", str(output), "--keep-executed", str(tmp_path / "kept")]) == 0
    printed = capsys.readouterr().out
    assert "[ course] 03_linear_autoencoder / tiny: MSE 0.0100 in 3 s (2 epochs)" in printed
    assert "[lecture] 03_linear_autoencoder / tiny: MSE 0.0200 in 9 s (2 epochs)" in printed
    results = json.loads((output / "results.json").read_text())
    (tiny,) = results["models"]
    assert tiny["time_ratio"] == pytest.approx(3 / 9) and tiny["quality_ratio"] == pytest.approx(0.5)
    assert tiny["beats_pca"] is True and results["run"]["mode"] == "fast" and results["run"]["failures"] == []
    assert "| 03 | tiny |" in (output / "results.md").read_text()
    kept = nbformat.read(tmp_path / "kept" / "03_linear_autoencoder.lecture.ipynb", as_version=4)
    assert kept.cells[1].metadata.tags == ["injected-parameters"] and '"SGD"' in kept.cells[1].source
    assert "does not hold under the lecture's settings" in json.dumps(kept.cells[2].outputs)
    course_copy = nbformat.read(tmp_path / "kept" / "03_linear_autoencoder.course.ipynb", as_version=4)
    assert len(course_copy.cells) == 2  # the course's run injects nothing
    assert not list(output.glob(".*partial"))


def test_update_reruns_the_chosen_notebook_and_keeps_the_other_rows(tmp_path, monkeypatch, capsys):
    notebook_dir = tmp_path / "notebooks"
    notebook_dir.mkdir()
    nbformat.write(tiny_notebook(), notebook_dir / "03_linear_autoencoder.ipynb")
    monkeypatch.setattr(bench, "NOTEBOOK_DIR", notebook_dir)
    monkeypatch.setattr(bench, "MODEL_NOTEBOOKS", ("03_linear_autoencoder", "04_deep_autoencoders"))
    monkeypatch.setattr(bench, "LECTURE_SETTINGS", TINY_LECTURE)
    stale = {"notebook": "03_linear_autoencoder", "model": "old_name", "settings": "course", "test_mse": 0.5}
    comparisons = compare(COURSE + [stale], LECTURE)  # week 4 first: the update must restore course order
    earlier_run = {"mode": "fast", "date": "2026-11-30", "keras": "0.0", "backend": "tensorflow",
                   "notebook_seconds": {"03_linear_autoencoder": {"course": 1.0}, "04_deep_autoencoders": {"course": 9.0}},
                   "failures": ["03_linear_autoencoder (course settings): RuntimeError: old"], "notes": []}
    output = tmp_path / "out"
    output.mkdir()
    (output / "results.json").write_text(json.dumps(
        {"run": earlier_run, "summary": summarise(comparisons), "models": [c.as_dict() for c in comparisons]}))

    assert bench.main(["--update", "--output-dir", str(output), "--notebooks", "03"]) == 2  # full onto fast
    assert "fast-mode run" in capsys.readouterr().err
    assert bench.main(["--update", "--fast", "--output-dir", str(output), "--notebooks", "03"]) == 0
    results = json.loads((output / "results.json").read_text())
    assert [m["model"] for m in results["models"]] == ["tiny", "stacked", "lstm", "ae2"]
    assert results["run"]["notebook_dates"]["04_deep_autoencoders"] == "2026-11-30"
    assert results["run"]["notebook_seconds"]["04_deep_autoencoders"] == {"course": 9.0}
    assert results["run"]["failures"] == []  # week 3's old failure went with its re-run
    assert any("Keras 0.0" in note for note in results["run"]["notes"])
    text = (output / "results.md").read_text()
    assert "2026-11-30 to " in text and "| 04_deep_autoencoders | 2026-11-30 |" in text


def test_a_failing_notebook_is_reported_and_the_others_still_written(tmp_path, monkeypatch):
    notebook_dir = tmp_path / "notebooks"
    notebook_dir.mkdir()
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("raise RuntimeError('broken week')")]),
                   notebook_dir / "03_linear_autoencoder.ipynb")
    monkeypatch.setattr(bench, "NOTEBOOK_DIR", notebook_dir)
    monkeypatch.setattr(bench, "MODEL_NOTEBOOKS", ("03_linear_autoencoder",))
    assert bench.main(["--fast", "--output-dir", str(tmp_path / "out"), "--settings", "course"]) == 1
    results = json.loads((tmp_path / "out" / "results.json").read_text())
    assert "broken week" in results["run"]["failures"][0]
    assert "## Runs that failed" in (tmp_path / "out" / "results.md").read_text()


def test_the_real_week_3_notebook_smoke_runs_in_fast_mode(tmp_path):
    """The CI smoke run: the smallest real notebook through the whole pipeline, lecture settings injected.

    Only the lecture's run: nbval already executes the notebook as it is, and week 3 itself
    compares the lecture's plain SGD with the course's momentum from the same start.
    """
    assert bench.main(["--fast", "--notebooks", "03", "--settings", "lecture", "--output-dir", str(tmp_path)]) == 0
    results = json.loads((tmp_path / "results.json").read_text())
    models = {model["model"]: model for model in results["models"]}
    sheet = models["linear_ae_tilted_sheet"]["lecture"]  # the lecture's plain SGD injected into the sheet's model
    assert sheet["optimizer"].startswith("SGD") and "momentum" not in sheet["optimizer"].lower()
    assert sheet["train_seconds"] > 0 and results["run"]["failures"] == []
    assert sheet["mse_ratio"] < 1.05  # plain SGD at 1.5 still gets near PCA's error on the sheet
