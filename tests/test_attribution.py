import numpy as np
import pytest

from mnist_lessons.attribution import deletion_curve, gradient_saliency, occlusion_sensitivity, rank_correlation
from mnist_lessons.drawing import draw_strokes
from mnist_lessons.models import logits_model, pretrained


@pytest.fixture(scope="module")
def three_digits(mnist_small):
    """Three test digits without the channel axis (the MLP's input), and their labels."""
    (_, _), (x, y) = mnist_small
    return x[:3], y[:3]


@pytest.mark.parametrize("name", ["mlp", "cnn"])
def test_saliency_shape_and_sign_for_both_models(name, three_digits):
    model = pretrained(name)
    x, _ = three_digits
    images = x if name == "mlp" else x[..., None]
    saliency = gradient_saliency(model, images)
    assert saliency.shape == (3, 28, 28) and saliency.min() >= 0 and saliency.max() > 0


def test_saliency_is_the_logit_gradient_by_finite_differences(three_digits):
    model = pretrained("mlp")
    x, _ = three_digits
    image = x[:1].astype("float64")
    saliency = gradient_saliency(model, x[:1], classes=3)[0]
    logits = logits_model(model)
    row, col = np.unravel_index(np.argmax(saliency), saliency.shape)
    step = np.zeros_like(image)
    step[0, row, col] = 1e-2
    up = logits.predict((image + step).astype("float32"), verbose=0)[0, 3]
    down = logits.predict((image - step).astype("float32"), verbose=0)[0, 3]
    # The MLP is piecewise linear: a small step gives the slope up to float32 rounding.
    assert abs(abs(up - down) / 2e-2 - saliency[row, col]) < 1e-2 * saliency[row, col] + 1e-4


def test_saliency_explains_the_requested_class(three_digits, cnn):
    model = cnn
    x, _ = three_digits
    images = x[..., None]
    assert not np.allclose(gradient_saliency(model, images, classes=0), gradient_saliency(model, images, classes=5))
    np.testing.assert_allclose(gradient_saliency(model, images),
                               gradient_saliency(model, images, classes=model.predict(images, verbose=0).argmax(1)))


def test_occlusion_supports_the_stroke_of_a_one(cnn):
    model = cnn
    one = draw_strokes([[(14, 4), (14, 24)]], width=2.5)[None, ..., None]
    assert model.predict(one, verbose=0).argmax() == 1
    drop = occlusion_sensitivity(model, one, classes=1, patch=6, stride=2)[0]
    assert drop.shape == (28, 28)
    assert drop[4:24, 12:16].mean() > drop[:, :6].mean()   # hiding the bar matters, hiding blank does not


def test_occlusion_covers_every_pixel_with_odd_strides(three_digits):
    x, _ = three_digits
    drop = occlusion_sensitivity(pretrained("mlp"), x[:1], patch=5, stride=4)
    assert np.all(np.isfinite(drop))


@pytest.mark.parametrize("function", [gradient_saliency, occlusion_sensitivity])
def test_bad_input(function, three_digits):
    x, _ = three_digits
    model = pretrained("mlp")
    with pytest.raises(TypeError, match="Keras model"):
        function("mlp", x)
    with pytest.raises(TypeError, match="uint8"):
        function(model, (x * 255).astype("uint8"))
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        function(model, x * 255)
    with pytest.raises(ValueError):
        function(model, x[..., None])                       # the MLP reads (28, 28)
    with pytest.raises(ValueError, match="classes"):
        function(model, x, classes=[1, 2])
    with pytest.raises(ValueError, match="classes"):
        function(model, x, classes=10)


def test_occlusion_settings_are_checked(three_digits):
    x, _ = three_digits
    model = pretrained("mlp")
    with pytest.raises(ValueError, match="patch"):
        occlusion_sensitivity(model, x, patch=0)
    with pytest.raises(ValueError, match="stride must be an int from 1 to 4"):
        occlusion_sensitivity(model, x, patch=4, stride=5)
    with pytest.raises(ValueError, match="fill"):
        occlusion_sensitivity(model, x, fill=255)
    with pytest.raises(ValueError, match="at most 20"):
        occlusion_sensitivity(model, np.zeros((21, 28, 28), "float32"))


def test_saliency_of_a_model_ending_in_a_softmax_layer_uses_the_scores_before_it(three_digits):
    import keras

    x, _ = three_digits
    inputs = keras.Input((28, 28))
    scores = keras.layers.Dense(10, name="scores")(keras.layers.Flatten()(inputs))
    model = keras.Model(inputs, keras.layers.Softmax()(scores))
    bare = keras.Model(inputs, scores)
    np.testing.assert_allclose(gradient_saliency(model, x, classes=2), gradient_saliency(bare, x, classes=2),
                               rtol=1e-5, atol=1e-7)


