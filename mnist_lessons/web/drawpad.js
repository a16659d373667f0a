/* A drawing pad: draw with a mouse, a pen or a finger; each stroke is a list of (x, y) points in
   pad units (280 × 280, ten for every MNIST pixel), whatever size the pad is shown at. Used by the
   book's live panel and, unchanged, by the notebook's drawing pad (mnist_lessons/drawpad.py). */
(function (root) {
  "use strict";
  const live = (root.MnistLive = root.MnistLive || {});

  // Build a pad inside `container`; call onStroke(strokes, event) whenever a stroke ends or the pad
  // is cleared (`event` is the pointer-up or click that did it).
  function createPad(container, { padSize = 280, penWidth = 18, onStroke = () => {}, label = "Drawing pad" } = {}) {
    const wrapper = document.createElement("div");
    wrapper.className = "mnist-pad";
    const canvas = document.createElement("canvas");
    canvas.className = "mnist-pad-canvas";
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", `${label}: draw a digit with the mouse, a pen or a finger`);
    // The pad takes every touch gesture, so that drawing does not scroll the page.
    canvas.style.touchAction = "none";
    const clear = document.createElement("button");
    clear.type = "button";
    clear.className = "mnist-pad-clear";
    clear.textContent = "Clear";
    wrapper.append(canvas, clear);
    container.append(wrapper);

    const strokes = [];
    let active = null;
    const context = canvas.getContext("2d");

    function resizeCanvas() {
      // Sharp on high-density screens: the backing store follows the device pixels.
      const side = canvas.clientWidth || padSize;
      const ratio = (root.devicePixelRatio || 1) * side / padSize;
      canvas.width = canvas.height = Math.round(padSize * ratio);
      context.setTransform(ratio, 0, 0, ratio, 0, 0);
      repaint();
    }

    function repaint() {
      context.fillStyle = "white";
      context.fillRect(0, 0, padSize, padSize);
      context.strokeStyle = context.fillStyle = "black";
      context.lineWidth = penWidth;
      context.lineCap = context.lineJoin = "round";
      for (const stroke of strokes) paint(stroke, 0);
    }

    function paint(stroke, from) {
      if (stroke.length === 1 || from === 0) {
        context.beginPath();
        context.arc(stroke[0][0], stroke[0][1], penWidth / 2, 0, 2 * Math.PI);
        context.fill();
      }
      context.beginPath();
      context.moveTo(...stroke[Math.max(from - 1, 0)]);
      for (let i = Math.max(from, 1); i < stroke.length; i++) context.lineTo(...stroke[i]);
      context.stroke();
    }

    function point(event) {
      const box = canvas.getBoundingClientRect();
      const clamp = (v) => Math.min(padSize, Math.max(0, v));
      return [clamp((event.clientX - box.left) * padSize / box.width), clamp((event.clientY - box.top) * padSize / box.height)];
    }

    canvas.addEventListener("pointerdown", (event) => {
      event.preventDefault();
      canvas.setPointerCapture?.(event.pointerId);
      active = [point(event)];
      strokes.push(active);
      paint(active, 0);
    });
    canvas.addEventListener("pointermove", (event) => {
      if (!active) return;
      active.push(point(event));
      paint(active, active.length - 1);
    });
    const end = (event) => {
      if (!active) return;
      active = null;
      canvas.releasePointerCapture?.(event.pointerId);
      onStroke(strokes, event);
    };
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointercancel", end);
    clear.addEventListener("click", (event) => {
      strokes.length = 0;
      repaint();
      onStroke(strokes, event);
    });
    if (root.ResizeObserver) new root.ResizeObserver(resizeCanvas).observe(canvas);
    resizeCanvas();

    return {
      element: wrapper, canvas, clearButton: clear,
      strokes: () => strokes.map((stroke) => stroke.map(([x, y]) => [x, y])),
      // Replace the drawing (e.g. a notebook restoring its widget's strokes) without calling onStroke.
      setStrokes(next) { strokes.length = 0; strokes.push(...next.map((s) => s.map(([x, y]) => [x, y]))); repaint(); },
    };
  }

  live.createPad = createPad;
})(typeof window !== "undefined" ? window : globalThis);
