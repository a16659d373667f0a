/* A drawing, prepared as MNIST's digits were: the same steps as mnist_lessons/drawing.py
   (draw_strokes) and mnist_lessons/preprocess.py (to_mnist_format), function by function, and
   the pad's guidance (playground.drawing_guidance). Images are flat Float32Arrays, row by row.
   The sizes (image side, digit box, pad side, pen width) come from `config`, which Python
   exports with the weights (browser_model.page_config). */
(function (root) {
  "use strict";
  const live = (root.MnistLive = root.MnistLive || {});

  // Python's round(): halves go to the even neighbour (round(2.5) == 2).
  function roundHalfEven(x) {
    const floor = Math.floor(x), rest = x - floor;
    if (rest !== 0.5) return Math.round(x);
    return floor % 2 === 0 ? floor : floor + 1;
  }

  // The nearest whole number of pixels, after rounding to a millionth of a pixel so that a tie
  // (a symmetric digit's centre half a pixel from the middle) is exact whatever order the sums were
  // added in (_whole_pixels).
  function wholePixels(distance) {
    return roundHalfEven(Math.round(distance * 1e6) / 1e6);
  }

  // Rasterise strokes into a size×size image, ink 1 on background 0: each pixel, centred at
  // (column + 0.5, row + 0.5), gets full ink up to half a pixel inside the round pen's radius,
  // fading to none half a pixel outside (draw_strokes).
  function drawStrokes(strokes, size, width) {
    const image = new Float32Array(size * size);
    const reach = width / 2 + 0.5;
    for (const stroke of strokes) {
      if (!stroke.length) continue;
      const segments = stroke.length > 1 ? stroke.slice(1).map((end, i) => [stroke[i], end]) : [[stroke[0], stroke[0]]];
      for (const [[sx, sy], [ex, ey]] of segments) {
        const dx = ex - sx, dy = ey - sy, lengthSquared = dx * dx + dy * dy;
        // Only pixels within reach of the segment can get ink: the rest stays as it is.
        const left = Math.max(0, Math.floor(Math.min(sx, ex) - reach)), right = Math.min(size, Math.ceil(Math.max(sx, ex) + reach));
        const top = Math.max(0, Math.floor(Math.min(sy, ey) - reach)), bottom = Math.min(size, Math.ceil(Math.max(sy, ey) + reach));
        for (let row = top; row < bottom; row++) {
          const y = row + 0.5;
          for (let col = left; col < right; col++) {
            const x = col + 0.5;
            const t = lengthSquared === 0 ? 0 : Math.min(1, Math.max(0, ((x - sx) * dx + (y - sy) * dy) / lengthSquared));
            const ox = x - (sx + t * dx), oy = y - (sy + t * dy);
            const distance = Math.sqrt(ox * ox + oy * oy);     // Math.hypot is several times slower
            const ink = Math.min(1, Math.max(0, reach - distance));
            if (ink > image[row * size + col]) image[row * size + col] = ink;
          }
        }
      }
    }
    return image;
  }

  // The (outSize, inSize) matrix that resizes one axis, bilinear and anti-aliased (resize_weights).
  function resizeWeights(inSize, outSize) {
    const inverse = inSize / outSize, radius = Math.max(inverse, 1);
    const weights = new Float64Array(outSize * inSize);
    for (let x = 0; x < outSize; x++) {
      const centre = (x + 0.5) * inverse;
      const first = Math.max(Math.floor(centre - radius + 0.5), 0);
      const last = Math.min(Math.ceil(centre + radius - 0.5), inSize);
      let total = 0;
      for (let s = first; s < last; s++) total += Math.max(0, 1 - Math.abs(s + 0.5 - centre) / radius);
      if (total > 0) {
        for (let s = first; s < last; s++) weights[x * inSize + s] = Math.max(0, 1 - Math.abs(s + 0.5 - centre) / radius) / total;
      }
    }
    return weights;
  }

  // rows @ image @ cols.T (resize).
  function resize(image, height, width, newHeight, newWidth) {
    const rows = resizeWeights(height, newHeight), cols = resizeWeights(width, newWidth);
    const half = new Float64Array(newHeight * width);
    for (let r = 0; r < newHeight; r++)
      for (let s = 0; s < height; s++) {
        const weight = rows[r * height + s];
        if (weight) for (let c = 0; c < width; c++) half[r * width + c] += weight * image[s * width + c];
      }
    const out = new Float32Array(newHeight * newWidth);
    for (let r = 0; r < newHeight; r++)
      for (let c = 0; c < newWidth; c++) {
        let sum = 0;
        for (let s = 0; s < width; s++) sum += half[r * width + s] * cols[c * width + s];
        out[r * newWidth + c] = sum;
      }
    return out;
  }

  // (row, column) centre of mass of a side×side image's ink (centre_of_mass).
  function centreOfMass(image, side) {
    let total = 0, rows = 0, cols = 0;
    for (let r = 0; r < side; r++)
      for (let c = 0; c < side; c++) {
        const v = image[r * side + c];
        total += v; rows += r * v; cols += c * v;
      }
    return [rows / total, cols / total];
  }

  // Move a side×side image by whole pixels, filling with background (shift_images).
  function shift(image, side, down, right) {
    const out = new Float32Array(side * side);
    for (let r = 0; r < side; r++)
      for (let c = 0; c < side; c++) {
        const from = [r - down, c - right];
        if (from[0] >= 0 && from[0] < side && from[1] >= 0 && from[1] < side) out[r * side + c] = image[from[0] * side + from[1]];
      }
    return out;
  }

  // The rows and columns that hold ink (any value above 0) in a side×side image: {top, left, bottom,
  // right}, inclusive, or null when there is none.
  function inkBox(image, side) {
    let top = side, left = side, bottom = -1, right = -1;
    for (let r = 0; r < side; r++)
      for (let c = 0; c < side; c++)
        if (image[r * side + c] > 0) { top = Math.min(top, r); bottom = Math.max(bottom, r); left = Math.min(left, c); right = Math.max(right, c); }
    return bottom < 0 ? null : { top, left, bottom, right };
  }

  // Crop the ink, scale its longer side to the digit box (20 pixels) keeping the aspect ratio, place
  // it in the imageSide×imageSide image (28×28) and move its centre of mass to the centre
  // (to_mnist_format, for one side×side image).
  function toMnistFormat(image, side, { imageSide, digitBox }) {
    const box = inkBox(image, side);
    if (!box) return new Float32Array(imageSide * imageSide);          // nothing drawn: stays blank
    const { top, left } = box, height = box.bottom - top + 1, width = box.right - left + 1;
    const cropped = new Float32Array(height * width);
    for (let r = 0; r < height; r++) for (let c = 0; c < width; c++) cropped[r * width + c] = image[(top + r) * side + left + c];
    const scale = digitBox / Math.max(height, width);
    const newHeight = Math.max(1, roundHalfEven(height * scale)), newWidth = Math.max(1, roundHalfEven(width * scale));
    const resized = resize(cropped, height, width, newHeight, newWidth);
    const boxed = new Float32Array(imageSide * imageSide);
    const row = Math.floor((imageSide - newHeight) / 2), col = Math.floor((imageSide - newWidth) / 2);
    for (let r = 0; r < newHeight; r++)
      for (let c = 0; c < newWidth; c++) boxed[(row + r) * imageSide + col + c] = Math.min(1, Math.max(0, resized[r * newWidth + c]));
    const [centreRow, centreCol] = centreOfMass(boxed, imageSide);
    if (!(centreRow >= 0)) return boxed;                             // no ink left after resizing
    // To the middle of the field (13.5, 13.5), but never so far that ink would leave the image.
    const clip = (v, low, high) => Math.min(high, Math.max(low, v));
    const middle = (imageSide - 1) / 2;
    const down = clip(wholePixels(middle - centreRow), -row, imageSide - (row + newHeight));
    const across = clip(wholePixels(middle - centreCol), -col, imageSide - (col + newWidth));
    return shift(boxed, imageSide, down, across);
  }

  // What the model reads for pad strokes: the pad drawn, then prepared (drawing_to_image); with the
  // pad image, which the guidance reads.
  function drawingToImage(strokes, config) {
    const pad = drawStrokes(strokes, config.padSize, config.penWidth);
    return { pad, image: toMnistFormat(pad, config.padSize, config) };
  }

  // "small", "large" or null: whether the ink on the pad spans fewer than config.smallDrawing or more
  // than config.largeDrawing pad units along its longer side (drawing_guidance).
  function guidance(pad, { padSize, smallDrawing, largeDrawing }) {
    const box = inkBox(pad, padSize);
    if (!box) return null;
    const longer = Math.max(box.bottom - box.top + 1, box.right - box.left + 1);
    return longer < smallDrawing ? "small" : longer > largeDrawing ? "large" : null;
  }

  live.prepare = { roundHalfEven, wholePixels, drawStrokes, resizeWeights, resize, centreOfMass, shift, inkBox,
                   toMnistFormat, drawingToImage, guidance };
})(typeof window !== "undefined" ? window : globalThis);