def test_saliency_in_chunks_equals_one_pass(mnist_small):
    (x, _), _ = mnist_small
    model = pretrained("mlp")
    images = x[:501]
    chunked = gradient_saliency(model, images, classes=3)      # 500 + 1
    np.testing.assert_allclose(chunked[-1:], gradient_saliency(model, images[-1:], classes=3), rtol=1e-5)
    assert chunked.shape == (501, 28, 28)


# --- rank_correlation and deletion_curve: the checks of chapter 7 ---------------------------------

def _maps(*rows):
    """One 28×28 map per row of values, the values in the first pixels in reading order, 0 elsewhere."""
    maps = np.zeros((len(rows), 28 * 28))
    for map_, row in zip(maps, rows):
        map_[:len(row)] = row
    return maps.reshape(len(rows), 28, 28)


def test_rank_correlation_by_hand_with_ties():
    mask = np.zeros((28, 28), bool)
    mask[0, :4] = True                                   # only the first four pixels count
    a, b = _maps([1, 2, 2, 3]), _maps([1, 2, 3, 4])
    # ranks [0, 1.5, 1.5, 3] and [0, 1, 2, 3]; centred [-1.5, 0, 0, 1.5] and [-1.5, -.5, .5, 1.5]:
    # 4.5 / sqrt(4.5 * 5) = sqrt(0.9)
    np.testing.assert_allclose(rank_correlation(a, b, mask=mask), [np.sqrt(0.9)], rtol=1e-12)
    b[0, 5, 5] = 1000.0                                   # outside the mask: no effect
    np.testing.assert_allclose(rank_correlation(a, b, mask=mask), [np.sqrt(0.9)], rtol=1e-12)


def test_rank_correlation_uses_only_the_order_and_works_image_by_image():
    rng = np.random.default_rng(0)
    a = rng.random((3, 28, 28))
    b = np.stack([a[0] ** 3, -a[1], rng.random((28, 28))])
    found = rank_correlation(a, b)
    np.testing.assert_allclose(found[:2], [1, -1], atol=1e-12)
    assert abs(found[2]) < 0.1                            # unrelated orders
    np.testing.assert_allclose(rank_correlation(a[..., None], b[..., None]), found)   # channel axis


def test_rank_correlation_equals_scipy_where_scipy_is_installed():
    stats = pytest.importorskip("scipy.stats")
    rng = np.random.default_rng(1)
    a = np.round(rng.random((2, 28, 28)), 1)              # many ties
    b = np.round(rng.random((2, 28, 28)) + a, 1)
    expected = [stats.spearmanr(x.ravel(), y.ravel())[0] for x, y in zip(a, b)]
    np.testing.assert_allclose(rank_correlation(a, b), expected, rtol=1e-10)


def test_rank_correlation_bad_input():
    a = _maps([1, 2, 3])
    with pytest.raises(ValueError, match=r"maps_b must have shape \(1, 28, 28\)"):
        rank_correlation(a, np.zeros((2, 28, 28)))
    with pytest.raises(ValueError, match="maps_a must have shape"):
        rank_correlation(np.zeros((28, 28)), np.zeros((28, 28)))
    with pytest.raises(TypeError, match="real numbers"):
        rank_correlation(a.astype(str), a)
    with pytest.raises(ValueError, match="NaN"):
        rank_correlation(a * np.nan, a)
    with pytest.raises(ValueError, match=r"maps_b\[0\] is constant"):
        rank_correlation(a, np.zeros((1, 28, 28)))
    with pytest.raises(TypeError, match="boolean"):
        rank_correlation(a, a, mask=np.ones((28, 28)))
    one_pixel = np.zeros((28, 28), bool)
    one_pixel[0, 0] = True
    with pytest.raises(ValueError, match="keep at least 2 pixels; got shape \\(28, 28\\) keeping 1"):
        rank_correlation(a, a, mask=one_pixel)


def _counting_model():
    """A softmax over [number of ink pixels, 0, ..., 0]: class 0's logit is the sum of the pixels."""
    import keras

    inputs = keras.Input((28, 28))
    output = keras.layers.Dense(10, activation="softmax")(keras.layers.Flatten()(inputs))
    model = keras.Model(inputs, output)
    kernel = np.zeros((784, 10), "float32")
    kernel[:, 0] = 1
    model.layers[-1].set_weights([kernel, np.zeros(10, "float32")])
    return model


