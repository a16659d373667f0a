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


# --- hand-made models whose scores are known, for the settings and branches above -----------------

def _pixel_model(*pixels):
    """A softmax model in which class k's logit is ln 9 times the pixel ``pixels[k]``, the others 0.

    With that pixel at 1 and every other at 0, class k has probability 9 / (9 + 9) = 0.5; with it
    hidden (0), all ten logits are 0 and it has 1 / 10 = 0.1: hiding it drops the probability by 0.4.
    """
    import keras

    kernel = np.zeros((784, 10), "float32")
    for k, (row, col) in enumerate(pixels):
        kernel[row * 28 + col, k] = np.log(9)
    inputs = keras.Input((28, 28))
    model = keras.Model(inputs, keras.layers.Dense(10, activation="softmax")(keras.layers.Flatten()(inputs)))
    model.layers[-1].set_weights([kernel, np.zeros(10, "float32")])
    return model


def _ink(*pixels, n=1):
    """``n`` blank images with the given (row, column) pixels at 1 (in all of them)."""
    images = np.zeros((n, 28, 28), "float32")
    for row, col in pixels:
        images[:, row, col] = 1.0
    return images


def test_occlusion_defaults_are_a_six_pixel_patch_every_two_pixels_and_the_predicted_class():
    model = _pixel_model((3, 3), (24, 24))
    images = np.concatenate([_ink((3, 3)), _ink((24, 24))])    # predicted 0 and 1 (probability 0.5 each)
    # Patches of 6 start at rows 0, 2, ..., 22. Row 3 is hidden by the starts 0 and 2; row i by the
    # starts in [i - 5, i]: rows 0-3 by starts that all hide row 3 (1), rows 4-5 by 0, 2, 4 (2 of 3),
    # rows 6-7 by 2, 4, 6 (1 of 3), rows from 8 by none that hide row 3. The mean drop is 0.4 times the
    # share of each pixel's patches that hid the digit's pixel, row share times column share.
    share = np.array([1, 1, 1, 1, 2 / 3, 2 / 3, 1 / 3, 1 / 3] + [0] * 20)
    expected = [0.4 * np.outer(share, share), 0.4 * np.outer(share[::-1], share[::-1])]  # (24, 24): mirrored
    np.testing.assert_allclose(occlusion_sensitivity(model, images), expected, atol=1e-6)


def test_occlusion_with_a_one_pixel_patch_finds_the_pixel_the_model_reads():
    model = _pixel_model((3, 3))
    expected = np.zeros((1, 28, 28))
    expected[0, 3, 3] = 0.4                           # each pixel is hidden by its own patch alone
    np.testing.assert_allclose(occlusion_sensitivity(model, _ink((3, 3)), patch=1, stride=1), expected,
                               atol=1e-6)


def test_occlusion_with_a_27_pixel_patch_has_two_starts_per_axis():
    model = _pixel_model((27, 27))
    # Starts 0 and 1: the corner pixel is hidden only by the patch at (1, 1). Rows 1-26 are hidden by
    # both starts, row 27 by start 1 alone, row 0 by start 0 alone (which never hides the corner).
    drop = occlusion_sensitivity(model, _ink((27, 27)), patch=27, stride=1)[0]
    per_row = np.array([0] + [1 / 2] * 26 + [1])
    np.testing.assert_allclose(drop, 0.4 * np.outer(per_row, per_row), atol=1e-6)
    assert drop[27, 27] == pytest.approx(0.4) and drop[27, 5] == pytest.approx(0.2) and drop[0, 27] == 0


def test_occlusion_takes_twenty_images():
    model = _pixel_model((3, 3))
    # One patch of 28 hides everything: each drop is 0.5 - 0.1.
    drop = occlusion_sensitivity(model, _ink((3, 3), n=20), patch=28)
    np.testing.assert_allclose(drop, np.full((20, 28, 28), 0.4), atol=1e-6)


def test_occlusion_setting_messages():
    model, image = _pixel_model((3, 3)), _ink((3, 3))
    with pytest.raises(ValueError, match=r"^patch must be an int from 1 to 28; got 0\.$"):
        occlusion_sensitivity(model, image, patch=0)
    with pytest.raises(ValueError, match=r"^patch must be an int from 1 to 28; got 29\.$"):
        occlusion_sensitivity(model, image, patch=29)
    with pytest.raises(ValueError, match=r"^stride must be an int from 1 to 4; got 5\. A stride larger than the "
                                         r"patch would leave pixels never hidden\.$"):
        occlusion_sensitivity(model, image, patch=4, stride=5)
    for fill in (-0.5, 1.5):
        with pytest.raises(ValueError, match=rf"^fill must be a finite number in \[0, 1\]; got {fill}\. It is a "
                                             r"pixel value; 0 is MNIST's background\.$"):
            occlusion_sensitivity(model, image, fill=fill)


def test_images_of_the_wrong_shape_are_reported_before_the_other_arguments():
    model, images = _pixel_model((3, 3)), _ink((3, 3))[..., None]     # a CNN's batch for a (28, 28) model
    message = r"^images must have shape \(n,\) \+ \(28, 28\); got \(1, 28, 28, 1\)\. Add or remove the channel axis"
    with pytest.raises(ValueError, match=message):
        occlusion_sensitivity(model, images, patch=0)
    with pytest.raises(ValueError, match=message):
        deletion_curve(model, images, np.zeros((1, 28, 28)), [])


def test_deletion_curve_tracks_each_images_own_prediction():
    model = _pixel_model((3, 3), (24, 24))
    images = np.concatenate([_ink((3, 3)), _ink((24, 24))])      # predicted 0 and 1, each with 0.5
    curve = deletion_curve(model, images, images, [0, 1])        # the ink pixel first
    np.testing.assert_allclose(curve, [[0.5, 0.1], [0.5, 0.1]], rtol=1e-5)


