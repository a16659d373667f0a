/* The book's CNN in plain JavaScript: the same arithmetic as mnist_lessons/numpy_net.py,
   function by function, on the shipped weights and the layer layout that the book's build
   exports into cnn_weights.js (mnist_lessons/browser_model.py). Arrays are flat Float32Arrays
   in NumPy's order for one image: maps are (height, width, channels) with the channel
   changing fastest. */
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
  function maxPool(maps, [h, w, c], size) {
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

  // Run the book's CNN on one image (pixels in [0, 1], row by row) through the layers Python exported
  // (numpy_net.ARCHITECTURE: names, kinds, pooling sizes), so that the page follows the model's layout.
  // Returns every layer's output as [values, shape] under its name, the logits and the probabilities.
  function cnnForward(model, image) {
    const { config, weights } = model;
    let values = image, shape = [config.imageSide, config.imageSide, 1];
    const outputs = {};
    for (const layer of config.layers) {
      if (layer.kind === "conv") {                       // every convolution of the CNN has a ReLU
        [values, shape] = conv2d(values, shape, ...weights[layer.name]);
        values = relu(values);
      } else if (layer.kind === "maxpool") {
        [values, shape] = maxPool(values, shape, layer.size);
      } else if (layer.kind === "flatten") {             // the same numbers, row by row like Flatten
        shape = [values.length];
      } else if (layer.kind === "dense") {               // the last layer: its logits, then the softmax
        values = dense(values, ...weights[layer.name]);
        shape = [values.length];
      }
      outputs[layer.name] = [values, shape];
    }
    return { outputs, logits: values, probabilities: softmax(values) };
  }

  // The square of input pixels that cell (row, col) of a layer's maps depends on, its receptive
  // field: each k×k convolution widens it by k - 1 steps, each pooling by size - 1 steps, and a
  // pooling multiplies the step between neighbouring cells by its size.
  function receptiveField(model, name, row, col) {
    let side = 1, step = 1;
    for (const layer of model.config.layers) {
      if (layer.kind === "conv") side += (model.shapes[layer.name][0][0] - 1) * step;
      else if (layer.kind === "maxpool") { side += (layer.size - 1) * step; step *= layer.size; }
      if (layer.name === name) break;
    }
    return { top: row * step, left: col * step, side };
  }

  // The model from the object cnn_weights.js assigns: the configuration, and the weight arrays
  // decoded from base64 (little-endian float32) with their shapes.
  function loadWeights(exported) {
    const bytes = Uint8Array.from(atob(exported.base64), (ch) => ch.charCodeAt(0));
    const view = new DataView(bytes.buffer);
    const weights = {}, shapes = {};
    let offset = 0;
    for (const { layer, shapes: layerShapes } of exported.layout) {
      shapes[layer] = layerShapes;
      weights[layer] = layerShapes.map((shape) => {
        const size = shape.reduce((a, b) => a * b, 1);
        const array = new Float32Array(size);
        for (let i = 0; i < size; i++) array[i] = view.getFloat32(offset + 4 * i, true);
        offset += 4 * size;
        return array;
      });
    }
    return { config: exported.config, weights, shapes };
  }

  // The sample test digits that cnn_weights.js carries: [{index, label, image}], pixels in [0, 1].
  function loadSamples(exported) {
    const { indices, labels, pixelMax, base64 } = exported.samples;
    const bytes = Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));
    const size = bytes.length / indices.length;
    return indices.map((index, k) => ({
      index, label: labels[k],
      image: Float32Array.from(bytes.subarray(k * size, (k + 1) * size), (v) => Math.fround(v / pixelMax)),
    }));
  }

  live.cnn = { conv2d, relu, maxPool, dense, softmax, cnnForward, receptiveField, loadWeights, loadSamples };
})(typeof window !== "undefined" ? window : globalThis);