def test_deletion_curve_by_hand():
    model = _counting_model()
    image = np.zeros((1, 28, 28), "float32")
    image[0, 3, 4] = image[0, 10, 10] = image[0, 20, 1] = 1.0           # three ink pixels
    scores = image + np.linspace(0, 0.5, 784).reshape(1, 28, 28)         # ink first, the last first
    curve = deletion_curve(model, image, scores, [0, 1, 3, 784])
    # class 0 (the prediction): e^s / (e^s + 9) with s = 3, 2, 0, 0 pixels of ink left
    expected = [np.exp(s) / (np.exp(s) + 9) for s in (3, 2, 0, 0)]
    np.testing.assert_allclose(curve, [expected], rtol=1e-5)
    np.testing.assert_allclose(deletion_curve(model, image, scores, [1], classes=1),
                               [[1 / (np.exp(2) + 9)]], rtol=1e-5)


def test_deletion_curve_deletes_equal_scores_in_reading_order():
    model = _counting_model()
    image = np.zeros((2, 28, 28), "float32")
    image[:, 0, 0] = image[:, 27, 27] = 1.0          # the first and the last pixel
    curve = deletion_curve(model, image, np.zeros((2, 28, 28)), [1, 783, 784], classes=[0, 0])
    one_left = np.exp(1) / (np.exp(1) + 9)
    np.testing.assert_allclose(curve, [[one_left, one_left, 0.1]] * 2, rtol=1e-5)


def test_deletion_curve_bad_input(three_digits):
    x, _ = three_digits
    model = pretrained("mlp")
    scores = np.zeros((3, 28, 28))
    with pytest.raises(ValueError, match=r"scores must have shape \(3, 28, 28\)"):
        deletion_curve(model, x, scores[:2], [1])
    with pytest.raises(ValueError, match="count must be an int from 0 to 784"):
        deletion_curve(model, x, scores, [785])
    with pytest.raises(TypeError, match="counts must be a non-empty sequence"):
        deletion_curve(model, x, scores, 5)
    with pytest.raises(TypeError, match="counts must be a non-empty sequence"):
        deletion_curve(model, x, scores, [])
    with pytest.raises(ValueError, match="classes"):
        deletion_curve(model, x, scores, [1], classes=[1, 2])
    with pytest.raises(TypeError, match="Keras model"):
        deletion_curve("mlp", x, scores, [1])


def test_occlusion_is_the_mean_drop_over_the_positions_that_hid_each_pixel():
    import keras

    # A model whose class 0 depends on pixel (3, 3) alone: logit 0 is ln 9 times that pixel, the
    # other nine logits are 0, so class 0 has probability 9 / 18 = 0.5 with the pixel at 1 and
    # 1 / 10 = 0.1 with it hidden: a drop of 0.4 at every position of the patch that covers it.
    kernel = np.zeros((784, 10), "float32")
    kernel[3 * 28 + 3, 0] = np.log(9)
    inputs = keras.Input((28, 28))
    model = keras.Model(inputs, keras.layers.Dense(10, activation="softmax")(keras.layers.Flatten()(inputs)))
    model.layers[-1].set_weights([kernel, np.zeros(10, "float32")])
    image = np.zeros((1, 28, 28), "float32")
    image[0, 3, 3] = 1.0
    # A 14-pixel patch every 7 pixels starts at rows and columns 0, 7 and 14: rows 0-6 and 21-27
    # are hidden by one start, rows 7-20 by two. Only the patch at (0, 0) hides pixel (3, 3).
    drop = occlusion_sensitivity(model, image, classes=0, patch=14, stride=7)[0]
    hidden_by = np.array([1] * 7 + [2] * 14 + [1] * 7)
    expected = np.zeros((28, 28))
    expected[:14, :14] = 0.4 / np.outer(hidden_by[:14], hidden_by[:14])   # the mean over the hiding patches
    np.testing.assert_allclose(drop, expected, atol=1e-6)
    assert drop[3, 3] == pytest.approx(0.4) and drop[10, 10] == pytest.approx(0.1)


def test_rank_correlation_on_two_pixels_and_a_constant_map_among_others():
    two = np.zeros((28, 28), bool)
    two[0, :2] = True                                     # the fewest pixels allowed
    np.testing.assert_allclose(rank_correlation(_maps([1, 2]), _maps([5, 3]), mask=two), [-1.0])
    a = np.stack([_maps([1, 2, 3])[0], _maps([3, 2, 1])[0]])
    b = a.copy()
    b[1] = 0.0                                            # the second image's map alone is constant
    with pytest.raises(ValueError, match=r"^maps_b\[1\] is constant on the mask: a rank correlation needs "
                                         r"pixels of different values\.$"):
        rank_correlation(a, b)
    with pytest.raises(ValueError, match=r"^maps_a\[1\] is constant"):
        rank_correlation(b, a)
