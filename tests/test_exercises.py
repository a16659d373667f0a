"""Every check passes a right answer, fails a wrong one with a hint (never the answer), and says what
was expected for a malformed one instead of crashing; an unanswered stub raises NotImplementedError.
For a grader: strict mode raises, a crash shows its traceback when asked, the hidden variants run on
other examples, and the package's own solutions do not pass the exercises that ask for them."""

import inspect

import keras
import numpy as np
import pytest

from mnist_lessons import exercises


def _pooled_moves(pixels, poolings, *, counts=False):
    cell = 2 ** poolings
    lands = [(start + pixels) // cell for start in range(cell)]
    return {move: lands.count(move) / (1 if counts else cell) for move in set(lands)}


def _cross_entropy(z, y):
    z = z - z.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return float(-log_p[np.arange(len(y)), y].mean())


def _naive_cross_entropy(z, y):
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    return float(-np.log(p[np.arange(len(y)), y]).mean())


def _naive_cross_entropy_in_float64(z, y):
    # The naive formula in float64, which survives logits up to about 709.
    return _naive_cross_entropy(np.asarray(z, dtype=np.float64), y)


def _convolve(image, kernel):
    kh, kw = kernel.shape
    out = np.zeros((image.shape[0] - kh + 1, image.shape[1] - kw + 1))
    for r in range(out.shape[0]):
        for c in range(out.shape[1]):
            out[r, c] = np.sum(image[r:r + kh, c:c + kw] * kernel)
    return out


def _inkiest():
    from mnist_lessons.data import load_mnist

    (x, y), _ = load_mnist()
    ink = (x > 0).mean(axis=(1, 2))
    return int(np.argmax([ink[y == c].mean() for c in range(10)]))


INKIEST = _inkiest()


def _nearest_neighbour(train_images, train_labels, images, farthest=False):
    a = images.reshape(len(images), -1).astype(np.float64)
    b = train_images.reshape(len(train_images), -1).astype(np.float64)
    distances = (a ** 2).sum(axis=1)[:, None] - 2 * a @ b.T + (b ** 2).sum(axis=1)[None]
    return train_labels[distances.argmax(axis=1) if farthest else distances.argmin(axis=1)]


def _permute_hidden_units(W1, b1, W2, order, move_bias=True):
    return W1[:, order], b1[order] if move_bias else b1, W2[order]


def _convolve_same(image, kernel, stride, symmetric=False):
    import tensorflow as tf

    if symmetric:
        padded = np.pad(image, 1)
        return np.array([[np.sum(padded[r:r + 3, c:c + 3] * kernel) for c in range(0, 28, stride)]
                         for r in range(0, 28, stride)])
    return tf.nn.conv2d(image[None, ..., None], kernel[..., None, None], stride, "SAME").numpy()[0, ..., 0]


def _binary_cross_entropy(logits, labels, naive=False):
    logits = np.asarray(logits, dtype=np.float64)
    if naive:
        p = 1 / (1 + np.exp(-logits))
        return float(-np.mean(labels * np.log(p) + (1 - labels) * np.log(1 - p)))
    return float(np.mean(np.logaddexp(0, -logits) + (1 - labels) * logits))


def _first_layer_gradient(x, labels, W1, b1, W2, b2, W3, b3, second_mask=True):
    pre1 = x @ W1 + b1
    h1 = np.maximum(pre1, 0)
    pre2 = h1 @ W2 + b2
    logits = np.maximum(pre2, 0) @ W3 + b3
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    dz = (p - np.eye(10)[labels]) / len(x)
    dh2 = dz @ W3.T
    if second_mask:
        dh2 = dh2 * (pre2 > 0)
    return x.T @ ((dh2 @ W2.T) * (pre1 > 0))


def _new_head_model(base, classes, freeze=True, softmax=True):
    base.trainable = not freeze
    return keras.Sequential([keras.Input(base.input_shape[1:]), base,
                             keras.layers.Dense(classes, activation="softmax" if softmax else None)])


def _copied(base):
    copy = keras.models.clone_model(base)
    copy.set_weights(base.get_weights())
    return copy


def _centre_by_box(image, by_mass=False):
    rows, cols = np.indices(image.shape)
    if by_mass:             # MNIST's way: the centre of mass to the middle, to the nearest pixel
        centre = np.array([(rows * image).sum(), (cols * image).sum()]) / image.sum()
        shift = np.round(13.5 - centre).astype(int)
    else:
        ink_rows, ink_cols = np.flatnonzero(image.any(axis=1)), np.flatnonzero(image.any(axis=0))
        shift = ((27 - ink_rows[0] - ink_rows[-1]) // 2, (27 - ink_cols[0] - ink_cols[-1]) // 2)
    return np.roll(image, tuple(shift), axis=(0, 1))


def _cnn_logits(weights, images):
    """The CNN's logits in plain NumPy, written apart from numpy_net (which the exercise forbids)."""
    def convolve_relu(maps, kernel, bias):
        h, w = maps.shape[1] - 2, maps.shape[2] - 2
        out = sum(maps[:, i:i + h, j:j + w] @ kernel[i, j] for i in range(3) for j in range(3)) + bias
        return np.maximum(out, 0)

    def pool(maps):
        n, h, w, c = maps.shape
        return maps[:, :h // 2 * 2, :w // 2 * 2].reshape(n, h // 2, 2, w // 2, 2, c).max(axis=(2, 4))

    x = pool(convolve_relu(pool(convolve_relu(images, *weights["conv1"])), *weights["conv2"]))
    kernel, bias = weights["output"]
    return x.reshape(len(x), -1) @ kernel + bias


def _cnn_forward(weights, images):
    logits = _cnn_logits(weights, images)
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _adam_step(w, g, m, v, t, learning_rate, corrected=True, keras_epsilon=False):
    m = 0.9 * m + 0.1 * g
    v = 0.999 * v + 0.001 * g ** 2
    if keras_epsilon:        # Keras' form: epsilon added to √v, the corrections folded into the rate
        rate = learning_rate * np.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t)
        return w - rate * m / (np.sqrt(v) + 1e-7), m, v
    m_hat, v_hat = (m / (1 - 0.9 ** t), v / (1 - 0.999 ** t)) if corrected else (m, v)
    return w - learning_rate * m_hat / (np.sqrt(v_hat) + 1e-7), m, v


def _pool_backward(x, grad_out, add=True):
    """∂L/∂x through 3×3 max pooling with stride 2, by loops; add=False assigns (wrong where windows overlap)."""
    grad = np.zeros_like(x)
    for n in range(x.shape[0]):
        for r in range(grad_out.shape[1]):
            for c in range(grad_out.shape[2]):
                for ch in range(x.shape[3]):
                    window = x[n, 2 * r:2 * r + 3, 2 * c:2 * c + 3, ch]
                    i, j = np.unravel_index(window.argmax(), window.shape)
                    if add:
                        grad[n, 2 * r + i, 2 * c + j, ch] += grad_out[n, r, c, ch]
                    else:
                        grad[n, 2 * r + i, 2 * c + j, ch] = grad_out[n, r, c, ch]
    return grad


def _randomised_copy(model, layer_names, seed, in_place=False, zeros=False, seeded=True):
    if seeded:
        keras.utils.set_random_seed(seed)
    fresh = keras.models.clone_model(model)           # weights drawn as before training
    copy = model if in_place else keras.models.clone_model(model)
    if not in_place:
        copy.set_weights(model.get_weights())
    for name in layer_names:
        weights = fresh.get_layer(name).get_weights()
        copy.get_layer(name).set_weights([np.zeros_like(w) for w in weights] if zeros else weights)
    return copy


def _choose_on_validation(results, key="validation"):
    pairs = [(arm, rate) for arm in results for rate in results[arm]]
    return max(pairs, key=lambda pair: results[pair[0]][pair[1]][key])


def _choose_arm_by_average(results):
    arm = max(results, key=lambda a: np.mean([r["validation"] for r in results[a].values()]))
    return arm, max(results[arm], key=lambda rate: results[arm][rate]["validation"])


def _tuned_temperature(logits, labels, inverse=False):
    """The temperature with the lowest mean cross-entropy on a fine grid of log T (0.01 to 100)."""
    grid = np.exp(np.linspace(np.log(0.01), np.log(100), 2001))
    z = np.asarray(logits, dtype=np.float64)
    losses = [_cross_entropy(z / t, labels) for t in grid]
    best = float(grid[int(np.argmin(losses))])
    return 1 / best if inverse else best

RIGHT = {
    "check_ink_fraction": lambda images: (images > 0).mean(axis=(1, 2)),
    "check_inkiest_digit": INKIEST,
    "check_adam_first_step": 1.0,
    "check_adam_step": _adam_step,
    "check_convolve": _convolve,
    "check_conv_parameters": 416,
    "check_pooled_moves": _pooled_moves,
    "check_output_size": 6,
    "check_cross_entropy": _cross_entropy,
    "check_fit_temperature": _tuned_temperature,
    "check_overlapping_pool_backward": _pool_backward,
    "check_momentum_velocity": -0.271,
    "check_randomised_copy": _randomised_copy,
    "check_class_precision": lambda m: m.diagonal() / m.sum(axis=0),
    "check_choose_on_validation": _choose_on_validation,
    "check_vgg_head_parameters": 20490,
    "check_centre_by_box": _centre_by_box,
    "check_shrunk_width": 1,
    "check_nearest_neighbour": _nearest_neighbour,
    "check_permute_hidden_units": _permute_hidden_units,
    "check_convolve_same": _convolve_same,
    "check_binary_cross_entropy": _binary_cross_entropy,
    "check_first_layer_gradient": _first_layer_gradient,
    "check_cnn_forward": _cnn_forward,
    "check_new_head_model": _new_head_model,
}

WRONG = {
    "check_ink_fraction": (lambda images: (images > 0).sum(axis=(1, 2)), "pixel counts"),
    "check_inkiest_digit": (8, "small") if INKIEST != 8 else (1, "Measure"),
    "check_adam_first_step": (0.001, "plain SGD"),
    "check_adam_step": (lambda *args: _adam_step(*args, corrected=False), "bias correction"),
    "check_convolve": (lambda image, kernel: _convolve(image, kernel[::-1, ::-1]), "flipped"),
    "check_conv_parameters": (400, "bias"),
    "check_pooled_moves": (lambda pixels, poolings: {round(pixels / 2 ** poolings): 1.0}, "same number of cells"),
    "check_output_size": (6.5, "whole number"),
    "check_cross_entropy": (lambda z, y: -_cross_entropy(z, y), "sign"),
    "check_fit_temperature": (lambda z, y: _tuned_temperature(z, y, inverse=True), "1/T"),
    "check_overlapping_pool_backward": (lambda x, g: _pool_backward(x, g, add=False), "overlap"),
    "check_momentum_velocity": (-0.3, "decay"),
    "check_randomised_copy": (lambda model, names, seed: _randomised_copy(model, names, seed, in_place=True),
                              "changed in place"),
    "check_class_precision": (lambda m: m.diagonal() / m.sum(axis=1), "recall"),
    "check_choose_on_validation": (lambda results: _choose_on_validation(results, "test"), "test accuracy"),
    "check_vgg_head_parameters": (20480, "bias"),
    "check_centre_by_box": (lambda image: _centre_by_box(image, by_mass=True), "centre of mass"),
    "check_shrunk_width": (10, "before shrinking"),
    "check_nearest_neighbour": (lambda a, b, c: _nearest_neighbour(a, b, c, farthest=True), "farthest"),
    "check_permute_hidden_units": (lambda W1, b1, W2, order: _permute_hidden_units(W1, b1, W2, order, False),
                                   "bias must move"),
    "check_convolve_same": (lambda image, kernel, stride: _convolve_same(image, kernel, stride, symmetric=True),
                            "odd pixel"),
    "check_binary_cross_entropy": (lambda z, y: _binary_cross_entropy(z, y, naive=True), "overflows"),
    "check_first_layer_gradient": (lambda *args: _first_layer_gradient(*args, second_mask=False),
                                   "second hidden layer's ReLU"),
    "check_cnn_forward": (_cnn_logits, "logits"),
    "check_new_head_model": (lambda base, classes: _new_head_model(base, classes, freeze=False), "still trains"),
}

FUNCTIONS = [name for name, right in RIGHT.items() if callable(right)]


def _required(function):
    """How many arguments a reference answer needs (its options with defaults aside)."""
    import inspect

    return sum(1 for p in inspect.signature(function).parameters.values()
               if p.default is inspect.Parameter.empty and p.kind is not inspect.Parameter.VAR_POSITIONAL) or 8
VALUES = [name for name, right in RIGHT.items() if not callable(right)]


def test_every_check_is_covered():
    checks = {name for name in dir(exercises) if name.startswith("check_")}
    assert checks == set(RIGHT) == set(WRONG)


@pytest.mark.parametrize("name", sorted(RIGHT))
def test_right_answers_pass(name, capsys):
    assert getattr(exercises, name)(RIGHT[name]).passed is True
    assert capsys.readouterr().out.startswith("✓ Exercise")


@pytest.mark.parametrize("name", sorted(WRONG))
def test_wrong_answers_fail_with_a_hint(name, capsys):
    answer, hint = WRONG[name]
    assert getattr(exercises, name)(answer).passed is False
    out = capsys.readouterr().out
    assert out.startswith("✗ Exercise") and hint in out


@pytest.mark.parametrize("name", VALUES)
def test_malformed_values_say_what_was_expected(name, capsys):
    assert getattr(exercises, name)("seven").passed is False
    assert "expected" in capsys.readouterr().out


@pytest.mark.parametrize("name", FUNCTIONS)
def test_malformed_functions_say_what_was_expected(name, capsys):
    check = getattr(exercises, name)
    assert check(42).passed is False                                   # not a function
    assert "expected a function" in capsys.readouterr().out
    assert check(lambda: "text").passed is False                       # takes no arguments
    assert "argument" in capsys.readouterr().out


@pytest.mark.parametrize("name", FUNCTIONS)
def test_a_crashing_function_is_reported_not_raised(name, capsys):
    right = RIGHT[name]

    count = _required(right)
    broken = eval("lambda " + ", ".join(f"a{i}" for i in range(count)) + ": 1 / 0")
    assert getattr(exercises, name)(broken).passed is False
    out = capsys.readouterr().out
    assert "ZeroDivisionError" in out


@pytest.mark.parametrize("name", sorted(RIGHT))
def test_unanswered_stubs_raise_not_implemented(name):
    check = getattr(exercises, name)
    if callable(RIGHT[name]):

        count = _required(RIGHT[name])
        stub = eval("lambda " + ", ".join(f"a{i}" for i in range(count))
                    + ": (_ for _ in ()).throw(NotImplementedError('Exercise x: stub'))")
        with pytest.raises(NotImplementedError):
            check(stub)
    else:
        with pytest.raises(NotImplementedError, match="not answered yet"):
            check(NotImplemented)


def test_the_hint_never_contains_the_answer(capsys):
    exercises.check_adam_first_step(0.5)
    exercises.check_conv_parameters(123)
    exercises.check_vgg_head_parameters(123)
    out = capsys.readouterr().out
    assert "0.99" not in out and "416" not in out and "5130" not in out


def test_a_check_result_is_true_when_passed_and_shows_nothing_more_in_a_notebook(capsys):
    result = exercises.check_output_size(6)
    assert result and result.exercise == "4.2" and repr(result) == capsys.readouterr().out.strip()
    assert not exercises.check_output_size(7)
    from IPython.core.formatters import DisplayFormatter

    assert DisplayFormatter().format(result) == ({}, {})     # as a cell's last value: nothing more shown


def test_the_head_at_32_pixels_is_a_named_near_miss(capsys):
    assert not exercises.check_vgg_head_parameters(5130)
    assert "32×32" in capsys.readouterr().out


def test_more_named_mistakes(capsys):
    checks = [
        (exercises.check_ink_fraction, lambda images: (images >= 1).mean(axis=(1, 2)), "scaled"),
        (exercises.check_cross_entropy, _naive_cross_entropy, "log-sum-exp"),
        (exercises.check_cross_entropy, _naive_cross_entropy_in_float64, "log-sum-exp"),
        (exercises.check_adam_first_step, 1000.0, "upside down"),
        (exercises.check_momentum_velocity, -0.561, "velocity"),
        (exercises.check_output_size, 5, "28×28"),
        (exercises.check_fit_temperature, lambda z, y: 1.5, "end of your search range"),
        (exercises.check_fit_temperature, lambda z, y: -1.0, "positive"),
        (exercises.check_shrunk_width, 2, "touches"),
    ]
    for check, answer, hint in checks:
        with np.errstate(all="ignore"):
            assert not check(answer)
        assert hint in capsys.readouterr().out, check.__name__


def test_rounded_predictions_pass_and_extra_defaulted_arguments_are_fine():
    assert exercises.check_momentum_velocity(-0.271)
    assert exercises.check_ink_fraction(lambda images, threshold=0: (images > threshold).mean(axis=(1, 2)))


def test_the_paper_s_and_keras_places_for_epsilon_both_pass():
    assert exercises.check_adam_step(_adam_step) and exercises.check_adam_step(
        lambda *args: _adam_step(*args, keras_epsilon=True))
    assert exercises.check_adam_step(lambda *args: _adam_step(*args, keras_epsilon=True), variant="hidden")


def test_adam_s_first_step_ratio_by_hand():
    from mnist_lessons.exercises.data_and_layers import adam_first_step_ratio

    # m = 0.1 g, v = 0.001 g², rate × √0.001 / 0.1: the step is rate · |g| / (|g| + 1e-7 / √0.001)
    floor = 1e-7 / np.sqrt(0.001)
    assert adam_first_step_ratio() == pytest.approx((1e-3 / (1e-3 + floor)) / (1 / (1 + floor)))
    w, g = np.zeros(2), np.array([1e-3, 1.0])
    moved, _, _ = _adam_step(w, g, np.zeros(2), np.zeros(2), 1, 0.001, keras_epsilon=True)
    assert moved[0] / moved[1] == pytest.approx(adam_first_step_ratio())


def test_the_new_checks_name_their_other_mistakes(capsys):
    checks = [
        (exercises.check_nearest_neighbour, lambda a, b, c: _squared(c, a).argmin(axis=1), "positions"),
        (exercises.check_permute_hidden_units, lambda W1, b1, W2, order: (W1, b1[order], W2[order]), "columns"),
        (exercises.check_permute_hidden_units, lambda W1, b1, W2, order: (W1[:, order], b1[order], W2),
         "outgoing weights"),
        (exercises.check_first_layer_gradient, lambda x, *rest: _first_layer_gradient(x, *rest) * len(x), "by n"),
        (exercises.check_new_head_model, lambda base, classes: _new_head_model(base, classes, softmax=False),
         "softmax"),
        (exercises.check_cnn_forward, lambda weights, images: _cnn_logits(weights, images) * 0, "not the CNN"),
        (exercises.check_new_head_model, lambda base, classes: _new_head_model(_copied(base), classes), "copied"),
        (exercises.check_adam_step, lambda *args: _adam_step(*args[:4], args[4] - 1, args[5]), "t counts from 1"),
        (exercises.check_adam_step, lambda w, g, m, v, t, rate: _adam_step(w, -g, m, v, t, rate), "wrong way"),
        (exercises.check_overlapping_pool_backward, lambda x, g: np.ones_like(x), "too many inputs"),
        (exercises.check_randomised_copy, lambda model, names, seed: _randomised_copy(model, names, seed, zeros=True),
         "all zeros"),
        (exercises.check_randomised_copy, lambda model, names, seed: _randomised_copy(model, names, seed,
                                                                                      seeded=False), "same seed"),
        (exercises.check_randomised_copy, lambda model, names, seed: _randomised_copy(model, names[:1], seed),
         "kept its trained weights"),
        (exercises.check_choose_on_validation, _choose_arm_by_average, "average over rates"),
        (exercises.check_choose_on_validation, lambda results: ("nowhere", "0.1"), "not a pair"),
        (exercises.check_centre_by_box, lambda image: image * 0.5, "ink was lost"),
        (exercises.check_centre_by_box, lambda image: image.T, "moved as a whole"),
        (exercises.check_centre_by_box, lambda image: image, "not centred"),
        (exercises.check_pooled_moves, lambda p, n: _pooled_moves(p, n, counts=True), "counts of positions"),
        (exercises.check_pooled_moves, lambda p, n: _pooled_moves(-p, n), "positive number of cells"),
        (exercises.check_pooled_moves, lambda p, n: {0.5: 1.0}, "whole numbers"),
    ]
    for check, answer, hint in checks:
        with np.errstate(all="ignore"):
            assert not check(answer)
        assert hint in capsys.readouterr().out, check.__name__


def _squared(points, others):
    a, b = points.reshape(len(points), -1), others.reshape(len(others), -1)
    return (a ** 2).sum(axis=1)[:, None] - 2 * a @ b.T + (b ** 2).sum(axis=1)[None]


# For a grader: points, strict mode, tracebacks on request, hidden variants, the package's own answers.

HIDDEN = [name for name in sorted(RIGHT) if getattr(exercises, name).has_hidden_variant]


def test_every_function_check_has_a_hidden_variant_and_every_check_points():
    assert set(HIDDEN) == set(FUNCTIONS)                    # number questions have one answer
    for name in RIGHT:
        points = getattr(exercises, name).points
        assert isinstance(points, int) and 1 <= points <= 3, name


@pytest.mark.parametrize("name", HIDDEN)
def test_hidden_variants_pass_right_answers(name, capsys):
    exercise = getattr(exercises, name).exercise
    assert getattr(exercises, name)(RIGHT[name], variant="hidden").passed is True
    assert capsys.readouterr().out.startswith(f"✓ Exercise {exercise} (hidden test): ")


@pytest.mark.parametrize("name", HIDDEN)
def test_hidden_variants_fail_wrong_answers_with_the_same_hint(name, capsys):
    answer, hint = WRONG[name]
    with np.errstate(all="ignore"):
        assert getattr(exercises, name)(answer, variant="hidden").passed is False
    out = capsys.readouterr().out
    assert out.startswith("✗ Exercise") and hint in out


@pytest.mark.parametrize("name", HIDDEN)
def test_a_hidden_variant_is_not_the_visible_one(name, capsys):
    """Replaying what the right answer returned in the visible check fails the hidden one."""
    check, right, recorded = getattr(exercises, name), RIGHT[name], []

    def recording(*args):
        recorded.append(right(*args))
        return recorded[-1]

    assert check(recording)
    replies = iter(recorded)
    assert not check(lambda *args: next(replies), variant="hidden")


def test_strict_mode_raises_the_line_it_would_print(capsys):
    with pytest.raises(AssertionError, match="^✗ Exercise 4.2: pooling rounds down") as raised:
        exercises.check_output_size(7, strict=True)
    assert raised.value.__cause__ is None and capsys.readouterr().out == ""
    assert exercises.check_output_size(6, strict=True)
    assert capsys.readouterr().out.startswith("✓ Exercise 4.2")
    with pytest.raises(AssertionError, match="hidden test.*farthest"):
        exercises.check_nearest_neighbour(WRONG["check_nearest_neighbour"][0], strict=True, variant="hidden")
    with pytest.raises(NotImplementedError, match="Exercise 4.2"):
        exercises.check_output_size(NotImplemented, strict=True)


def _crashes_inside(images):
    return _helper_that_crashes(images)


def _helper_that_crashes(images):
    return images.sum() / 0 if images.ndim > 5 else 1 / 0


def test_a_crash_shows_its_traceback_only_when_asked(capsys):
    assert not exercises.check_ink_fraction(_crashes_inside)
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "ZeroDivisionError" in out and "Traceback" not in out
    assert not exercises.check_ink_fraction(_crashes_inside, traceback=True)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Traceback") and lines[-1].startswith("✗ Exercise 1.1: your function raised")
    text = "\n".join(lines)
    assert "_helper_that_crashes" in text and "_checking.py" not in text     # the student's frames only
    with pytest.raises(AssertionError, match="ZeroDivisionError") as raised:
        exercises.check_ink_fraction(_crashes_inside, strict=True, traceback=True)
    assert isinstance(raised.value.__cause__, ZeroDivisionError)


def test_bad_options_are_refused():
    with pytest.raises(TypeError, match="strict must be True or False"):
        exercises.check_output_size(6, strict="yes")
    with pytest.raises(TypeError, match="traceback must be True or False"):
        exercises.check_output_size(6, traceback=1)
    with pytest.raises(TypeError, match="variant must be a string"):
        exercises.check_output_size(6, variant=2)
    with pytest.raises(ValueError, match="'visible' or 'hidden'; got 'secret'"):
        exercises.check_output_size(6, variant="secret")


def _keras_cnn_forward(weights, images):
    model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(32, 3, activation="relu"),
                              keras.layers.MaxPooling2D(2), keras.layers.Conv2D(64, 3, activation="relu"),
                              keras.layers.MaxPooling2D(2), keras.layers.Flatten(),
                              keras.layers.Dense(10, activation="softmax")])
    model.set_weights([array for name in ("conv1", "conv2", "output") for array in weights[name]])
    return model.predict(images, verbose=0)


