"""Experiment checks of week 02: they reject the usual wrong approach and accept right answers in other forms."""
import warnings

import numpy as np
import keras
import pandas as pd
import pytest
from sklearn.datasets import make_circles
from sklearn.decomposition import PCA, KernelPCA
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, cross_val_score, train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from course_utils import checks, config, data
from test_exercises import lesson_cell, run_check, strict  # the notebook's own cells; checks raise

NOTEBOOK = "02_pca_scikit_learn"
CFG = config.CourseConfig(fast=True, seed=42, backend=keras.backend.backend(), device="CPU", on_colab=False)


@pytest.fixture(autouse=True)
def quiet_solver():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # the unscaled mistakes do not converge
        yield


# Exercise 5: let cross-validation choose the components --------------------------------------------

CANCER = data.load_breast_cancer()
X_TRAIN, X_TEST, Y_TRAIN, Y_TEST = train_test_split(CANCER.X, CANCER.y, random_state=0)


def _run_cancer_check(model):
    run_check(NOTEBOOK, "tuned scaler, PCA and logistic regression", tuned_cancer_model=model,
              warnings=warnings, ConvergenceWarning=ConvergenceWarning, cross_val_score=cross_val_score)


def test_cancer_pipeline_accepts_a_pipeline_with_named_steps():
    model = Pipeline([("scale", StandardScaler()), ("reduce", PCA(n_components=6)),
                      ("classify", LogisticRegression(C=0.5))]).fit(X_TRAIN, Y_TRAIN)
    _run_cancer_check(model)


def test_cancer_pipeline_accepts_a_search_over_components_and_c():
    search = GridSearchCV(make_pipeline(StandardScaler(), PCA(), LogisticRegression()),
                          {"pca__n_components": [4, 7, 10], "logisticregression__C": [0.1, 1.0]}, cv=3)
    _run_cancer_check(search.fit(X_TRAIN, Y_TRAIN))


@pytest.mark.parametrize("mistake", ["no scaler", "the scaler outside the pipeline", "2 components, as in section 3",
                                     "no PCA"])
def test_cancer_pipeline_rejects_the_usual_mistakes(mistake):
    if mistake == "no scaler":
        model = make_pipeline(PCA(n_components=10), LogisticRegression()).fit(X_TRAIN, Y_TRAIN)
    elif mistake == "the scaler outside the pipeline":  # it was fitted on scaled features but is given raw ones
        scaled = StandardScaler().fit_transform(X_TRAIN)
        model = make_pipeline(PCA(n_components=8), LogisticRegression()).fit(scaled, Y_TRAIN)
    elif mistake == "2 components, as in section 3":
        model = make_pipeline(StandardScaler(), PCA(n_components=2), LogisticRegression()).fit(X_TRAIN, Y_TRAIN)
    else:
        model = make_pipeline(StandardScaler(), LogisticRegression()).fit(X_TRAIN, Y_TRAIN)
    with pytest.raises(checks.CheckFailed, match="tuned scaler"):
        _run_cancer_check(model)


def test_cancer_pipeline_answers_a_wrong_type_with_a_cross_not_an_error():
    with pytest.raises(checks.CheckFailed, match="❌"):
        _run_cancer_check("GridSearchCV")


# Exercise 6: PCA before a nearest-neighbour classifier ---------------------------------------------

MNIST = data.load_mnist()
KNN_TRAIN = data.flatten_images(MNIST.x_train[:2_000])
KNN_TRAIN_LABELS = MNIST.y_train[:2_000]


def _run_knn_check(model):
    run_check(NOTEBOOK, "PCA before nearest neighbours", pca_knn_model=model, cfg=CFG,
              KNeighborsClassifier=KNeighborsClassifier, knn_train=KNN_TRAIN, knn_train_labels=KNN_TRAIN_LABELS)


def test_knn_pipeline_accepts_three_neighbours_and_the_full_svd():
    model = make_pipeline(PCA(n_components=30, svd_solver="full"), KNeighborsClassifier(n_neighbors=3))
    _run_knn_check(model.fit(KNN_TRAIN, KNN_TRAIN_LABELS))


