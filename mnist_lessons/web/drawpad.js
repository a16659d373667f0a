/* A drawing pad: draw with a mouse, a pen or a finger; each stroke is a list of (x, y) points in
   pad units (padSize × padSize, ten for every MNIST pixel), whatever size the pad is shown at. Used
   by the book's live panel and, unchanged, by the notebook's drawing pad (mnist_lessons/drawpad.py);
   both pass the pad's size and pen width that Python defines (mnist_lessons/constants.py). */
(function (root) {
  "use strict";
  const live = (root.MnistLive = root.MnistLive || {});

  // Build a pad inside `container`; call onStroke(strokes, event) whenever a stroke ends or the pad
  // is cleared (`event` is the pointer-up or click that did it).
  function createPad(container, { padSize, penWidth, onStroke = () => {}, label = "Drawing pad" }) {
    if (!(padSize > 0 && penWidth > 0)) throw new Error("createPad needs the padSize and penWidth that Python defines");
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
    const buttons = document.createElement("div");
    buttons.className = "mnist-pad-buttons";
    buttons.append(clear);
    wrapper.append(canvas, buttons);
    container.append(wrapper);

    const strokes = [];
    let active = null;
    let backdrop = null;          // an image shown on the pad (a sample digit) until the next stroke
    const context = canvas.getContext("2d");

    // The canvas's content box on the screen: inside its border and padding, where the drawing is.
    function contentBox() {
      const box = canvas.getBoundingClientRect(), style = root.getComputedStyle(canvas);
      const px = (name) => parseFloat(style[name]) || 0;
      const left = box.left + px("borderLeftWidth") + px("paddingLeft");
      const top = box.top + px("borderTopWidth") + px("paddingTop");
      const width = box.width - px("borderLeftWidth") - px("paddingLeft") - px("paddingRight") - px("borderRightWidth");
      const height = box.height - px("borderTopWidth") - px("paddingTop") - px("paddingBottom") - px("borderBottomWidth");
      return { left, top, width, height };
    }

    function resizeCanvas() {
      // Sharp on high-density screens: the backing store follows the device pixels of the content box.
      const side = contentBox().width || padSize;
      const ratio = (root.devicePixelRatio || 1) * side / padSize;
      canvas.width = canvas.height = Math.max(1, Math.round(padSize * ratio));
      context.setTransform(ratio, 0, 0, ratio, 0, 0);
      repaint();
    }

    function repaint() {
      context.fillStyle = "white";
      context.fillRect(0, 0, padSize, padSize);
      if (backdrop) paintBackdrop();
      context.strokeStyle = context.fillStyle = "black";
      context.lineWidth = penWidth;
      context.lineCap = context.lineJoin = "round";
      for (const stroke of strokes) paint(stroke, 0);
    }

    // A grey-level image (ink 1 is black), each pixel a square block of the pad, as the model sees it.
    function paintBackdrop() {
      const { values, side } = backdrop;
      const small = document.createElement("canvas");
      small.width = small.height = side;
      const smallContext = small.getContext("2d"), pixels = smallContext.createImageData(side, side);
      for (let i = 0; i < side * side; i++) {
        const level = Math.round(255 * (1 - Math.min(1, Math.max(0, values[i]))));
        pixels.data.set([level, level, level, 255], 4 * i);
      }
      smallContext.putImageData(pixels, 0, 0);
      context.imageSmoothingEnabled = false;
      context.drawImage(small, 0, 0, padSize, padSize);
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

    // The pointer's position in pad units, through the content box (a border or padding around the
    // canvas does not shift the drawing), kept on the pad.
    function point(event) {
      const box = contentBox();
      const clamp = (v) => Math.min(padSize, Math.max(0, v));
      return [clamp((event.clientX - box.left) * padSize / box.width), clamp((event.clientY - box.top) * padSize / box.height)];
    }

    canvas.addEventListener("pointerdown", (event) => {
      event.preventDefault();
      canvas.setPointerCapture?.(event.pointerId);
      if (backdrop) { backdrop = null; repaint(); }
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
      backdrop = null;
      repaint();
      onStroke(strokes, event);
    });
    if (root.ResizeObserver) new root.ResizeObserver(resizeCanvas).observe(canvas);
    resizeCanvas();

    return {
      element: wrapper, canvas, clearButton: clear, buttons,
      strokes: () => strokes.map((stroke) => stroke.map(([x, y]) => [x, y])),
      // Replace the drawing (e.g. a notebook restoring its widget's strokes) without calling onStroke.
      setStrokes(next) {
        strokes.length = 0;
        strokes.push(...next.map((s) => s.map(([x, y]) => [x, y])));
        if (strokes.length) backdrop = null;
        repaint();
      },
      // Show an image (side × side, ink 1) on an empty pad, e.g. an MNIST test digit; the next stroke
      // or Clear removes it.
      showImage(values, side) { strokes.length = 0; backdrop = { values, side }; repaint(); },
      showsImage: () => backdrop !== null,
    };
  }

  live.createPad = createPad;
})(typeof window !== "undefined" ? window : globalThis);
