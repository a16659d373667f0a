import json
import sys
import types

import pytest

from mnist_lessons import experiments, record_experiments, records


@pytest.fixture
def toy_experiment(monkeypatch):
    module = types.ModuleType("mnist_lessons.experiments.toy")
    module.__doc__ = "A toy experiment: the seed plus the draw.\n\nMore."
    module.NAME, module.CHAPTER, module.SETTINGS = "toy", "00_none", {"size": 3}
    module.RUNS = [(0, 0), (1, 0), (0, 1)]
    module.run = lambda seed, draw: {"sum": seed + 10 * draw}
    monkeypatch.setitem(sys.modules, "mnist_lessons.experiments.toy", module)
    monkeypatch.setattr(experiments, "EXPERIMENTS", ("toy",))
    return module


def test_record_runs_every_seed_and_draw_in_order(toy_experiment, tmp_path):
    path = record_experiments.record("toy", tmp_path, log=open("/dev/null", "w"))
    document = json.loads(path.read_text())
    assert path.name == "toy.json" and document["settings"] == {"size": 3}
    assert [(run["seed"], run["draw"], run["results"]["sum"]) for run in document["runs"]] == [
        (0, 0, 0), (1, 0, 1), (0, 1, 10)]
    assert document["description"] == "A toy experiment: the seed plus the draw."
    assert {"date", "tensorflow", "keras", "cpu_cores"} <= set(document["_machine"])


def test_unknown_experiment_is_a_clear_error(toy_experiment):
    with pytest.raises(ValueError, match="no experiment 'nope'; the recorded experiments are \\['toy'\\]"):
        experiments.load("nope")
    with pytest.raises(SystemExit):
        record_experiments.main(["nope"])


def test_a_module_without_the_protocol_is_refused(toy_experiment):
    del toy_experiment.RUNS
    with pytest.raises(TypeError, match="lacks \\['RUNS'\\]"):
        experiments.load("toy")


def test_missing_record_names_the_command():
    with pytest.raises(FileNotFoundError, match="python -m mnist_lessons.record_experiments nothing_here"):
        records.experiment_record("nothing_here")


@pytest.mark.parametrize("name", experiments.EXPERIMENTS)
def test_every_experiment_is_recorded_with_its_current_settings_and_runs(name):
    module = experiments.load(name)
    recorded = records.experiment_record(name)
    assert recorded["settings"] == json.loads(json.dumps(module.SETTINGS)), (
        f"{name}'s settings changed since it was recorded: run python -m mnist_lessons.record_experiments {name}")
    assert [(run["seed"], run["draw"]) for run in recorded["runs"]] == [tuple(pair) for pair in module.RUNS]
