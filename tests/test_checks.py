"""One way to validate arguments: TypeError for a wrong type, ValueError for a bad value, a message that helps."""

import re

import numpy as np
import pytest

from mnist_lessons.checks import (
    check_bool,
    check_choice,
    check_image_shape,
    check_int,
    check_labels,
    check_model,
    check_number,
    check_pair,
    check_probability_rows,
    check_scaled_images,
    check_text,
    get_layer,
    model_input_shape,
)


@pytest.mark.parametrize("value", [True, 1.5, "3", None, np.float64(2.0)])
def test_check_int_refuses_what_is_not_an_int(value):
    with pytest.raises(TypeError, match=r"^epochs must be an int; got .*Pass a whole number\.$"):
        check_int(value, "epochs")


def test_check_int_ranges_and_numpy_ints():
    assert check_int(np.int64(3), "n", low=1) == 3 and type(check_int(np.int64(3), "n")) is int
    with pytest.raises(ValueError, match=r"^seed must be an int of at least 0; got -1\.$"):
        check_int(-1, "seed", low=0)
    with pytest.raises(ValueError, match=r"^down must be an int from -10 to 10; got 11\. Shift less\.$"):
        check_int(11, "down", low=-10, high=10, hint="Shift less.")


def test_check_number_types_ranges_and_open_bounds():
    assert check_number(np.float32(0.5), "p", low=0, high=1) == 0.5
    with pytest.raises(TypeError, match="peak must be a number; got True"):
        check_number(True, "peak")
    with pytest.raises(ValueError, match=r"peak must be a finite number in \(0, 1\]; got 0\.0"):
        check_number(0, "peak", low=0, high=1, low_open=True)
    with pytest.raises(ValueError, match="finite"):
        check_number(float("nan"), "level", low=0, high=1)
    with pytest.raises(ValueError, match=r"of at least 0"):
        check_number(-1, "size", low=0)


def test_check_bool_choice_text_and_pair():
    assert check_bool(np.bool_(True), "scale") is True
    with pytest.raises(TypeError, match="scale must be True or False; got 1"):
        check_bool(1, "scale")
    with pytest.raises(ValueError, match="kind must be one of 'auto', 'grid'; got 'pen'"):
        check_choice("pen", "kind", ("auto", "grid"))
    with pytest.raises(TypeError, match="title must be a string"):
        check_text(3, "title")
    assert check_pair((1, np.int64(2)), "pixel", low=0, high=27) == (1, 2)
    with pytest.raises(TypeError, match="tuple of two ints"):
        check_pair([1, 2], "pixel", low=0, high=27)
    with pytest.raises(ValueError, match=r"from 1 to 26, so that it has four neighbours; got \(0, 5\)"):
        check_pair((0, 5), "pixel", low=1, high=26, why=", so that it has four neighbours")


@pytest.fixture(scope="module")
def models():
    """Four untrained models that differ only in the shape of their input."""
    import keras

    def model(name, shape):
        return keras.Sequential([keras.Input(shape), keras.layers.Flatten(name="flatten"),
                                 keras.layers.Dense(10, name="dense")], name=name)

    return {None: None, "cnn": model("cnn", (28, 28, 1)), "mlp": model("mlp", (28, 28)),
            "flat": model("flat", (784,)), "small": model("small", (14, 14))}


def test_messages_name_the_type_and_the_one_bound_given():
    with pytest.raises(TypeError, match=r"got 1\.5 \(float\)\. Pass"):
        check_int(1.5, "down")
    with pytest.raises(ValueError, match=r"int of at most 10; got 11\.$"):
        check_int(11, "n", high=10)
    with pytest.raises(TypeError, match=r"got 3 \(int\)\.$"):
        check_text(3, "title")


@pytest.mark.parametrize("value, kwargs, match", [
    (2, dict(high=1), r"finite number of at most 1; got 2\.0\.$"),
    (1, dict(high=1, high_open=True), r"finite number below 1; got 1\.0\.$"),
    (float("inf"), dict(), r"finite number; got inf\.$"),
    (-1, dict(low=0, hint="Pass a size."), r"of at least 0; got -1\.0\. Pass a size\.$"),
])
def test_check_number_says_which_range_and_adds_the_hint(value, kwargs, match):
    with pytest.raises(ValueError, match=match):
        check_number(value, "size", **kwargs)


def test_check_number_type_error_names_the_type_and_adds_the_hint():
    with pytest.raises(TypeError, match=r"got True \(bool\)\.$"):
        check_number(True, "peak")
    with pytest.raises(TypeError, match=r"got 'a' \(str\)\. Pass a float\.$"):
        check_number("a", "peak", hint="Pass a float.")


def test_check_pair_bounds_are_inclusive_and_both_entries_must_be_ints():
    assert check_pair((0, 27), "pixel", low=0, high=27) == (0, 27)
    with pytest.raises(ValueError, match=r"from 0 to 27; got \(0, 28\)\.$"):
        check_pair((0, 28), "pixel", low=0, high=27)
    for value in [(1.5, 2), (True, 2), (1, 2, 3)]:
        with pytest.raises(TypeError, match="tuple of two ints"):
            check_pair(value, "pixel", low=0, high=27)