def test_deletion_curve_deletes_tied_scores_in_reading_order_among_many():
    model = _counting_model()
    image = _ink((0, 0), (27, 26))                  # pixels 0 and 782 of the 784, both even
    scores = np.zeros((1, 784))
    scores[0, ::2] = 1.0                            # 392 tied highest scores: the even pixels
    curve = deletion_curve(model, image, scores.reshape(1, 28, 28), [1, 391, 392])
    # 1 and 391 deletions take pixel 0 first and leave pixel 782; 392 take both: 1, 1, 0 ink pixels left.
    expected = [np.exp(s) / (np.exp(s) + 9) for s in (1, 1, 0)]
    np.testing.assert_allclose(curve, [expected], rtol=1e-5)


def test_classes_of_the_wrong_type_message():
    with pytest.raises(TypeError, match=r"^classes must be integer classes 0\.\.9; got 1\.5\.$"):
        gradient_saliency(_pixel_model((3, 3)), _ink((3, 3)), classes=1.5)


def _two_layer_scores(last):
    """A model whose class 0 score is 3 × pixel (5, 5) and class 1 score 2 × pixel (3, 3), then ``last``.

    The first Dense layer puts 2 × pixel (3, 3) in unit 0 and 3 × pixel (5, 5) in unit 1; the second
    swaps units 0 and 1 (and passes the others through), so a gradient of the first layer's outputs
    would point at the other pixel.
    """
    import keras

    first = np.zeros((784, 10), "float32")
    first[3 * 28 + 3, 0], first[5 * 28 + 5, 1] = 2, 3
    swap = np.eye(10, dtype="float32")[[1, 0] + list(range(2, 10))]
    inputs = keras.Input((28, 28))
    hidden = keras.layers.Dense(10)(keras.layers.Flatten()(inputs))
    if last == "dense softmax":
        outputs = keras.layers.Dense(10, activation="softmax")(hidden)
    else:
        outputs = keras.layers.Dense(10)(hidden)
        if last == "Softmax layer":
            outputs = keras.layers.Softmax()(outputs)
        elif last == "Activation('softmax')":
            outputs = keras.layers.Activation("softmax")(outputs)
    model = keras.Model(inputs, outputs)
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    dense[0].set_weights([first, np.zeros(10, "float32")])
    dense[1].set_weights([swap, np.zeros(10, "float32")])
    return model


@pytest.mark.parametrize("last", ["no softmax", "dense softmax", "Softmax layer", "Activation('softmax')"])
def test_saliency_is_the_score_gradient_however_the_model_ends(last):
    model = _two_layer_scores(last)
    # The scores are linear in the pixels: class 0's gradient is 3 at (5, 5), class 1's 2 at (3, 3),
    # whatever the image; a softmax's gradient would be scaled by p (1 - p) (here 0.09 for blank images).
    saliency = gradient_saliency(model, np.zeros((2, 28, 28), "float32"), classes=[0, 1])
    expected = np.zeros((2, 28, 28))
    expected[0, 5, 5], expected[1, 3, 3] = 3, 2
    np.testing.assert_allclose(saliency, expected, atol=1e-6)


def test_saliency_ignores_dropout():
    import keras

    # Dropout is off at inference: class 0's score is 2 × pixel (3, 3) exactly, every time
    # (dropout on would give 0 or 4 there).
    kernel = np.zeros((784, 10), "float32")
    kernel[3 * 28 + 3, 0] = 2
    inputs = keras.Input((28, 28))
    model = keras.Model(inputs, keras.layers.Dense(10)(keras.layers.Dropout(0.5)(keras.layers.Flatten()(inputs))))
    model.layers[-1].set_weights([kernel, np.zeros(10, "float32")])
    saliency = gradient_saliency(model, np.ones((4, 28, 28), "float32"), classes=0)
    expected = np.zeros((4, 28, 28))
    expected[:, 3, 3] = 2
    np.testing.assert_allclose(saliency, expected, atol=1e-6)


def test_saliency_needs_ten_scores_per_image():
    import keras

    inputs = keras.Input((28, 28))
    grid = keras.Model(inputs, keras.layers.Reshape((10, 5))(keras.layers.Dense(50)(keras.layers.Flatten()(inputs))))
    with pytest.raises(ValueError, match=r"^model must output 10 class scores per image; its output has shape "
                                         r"\(1, 10, 5\)\.$"):
        gradient_saliency(grid, np.zeros((1, 28, 28), "float32"))
    identity = keras.Model(inputs, inputs)                   # ends in its input layer, which has no activation
    with pytest.raises(ValueError, match=r"its output has shape \(1, 28, 28\)\.$"):
        gradient_saliency(identity, np.zeros((1, 28, 28), "float32"))


def test_rank_correlation_takes_integer_and_float32_maps_and_refuses_complex_ones():
    a, b = _maps([1, 2, 2, 3]), _maps([1, 2, 3, 4])
    found = rank_correlation(a, b)
    np.testing.assert_allclose(rank_correlation(a.astype(int), b.astype(np.float32)), found, rtol=1e-12)
    with pytest.raises(TypeError, match=r"^maps_a must be real numbers, one 28×28 map per image; got dtype "
                                        r"complex128\.$"):
        rank_correlation(a + 1j, b)


def test_rank_correlation_shape_message():
    with pytest.raises(ValueError, match=r"^maps_a must have shape \(n, 28, 28\), one map per image; "
                                         r"got \(1, 28, 1\)\.$"):
        rank_correlation(np.zeros((1, 28, 1)), np.zeros((1, 28, 28)))