def test_knn_pipeline_accepts_a_fitted_search():
    search = GridSearchCV(make_pipeline(PCA(random_state=0), KNeighborsClassifier(n_neighbors=1)),
                          {"pca__n_components": [20, 30, 40]}, cv=3)
    _run_knn_check(search.fit(KNN_TRAIN, KNN_TRAIN_LABELS))


@pytest.mark.parametrize("mistake", ["2 components", "10 components", "no PCA"])
def test_knn_pipeline_rejects_the_usual_mistakes(mistake):
    if mistake == "no PCA":
        model = KNeighborsClassifier(n_neighbors=1)
    else:
        model = make_pipeline(PCA(n_components=int(mistake.split()[0]), random_state=0), KNeighborsClassifier(n_neighbors=1))
    with pytest.raises(checks.CheckFailed, match="PCA before nearest neighbours"):
        _run_knn_check(model.fit(KNN_TRAIN, KNN_TRAIN_LABELS))


def test_knn_pipeline_answers_a_wrong_type_with_a_cross_not_an_error():
    with pytest.raises(checks.CheckFailed, match="❌"):
        _run_knn_check({"n_components": 30})


# Exercises 1 to 3, which tests/test_exercises.py does not cover yet ---------------------------------

def test_k90_accepts_searchsorted_as_a_float_and_rejects_the_zero_based_index():
    images = data.flatten_images(MNIST.x_train[:300])
    cumulative = np.cumsum(PCA().fit(images).explained_variance_ratio_)
    run_check(NOTEBOOK, "components for 90 %", k90=float(np.searchsorted(cumulative, 0.90) + 1), X_mnist=images)
    with pytest.raises(checks.CheckFailed, match="components for 90 %"):
        run_check(NOTEBOOK, "components for 90 %", k90=int(np.argmax(cumulative >= 0.90)), X_mnist=images)


def _run_dominant_check(feature, share):
    run_check(NOTEBOOK, "feature dominating raw PC1", dominant_feature=feature, dominant_share=share,
              X_train=X_TRAIN, cancer=CANCER)


def test_dominant_feature_accepts_pandas_and_another_spelling():
    variances = pd.DataFrame(X_TRAIN, columns=list(CANCER.feature_names)).var()
    _run_dominant_check(f" {variances.idxmax().title()} ", variances.max() / variances.sum())


def test_dominant_share_rejects_the_explained_variance_ratio_of_pc1():
    raw_pc1 = PCA(n_components=1).fit(X_TRAIN)
    feature = CANCER.feature_names[np.argmax(np.abs(raw_pc1.components_[0]))]
    with pytest.raises(checks.CheckFailed, match="share of the total variance"):
        _run_dominant_check(feature, raw_pc1.explained_variance_ratio_[0])


def _rings_separability():
    """The notebook's `linear_separability`, on its fast-mode rings."""
    rings, labels = make_circles(n_samples=400, factor=0.3, noise=0.05, random_state=42)
    train, test, y_train, y_test = train_test_split(rings, labels, test_size=0.3, random_state=42, stratify=labels)

    def linear_separability(reducer):
        reducer.fit(train)
        classifier = LogisticRegression().fit(reducer.transform(train), y_train)
        return classifier.score(reducer.transform(test), y_test)

    return linear_separability


def test_failing_gammas_accepts_a_list_of_floats_and_rejects_the_accuracies():
    separability = _rings_separability()
    accuracy = {gamma: separability(KernelPCA(n_components=2, kernel="rbf", gamma=gamma)) for gamma in (0.04, 0.4, 4, 40, 400)}
    failing = [float(gamma) for gamma, value in accuracy.items() if value < 0.9]
    assert failing, "some γ should fail"
    run_check(NOTEBOOK, "γ values that fail", failing_gammas=failing, linear_separability=separability, KernelPCA=KernelPCA)
    with pytest.raises(checks.CheckFailed, match="γ values that fail"):
        run_check(NOTEBOOK, "γ values that fail", failing_gammas={value for value in accuracy.values() if value < 0.9},
                  linear_separability=separability, KernelPCA=KernelPCA)
