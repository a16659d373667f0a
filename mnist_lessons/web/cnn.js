/* The book's CNN in plain JavaScript: the same arithmetic as mnist_lessons/numpy_net.py,
   function by function, on the shipped weights (exported by the book's build into
   cnn_weights.js). Arrays are flat Float32Arrays in NumPy's order for one image:
   maps are (height, width, channels) with the channel changing fastest. */
(function (root) {
  "use strict";
  const live = (root.MnistLive = root.MnistLive || {});

  // Slide `kernel` (k, k, cIn, cOut) over one image's maps (h, w, cIn) without padding, stride 1,
  // and add the bias: a cross-correlation, as in Keras' Conv2D (the kernel is not flipped).
  function conv2d(image, [h, w, cIn], kernel, bias) {
    const k = Math.round(Math.sqrt(kernel.length / (cIn * bias.length)));
    const cOut = bias.length, outH = h - k + 1, outW = w - k + 1;
    const out = new Float32Array(outH * outW * cOut);
    for (let row = 0; row < outH; row++) {
      for (let col = 0; col < outW; col++) {
        const at = (row * outW + col) * cOut;
        for (let o = 0; o < cOut; o++) out[at + o] = bias[o];
        for (let i = 0; i < k; i++) {
          for (let j = 0; j < k; j++) {
            const pixel = ((row + i) * w + (col + j)) * cIn;
            const weights = (i * k + j) * cIn * cOut;
            for (let c = 0; c < cIn; c++) {
              const value = image[pixel + c];
              if (value === 0) continue;          // most inputs are 0 after ReLU: skip them
              const row_ = weights + c * cOut;
              for (let o = 0; o < cOut; o++) out[at + o] += value * kernel[row_ + o];
            }
          }
        }
      }
    }
    return [out, [outH, outW, cOut]];
  }

  // max(x, 0), element by element.
  function relu(x) {
    const out = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) out[i] = x[i] > 0 ? x[i] : 0;
    return out;
  }

  // Largest value of each size×size block; a leftover row or column is dropped, as in Keras.
  function maxPool(maps, [h, w, c], size = 2) {
    const outH = Math.floor(h / size), outW = Math.floor(w / size);
    const out = new Float32Array(outH * outW * c).fill(-Infinity);
    for (let row = 0; row < outH * size; row++) {
      for (let col = 0; col < outW * size; col++) {
        const from = (row * w + col) * c;
        const to = (Math.floor(row / size) * outW + Math.floor(col / size)) * c;
        for (let ch = 0; ch < c; ch++) if (maps[from + ch] > out[to + ch]) out[to + ch] = maps[from + ch];
      }
    }
    return [out, [outH, outW, c]];
  }

  // x @ kernel + bias for one vector x; kernel is (inputs, outputs).
  function dense(x, kernel, bias) {
    const outputs = bias.length;
    const out = Float32Array.from(bias);
    for (let i = 0; i < x.length; i++) {
      if (x[i] === 0) continue;
      for (let o = 0; o < outputs; o++) out[o] += x[i] * kernel[i * outputs + o];
    }
    return out;
  }

  // Softmax, computed stably by subtracting the largest logit.
  function softmax(logits) {
    const largest = Math.max(...logits);
    const exps = Array.from(logits, (z) => Math.exp(z - largest));
    const total = exps.reduce((a, b) => a + b, 0);
    return exps.map((e) => e / total);
  }

  // Run the book's CNN on one 28×28 image (pixels in [0, 1]); return its probabilities and the
  // feature maps of every layer, which the page draws.
  function cnnForward(weights, image) {
    const [c1, s1] = conv2d(image, [28, 28, 1], ...weights.conv1);
    const conv1 = relu(c1);                                   // (26, 26, 32)
    const [pool1, p1] = maxPool(conv1, s1);                   // (13, 13, 32)
    const [c2, s2] = conv2d(pool1, p1, ...weights.conv2);
    const conv2 = relu(c2);                                   // (11, 11, 64)
    const [pool2] = maxPool(conv2, s2);                       // (5, 5, 64), flattened like Flatten
    const logits = dense(pool2, ...weights.output);           // (10,)
    return { probabilities: softmax(logits), logits, conv1: [conv1, s1], conv2: [conv2, s2] };
  }

  // The weight arrays from the base64 text that cnn_weights.js holds (little-endian float32).
  function loadWeights(exported) {
    const bytes = Uint8Array.from(atob(exported.base64), (ch) => ch.charCodeAt(0));
    const view = new DataView(bytes.buffer);
    const arrays = {};
    let offset = 0;
    for (const { layer, shapes } of exported.layout) {
      arrays[layer] = shapes.map((shape) => {
        const size = shape.reduce((a, b) => a * b, 1);
        const array = new Float32Array(size);
        for (let i = 0; i < size; i++) array[i] = view.getFloat32(offset + 4 * i, true);
        offset += 4 * size;
        return array;
      });
    }
    return arrays;
  }

  live.cnn = { conv2d, relu, maxPool, dense, softmax, cnnForward, loadWeights };
})(typeof window !== "undefined" ? window : globalThis);
