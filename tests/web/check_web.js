/* The page's JavaScript (mnist_lessons/web/) against fixtures that Python wrote, in Node, no browser.

     node tests/web/check_web.js FIXTURE.json WEB_DIR

   WEB_DIR holds cnn_weights.js (browser_model.export_weights), cnn.js and prepare.js, loaded as the
   page loads them. Every check compares the JavaScript's numbers with Python's (Keras' layer outputs,
   numpy_net.softmax, drawing_to_image, drawing_guidance, the sample digits, receptive fields found
   by walking the layers backwards); the script prints one JSON line per check and exits with 1 if
   any check fails. tests/test_web_node.py runs it, and runs it again on deliberately broken copies
   of the JavaScript to show that each is caught. */
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const [fixturePath, webDir] = process.argv.slice(2);
const fixture = JSON.parse(fs.readFileSync(fixturePath, "utf8"));
const sandbox = { atob, console };
sandbox.window = sandbox;                       // the scripts attach MnistLive to `window`, as in a page
vm.createContext(sandbox);
for (const name of ["cnn_weights.js", "cnn.js", "prepare.js"]) {
  vm.runInContext(fs.readFileSync(path.join(webDir, name), "utf8"), sandbox, { filename: name });
}
const { cnn, prepare, exported } = sandbox.MnistLive;

const results = [];
// The largest absolute difference between two arrays; NaN or a length mismatch fails.
function largestDifference(ours, theirs) {
  if (ours.length !== theirs.length) return Infinity;
  let largest = 0;
  for (let i = 0; i < ours.length; i++) {
    const difference = Math.abs(ours[i] - theirs[i]);
    if (!(difference <= largest)) largest = Number.isNaN(difference) ? Infinity : difference;
  }
  return largest;
}
function check(name, largest, tolerance) {
  results.push({ name, largest, tolerance, ok: largest <= tolerance });
}
function same(name, ours, theirs) {
  const ok = JSON.stringify(ours) === JSON.stringify(theirs);
  results.push({ name, ok, ...(ok ? {} : { ours, theirs }) });
}

const model = cnn.loadWeights(exported);
const { config } = model;

// The configuration and layer layout that Python defines reach the page unchanged.
same("config", config, fixture.config);

// Every layer of the forward pass, on MNIST test digits, against Keras.
for (const [k, image] of fixture.images.entries()) {
  const result = cnn.cnnForward(model, Float32Array.from(image));
  for (const [name, expected] of Object.entries(fixture.layers)) {
    const [values, shape] = result.outputs[name];
    same(`shape of ${name}`, shape, fixture.shapes[name]);
    check(`${name}, test digit ${k}`, largestDifference(values, expected[k]), fixture.tolerance);
  }
  check(`logits, test digit ${k}`, largestDifference(result.logits, fixture.logits[k]), fixture.tolerance);
  check(`probabilities, test digit ${k}`, largestDifference(result.probabilities, fixture.probabilities[k]), fixture.tolerance);
}

// The softmax alone, on logits a trained network can produce and on logits too large for exp().
for (const [k, { logits, probabilities }] of fixture.softmax.entries()) {
  check(`softmax case ${k}`, largestDifference(cnn.softmax(Float32Array.from(logits)), probabilities), 1e-12);
}

// Pooling alone, on maps whose size is not a multiple of the window (Keras drops the leftover).
for (const [k, { maps, shape, size, pooled }] of fixture.pooling.entries()) {
  check(`maxPool case ${k}`, largestDifference(cnn.maxPool(Float32Array.from(maps), shape, size)[0], pooled), 0);
}

// Drawings: the pad rasterised and prepared as Python does, and the same guidance.
for (const [k, { strokes, image, guidance }] of fixture.drawings.entries()) {
  const prepared = prepare.drawingToImage(strokes, config);
  check(`prepared drawing ${k}`, largestDifference(prepared.image, image), fixture.imageTolerance);
  same(`guidance for drawing ${k}`, prepare.guidance(prepared.pad, config), guidance);
}

// The receptive fields the panel outlines on the input.
for (const { layer, row, col, top, left, side } of fixture.receptiveFields) {
  same(`receptive field of ${layer} (${row}, ${col})`, cnn.receptiveField(model, layer, row, col), { top, left, side });
}

// The sample digits, pixel for pixel as load_mnist(scale=True) gives them.
const samples = cnn.loadSamples(exported);
same("sample indices", samples.map((s) => s.index), fixture.samples.indices);
same("sample labels", samples.map((s) => s.label), fixture.samples.labels);
check("sample pixels", Math.max(...samples.map((s, k) => largestDifference(s.image, fixture.samples.images[k]))), 0);

for (const result of results) console.log(JSON.stringify(result));
process.exit(results.every((result) => result.ok) ? 0 : 1);
