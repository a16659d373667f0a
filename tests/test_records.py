"""The shipped JSON records hold what the commands measured, and agree with the shipped models."""

from mnist_lessons import records
from mnist_lessons.models import SHIPPED, pretrained
from mnist_lessons.training import RECIPES


def test_training_record_describes_every_shipped_model_by_its_recipe():
    record = records.training_record()
    for name in SHIPPED:
        assert record[name]["recipe"] == RECIPES[name].describe()
        assert record[name]["parameters"] == pretrained(name).count_params()
        assert 0.97 < record[name]["test_accuracy"] <= 1 and record[name]["training_seconds"] > 0
    assert {"date", "cpu_cores", "tensorflow", "keras"} <= set(record["_machine"])


def test_run_times_cover_the_chapters():
    times = records.run_times()
    assert times["chapters"] and all(chapter["seconds"] > 0 for chapter in times["chapters"].values())


def test_the_shipped_recipes_are_the_best_on_the_validation_digits():
    # Chosen on the last 10,000 training digits, never on the test set (regenerate_weights' search).
    from mnist_lessons.training import CANDIDATES, best_candidate

    search = records.training_record()["search"]
    for name in SHIPPED:
        accuracies = search[name]["validation_accuracy"]
        assert set(accuracies) == {recipe.describe() for recipe in CANDIDATES[name]}
        assert best_candidate(name, accuracies) == RECIPES[name]
        assert search[name]["chosen"] == RECIPES[name].describe()
        assert search[name]["fit_digits"] + search[name]["validation_digits"] == 60_000