def _package_cnn_forward(weights, images):
    from mnist_lessons.models import build_cnn

    model = build_cnn()
    model.set_weights([array for name in ("conv1", "conv2", "output") for array in weights[name]])
    return model.predict(images, verbose=0)


def _half_numpy_net(weights, images):
    from mnist_lessons import numpy_net

    logits = _cnn_logits(weights, images)
    return numpy_net.softmax(logits)                  # only the last step borrowed


def _check_s_own_pooled_moves(pixels, poolings):
    from mnist_lessons.exercises import data_and_layers

    return data_and_layers._pooled_moves(pixels, poolings)


def test_the_cell_size_of_several_poolings_is_a_named_mistake(capsys):
    def six_wide(pixels, poolings):                   # 2 × poolings positions per cell, not 2 ** poolings
        cell = 2 * poolings
        lands = [(start + pixels) // cell for start in range(cell)]
        return {move: lands.count(move) / cell for move in set(lands)}

    assert exercises.check_pooled_moves(six_wide)     # the visible cases have 1 and 2 poolings
    assert not exercises.check_pooled_moves(six_wide, variant="hidden")
    assert "covers 2 ** 3 = 8 positions, not 6" in capsys.readouterr().out


@pytest.mark.parametrize("variant", ["visible", "hidden"])
def test_the_package_s_own_answers_do_not_pass_the_exercises_that_ask_for_them(variant, capsys):
    from mnist_lessons import numpy_net

    cases = [
        (exercises.check_cnn_forward, numpy_net.cnn_forward, "without numpy_net"),
        (exercises.check_cnn_forward, lambda weights, images: numpy_net.predict(weights, images), "numpy_net"),
        (exercises.check_cnn_forward, _half_numpy_net, "numpy_net's code"),
        (exercises.check_cnn_forward, _package_cnn_forward, "the package's Keras models"),
        (exercises.check_cnn_forward, _keras_cnn_forward, "runs Keras"),
        (exercises.check_pooled_moves, _check_s_own_pooled_moves, "the check's own answer"),
    ]
    for check, answer, hint in cases:
        assert not check(answer, variant=variant)
        out = capsys.readouterr().out
        assert out.startswith("✗") and hint in out, (answer, out)
    assert exercises.check_centre_by_box(_centre_by_box, variant=variant)   # the watch is off again afterwards
    import sys

    assert sys.getprofile() is None


def test_a_check_is_easy_to_write():
    """The mechanism, as a new check would use it: a variant, a call, a named mistake, points."""
    from mnist_lessons.exercises._checking import Wrong, call, exercise, require_function

    @exercise("0.1", points=2)
    def check_double(answer, variant):
        require_function(answer, "double(x)")
        x = variant.pick(3, 11)
        result = call(answer, x)
        if result == x ** 2:
            raise Wrong("that squares x.")
        if result != 2 * x:
            raise Wrong("not twice x.")
        return f"right for x = {x}."

    assert check_double(lambda x: 2 * x, variant="hidden").message == "right for x = 11."
    assert check_double.points == 2 and check_double.has_hidden_variant
    assert "squares" in check_double(lambda x: x * x).message
    assert list(inspect.signature(check_double).parameters) == ["answer", "strict", "traceback", "variant"]


def test_the_reference_temperature_is_the_lowest_loss_on_a_fine_grid():
    from mnist_lessons.exercises.learning import _made_up_logits, best_temperature

    for scale in (0.3, 2.0):
        logits, labels = _made_up_logits(np.random.default_rng(0), 500, scale)
        assert best_temperature(logits, labels) == pytest.approx(_tuned_temperature(logits, labels), rel=0.005)


def test_forbidden_code_is_named_by_module_and_found_by_its_file():
    from mnist_lessons.exercises import _checking

    folders, files = _checking._code_of("mnist_lessons.exercises")
    assert files == () and folders[0].endswith("exercises/")
    assert _checking._code_of("mnist_lessons.exercises.data_and_layers") == (
        (), (inspect.getfile(exercises.data_and_layers),))
    function = "mnist_lessons.exercises.data_and_layers._pooled_moves"
    with pytest.raises(ValueError, match=f"modules or packages; '{function}' is neither"):
        _checking._code_of(function)


def test_a_faint_grey_pixel_is_ink_when_the_inkiest_class_is_found(monkeypatch):
    from mnist_lessons.exercises import data_and_layers

    # Class 7 is four pixels of value 1 (an ink fraction of 1); every other class one black pixel of four (1/4).
    x = np.zeros((10, 2, 2), dtype=np.uint8)
    x[:, 0, 0] = 255
    x[7] = 1
    monkeypatch.setattr(data_and_layers, "load_mnist", lambda: ((x, np.arange(10)), (x, np.arange(10))))
    assert data_and_layers.inkiest_class() == 7


def test_the_made_up_logits_are_best_at_the_temperature_asked_for():
    """Labels drawn from softmax(z), logits handed out as z · T: dividing by T again is the best calibration."""
    from mnist_lessons.exercises.learning import _made_up_logits, best_temperature

    rng = np.random.default_rng(25)                   # the visible check's seed and temperatures
    for scale in (2.5, 0.4):
        logits, labels = _made_up_logits(rng, 2000, scale)
        assert logits.shape == (2000, 10) and best_temperature(logits, labels) == pytest.approx(scale, rel=0.1)


def test_the_best_temperature_ignores_a_constant_added_to_a_row_and_stays_in_its_range():
    from mnist_lessons.exercises.learning import _made_up_logits, best_temperature

    logits, labels = _made_up_logits(np.random.default_rng(1), 500, 2.0)
    # Adding a constant to a row of logits changes none of its probabilities, even ±1,000 (e^1000 overflows).
    shift = np.where(np.arange(500) % 2 == 0, 1000.0, -1000.0)[:, None]
    assert best_temperature(logits + shift, labels) == pytest.approx(best_temperature(logits, labels), rel=1e-9)
    # Logits pointing away from the label (only its logit is -1) are best the least confident: at the top of
    # the search's range, 100: their loss, 1/T + log(9 + e^(-1/T)), falls all the way as T grows.
    assert best_temperature(-np.eye(10)[labels], labels) == pytest.approx(100, rel=1e-5)


def test_the_made_up_transfer_results_look_like_accuracies():
    """8.1's made-up results: accuracies between 0 and 1, each test accuracy near its validation one."""
    from mnist_lessons.exercises.inside_and_beyond import _made_up_results

    arms, rates = ["scratch", "fine_tuned"], ["0.001", "0.01"]
    results, on_validation, on_test = _made_up_results(np.random.default_rng(5), arms, rates)
    accuracies = [results[arm][rate] for arm in arms for rate in rates]
    assert all(0 < a["validation"] < 1 and 0 < a["test"] < 1 for a in accuracies)
    assert all(abs(a["test"] - a["validation"]) < 0.05 for a in accuracies)
    assert on_validation != on_test and on_validation[0] in arms and on_test[1] in rates


def test_a_digit_moved_into_a_corner_is_told_its_empty_rows_and_columns(capsys):
    def into_the_corner(image):                       # the ink's box moved to the top left: 0 rows above, 0 left
        rows, cols = np.flatnonzero(image.any(axis=1)), np.flatnonzero(image.any(axis=0))
        return np.roll(image, (-rows[0], -cols[0]), axis=(0, 1))

    assert not exercises.check_centre_by_box(into_the_corner)
    out = capsys.readouterr().out
    assert out.startswith("✗ Exercise 9.1: the box is not centred: 0 empty rows above the ink and ")
    assert ", 0 empty columns left and " in out and out.endswith(" right. They should differ by at most one.\n")
