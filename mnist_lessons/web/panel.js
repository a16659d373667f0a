/* The live panel of the book's pages: draw a digit (or load an MNIST test digit) and watch the
   shipped CNN read it, in this browser, with no server. After every stroke it shows the prepared
   image, the verdict and the ten probabilities; the full panel also opens every layer in turn
   (conv1, pool1, conv2, pool2, flatten, the logits, the softmax) and shows, for any cell of a
   map, the input pixels it sees and the filter that made it. Needs cnn.js, prepare.js,
   drawpad.js and cnn_weights.js (written from the shipped weights by the book's build, with the
   layer layout, the sizes and the sample digits that Python defines). */
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
  // The book's signed colours (matplotlib's RdBu): red below 0, white at 0, blue above.
  const RED = [178, 24, 43], WHITE = [247, 247, 247], BLUE = [33, 102, 172];

  function signedColour(value, largest) {
    const t = Math.min(1, Math.abs(value) / (largest || 1)), end = value < 0 ? RED : BLUE;
    return WHITE.map((w, k) => Math.round(w + (end[k] - w) * t));
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // "an 8", "a 7": the article a digit takes when it is read aloud.
  function withArticle(digit) {
    return `${digit === 8 ? "an" : "a"} ${digit}`;
  }

  // Paint a height × width grid of values into a canvas, `scale` canvas pixels per cell: grey for an
  // image (ink 1 is black), viridis from 0 (dark) to `maximum` for a feature map.
  function paintGrid(canvas, values, height, width, { colour = false, maximum = 1, scale = 1 } = {}) {
    if (canvas.width !== width * scale || canvas.height !== height * scale) {
      canvas.width = width * scale;
      canvas.height = height * scale;
    }
    const context = canvas.getContext("2d");
    const pixels = context.createImageData(width * scale, height * scale), data = pixels.data;
    for (let r = 0; r < height * scale; r++) {
      for (let c = 0; c < width * scale; c++) {
        const value = values[Math.floor(r / scale) * width + Math.floor(c / scale)];
        const level = Math.round(255 * Math.min(1, Math.max(0, maximum > 0 ? value / maximum : 0)));
        const at = 4 * (r * width * scale + c);
        if (colour) data.set(VIRIDIS_TABLE.subarray(3 * level, 3 * level + 3), at);
        else data[at] = data[at + 1] = data[at + 2] = 255 - level;
        data[at + 3] = 255;
      }
    }
    context.putImageData(pixels, 0, 0);
    return context;
  }

  // One channel of (h, w, c) maps, as an h × w array.
  function channelOf(maps, [h, w, c], channel) {
    const single = new Float32Array(h * w);
    for (let i = 0; i < h * w; i++) single[i] = maps[i * c + channel];
    return single;
  }

  function largestOf(values) {
    let largest = 0;
    for (let i = 0; i < values.length; i++) if (values[i] > largest) largest = values[i];
    return largest;
  }

  // A count as the book writes it: 1,600.
  const count = (n) => n.toLocaleString("en-US");

  // What each row of the panel is, in one sentence, from the layer layout Python exported.
  function describe(layer, previous, model) {
    const [h, w, c] = layer.shape, size = model.config.imageSide;
    if (layer.kind === "conv") {
      const k = model.shapes[layer.name][0][0];
      const input = previous ? `the ${previous.shape[2]} maps of ${previous.name}` : `the ${size}×${size} image`;
      return `${c} feature maps of ${h}×${w}. A feature map is one filter's ${k}×${k} weights slid over ` +
        `${input}: bright where the filter's pattern is, dark (0, after the ReLU) where it is not.`;
    }
    if (layer.kind === "maxpool")
      return `${previous.name}'s ${c} maps, each ${layer.size}×${layer.size} block of cells kept as its largest ` +
        `value: ${h}×${w} each.`;
    if (layer.kind === "flatten") {
      const [ph, pw, pc] = previous.shape;
      return `the ${count(h)} numbers of ${previous.name} in one row: drawn here as ${ph * pw} rows (one for each ` +
        `position) of ${pc} (one for each map). The last layer weighs every one of them.`;
    }
    return `the ${h} logits, one for each digit: each a weighted sum of the ` +
      `${count(model.shapes[layer.name][0][0])} features, plus a bias. The largest wins.`;
  }

  function buildPanel(container, model, samples) {
    const { config } = model;
    const side = config.imageSide;
    const compact = container.dataset.variant === "compact";
    container.classList.add("mnist-live-ready");
    const intro = element("p", "mnist-live-note", compact
      ? "Draw a digit, or load an MNIST test digit: the book's trained CNN reads it here, in your browser."
      : "Draw a digit, or load an MNIST test digit with the buttons: the book's trained CNN reads it here, in " +
        "your browser. Open a layer below to see what it computes; point at a map (or tap it, or press " +
        "its button) to see which input pixels one of its cells sees, and the filter that made it.");
    const body = element("div", "mnist-live-body");
    const padColumn = element("div", "mnist-live-pad");
    const results = element("div", "mnist-live-results");
    body.append(padColumn, results);

    const summary = element("div", "mnist-live-summary");
    const readFigure = element("figure", "mnist-live-read");
    const readCanvas = element("canvas", "mnist-live-image");
    readFigure.append(readCanvas, element("figcaption", "", `what it reads (${side}×${side})`));
    // The verdict and the guidance are announced by screen readers whenever they change.
    const status = element("div", "mnist-live-status");
    status.setAttribute("aria-live", "polite");
    const verdict = element("p", "mnist-live-verdict", "");
    const guidance = element("p", "mnist-live-guidance", "");
    status.append(verdict, guidance);
    summary.append(readFigure, status);
    const bars = element("div", "mnist-live-bars");
    bars.setAttribute("role", "list");
    bars.setAttribute("aria-label", "the probability of each digit");
    const barParts = Array.from({ length: config.classes }, (_, digit) => {
      const bar = element("div", "mnist-live-bar");
      bar.setAttribute("role", "listitem");
      const fill = element("div", "mnist-live-fill");
      const value = element("span", "mnist-live-value", "");
      bar.append(value, fill, element("span", "mnist-live-digit", String(digit)));
      bars.append(bar);
      return { bar, fill, value };
    });
    // Sample buttons: real MNIST test digits, so that the panel also works from the keyboard.
    const sampleBox = element("div", "mnist-live-samples");
    sampleBox.setAttribute("role", "group");
    sampleBox.setAttribute("aria-label", "Load an MNIST test digit");
    sampleBox.append(element("span", "mnist-live-samples-label", "Test digit:"));
    const seen = Array(config.classes).fill(-1);
    const sampleButtons = Array.from({ length: config.classes }, (_, digit) => {
      const button = element("button", "mnist-live-sample", String(digit));
      button.type = "button";
      button.setAttribute("aria-label", `Load an MNIST test digit labelled ${digit}`);
      button.addEventListener("click", () => {
        const ofClass = samples.filter((sample) => sample.label === digit);
        seen[digit] = (seen[digit] + 1) % ofClass.length;          // pressed again: the next one
        showSample(ofClass[seen[digit]]);
      });
      sampleBox.append(button);
      return button;
    });
    results.append(summary, bars, sampleBox);
    container.append(intro, body);

    const panel = { element: container, last: null, latencyMs: null, viewsMs: null, layerMs: {}, model };
    const views = compact ? [] : buildLayerViews();

    // The rows of every layer, each a <details> opened in turn (a keyboard toggles it too).
    function buildLayerViews() {
      const box = element("div", "mnist-live-layers");
      box.append(element("p", "mnist-live-layers-title", "Every layer, for the digit above (open one):"));
      const rows = [];
      config.layers.forEach((layer, i) => {
        const previous = i > 0 ? config.layers[i - 1] : null;
        rows.push(layerRow(layer.name, layer.kind === "dense" ? "logits" : layer.kind, layer,
                           describe(layer, previous, model)));
      });
      const last = config.layers[config.layers.length - 1];
      rows.push(layerRow("softmax", "softmax", { name: "softmax", kind: "softmax", shape: last.shape },
                         `the logits turned into ${last.shape[0]} probabilities that add up to 1 (the bars above).`));
      rows.forEach((row) => box.append(row.details));
      container.append(box);
      return rows;
    }

    function layerRow(name, kind, layer, text) {
      const details = element("details", "mnist-live-layer");
      details.dataset.layer = name;
      const heading = element("summary");
      heading.append(element("code", "", kind === "logits" ? `${name} (logits)` : name), ` ${text}`);
      const content = element("div", "mnist-live-layer-content");
      details.append(heading, content);
      const row = { name, kind, layer, details, content, built: false, cells: [], inspector: null, inspected: null };
      details.addEventListener("toggle", () => {
        if (!details.open || !panel.last) return;
        const started = performance.now();
        render(row);
        panel.layerMs[name] = performance.now() - started;
      });
      return row;
    }

    // Build a row's elements the first time it is shown.
    function build(row) {
      if (row.built) return;
      row.built = true;
      const { kind, layer, content } = row;
      if (kind === "conv" || kind === "maxpool") {
        const grid = element("div", "mnist-live-grid");
        grid.dataset.kind = kind;
        for (let channel = 0; channel < layer.shape[2]; channel++) {
          const button = element("button", "mnist-live-map");
          button.type = "button";
          button.title = `${layer.name} map ${channel}`;
          button.setAttribute("aria-label", `Inspect ${layer.name} map ${channel}`);
          const canvas = element("canvas");
          button.append(canvas);
          grid.append(button);
          row.cells.push(canvas);
          const at = (event) => {
            const box = canvas.getBoundingClientRect();
            return [Math.min(layer.shape[0] - 1, Math.floor((event.clientY - box.top) / box.height * layer.shape[0])),
                    Math.min(layer.shape[1] - 1, Math.floor((event.clientX - box.left) / box.width * layer.shape[1]))];
          };
          // Hover (a mouse) or tap (a finger) picks a cell; the button's click (or Enter) the strongest one.
          canvas.addEventListener("pointermove", (event) => { if (panel.last) inspect(row, channel, ...at(event)); });
          canvas.addEventListener("pointerdown", (event) => { if (panel.last) inspect(row, channel, ...at(event)); });
          button.addEventListener("click", (event) => {
            if (panel.last && event.detail === 0) inspectStrongest(row, channel);   // keyboard: no pointer position
          });
        }
        content.append(grid);
        row.inspector = buildInspector(row);
      } else if (kind === "flatten") {
        const canvas = element("canvas", "mnist-live-flat");
        canvas.setAttribute("role", "img");
        const step = previousLayer(layer).shape;
        canvas.setAttribute("aria-label", `the ${count(layer.shape[0])} features of ${layer.name}`);
        content.append(canvas);
        row.cells.push(canvas);
        const at = (event) => {
          const box = canvas.getBoundingClientRect();
          const r = Math.min(step[0] * step[1] - 1, Math.floor((event.clientY - box.top) / box.height * step[0] * step[1]));
          const c = Math.min(step[2] - 1, Math.floor((event.clientX - box.left) / box.width * step[2]));
          return r * step[2] + c;
        };
        canvas.addEventListener("pointermove", (event) => { if (panel.last) inspectFeature(row, at(event)); });
        canvas.addEventListener("pointerdown", (event) => { if (panel.last) inspectFeature(row, at(event)); });
        row.inspector = buildInspector(row);
      } else {
        const list = element("div", "mnist-live-values");
        list.setAttribute("role", "list");
        for (let digit = 0; digit < layer.shape[0]; digit++) {
          const item = element("div", "mnist-live-number");
          item.setAttribute("role", "listitem");
          const bar = element("span", "mnist-live-signed");
          const value = element("span", "mnist-live-number-value");
          item.append(element("span", "mnist-live-digit", String(digit)), bar, value);
          list.append(item);
          row.cells.push({ item, bar, value });
        }
        content.append(list);
      }
    }

    function previousLayer(layer) {
      return config.layers[config.layers.findIndex((l) => l.name === layer.name) - 1];
    }

    // Paint one row for the current digit.
    function render(row) {
      build(row);
      const { kind, layer } = row;
      if (kind === "conv" || kind === "maxpool") {
        const [values, shape] = panel.last.outputs[layer.name];
        const maximum = Math.max(largestOf(values), 1e-6);            // one colour scale for the whole layer
        row.cells.forEach((canvas, channel) =>
          paintGrid(canvas, channelOf(values, shape, channel), shape[0], shape[1], { colour: true, maximum }));
      } else if (kind === "flatten") {
        const [values] = panel.last.outputs[layer.name], step = previousLayer(layer).shape;
        paintGrid(row.cells[0], values, step[0] * step[1], step[2], { colour: true, maximum: Math.max(largestOf(values), 1e-6) });
      } else {
        const values = kind === "softmax" ? panel.last.probabilities : panel.last.logits;
        const largest = Math.max(...Array.from(values, Math.abs), 1e-6);
        row.cells.forEach(({ item, bar, value }, digit) => {
          const v = values[digit];
          value.textContent = kind === "softmax" ? v.toFixed(3) : v.toFixed(2);
          bar.style.width = `${(50 * Math.abs(v) / largest).toFixed(1)}%`;
          bar.style.marginLeft = kind === "softmax" || v >= 0 ? "50%" : `${(50 - 50 * Math.abs(v) / largest).toFixed(1)}%`;
          bar.style.background = `rgb(${signedColour(v, largest).join(",")})`;
          item.setAttribute("aria-label", `${digit}: ${kind === "softmax" ? "probability" : "logit"} ${value.textContent}`);
        });
      }
      if (row.inspector) {
        // A new digit: the strongest cell of the map inspected before (of the whole layer at first);
        // the same digit again: the same cell.
        const chosen = row.inspected, fresh = row.shownFor !== panel.last;
        row.shownFor = panel.last;
        if (!chosen) inspectStrongest(row);
        else if (kind === "flatten") fresh ? inspectStrongest(row) : inspectFeature(row, chosen.feature);
        else if (fresh) inspectStrongest(row, chosen.channel);
        else inspect(row, chosen.channel, chosen.r, chosen.c);
      }
    }

    function renderOpenLayers() {
      views.forEach((row) => { if (row.details.open) render(row); });
    }

    // A row's inspector: the enlarged map with the chosen cell, the input with the pixels that cell
    // sees (its receptive field), and the filter that made the map.
    function buildInspector(row) {
      const box = element("div", "mnist-live-inspector");
      const input = element("canvas", "mnist-live-inspect-input");
      input.setAttribute("role", "img");
      const map = element("canvas", "mnist-live-inspect-map");
      map.tabIndex = 0;
      const filter = element("canvas", "mnist-live-inspect-filter");
      filter.setAttribute("role", "img");
      const figure = (canvas, caption) => {
        const node = element("figure", "mnist-live-inspect-figure");
        const text = element("figcaption", "", caption);
        node.append(canvas, text);
        return [node, text];
      };
      const [mapFigure, mapCaption] = figure(map, "");
      const [inputFigure] = figure(input, "what the cell sees");
      const [filterFigure, filterCaption] = figure(filter, "");
      const text = element("p", "mnist-live-inspect-text");
      const figures = element("div", "mnist-live-inspect-figures");
      figures.append(mapFigure, inputFigure, filterFigure);
      box.append(figures, text);
      row.content.append(box);
      // On the enlarged map: hover or tap picks a cell; the arrow keys move it.
      const shapeOf = () => (row.kind === "flatten" ? previousLayer(row.layer) : row.layer).shape;
      const at = (event) => {
        const [h, w] = shapeOf(), rect = map.getBoundingClientRect();
        return [Math.min(h - 1, Math.max(0, Math.floor((event.clientY - rect.top) / rect.height * h))),
                Math.min(w - 1, Math.max(0, Math.floor((event.clientX - rect.left) / rect.width * w)))];
      };
      const moveTo = (r, c) => {
        const { channel } = row.inspected;
        if (row.kind === "flatten") inspectFeature(row, (r * shapeOf()[1] + c) * shapeOf()[2] + channel);
        else inspect(row, channel, r, c);
      };
      const pick = (event) => { if (row.inspected && panel.last) moveTo(...at(event)); };
      map.addEventListener("pointermove", pick);
      map.addEventListener("pointerdown", pick);
      map.addEventListener("keydown", (event) => {
        const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
        if (!row.inspected || !panel.last || !moves[event.key]) return;
        event.preventDefault();
        const [h, w] = shapeOf(), [dr, dc] = moves[event.key];
        moveTo(Math.min(h - 1, Math.max(0, row.inspected.r + dr)), Math.min(w - 1, Math.max(0, row.inspected.c + dc)));
      });
      return { box, input, map, filter, mapCaption, filterCaption, text };
    }

    // The conv layer whose filters made a layer's maps (the layer itself, or the last conv before it).
    function convBefore(name) {
      let conv = null;
      for (const layer of config.layers) {
        if (layer.kind === "conv") conv = layer;
        if (layer.name === name) return conv;
      }
      return conv;
    }

    // Inspect the strongest cell of a row (of one map of it, when `channel` is given).
    function inspectStrongest(row, channel = null) {
      const source = row.kind === "flatten" ? previousLayer(row.layer) : row.layer;
      const [values, shape] = panel.last.outputs[source.name];
      const [h, w, c] = shape;
      let best = null;
      for (let i = 0; i < h * w; i++)
        for (let ch = channel ?? 0; ch <= (channel ?? c - 1); ch++)
          if (best === null || values[i * c + ch] > values[best]) best = i * c + ch;
      if (row.kind === "flatten") inspectFeature(row, best);       // Flatten keeps the order: index = feature
      else inspect(row, best % c, Math.floor(best / c / w), Math.floor(best / c) % w);
    }

    // A flattened feature is one cell of one map of the layer before Flatten.
    function inspectFeature(row, index) {
      const before = previousLayer(row.layer), [, w, c] = before.shape;
      const channel = index % c, position = Math.floor(index / c);
      inspect(row, channel, Math.floor(position / w), position % w, index);
    }

    function inspect(row, channel, r, c, feature = null) {
      if (!panel.last) return;
      row.inspected = { channel, r, c, feature };
      const parts = row.inspector;
      const source = row.kind === "flatten" ? previousLayer(row.layer) : row.layer;
      const [values, shape] = panel.last.outputs[source.name];
      const [h, w] = shape;
      const map = channelOf(values, shape, channel);
      const scale = Math.max(1, Math.floor(156 / Math.max(h, w)));
      const context = paintGrid(parts.map, map, h, w, { colour: true, maximum: Math.max(largestOf(values), 1e-6), scale });
      context.strokeStyle = "#ff2d55";
      context.lineWidth = Math.max(2, scale / 5);
      context.strokeRect(c * scale + 1, r * scale + 1, scale - 2, scale - 2);
      parts.map.setAttribute("aria-label", `${source.name} map ${channel}, enlarged; the arrow keys move the chosen cell`);
      parts.mapCaption.textContent = `${source.name} map ${channel} (${h}×${w})`;

      // The receptive field, drawn on the input.
      const field = live.cnn.receptiveField(model, source.name, r, c);
      const inputScale = 5;
      const inputContext = paintGrid(parts.input, panel.last.image, side, side, { scale: inputScale });
      inputContext.strokeStyle = "#ff2d55";
      inputContext.lineWidth = 2;
      inputContext.strokeRect(field.left * inputScale + 1, field.top * inputScale + 1, field.side * inputScale - 2,
                              field.side * inputScale - 2);
      const rows = `rows ${field.top} to ${field.top + field.side - 1}`;
      const cols = `columns ${field.left} to ${field.left + field.side - 1}`;
      parts.input.setAttribute("aria-label", `the ${side}×${side} input; the ${field.side}×${field.side} square at ${rows}, ${cols} is what the cell sees`);

      // The filter that made the map: the conv layer's kernel for this channel (for a deeper layer, its
      // slice for the input map it weighs most, as the notebook's layer explorer shows it).
      const conv = convBefore(source.name);
      const [kernel] = model.weights[conv.name], kShape = model.shapes[conv.name][0];
      const [k, , cIn, cOut] = kShape;
      let inputChannel = 0, heaviest = -1;
      for (let ci = 0; ci < cIn; ci++) {
        let total = 0;
        for (let i = 0; i < k * k; i++) total += Math.abs(kernel[(i * cIn + ci) * cOut + channel]);
        if (total > heaviest) { heaviest = total; inputChannel = ci; }
      }
      const slice = Array.from({ length: k * k }, (_, i) => kernel[(i * cIn + inputChannel) * cOut + channel]);
      paintKernel(parts.filter, slice, k);
      const inputName = previousLayer(conv) ? previousLayer(conv).name : "the image";
      parts.filterCaption.textContent = cIn > 1
        ? `${conv.name} filter ${channel}: its ${k}×${k} weights on ${inputName} map ${inputChannel}, the one of its ${cIn} it weighs most`
        : `${conv.name} filter ${channel}: its ${k}×${k} weights (blue > 0 > red)`;
      parts.filter.setAttribute("aria-label", `the weights of ${parts.filterCaption.textContent}: ` +
                                slice.map((v) => v.toFixed(2)).join(", "));

      const value = values[(r * w + c) * shape[2] + channel];
      const where = `the cell at row ${r}, column ${c} of ${source.name} map ${channel}`;
      let how;
      if (source.kind === "conv")
        how = `the ReLU of filter ${channel}'s weighted sum over ${cIn > 1 ? `the ${cIn} maps of ${inputName}` : "the image"}`;
      else
        how = `the largest of ${conv.name} map ${channel}'s cells in rows ${r * source.size} to ` +
              `${r * source.size + source.size - 1}, columns ${c * source.size} to ${c * source.size + source.size - 1}`;
      const said = feature === null ? `T${where.slice(1)} is` : `Feature ${feature} of ${row.layer.name} is ${where}:`;
      parts.text.textContent = `${said} ${value.toFixed(2)}, ${how}. It sees the ${field.side}×${field.side} square ` +
        `of input pixels in ${rows}, ${cols} (outlined on the input): no pixel outside it can change this number.`;
    }

    function paintKernel(canvas, values, k) {
      const scale = 40;
      canvas.width = canvas.height = k * scale;
      const context = canvas.getContext("2d");
      const largest = Math.max(...values.map(Math.abs), 1e-6);
      context.font = "12px sans-serif";
      context.textAlign = "center";
      context.textBaseline = "middle";
      values.forEach((v, i) => {
        const r = Math.floor(i / k), c = i % k;
        context.fillStyle = `rgb(${signedColour(v, largest).join(",")})`;
        context.fillRect(c * scale, r * scale, scale, scale);
        context.fillStyle = Math.abs(v) > 0.6 * largest ? "white" : "black";
        context.fillText(v.toFixed(2), c * scale + scale / 2, r * scale + scale / 2);
      });
    }

    // Run the network on a 28×28 image and show the answer: bars first, then the open layers.
    function show(image, said) {
      const result = live.cnn.cnnForward(model, image);
      const probabilities = result.probabilities;
      const prediction = probabilities.indexOf(Math.max(...probabilities));
      paintGrid(readCanvas, image, side, side);
      barParts.forEach(({ bar, fill, value }, digit) => {
        fill.style.height = `${(100 * probabilities[digit]).toFixed(1)}%`;
        value.textContent = probabilities[digit].toFixed(2);
        bar.classList.toggle("mnist-live-top", digit === prediction);
        bar.setAttribute("aria-label", `${digit}: probability ${probabilities[digit].toFixed(3)}`);
      });
      verdict.textContent = `${said}It reads ${withArticle(prediction)}, with probability ` +
        `${probabilities[prediction].toFixed(2)}.`;
      container.dataset.prediction = String(prediction);
      panel.last = { image, probabilities, prediction, logits: result.logits, outputs: result.outputs };
      return panel.last;
    }

    function blank() {
      barParts.forEach(({ bar, fill, value }) => { fill.style.height = "0%"; value.textContent = ""; bar.classList.remove("mnist-live-top"); });
      paintGrid(readCanvas, new Float32Array(side * side), side, side);
      verdict.textContent = "Nothing drawn yet: draw a digit, or load a test digit.";
      guidance.textContent = "";
      delete container.dataset.prediction;
      delete container.dataset.guidance;
      panel.last = null;
      views.forEach((row) => {
        row.inspected = null;
        row.cells.forEach((cell) => {
          if (cell instanceof HTMLCanvasElement) paintGrid(cell, new Float32Array(1), 1, 1, { colour: true });
          else { cell.value.textContent = ""; cell.bar.style.width = "0"; }
        });
        if (row.inspector) {
          ["map", "input", "filter"].forEach((key) => paintGrid(row.inspector[key], new Float32Array(1), 1, 1));
          row.inspector.text.textContent = "";
        }
      });
    }

    // Views of the open layers are drawn just after the bars, so that the answer appears first.
    function afterwards(started) {
      root.setTimeout(() => {
        if (panel.last) renderOpenLayers();
        panel.viewsMs = started === null ? null : performance.now() - started;
        container.dispatchEvent(new CustomEvent("mnist-live-views", { detail: panel.last }));
      }, 0);
    }

    function showSample(sample) {
      pad.showImage(sample.image, side);
      show(sample.image, `MNIST test digit ${sample.index}, labelled ${sample.label}. `);
      guidance.textContent = "";
      delete container.dataset.guidance;
      panel.sample = sample;
      panel.latencyMs = null;
      afterwards(null);
      container.dispatchEvent(new CustomEvent("mnist-live-updated", { detail: panel.last }));
    }

    const pad = live.createPad(padColumn, {
      padSize: config.padSize, penWidth: config.penWidth,
      onStroke(strokes, event) {
        const started = event && event.timeStamp ? event.timeStamp : null;
        const { pad: drawn, image } = live.prepare.drawingToImage(strokes, config);
        panel.sample = null;
        if (image.some((v) => v > 0)) {
          show(image, "");
          const kind = live.prepare.guidance(drawn, config);
          guidance.textContent = kind ? config.guidance[kind] : "";
          if (kind) container.dataset.guidance = kind; else delete container.dataset.guidance;
        } else {
          blank();
        }
        // From the pointer-up (or click) to the verdict and bars written in the page.
        panel.latencyMs = started === null ? null : performance.now() - started;
        container.dispatchEvent(new CustomEvent("mnist-live-updated", { detail: panel.last }));
        afterwards(started);
      },
    });

    Object.assign(panel, { pad, show, forward: (image) => live.cnn.cnnForward(model, image), strokes: pad.strokes,
                           showSample, sampleButtons,
                           // Open a layer and inspect one cell (for a flatten row, `channel` is the
                           // feature's index); return what the inspector says.
                           inspect(name, channel, r, c) {
                             const row = views.find((v) => v.name === name);
                             row.details.open = true;
                             render(row);
                             if (row.kind === "flatten") inspectFeature(row, channel); else inspect(row, channel, r, c);
                             return row.inspector.text.textContent;
                           } });
    // Before the first stroke: a real test digit (the first of the test set the page carries), and
    // the first layer open on it, so that nothing on the panel is empty.
    blank();
    const first = samples.reduce((a, b) => (b.index < a.index ? b : a));
    showSample(first);
    if (views.length) {
      views[0].details.open = true;
      render(views[0]);
    }
    live.panels.push(panel);
    return panel;
  }

  // Keep the theme's "back to top" button off the panel: hide it while a panel is on the screen.
  function watchBackToTop(containers) {
    if (!root.IntersectionObserver) return;
    const visible = new Set();
    const observer = new root.IntersectionObserver((entries) => {
      entries.forEach((entry) => (entry.isIntersecting ? visible.add(entry.target) : visible.delete(entry.target)));
      document.documentElement.classList.toggle("mnist-live-in-view", visible.size > 0);
    });
    containers.forEach((container) => observer.observe(container));
  }

  function start() {
    const containers = document.querySelectorAll(".mnist-live-panel");
    if (!containers.length) return;
    const model = live.cnn.loadWeights(live.exported);
    const samples = live.cnn.loadSamples(live.exported);
    live.model = model;
    live.samples = samples;
    containers.forEach((container) => buildPanel(container, model, samples));
    watchBackToTop(containers);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})(typeof window !== "undefined" ? window : globalThis);
