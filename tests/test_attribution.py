import numpy as np
import pytest

from mnist_lessons.attribution import gradient_saliency, occlusion_sensitivity
from mnist_lessons.drawing import draw_strokes
from mnist_lessons.models import logits_model, pretrained


@pytest.fixture(scope="module")
def digits(mnist_small):
    (_, _), (x, y) = mnist_small
    return x[:3], y[:3]


@pytest.mark.parametrize("name", ["mlp", "cnn"])
def test_saliency_shape_and_sign_for_both_models(name, digits):
    model = pretrained(name)
    x, _ = digits
    images = x if name == "mlp" else x[..., None]
    saliency = gradient_saliency(model, images)
    assert saliency.shape == (3, 28, 28) and saliency.min() >= 0 and saliency.max() > 0


def test_saliency_is_the_logit_gradient_by_finite_differences(digits):
    model = pretrained("mlp")
    x, _ = digits
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


def test_saliency_explains_the_requested_class(digits):
    model = pretrained("cnn")
    x, _ = digits
    images = x[..., None]
    assert not np.allclose(gradient_saliency(model, images, classes=0), gradient_saliency(model, images, classes=5))
    np.testing.assert_allclose(gradient_saliency(model, images),
                               gradient_saliency(model, images, classes=model.predict(images, verbose=0).argmax(1)))


def test_occlusion_supports_the_stroke_of_a_one():
    model = pretrained("cnn")
    one = draw_strokes([[(14, 4), (14, 24)]], width=2.5)[None, ..., None]
    assert model.predict(one, verbose=0).argmax() == 1
    drop = occlusion_sensitivity(model, one, classes=1, patch=6, stride=2)[0]
    assert drop.shape == (28, 28)
    assert drop[4:24, 12:16].mean() > drop[:, :6].mean()   # hiding the bar matters, hiding blank does not


def test_occlusion_covers_every_pixel_with_odd_strides(digits):
    x, _ = digits
    drop = occlusion_sensitivity(pretrained("mlp"), x[:1], patch=5, stride=4)
    assert np.all(np.isfinite(drop))


@pytest.mark.parametrize("function", [gradient_saliency, occlusion_sensitivity])
def test_bad_input(function, digits):
    x, _ = digits
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


def test_occlusion_settings_are_checked(digits):
    x, _ = digits
    model = pretrained("mlp")
    with pytest.raises(ValueError, match="patch"):
        occlusion_sensitivity(model, x, patch=0)
    with pytest.raises(ValueError, match="stride must be an int from 1 to 4"):
        occlusion_sensitivity(model, x, patch=4, stride=5)
    with pytest.raises(ValueError, match="fill"):
        occlusion_sensitivity(model, x, fill=255)
    with pytest.raises(ValueError, match="at most 20"):
        occlusion_sensitivity(model, np.zeros((21, 28, 28), "float32"))


def test_saliency_of_a_model_ending_in_a_softmax_layer_uses_the_scores_before_it(digits):
    import keras

    x, _ = digits
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
