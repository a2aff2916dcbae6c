/** Why an image was refused; the route turns it into a 4xx. */
export class ImageError extends Error {
  constructor(
    readonly reason: "unsupported_type" | "malformed_image" | "image_too_large",
    message: string,
  ) {
    super(message);
    this.name = "ImageError";
  }
}

/** The largest side and the most pixels a photo may have (a phone's camera stays well below). */
export const MAX_IMAGE_SIDE = 8000;
export const MAX_IMAGE_PIXELS = 40_000_000;

export const malformed = (format: string, why: string) =>
  new ImageError("malformed_image", `the ${format} file is damaged: ${why}`);

/** Throws unless the dimensions are positive and within the bounds. */
export function checkDimensions(format: string, width: number, height: number): void {
  if (width < 1 || height < 1) throw malformed(format, "it has no pixels");
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE || width * height > MAX_IMAGE_PIXELS)
    throw new ImageError(
      "image_too_large",
      `the image is ${width}×${height}; at most ${MAX_IMAGE_SIDE} pixels a side and ${MAX_IMAGE_PIXELS / 1e6} megapixels`,
    );
}