def test_check_labels_names_the_fix_for_one_hot_vectors_and_the_range():
    with pytest.raises(TypeError, match=r"^labels must be integer.*float64\. If you have one-hot vectors, convert"):
        check_labels(np.zeros(3), 3)
    for bad in (10, -1):
        with pytest.raises(ValueError, match=r"^labels must be in 0\.\.9"):
            check_labels(np.array([bad]), 1)
    assert check_labels([0, 9], 2).dtype == np.int64


def test_check_probability_rows_tolerates_a_thousandth_and_names_the_fix():
    rows = np.array([[0.5, 0.5005]])                                 # sums to 1.0005
    assert check_probability_rows(rows) is rows
    with pytest.raises(ValueError, match=r"^probabilities are not.*to 1\.5\)\. If they are logits, apply a softmax"):
        check_probability_rows(np.array([[0.5, 1.0]]))


def test_model_checks_say_where_a_model_comes_from(models):
    import keras

    with pytest.raises(TypeError, match=r"^model must be a Keras.*got int\. Build one.*load one with mnist_lessons"):
        check_model(3)
    with pytest.raises(ValueError, match=r"no defined input\. Start it with keras\.Input\(shape=\.\.\.\)"):
        model_input_shape(keras.Sequential())
    mlp = models["mlp"]
    assert get_layer(mlp, -1) is get_layer(mlp, "dense") is mlp.layers[1]
    with pytest.raises(ValueError, match=r"from -2 to 1; got 2\. Model 'mlp' has 2 layers: \['flatten', 'dense'\]"):
        get_layer(mlp, 2)
    with pytest.raises(ValueError, match=r"is not in model 'mlp'; its layers are"):
        get_layer(mlp, models["cnn"].layers[1])
    for layer in (1.5, None):
        with pytest.raises(TypeError, match=r"a layer name \(str\), an index \(int\) or a Keras layer"):
            get_layer(mlp, layer)


def test_check_scaled_images_names_the_fixes():
    with pytest.raises(TypeError, match=r"^images must be floating.*uint8\. Scale them.*load them with load_mnist"):
        check_scaled_images(np.zeros((1, 28, 28), np.uint8))
    for dtype in (np.int64, bool):
        with pytest.raises(TypeError, match=f"got dtype {np.dtype(dtype)}"):
            check_scaled_images(np.zeros((1, 28, 28), dtype))
    with pytest.raises(ValueError, match=r"^pixels must have shape"):
        check_scaled_images(np.zeros(5), name="pixels")
    with pytest.raises(ValueError, match="contain NaN or infinite values"):
        check_scaled_images(np.full((1, 28, 28), np.nan))
    images = np.zeros((2, 28, 28), np.float32)
    assert check_scaled_images(images) is images                     # float32 already: not copied


@pytest.mark.parametrize("top, hint", [(1.2, False), (1.5, False), (2.0, True), (255.0, True)])
def test_check_scaled_images_suggests_dividing_by_255_above_1_5(top, hint):
    images = np.zeros((1, 28, 28))
    images[0, 0, 0] = top
    with pytest.raises(ValueError, match=r"in \[0, 1\]; got values from 0 to") as error:
        check_scaled_images(images)
    ending = r"\. They look like 0-255 pixel values.*load_mnist\(scale=True\)\.$" if hint else r"\.$"
    assert re.search(f"to {top:g}{ending}", str(error.value))


@pytest.mark.parametrize("shape, model, batch, match", [
    ((5, 10, 10), None, True, r"^images must .*\(n, 28, 28\) or \(n, 28, 28, 1\); got \(5, 10, 10\)\.$"),
    ((28, 28), None, True, r"got \(28, 28\)\. This looks like a single image: .*image\[None\]\.$"),
    ((784,), "flat", True, r"\(n,\) \+ \(784,\); got \(784,\)\. This looks like a single image"),
    ((2, 28, 28, 3), None, True, r"\)\. This looks like RGB: MNIST models take one grey channel\.$"),
    ((2, 28, 28, 1), "mlp", True, r"1\)\. Add or remove the channel axis.*channel_axis=True\) for a CNN\.$"),
    ((2, 28, 28), "cnn", True, r"\(2, 28, 28\)\. Add or remove the channel axis"),
    ((0, 28, 28), None, True, r"^images is empty .*pass at least one image"),
    ((10, 10), None, False, r"^images must be one image .*\(28, 28\) or \(28, 28, 1\); got \(10, 10\)\.$"),
    ((28, 28), "cnn", False, r"one image of shape \(28, 28, 1\); got \(28, 28\)\.$"),
    ((3, 14, 14), "small", False, r"got \(3, 14, 14\)\. This looks like a batch: pass one image"),
    ((28, 28, 3), None, False, r"\)\. This looks like RGB: MNIST models take one grey channel\.$"),
])
def test_check_image_shape_hints(models, shape, model, batch, match):
    with pytest.raises(ValueError, match=match):
        check_image_shape(shape, model=models[model], batch=batch)


def test_check_image_shape_expects_a_batch_by_default_and_follows_the_model(models):
    check_image_shape((3, 28, 28, 1))
    check_image_shape((3, 784), model=models["flat"])
    check_image_shape((784,), model=models["flat"], batch=False)
