import pytest

from mnist_lessons import glue as glue_module


def test_without_myst_nb_the_value_is_printed_with_its_name(monkeypatch, capsys):
    monkeypatch.setattr(glue_module, "_myst_glue", None)
    glue_module.glue("accuracy", "99.37%")
    assert capsys.readouterr().out == "accuracy = 99.37%\n"


def test_with_myst_nb_it_is_used(monkeypatch):
    calls = []
    monkeypatch.setattr(glue_module, "_myst_glue", lambda *args, **kwargs: calls.append((args, kwargs)))
    glue_module.glue("n", "5")
    assert calls == [(("n", "5"), {"display": False})]


def test_name_must_be_a_string():
    with pytest.raises(TypeError, match="non-empty string"):
        glue_module.glue(3, "x")
