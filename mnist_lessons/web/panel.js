/* The live panel of the book's pages: draw a digit and watch the shipped CNN read it, in this
   browser, with no server. After every stroke it shows the prepared 28×28 image, the ten
   probabilities and the most active feature maps of conv1 and conv2. Needs cnn.js, prepare.js,
   drawpad.js and cnn_weights.js (written from the shipped weights by the book's build). */
(function (root) {
  "use strict";
  const live = (root.MnistLive = root.MnistLive || {});
  live.panels = [];

  // A few stops of matplotlib's viridis, the colour map of the book's feature-map figures, as a
  // 256-entry table (RGB triples) so that painting a map allocates nothing per pixel.
  const VIRIDIS = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
  const VIRIDIS_TABLE = new Uint8ClampedArray(256 * 3);
  for (let level = 0; level < 256; level++) {
    const x = (level / 255) * (VIRIDIS.length - 1), i = Math.min(Math.floor(x), VIRIDIS.length - 2);
    for (let k = 0; k < 3; k++) VIRIDIS_TABLE[3 * level + k] = VIRIDIS[i][k] + (VIRIDIS[i + 1][k] - VIRIDIS[i][k]) * (x - i);
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Paint a (side × side) image into a canvas: grey for the digit, viridis for a feature map.
  function paintImage(canvas, values, side, { colour = false, maximum = 1 } = {}) {
    if (canvas.width !== side) canvas.width = canvas.height = side;
    const context = canvas.getContext("2d");
    const pixels = context.createImageData(side, side), data = pixels.data;
    for (let i = 0; i < side * side; i++) {
      const level = Math.round(255 * Math.min(1, Math.max(0, maximum > 0 ? values[i] / maximum : 0)));
      if (colour) data.set(VIRIDIS_TABLE.subarray(3 * level, 3 * level + 3), 4 * i);
      else data[4 * i] = data[4 * i + 1] = data[4 * i + 2] = 255 - level;
      data[4 * i + 3] = 255;
    }
    context.putImageData(pixels, 0, 0);
  }

  // The `count` maps with the largest values, strongest first (as the notebook's look() picks them).
  function strongest([maps, [h, w, c]], count) {
    const peaks = Array.from({ length: c }, (_, ch) => {
      let peak = -Infinity;
      for (let i = ch; i < maps.length; i += c) peak = Math.max(peak, maps[i]);
      return [peak, ch];
    });
    peaks.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    return peaks.slice(0, count).map(([peak, ch]) => {
      const single = new Float32Array(h * w);
      for (let i = 0; i < h * w; i++) single[i] = maps[i * c + ch];
      return { channel: ch, peak, values: single, side: h };
    });
  }

  function buildPanel(container, weights) {
    const compact = container.dataset.variant === "compact";
    const mapsPerLayer = compact ? 3 : 4;
    container.classList.add("mnist-live-ready");
    const intro = element("p", "mnist-live-note",
      "Draw a digit: the book's trained CNN reads it here, in your browser, after every stroke.");
    const body = element("div", "mnist-live-body");
    const padColumn = element("div", "mnist-live-pad");
    const results = element("div", "mnist-live-results");
    body.append(padColumn, results);

    const readFigure = element("figure", "mnist-live-read");
    const readCanvas = element("canvas", "mnist-live-image");
    readFigure.append(readCanvas, element("figcaption", "", "what it reads (28×28)"));
    const verdict = element("p", "mnist-live-verdict", "Nothing drawn yet.");
    verdict.setAttribute("aria-live", "polite");
    const bars = element("div", "mnist-live-bars");
    bars.setAttribute("role", "list");
    const barParts = Array.from({ length: 10 }, (_, digit) => {
      const bar = element("div", "mnist-live-bar");
      bar.setAttribute("role", "listitem");
      const fill = element("div", "mnist-live-fill");
      const value = element("span", "mnist-live-value", "");
      bar.append(value, fill, element("span", "mnist-live-digit", String(digit)));
      bars.append(bar);
      return { bar, fill, value };
    });
    const mapsBox = element("div", "mnist-live-maps");
    const mapRows = ["conv1", "conv2"].map((layer) => {
      const row = element("div", "mnist-live-maprow");
      row.append(element("span", "mnist-live-layer", layer));
      const cells = Array.from({ length: mapsPerLayer }, () => {
        const figure = element("figure", "mnist-live-map");
        const canvas = element("canvas");
        const caption = element("figcaption", "", "");
        figure.append(canvas, caption);
        row.append(figure);
        return { canvas, caption };
      });
      mapsBox.append(row);
      return cells;
    });
    results.append(readFigure, verdict, bars);
    container.append(intro, body, mapsBox);

    const panel = { element: container, last: null, latencyMs: null };

    // Prepare the drawing, run the network and show the answer.
    function show(image) {
      const result = live.cnn.cnnForward(weights, image);
      const probabilities = result.probabilities;
      const prediction = probabilities.indexOf(Math.max(...probabilities));
      paintImage(readCanvas, image, 28);
      barParts.forEach(({ bar, fill, value }, digit) => {
        fill.style.height = `${(100 * probabilities[digit]).toFixed(1)}%`;
        value.textContent = probabilities[digit].toFixed(2);
        bar.classList.toggle("mnist-live-top", digit === prediction);
        bar.setAttribute("aria-label", `${digit}: probability ${probabilities[digit].toFixed(3)}`);
      });
      verdict.textContent = `It reads a ${prediction}, with probability ${probabilities[prediction].toFixed(2)}.`;
      const top = { conv1: strongest(result.conv1, mapsPerLayer), conv2: strongest(result.conv2, mapsPerLayer) };
      ["conv1", "conv2"].forEach((layer, row) => {
        const maximum = Math.max(...top[layer].map((m) => m.peak), 1e-6);
        top[layer].forEach((map, k) => {
          paintImage(mapRows[row][k].canvas, map.values, map.side, { colour: true, maximum });
          mapRows[row][k].caption.textContent = `map ${map.channel}`;
        });
      });
      container.dataset.prediction = String(prediction);
      panel.last = { image, probabilities, prediction,
                     conv1Top: top.conv1.map((m) => m.channel), conv2Top: top.conv2.map((m) => m.channel) };
      return panel.last;
    }

    function blank() {
      barParts.forEach(({ bar, fill, value }) => { fill.style.height = "0%"; value.textContent = ""; bar.classList.remove("mnist-live-top"); });
      paintImage(readCanvas, new Float32Array(784), 28);
      mapRows.flat().forEach(({ canvas, caption }) => { paintImage(canvas, new Float32Array(1), 1); caption.textContent = ""; });
      verdict.textContent = "Nothing drawn yet.";
      delete container.dataset.prediction;
      panel.last = null;
    }

    const pad = live.createPad(padColumn, {
      onStroke(strokes, event) {
        const image = live.prepare.drawingToImage(strokes);
        if (image.some((v) => v > 0)) show(image); else blank();
        // From the pointer-up (or click) to the bars updated in the page.
        panel.latencyMs = event && event.timeStamp ? performance.now() - event.timeStamp : null;
        container.dispatchEvent(new CustomEvent("mnist-live-updated", { detail: panel.last }));
      },
    });
    blank();
    Object.assign(panel, { pad, show, forward: (image) => live.cnn.cnnForward(weights, image),
                           strokes: pad.strokes });
    live.panels.push(panel);
    return panel;
  }

  function start() {
    const containers = document.querySelectorAll(".mnist-live-panel");
    if (!containers.length) return;
    const weights = live.cnn.loadWeights(live.exportedWeights);
    live.weights = weights;
    containers.forEach((container) => buildPanel(container, weights));
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})(typeof window !== "undefined" ? window : globalThis);
