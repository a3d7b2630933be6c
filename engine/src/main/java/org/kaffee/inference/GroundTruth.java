package org.kaffee.inference;

import org.kaffee.layers.detection.Box;

/** One annotated object of an image: its class, its box (corners as fractions of the image) and VOC's difficult flag. */
public record GroundTruth(int label, Box box, boolean difficult) {
}
